"""Hints matched against question keys, option values and wording.

All optional: a questionnaire whose keys and values are not listed here still gets sensible
generic answers (stable made-up weights, default tick rates).
"""

from __future__ import annotations

from questionnaires.model import Option, Question

#: Base weight of a single-choice option value (unknown values get a stable made-up weight).
SINGLE_WEIGHTS = {
    "never": 3.0, "sometimes": 1.6, "often": 0.5, "always": 0.3,
    "weekly": 1.4, "monthly": 0.6, "less_often": 0.6,
    "less_safe": 0.7, "no_difference": 1.0,
    "yes_helped": 0.3, "yes_not_helped": 0.2, "no_wanted": 0.3, "no_not_needed": 0.2,
    "parent": 9.0, "foster_carer": 0.3, "kinship_carer": 0.5,
    "age_0_7": 0.12, "age_8_10": 0.18, "age_11_13": 0.25, "age_14_15": 0.2, "age_16_17": 0.15, "age_18_25": 0.1,
    "up_a_lot": 0.17, "up_a_little": 0.33, "same": 0.36, "down_a_little": 0.1, "down_a_lot": 0.02,
    "most": 0.55, "some": 0.3, "little": 0.1,
    "whole_trafford": 0.35, "one_area": 0.25, "few_areas": 0.25, "wider": 0.15,
    "education": 0.3, "police": 0.1, "health": 0.12, "youth_service": 0.1, "social_care": 0.14,
    "voluntary_community": 0.1, "housing": 0.04, "probation_youth_justice": 0.04, "local_authority": 0.06,
    "fire_rescue": 0.02, "none": 0.05,
}

#: How likely each tick box is ticked, by question key then option value (or option value alone).
TICK_RATES: dict[str, dict[str, float]] = {
    "unsafe_reasons": {"asb": 0.5, "groups": 0.55, "drugs": 0.35, "drunk_people": 0.3, "knives_weapons": 0.3,
                       "gangs": 0.3, "fights": 0.3, "poor_lighting": 0.35, "no_police": 0.25, "crime": 0.35,
                       "social_media": 0.25, "social_media_news": 0.3, "past_experience": 0.12,
                       "harassment": 0.2, "hate": 0.07},
    "safe_reasons": {"no_problems": 0.55, "nice_quiet": 0.45, "know_people": 0.35, "with_friends_family": 0.5,
                     "police_visible": 0.12, "busy_well_lit": 0.25, "community": 0.3},
    "changed_behaviour": {"avoided_places": 0.3, "changed_route": 0.2, "avoided_going_alone": 0.2,
                          "avoided_public_transport": 0.1, "missed_school": 0.04, "none": 0.55},
    "why_people_carry": {"protection": 0.75, "friends_do": 0.4, "respect": 0.45, "social_media": 0.3,
                         "made_to": 0.3, "to_hurt": 0.2},
    "why_carried": {"protection": 0.78, "friends_do": 0.18, "respect": 0.12, "asked_to": 0.08, "work_hobby": 0.1},
    "violence_content_types": {"fights": 0.85, "threats": 0.4, "weapons": 0.4, "gangs": 0.3, "drug_dealing": 0.25,
                               "sexual_violence": 0.1},
    "who_tell": {"parent_carer": 0.75, "other_family": 0.3, "friend": 0.5, "teacher": 0.4, "youth_worker": 0.12,
                 "club_leader": 0.1, "police": 0.2, "crimestoppers": 0.06, "childline": 0.08, "no_one": 0.05},
    "why_not_tell": {"snitch": 0.5, "not_believed": 0.25, "nothing_happens": 0.3, "get_in_trouble": 0.35,
                     "make_worse": 0.4, "dont_know_who": 0.25, "deal_myself": 0.2},
    "worries": {"older_children": 0.4, "fighting": 0.3, "drunk_people": 0.3, "strangers": 0.45,
                "being_bullied": 0.25, "knives": 0.15, "traffic": 0.35, "dark": 0.4, "dogs": 0.25, "none": 0.2},
    "helps_feel_safe": {"family": 0.85, "friends": 0.6, "grown_ups_i_trust": 0.45, "know_neighbours": 0.25,
                        "police": 0.3, "school_staff": 0.35, "busy_bright_places": 0.25},
    "what_would_help": {"more_police": 0.35, "things_to_do": 0.5, "street_lighting": 0.3, "cctv": 0.25,
                        "adults_to_talk_to": 0.2, "tackle_bullying": 0.35, "safety_lessons": 0.15,
                        "tackle_drugs_alcohol": 0.15, "cleaner_streets": 0.3, "safer_journeys": 0.2},
    "where_help": {"school": 0.55, "gp_health": 0.3, "police": 0.4, "council": 0.2, "youth_service": 0.12,
                   "charity": 0.12, "faith_group": 0.05, "family_friends": 0.45, "online": 0.25, "helpline": 0.15,
                   "not_sure": 0.12},
    "help_wanted": {"signs_info": 0.4, "social_media_advice": 0.45, "talking_to_child": 0.3, "parent_groups": 0.12,
                    "mental_health": 0.35, "drugs_alcohol": 0.12, "family_support": 0.15, "activities": 0.45,
                    "services_list": 0.35},
    "help_barriers": {"dont_know_where": 0.45, "waiting_lists": 0.4, "thresholds": 0.3, "judged": 0.3,
                      "child_in_trouble": 0.25, "trust": 0.15, "times_travel": 0.25, "language": 0.05},
    "drivers": {"peer_pressure": 0.55, "social_media": 0.65, "poverty": 0.5, "bullying": 0.15, "drugs": 0.45,
                "alcohol": 0.12, "knives": 0.25, "exploitation": 0.5, "trauma_home_life": 0.45,
                "domestic_abuse": 0.2, "mental_health": 0.3, "exclusion": 0.35, "unmet_send": 0.2,
                "nothing_to_do": 0.4, "no_jobs": 0.2, "normalisation": 0.25},
    "info_sharing_barriers": {"data_protection": 0.45, "no_agreements": 0.2, "systems": 0.55, "capacity": 0.6,
                              "dont_know_who": 0.2, "trust": 0.15, "schools_link": 0.25},
    "whats_missing": {"youth_provision": 0.55, "detached_youth_work": 0.3, "mentoring": 0.3, "mental_health": 0.5,
                      "send_support": 0.2, "exclusion_prevention": 0.15, "parent_support": 0.15,
                      "support_18_25": 0.12, "exploitation_support": 0.12, "victim_support": 0.08,
                      "employment_training": 0.12, "workforce_training": 0.08, "safe_spaces": 0.12},
    "night_out_help": {"taxi_marshals": 0.3, "later_transport": 0.45, "safe_spaces": 0.35, "venue_staff": 0.3,
                       "anti_spiking": 0.4, "welfare_teams": 0.15, "more_police": 0.35, "better_lighting": 0.4},
    "harassment_public": {"sexual_comments": 0.3, "followed": 0.12, "unwanted_touching": 0.1, "spiking": 0.05,
                          "exposure": 0.03, "intimidated": 0.12, "none": 0.45},
    "current_activity": {"full_time_work": 0.35, "part_time_work": 0.25, "apprenticeship": 0.08, "studying": 0.35,
                         "training": 0.04, "looking_for_work": 0.12, "caring": 0.04, "unable_to_work": 0.03,
                         "not_working_other": 0.04},
    "job_barriers": {"not_enough_jobs": 0.45, "transport": 0.35, "qualifications": 0.35, "experience": 0.55,
                     "costs": 0.3, "health": 0.12, "caring": 0.08, "record": 0.05, "discrimination": 0.1},
}
#: Ranking preferences by audience (a value's weight when picking 1st, 2nd, 3rd).
RANK_WEIGHTS = {
    "young_people": {"things_to_do": 3.0, "more_police": 2.4, "adults_to_talk_to": 1.5, "street_lighting": 1.7,
                     "cctv": 1.2, "tackle_bullying": 1.5, "safety_lessons": 0.9, "tackle_drugs_alcohol": 1.2,
                     "cleaner_streets": 1.0, "safer_journeys": 1.1},
    "young_adults": {"things_to_do": 2.4, "more_police": 2.4, "street_lighting": 2.0, "cctv": 1.4,
                     "adults_to_talk_to": 1.3, "tackle_drugs_alcohol": 1.7, "safer_journeys": 1.6},
    "parents_carers": {"more_police": 3.0, "things_to_do": 3.0, "street_lighting": 1.4, "cctv": 1.3,
                       "adults_to_talk_to": 1.8, "tackle_drugs_alcohol": 1.8, "safety_lessons": 1.3},
}

#: Agreement-style statements where agreeing is the worrying answer.
NEGATIVE_STATEMENT = ("crime because", "younger ages", "is a problem", "are a problem", "unsafe", "worse",
                      "scared", "afraid", "gangs are", "violence is")
#: Words in an option that make it more likely for people who feel unsafe.
THREAT_WORDS = ("asb", "gang", "knife", "knives", "weapon", "fight", "drug", "drunk", "group", "older",
                "harass", "violen", "threat", "crime", "lighting", "dark", "no_police", "past_experience")
SAFETY_FIX_WORDS = ("police", "light", "cctv", "safe_spaces", "safer_journeys", "tackle_drugs")
HARASSMENT_WORDS = ("sexual", "followed", "touching", "spiking", "exposure", "harass")
NONE_WORDS = ("none", "nothing", "no_one", "not_sure")


def wording(q: Question) -> str:
    """A question's key, measure and text, lower case, for matching hint words against."""
    return f"{q.key} {q.measure or ''} {q.text}".lower().replace("_", " ")


def has(text: str, *words: str) -> bool:
    return any(w in text for w in words)


def regular(q: Question) -> list[Option]:
    """Options that are real answers (not Don't know / Prefer not to say)."""
    return [o for o in q.options if not o.special]
