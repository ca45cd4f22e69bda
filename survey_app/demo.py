"""Realistic synthetic demo data: a campaign, its collection points and thousands of answers.

`build_demo()` loads the questionnaire files, creates the "Trafford Youth Safety Survey 2026"
campaign with its schools, youth club, event, online link and paper copies, and fills it with
synthetic responses. Everything is driven by the loaded questionnaire definitions, so it works
for any valid set of files: routing is followed page by page exactly as a respondent would meet
it, only answers to questions routing shows are stored, and every answer obeys its question's
rules (exclusive options alone, `max_choices`, `max_rank`, number ranges, text lengths).

The answers are not uniform noise. Each synthetic respondent has a few hidden traits (how safe
they feel, exposure to risk, time online, wellbeing, trust, money worries) shaped by their age,
gender and ward, and those traits drive their answers, so the dashboards show believable
patterns: most young people feel safe, fewer after dark and fewer in a couple of wards; people
who feel unsafe tick anti-social behaviour, gangs and knives more; older teenagers see more
violence on social media; a few per cent have carried a weapon, mostly "for protection".
Question keys, option values and wording are only used as hints: anything unrecognised gets
sensible generic answers.

The free text is composed from a bank of invented fragments. It never contains names, phone
numbers, email addresses or street addresses.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import re
import secrets
import time
import zlib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from sqlalchemy import func, insert, select

from questionnaires.model import Answer as CanonicalAnswer
from questionnaires.model import Option, Question, Questionnaire
from survey_app.extensions import db
from survey_app.models import Answer, Campaign, CollectionPoint, QuestionnaireVersion, Response
from survey_app.questionnaire_store import current_versions, load_questionnaires
from survey_app.respond.answer_types import OTHER_MAX_LENGTH
from survey_app.respond.journey import answer_rows

CAMPAIGN_SLUG = "youth-safety-2026"
CAMPAIGN_NAME = "Trafford Youth Safety Survey 2026"
CAMPAIGN_DESCRIPTION = (
    "Trafford's Community Safety Partnership wants to hear from children, young people, young "
    "adults, parents and carers, and people who work with them, about feeling safe: in your area, "
    "at school and online.\n\n"
    "The survey is anonymous. We don't ask for your name, address or email. You can skip any "
    "question. What you tell us will help decide how the council, police, schools, health and "
    "youth services work together to prevent violence."
)
OPENS_ON = dt.date(2026, 9, 1)
CLOSES_ON = dt.date(2027, 3, 31)
HALF_TERM = (dt.date(2026, 10, 26), dt.date(2026, 10, 30))
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: codes are read aloud and typed
CODE_LENGTH = 6
BATCH = 500  # responses per insert batch

#: Share of responses per audience (renormalised over the audiences actually loaded).
AUDIENCE_SHARE = {"children": 0.25, "young_people": 0.45, "young_adults": 0.10,
                  "parents_carers": 0.15, "professionals": 0.05}
DEFAULT_AGES = {"children": (8, 11), "young_people": (11, 18), "young_adults": (18, 25),
                "parents_carers": (24, 66), "professionals": (22, 64)}


# --- where answers come from --------------------------------------------------------------

@dataclass(frozen=True)
class PointSpec:
    """A collection point to create: a fictional but plausible Trafford place."""

    name: str
    kind: str
    role: str  # primary, secondary, college, youth_club, event, online, paper
    wards: tuple[str, ...] = ()  # wards most of its respondents live in


POINTS = (
    PointSpec("Willow Lane Primary School", "school", "primary",
              ("stretford_humphrey_park", "gorse_hill_cornbrook", "old_trafford", "longford")),
    PointSpec("Meadowbrook Primary School", "school", "primary",
              ("sale_central", "sale_moor", "brooklands", "ashton_upon_mersey")),
    PointSpec("Orchard Gate Primary School", "school", "primary",
              ("urmston", "flixton", "davyhulme", "bucklow_st_martins")),
    PointSpec("Mersey Bank High School", "school", "secondary",
              ("ashton_upon_mersey", "sale_central", "sale_moor", "brooklands")),
    PointSpec("Canalside High School", "school", "secondary",
              ("old_trafford", "stretford_humphrey_park", "gorse_hill_cornbrook", "longford", "lostock_barton")),
    PointSpec("Davyhulme Fields Academy", "school", "secondary",
              ("davyhulme", "flixton", "urmston", "bucklow_st_martins", "lostock_barton")),
    PointSpec("Timperley Brook Academy", "school", "secondary",
              ("timperley_central", "timperley_north", "hale_barns_timperley_south", "altrincham", "broadheath")),
    PointSpec("Crossford Sixth Form College", "school", "college"),
    PointSpec("Brookside Youth Club", "youth_club", "youth_club",
              ("sale_moor", "old_trafford", "gorse_hill_cornbrook", "stretford_humphrey_park")),
    PointSpec("Youth Voice Fun Day (community event)", "community_event", "event"),
    PointSpec("Online link (council website and social media)", "online", "online"),
    PointSpec("Paper copies (libraries and community centres)", "paper", "paper"),
)

#: Where each audience answers, by collection point role.
ROUTES = {
    "children": {"primary": 0.86, "online": 0.05, "event": 0.05, "paper": 0.04},
    "young_people": {"secondary": 0.66, "college": 0.10, "youth_club": 0.10, "online": 0.10, "event": 0.04},
    "young_adults": {"college": 0.30, "youth_club": 0.12, "online": 0.46, "event": 0.08, "paper": 0.04},
    "parents_carers": {"online": 0.55, "primary": 0.08, "secondary": 0.08, "event": 0.14, "paper": 0.15},
    "professionals": {"online": 0.90, "event": 0.05, "paper": 0.05},
}

#: Ward traits: (shift in feeling safe, deprivation), in standard deviations. Unknown wards get 0.
WARDS = {
    "old_trafford": (-0.45, 0.8), "bucklow_st_martins": (-0.5, 0.9), "gorse_hill_cornbrook": (-0.3, 0.6),
    "stretford_humphrey_park": (-0.2, 0.4), "lostock_barton": (-0.1, 0.3), "sale_moor": (-0.1, 0.2),
    "longford": (-0.05, 0.3), "broadheath": (0.0, 0.1), "urmston": (0.05, 0.0), "davyhulme": (0.05, 0.0),
    "flixton": (0.1, -0.2), "ashton_upon_mersey": (0.1, -0.2), "sale_central": (0.0, 0.0),
    "altrincham": (0.05, -0.1), "brooklands": (0.15, -0.3), "timperley_central": (0.15, -0.3),
    "timperley_north": (0.1, -0.2), "manor": (0.1, -0.2), "hale": (0.3, -0.6), "bowdon": (0.35, -0.7),
    "hale_barns_timperley_south": (0.3, -0.6),
}

#: Trafford-like ethnic mix (2021 Census, rounded; younger people slightly more diverse).
ETHNICITY = {
    "white_british": 74.0, "white_irish": 1.5, "gypsy_irish_traveller": 0.2, "roma": 0.1, "white_other": 4.2,
    "mixed_white_black_caribbean": 1.5, "mixed_white_black_african": 0.6, "mixed_white_asian": 1.4,
    "mixed_other": 0.9, "indian": 2.6, "pakistani": 5.8, "bangladeshi": 0.4, "chinese": 0.8, "asian_other": 1.2,
    "caribbean": 1.1, "african": 2.1, "black_other": 0.5, "arab": 0.6, "other_ethnic_group": 0.6,
}


# --- hints: optional, matched against option values and question keys ----------------------

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


# --- hidden traits of one synthetic respondent -------------------------------------------------

@dataclass
class Person:
    """A synthetic respondent: where they answered, and the traits that shape their answers."""

    audience: str
    age: int
    gender: str  # female, male, other
    ward: str | None
    point: int  # index into POINTS
    z: dict[str, float] = field(default_factory=dict)  # latent traits, roughly standard normal
    skip: float = 0.06  # chance of skipping a question


def _phi(x: float) -> float:
    """Standard normal cumulative distribution."""
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


def _stable(text: str) -> float:
    """A repeatable number in [0, 1) from a string (Python's hash() changes between runs)."""
    return (zlib.crc32(text.encode("utf-8")) % 10_000) / 10_000


def _words(q: Question) -> str:
    return f"{q.key} {q.measure or ''} {q.text}".lower().replace("_", " ")


def _has(text: str, *words: str) -> bool:
    return any(w in text for w in words)


# --- free text ---------------------------------------------------------------------------------

#: theme -> voice -> mode -> fragments. Voices: young (11-25), child, parent, pro.
#: Modes: problem (what makes things unsafe) and idea (what would help).
TEXT: dict[str, dict[str, dict[str, tuple[str, ...]]]] = {
    "peer_pressure": {
        "young": {
            "problem": (
                "people do stupid stuff just to fit in with their mates",
                "if your friends are doing something you kind of have to go along with it or you get left out",
                "some kids get pulled into the wrong crowd really quickly",
                "there's pressure to act hard in front of older lads",
                "friendship groups fall out and then it turns into fights",
            ),
            "idea": (
                "teach people how to say no to their mates without looking soft",
                "more mentors who are actually young and get it",
                "help people who are getting pulled into bad friendship groups before it goes too far",
                "workshops about peer pressure that aren't boring",
            ),
        },
        "child": {
            "problem": ("older kids tell you to do naughty things", "some children dare you to do dangerous stuff"),
            "idea": ("teach everyone to be kind to each other",),
        },
        "parent": {
            "problem": ("Children are under a lot of pressure to fit in with their friendship group.",),
            "idea": ("Help for parents to spot when their child has fallen in with the wrong crowd.",),
        },
        "pro": {
            "problem": ("Peer networks pull young people in faster than services can respond.",),
            "idea": ("Work with whole friendship groups rather than individuals in isolation.",),
        },
    },
    "social_media": {
        "young": {
            "problem": (
                "fights get filmed and posted everywhere so everyone sees it",
                "people start beef online and then it carries on at school",
                "you see videos of knives and fights on tiktok and snapchat all the time",
                "group chats spread rumours about where fights are going to be",
                "people show off weapons on their stories to look big",
                "social media makes it look like everywhere is dangerous even when it isn't",
            ),
            "idea": (
                "apps should take down fight videos faster",
                "teach us what to do if someone sends you something violent",
                "schools should talk more about what goes on in group chats",
                "parents need to know what apps their kids are on",
            ),
        },
        "child": {
            "problem": ("scary videos online", "people being mean in games", "someone i dont know messaged me"),
            "idea": ("stop scary videos on tablets", "grown ups checking games are safe"),
        },
        "parent": {
            "problem": (
                "My biggest worry is what my children see on their phones.",
                "Arguments on social media spill over into real life and nobody seems to deal with it.",
                "Videos of fights are shared around the school within minutes.",
            ),
            "idea": (
                "Practical advice for parents on apps, privacy settings and what to look out for.",
                "Social media companies should be made to remove violent content quickly.",
            ),
        },
        "pro": {
            "problem": (
                "A lot of conflict now starts online and escalates offline within hours.",
                "Exploitation is increasingly organised through social media and messaging apps.",
            ),
            "idea": ("Staff need up-to-date training on the platforms young people actually use.",),
        },
    },
    "poverty": {
        "young": {
            "problem": (
                "some families can't afford food so people end up doing stuff for money",
                "everything costs too much, even the bus into town",
                "people get offered money to do things and if you're skint it's hard to say no",
                "there's nothing to do unless you have money",
            ),
            "idea": (
                "free stuff to do would help loads because not everyone has money",
                "cheaper or free bus travel for young people",
                "free food at youth clubs so people actually come",
                "help families who are struggling with bills",
            ),
        },
        "child": {"idea": ("free clubs for everyone",)},
        "parent": {
            "problem": (
                "The cost of living is making things harder for a lot of families round here.",
                "Activities are too expensive when you have more than one child.",
            ),
            "idea": ("Free or low-cost activities in the school holidays.",),
        },
        "pro": {
            "problem": ("Families under financial pressure have less capacity to supervise and support their children.",),
            "idea": ("Tackle the cost barriers: free travel and free activities for those who need them.",),
        },
    },
    "jobs": {
        "young": {
            "problem": (
                "there are hardly any part time jobs for people my age",
                "nobody will hire you without experience but you can't get experience",
                "people see selling drugs as easier money than a real job",
                "apprenticeships are hard to find round here",
            ),
            "idea": (
                "more apprenticeships and work experience that actually pays",
                "help with CVs and interviews at school",
                "local businesses should give young people a chance",
                "show people there are real jobs they can get instead of crime",
            ),
        },
        "parent": {
            "idea": ("More apprenticeships and routes into work for teenagers who aren't academic.",),
        },
        "pro": {
            "problem": ("There is a gap for 16 to 25 year olds who are not in education, employment or training.",),
            "idea": ("Stronger links with local employers to offer real routes into work.",),
        },
    },
    "bullying": {
        "young": {
            "problem": (
                "bullying is a big problem and teachers don't always do anything",
                "people get picked on for how they look or where they're from",
                "some people carry on bullying online after school",
                "when you report bullying it sometimes gets worse",
            ),
            "idea": (
                "teachers should actually follow up when bullying gets reported",
                "anonymous ways to report bullying",
                "older students as buddies for year 7s",
                "take bullying seriously before it turns into fights",
            ),
        },
        "child": {
            "problem": ("people being mean at school", "bullies in the park", "big kids pushing us"),
            "idea": ("stop people being mean", "teachers to help when people are unkind", "a buddy bench"),
        },
        "parent": {
            "problem": ("My child was bullied and it took months for the school to act.",),
            "idea": ("Schools need to act on bullying quickly and keep parents informed.",),
        },
    },
    "drugs_alcohol": {
        "young": {
            "problem": (
                "people smoke weed in the park and near the school gates",
                "you can smell weed everywhere walking home",
                "people drinking on the streets at night makes me feel uneasy",
                "vapes and drugs are really easy to get hold of",
                "older people deal near the shops",
            ),
            "idea": (
                "stop people dealing near schools and parks",
                "better education about drugs that isn't just don't do it",
                "shops should stop selling vapes and alcohol to underage people",
            ),
        },
        "child": {
            "problem": ("people smoking funny smelling stuff", "drunk people shouting"),
            "idea": ("stop people drinking in the park",),
        },
        "parent": {
            "problem": ("Drug dealing near the shops is fairly open and everyone knows about it.",),
            "idea": ("Act on the drug dealing that happens openly near parks and schools.",),
        },
        "pro": {"problem": ("Local drug markets are the main driver of the serious violence we see.",)},
    },
    "knives": {
        "young": {
            "problem": (
                "people carry knives because they think everyone else does",
                "i know people who carry for protection and that scares me",
                "you hear about stabbings and it makes you worried going out",
                "some people think carrying a knife makes them safe but it doesn't",
                "knife crime is on the news all the time",
            ),
            "idea": (
                "more knife bins and talks from families who have been affected",
                "show people what actually happens when someone gets stabbed",
                "make young people feel safe enough that they don't feel they need to carry",
                "bleed kits and first aid training in schools",
            ),
        },
        "child": {
            "problem": ("i heard someone had a knife", "people with knifes"),
            "idea": ("take knives away from bad people",),
        },
        "parent": {
            "problem": ("I worry about knife crime far more than I used to because of what my son tells me.",),
            "idea": ("Knife crime education should start in primary school.",),
        },
        "pro": {
            "problem": ("We are seeing weapons carried at younger ages, often bought online.",),
            "idea": ("Tighter enforcement on online knife sales and retailers selling to under-18s.",),
        },
    },
    "gangs": {
        "young": {
            "problem": (
                "older lads get younger kids to do stuff for them",
                "people get groomed into county lines with money and trainers",
                "there are groups that act like gangs and you know to avoid them",
                "some kids think gangs are cool because of music videos",
            ),
            "idea": (
                "help kids who are being used by older people instead of just punishing them",
                "more people who used to be in gangs coming into school to talk",
                "teach us the signs of someone being exploited",
                "give kids something better to be part of",
            ),
        },
        "parent": {
            "problem": ("Older youths are targeting younger children to run errands for them.",),
            "idea": ("Support for parents who think their child is being drawn in by older people.",),
        },
        "pro": {
            "problem": (
                "Criminal exploitation is increasingly hidden and harder to identify.",
                "Exploited children are still too often treated as offenders rather than victims.",
            ),
            "idea": ("More specialist exploitation workers who can stay with a young person for the long term.",),
        },
    },
    "police": {
        "young": {
            "problem": (
                "you never see police around when something is actually happening",
                "a lot of young people don't trust the police at all",
                "police stop and search people for no reason and it makes people angry",
                "when we rang the police they took ages to come",
            ),
            "idea": (
                "more police walking around, not just driving past",
                "police should talk to young people properly and not treat us all like criminals",
                "PCSOs who know the area and the kids in it",
                "police coming into schools in a friendly way",
            ),
        },
        "child": {"idea": ("more police", "police officers in the park", "police to visit our school")},
        "parent": {
            "problem": ("We rarely see the police and reports don't seem to be followed up.",),
            "idea": ("More visible neighbourhood policing, especially after school and at weekends.",),
        },
        "pro": {
            "problem": ("Young people tell us they don't trust the police, and that affects reporting.",),
            "idea": ("Consistent neighbourhood officers who build relationships with schools and youth services.",),
        },
    },
    "activities": {
        "young": {
            "problem": (
                "there's literally nothing to do so people just hang around on the streets",
                "the youth club closed so everyone just goes to the park",
                "everything is aimed at little kids or adults, nothing for teenagers",
                "people get bored and that's when trouble starts",
            ),
            "idea": (
                "more youth clubs open in the evenings and weekends",
                "free sports sessions and football cages",
                "somewhere warm to go in winter that isn't a shop",
                "music studios, gaming nights, boxing, stuff people actually want to do",
                "more things to do in the holidays",
            ),
        },
        "child": {
            "problem": ("there is nowhere to play", "the park is broken"),
            "idea": ("more clubs after school", "a bigger park with swings", "more fun things to do",
                     "football clubs that are free", "a new play area"),
        },
        "parent": {
            "problem": ("There is very little for teenagers to do locally since the youth centre closed.",),
            "idea": (
                "Proper youth provision with trained youth workers, open in the evenings.",
                "Affordable activities for teenagers in the evenings and school holidays.",
            ),
        },
        "pro": {
            "problem": ("Years of cuts to youth services have left big gaps in positive activities.",),
            "idea": ("Sustained, multi-year funding for youth clubs and detached youth work.",),
        },
    },
    "family": {
        "young": {
            "problem": (
                "some people don't have anyone at home who checks where they are",
                "when things are bad at home people stay out late to avoid it",
                "some kids see violence at home and think it's normal",
            ),
            "idea": (
                "support for families before things get really bad",
                "parents should know more about what goes on online and on the streets",
                "someone to talk to when things at home are hard",
            ),
        },
        "child": {"idea": ("more time with my family",)},
        "parent": {
            "problem": ("Parents often don't know where to turn until things are already serious.",),
            "idea": ("Parenting support that doesn't make you feel judged.",),
        },
        "pro": {
            "problem": ("Many of the young people we work with have experienced trauma or domestic abuse at home.",),
            "idea": ("Whole-family support offered early, not only when thresholds are met.",),
        },
    },
    "school": {
        "young": {
            "problem": (
                "kids who get excluded end up on the streets all day",
                "school doesn't really teach you about this stuff properly",
                "fights happen at school and on the way home",
                "some teachers don't listen to us",
            ),
            "idea": (
                "lessons about knife crime and exploitation that are real, not just a powerpoint",
                "keep people in school instead of excluding them",
                "more counsellors and pastoral staff in school",
                "teach us first aid and what to do in an emergency",
            ),
        },
        "child": {"idea": ("learning how to stay safe", "more lollipop people", "safer crossings near school")},
        "parent": {
            "problem": ("Exclusions just move the problem onto the streets.",),
            "idea": ("Schools and parents working together, with clear information about what is happening.",),
        },
        "pro": {
            "problem": ("Exclusion and part-time timetables leave young people unsupervised and vulnerable.",),
            "idea": ("Alternative provision that keeps young people engaged instead of excluding them.",),
        },
    },
    "mental_health": {
        "young": {
            "problem": (
                "lots of people are struggling with their mental health and have nobody to talk to",
                "waiting lists for CAMHS are ages",
                "people who feel angry or low sometimes take it out on others",
                "anxiety makes it hard to go out sometimes",
            ),
            "idea": (
                "more mental health support in school that you can get quickly",
                "drop in places where you can just talk to someone",
                "make it normal to talk about how you feel",
            ),
        },
        "child": {"problem": ("i get worried a lot",), "idea": ("someone to talk to when you are sad",)},
        "parent": {
            "problem": ("CAMHS waiting lists are far too long.",),
            "idea": ("Quicker mental health support for children who are struggling.",),
        },
        "pro": {
            "problem": ("Waiting times for mental health support are a real barrier.",),
            "idea": ("Trauma-informed training for all frontline staff.",),
        },
    },
    "asb": {
        "young": {
            "problem": (
                "groups on e-bikes riding at people on the pavement",
                "people throwing stuff at buses and smashing windows",
                "fireworks being let off at people",
                "groups hanging around outside the shops being intimidating",
                "people shouting and starting on you for no reason",
            ),
            "idea": (
                "do something about the people on e-bikes and scooters",
                "deal with the same few people who cause all the trouble",
                "more staff at the tram stops at night",
            ),
        },
        "child": {
            "problem": ("big kids shouting", "people on motorbikes going really fast", "fireworks are loud and scary"),
            "idea": ("stop people on motorbikes in the park",),
        },
        "parent": {
            "problem": ("Groups on e-bikes ride along the pavements and nobody seems to stop them.",),
            "idea": ("Deal with the small number of people causing most of the anti-social behaviour.",),
        },
    },
    "unsafe_places": {
        "young": {
            "problem": (
                "the park is really dark at night and there's no lights",
                "the underpass and the canal path feel dodgy",
                "some streets have broken street lights",
                "walking home from the bus stop in the dark is scary",
                "the alleyways near me are horrible at night",
            ),
            "idea": (
                "better lighting in parks and alleyways",
                "more CCTV in the places people feel unsafe",
                "fix the street lights that are broken",
                "safe places you can go into if you feel followed",
            ),
        },
        "child": {
            "problem": ("when its dark", "the alley near my house", "there are no lights in the park",
                        "busy roads", "big dogs with no lead", "strangers"),
            "idea": ("more lights", "cameras on the streets", "grown ups to look after the park"),
        },
        "parent": {
            "problem": (
                "The park is poorly lit and I won't let my daughter walk through it after dark.",
                "The walk home from the tram stop is a worry in winter.",
            ),
            "idea": ("Better lighting on the routes children walk to school.",),
        },
        "pro": {"idea": ("Use contextual safeguarding to make unsafe places safer, not just work with individuals.",)},
    },
    "media": {
        "young": {
            "problem": (
                "the news makes it look like all teenagers are bad",
                "people look at you like you're up to something just because you're young",
                "adults judge groups of teenagers even when we're just talking",
            ),
            "idea": (
                "show the good things young people do not just the bad",
                "stop treating every group of teenagers like a gang",
                "listen to young people instead of just talking about us",
            ),
        },
        "parent": {"problem": ("The media coverage makes things sound worse than they are round here.",)},
        "pro": {"idea": ("Be careful with messaging: fear-based campaigns can increase carrying.",)},
    },
    "getting_help": {
        "young": {
            "problem": (
                "i wouldn't know who to go to if something happened",
                "people don't want to be called a snitch",
                "if you tell someone nothing really happens",
            ),
            "idea": (
                "make it easier to report stuff anonymously",
                "put posters up about where you can get help that people actually see",
                "trusted adults who won't just tell everyone",
                "an app or website where you can ask for help without giving your name",
            ),
        },
        "child": {"idea": ("grown ups who listen", "a box at school to post worries in")},
        "parent": {
            "problem": ("I honestly wouldn't know who to contact if I was worried.",),
            "idea": ("One clear place to find out who to contact if you are worried.",),
        },
        "pro": {
            "problem": (
                "Referral thresholds are too high; by the time a young person meets them it is often too late.",
                "Information sharing between agencies is still patchy, so warning signs get missed.",
            ),
            "idea": (
                "A shared approach to information sharing across schools, police, health and children's services.",
                "Earlier intervention in primary school and at the move to secondary.",
                "Youth workers in A&E and custody, where the teachable moment is.",
            ),
        },
    },
    "community": {
        "young": {
            "problem": (
                "people don't really know their neighbours anymore",
                "it feels like nobody cares about the area",
                "litter and graffiti everywhere makes it feel rough",
            ),
            "idea": (
                "more community events so people get to know each other",
                "clean up the parks and make them nice again",
                "get young people involved in making decisions about the area",
                "it mostly feels safe round here to be fair",
            ),
        },
        "child": {
            "problem": ("rubbish everywhere",),
            "idea": ("cleaner parks with no rubbish", "stop people littering", "more trees and flowers"),
        },
        "parent": {
            "problem": ("Short-term projects come and go and nothing lasts.",),
            "idea": ("Ask young people what they want and then actually do it.",),
        },
        "pro": {
            "problem": ("Short-term grant funding means good projects close just as they get established.",),
            "idea": (
                "Involve young people and families in designing services.",
                "Mentoring by people with lived experience works and should be expanded.",
            ),
        },
    },
}

#: What is working well, for questions that ask about it.
WORKS = {
    "pro": (
        "the detached youth work on Friday and Saturday evenings has made a real difference",
        "joint patrols by neighbourhood officers and youth workers in the parks",
        "the mentoring programme for young people at risk of exclusion",
        "the holiday activities and food programme reaches families who need it most",
        "multi-agency meetings about specific places, not just specific young people",
        "sports sessions run by people young people already trust",
        "school-based police officers who know the pupils by name",
        "trauma-informed practice training has changed how staff respond",
        "the youth workers based in A&E are reaching young people at the right moment",
        "good relationships between schools and early help when they have time to meet",
    ),
    "parent": (
        "the free holiday clubs were brilliant",
        "the school's newsletter about online safety was really useful",
    ),
    "young": (
        "the youth club is good when it's open",
        "football sessions in the evenings",
    ),
}

#: How often each voice talks about each theme (multiplied by the respondent's traits).
THEME_WEIGHTS = {
    "young": {"peer_pressure": 1.0, "social_media": 1.3, "poverty": 0.7, "jobs": 0.6, "bullying": 0.9,
              "drugs_alcohol": 1.0, "knives": 1.0, "gangs": 0.8, "police": 1.2, "activities": 1.6, "family": 0.5,
              "school": 0.8, "mental_health": 0.8, "asb": 1.0, "unsafe_places": 1.2, "media": 0.5,
              "getting_help": 0.7, "community": 0.7},
    "child": {"peer_pressure": 0.5, "social_media": 0.8, "poverty": 0.2, "bullying": 1.3, "drugs_alcohol": 0.5,
              "knives": 0.4, "police": 0.9, "activities": 1.6, "family": 0.3, "school": 0.7, "mental_health": 0.4,
              "asb": 0.8, "unsafe_places": 1.5, "getting_help": 0.5, "community": 1.0},
    "parent": {"peer_pressure": 0.6, "social_media": 1.6, "poverty": 0.8, "jobs": 0.4, "bullying": 0.6,
               "drugs_alcohol": 0.8, "knives": 0.9, "gangs": 0.8, "police": 1.2, "activities": 1.6, "family": 0.6,
               "school": 0.8, "mental_health": 0.8, "asb": 0.9, "unsafe_places": 1.1, "media": 0.2,
               "getting_help": 0.9, "community": 0.5},
    "pro": {"peer_pressure": 0.5, "social_media": 1.0, "poverty": 0.9, "jobs": 0.6, "drugs_alcohol": 0.5,
            "knives": 0.6, "gangs": 1.0, "police": 0.5, "activities": 1.2, "family": 1.1, "school": 1.0,
            "mental_health": 1.0, "unsafe_places": 0.4, "media": 0.3, "getting_help": 1.6, "community": 1.2},
}
VOICE = {"children": "child", "young_people": "young", "young_adults": "young",
         "parents_carers": "parent", "professionals": "pro"}

#: Openers that work before anything, and ones that need a statement after them (not "stop ...").
OPENERS = {
    "young": ("honestly", "tbh", "to be honest", "idk but", "basically", "for me", "personally"),
    "young_clause": ("i think", "i reckon", "i feel like"),
    "child": ("i think",),
    "child_idea": ("i want", "i would like"),
    "parent": ("As a parent,", "Honestly,", "Speaking as a mum,", "Speaking as a dad,", "From what I see,"),
    "pro": ("In my experience,", "From a practitioner's point of view,", "Put simply,", "Locally,"),
}
IMPERATIVES = frozenset({"stop", "take", "teach", "make", "fix", "help", "show", "put", "get", "give", "keep",
                         "deal", "do", "tackle", "act", "clean", "learning", "listen", "apps", "parents", "police",
                         "shops", "schools", "local", "teachers", "someone", "i", "if", "it"})

CLOSERS = {
    "young": ("that's all really", "thanks for asking us", "hope this actually changes something",
              "idk what else to say", "please actually listen"),
    "child": ("thank you", "that is all"),
    "parent": ("Thank you for asking.", "I hope this survey leads to real change."),
    "pro": ("Happy to be contacted through my organisation to discuss further.",
            "Thank you for asking frontline staff."),
}
JOINERS = (". ", " and ", ", also ", ". also ", " and ", ". ")
EMOJI = (" 🙏", " 😔", " 💯", " 😭", " 👍", " 🙂")
SLANG = ((r"\bbecause\b", ("cos", "bc", "coz")), (r"\bpeople\b", ("ppl",)), (r"\bdon't\b", ("dont",)),
         (r"\bdoesn't\b", ("doesnt",)), (r"\bthey're\b", ("theyre",)), (r"\bit's\b", ("its",)),
         (r"\byou\b", ("u",)), (r"\bi'm\b", ("im",)), (r"\breally\b", ("rly", "realy")),
         (r"\bthere's\b", ("theres",)), (r"\bcan't\b", ("cant",)))
CHILD_SPELLING = (("because", "becos"), ("scared", "scard"), ("people", "peple"), ("really", "realy"),
                  ("dark", "darck"), ("lights", "lites"), ("police", "polise"), ("knife", "nife"))

#: Short words typed into "Other - please tell us", by what the question is about.
OTHER_TEXT = {
    "unsafe": ("people on e-bikes", "dogs off the lead", "the underpass", "older kids outside the shop",
               "fireworks", "cars driving too fast", "loud music and shouting at night", "the canal path",
               "people following me in cars", "men staring"),
    "safe": ("my dog is with me", "I live on a quiet road", "my family live close by", "I know the shopkeepers",
             "I stick to busy places", "my phone is always charged"),
    "tell": ("my coach", "my older brother", "my older sister", "a neighbour", "the school nurse",
             "my step dad", "my friend's mum", "my form tutor"),
    "carry": ("for fishing", "it was for work", "didn't really think about it", "everyone round me does"),
    "seen": ("people getting jumped", "people being chased", "robberies", "people smashing up cars",
             "fights outside school"),
    "doing": ("volunteering", "waiting to start a course", "self-employed", "a gap year", "zero hours work"),
    "you": ("step-parent", "guardian", "older brother or sister who looks after them", "special guardian"),
    "wanted": ("respite", "someone to just listen", "help with my child's anger", "support in the holidays",
               "a named contact I can ring"),
    "barriers": ("nobody gets back to you", "being passed from one service to another", "the cost",
                 "my child refuses help"),
    "drivers": ("county lines", "online knife sales", "music videos glamorising violence",
                "the move from primary to secondary", "lack of trusted adults"),
    "generic": ("not sure", "it depends", "a bit of everything", "something else", "depends where I am"),
}


def _other_topic(q: Question) -> str:
    """What a question's "Other" box is likely to be filled with, from its wording."""
    words = q.text.lower()
    for topic, keys in (("tell", ("tell", "who would", "talk to", "go for help", "where would you go")),
                        ("carry", ("carry", "carried")), ("seen", ("did you see", "have you seen")),
                        ("unsafe", ("unsafe", "worr", "scare")), ("drivers", ("driving", "drives", "causes")),
                        ("barriers", ("hard to", "gets in the way", "stop you")),
                        ("wanted", ("help would", "useful", "support would")),
                        ("doing", ("doing at the moment", "what are you doing")),
                        ("you", ("describes you",)), ("safe", ("safe",))):
        if _has(words, *keys):
            return topic
    return "generic"


def _text_mode(q: Question) -> str:
    """Whether a free-text question asks about problems, ideas, what works, or anything."""
    words = q.text.lower()
    if _has(words, "working well", "what works", "keep or grow", "going well"):
        return "works"
    if _has(words, "unsafe", "worr", "scare", "afraid", "what makes", "why do", "why are", "problem",
            "changes have you", "noticed"):
        return "problem"
    if _has(words, "safer", "help", "should", "better", "improve", "change", "idea", "would make", "do more",
            "suggest", "working well", "keep", "what works", "differently"):
        return "idea"
    return "any"


# --- the generator -----------------------------------------------------------------------------

@dataclass
class Plan:
    """Precomputed facts about one questionnaire, so each respondent is quick to generate."""

    version: QuestionnaireVersion
    questionnaire: Questionnaire
    ages: tuple[int, int]
    area_values: tuple[str, ...]


class Generator:
    """Makes one synthetic respondent and their answers at a time, from one seeded random source."""

    def __init__(self, rng: random.Random, dates: dict[str, list[dt.date]]):
        self.rng = rng
        self.dates = dates
        self._scale_cache: dict[tuple[str, str], tuple[list[str], list[float], str, float]] = {}

    # --- who ---------------------------------------------------------------------------------
    def person(self, plan: Plan) -> Person:
        rng = self.rng
        audience = plan.questionnaire.audience
        routes = {role: w for role, w in ROUTES.get(audience, {"online": 1.0}).items()
                  if any(p.role == role for p in POINTS)}
        role = self.pick(list(routes), list(routes.values()))
        point = self.pick([i for i, p in enumerate(POINTS) if p.role == role],
                          [1.0 for p in POINTS if p.role == role])
        spec = POINTS[point]
        age = self.age(audience, plan.ages, spec.role)
        gender = self.pick(["female", "male", "other"],
                           {"parents_carers": [70, 29, 1], "professionals": [68, 31, 1]}.get(audience, [49, 48.5, 2.5]))
        ward = None
        if plan.area_values:
            local = [w for w in spec.wards if w in plan.area_values]
            ward = rng.choice(local) if local and rng.random() < 0.75 else rng.choice(plan.area_values)
        safe_shift, deprivation = WARDS.get(ward or "", (0.0, 0.0))
        z_safe = rng.gauss(0, 1) + safe_shift
        z_depr = 0.7 * rng.gauss(0, 1) + deprivation
        # Traits are centred on a 15-year-old, so age shifts them up or down but not the overall mix.
        teen = max(0, min(age, 18) - 11) - 4
        male = 0.15 if gender == "male" else -0.15
        z = {
            "safe": z_safe,
            "risk": -0.45 * z_safe + 0.8 * rng.gauss(0, 1) + 0.05 * teen + male + 0.25 * deprivation,
            "online": 0.85 * rng.gauss(0, 1) + 0.12 * teen,
            "well": 0.4 * z_safe + 0.85 * rng.gauss(0, 1) - 0.03 * teen,
            "trust": 0.3 * z_safe + 0.9 * rng.gauss(0, 1) - 0.04 * teen - 0.2 * deprivation,
            "depr": z_depr,
            "optimism": 0.3 * z_safe + 0.95 * rng.gauss(0, 1),
        }
        skip = min(0.4, rng.betavariate(1.3, 18.0))  # most skip little; a few skip a lot
        return Person(audience, age, gender, ward, point, z, skip)

    def age(self, audience: str, ages: tuple[int, int], role: str) -> int:
        low, high = ages
        if role == "college" and audience == "young_people":
            low = max(low, 16)
        if role == "college" and audience == "young_adults":
            high = min(high, 19)
        if role == "primary" and audience == "children":
            low = max(low, 8)
        span = list(range(low, high + 1))
        if audience == "young_people":
            weights = [0.55 if a >= 17 else 1.0 for a in span]  # fewer sixth formers answer
        elif audience == "children":
            weights = [0.5 if a <= 8 else 1.0 for a in span]
        elif audience in ("parents_carers", "professionals"):
            centre = 41 if audience == "parents_carers" else 40
            weights = [math.exp(-((a - centre) / 12.0) ** 2) for a in span]
        else:
            weights = [1.0 for _ in span]
        return self.pick(span, weights)

    def date(self, person: Person) -> dt.date:
        role = POINTS[person.point].role
        return self.rng.choice(self.dates.get(f"point:{person.point}") or self.dates[role])

    # --- answers -----------------------------------------------------------------------------
    def answers(self, plan: Plan, person: Person) -> dict[str, CanonicalAnswer]:
        """Walk the questionnaire page by page as routing shows it, answering (or skipping) each question."""
        questionnaire = plan.questionnaire
        given: dict[str, CanonicalAnswer] = {}
        for page in questionnaire.pages:
            if page.show_if is not None and not page.show_if.holds(given):
                continue
            for q in page.visible_questions(given):
                answer = self.answer(q, person)
                if answer:
                    given[q.key] = answer
        return questionnaire.visible_answers(given)

    def answer(self, q: Question, person: Person) -> CanonicalAnswer | None:
        rng = self.rng
        skip = person.skip + (0.03 if q.sensitive and q.type not in ("demographic", "area") else 0.0)
        if q.is_text:  # about half leave a free-text box empty; professionals write more
            base = {"children": 0.5, "young_people": 0.5, "young_adults": 0.45, "parents_carers": 0.4,
                    "professionals": 0.3}.get(person.audience, 0.5)
            skip = min(0.9, base + person.skip + (0.05 if q.type == "short_text" else 0.0))
        if rng.random() < skip:
            return None
        special = self.special(q, person)
        if special is not None:
            return {"values": [special]}
        handler: Callable[[Question, Person], CanonicalAnswer | None] = {
            "scale": self.scale, "faces": self.scale, "single_choice": self.single,
            "multiple_choice": self.multiple, "ranking": self.ranking, "number": self.number,
            "short_text": self.free_text, "long_text": self.free_text, "area": self.area,
            "demographic": self.demographic,
        }.get(q.type, self.single)
        return handler(q, person)

    def special(self, q: Question, person: Person) -> str | None:
        """Sometimes "Prefer not to say" or "Don't know" (whichever the question offers)."""
        if q.type in ("area", "ranking") or not q.options:
            return None
        rng = self.rng
        if q.option("prefer_not_to_say") is not None:
            chance = 0.02 if q.type == "demographic" else 0.03
            if q.demographic in ("ethnicity", "transgender"):
                chance = 0.035
            if rng.random() < chance:
                return "prefer_not_to_say"
        if q.option("dont_know") is not None and q.type != "demographic":
            chance = {"children": 0.07, "parents_carers": 0.05, "professionals": 0.08}.get(person.audience, 0.04)
            if rng.random() < chance:
                return "dont_know"
        return None

    def regular(self, q: Question) -> list[Option]:
        """Options that are real answers (not Don't know / Prefer not to say)."""
        return [o for o in q.options if not o.special]

    # scales and faces: an ordered answer driven by one of the person's traits
    def scale(self, q: Question, person: Person) -> CanonicalAnswer | None:
        points, dist, driver, rho = self.scale_model(q, person.audience)
        if not points:
            return self.single(q, person)
        z = 0.5 * person.z["safe"] - 0.6 * person.z["online"] if driver == "online_safe" else person.z.get(driver, 0.0)
        if driver == "safe" and _has(_words(q), "dark", "night"):
            z += -0.2 if person.gender == "female" else 0.1  # women and girls feel less safe after dark
        u = rho * z + math.sqrt(1 - rho * rho) * self.rng.gauss(0, 1)
        bad = 1.0 - _phi(u)  # high trait -> the good end of the scale
        total = 0.0
        for value, share in zip(points, dist, strict=True):
            total += share
            if bad < total:
                return {"values": [value]}
        return {"values": [points[-1]]}

    def scale_model(self, q: Question, audience: str) -> tuple[list[str], list[float], str, float]:
        """Scale points from good to bad, their shares, the trait driving them and how strongly."""
        cache_key = (audience, f"{q.key}|{q.text}|{q.scale}")
        if cache_key in self._scale_cache:
            return self._scale_cache[cache_key]
        points = [o.value for o in self.regular(q) if not o.other_text]
        words = _words(q)
        scale = q.scale or ""
        reverse = False
        p_good = 0.6
        driver = "optimism"
        rho = 0.65
        adult = audience in ("parents_carers", "professionals")
        if scale == "safety4":
            p_good = {"children": 0.86, "young_people": 0.81, "young_adults": 0.78, "parents_carers": 0.7,
                      "professionals": 0.62}.get(audience, 0.78)
            driver = "safe"
            rho = 0.8
            if _has(words, "dark", "night"):
                p_good -= 0.12
            if _has(words, "school", "college"):
                p_good += 0.05
            if _has(words, "town centre", "pubs", "bus", "tram", "train", "public transport"):
                p_good -= 0.06
            if _has(words, "online", "internet", "social media"):
                p_good = 0.8 if audience in ("children", "young_people") else 0.62
                driver = "online_safe"
            if _has(words, "your child", "think your child", "child is", "child feels"):
                p_good -= 0.02
        elif scale == "worry4":
            reverse = True
            driver = "safe"
            p_good = 0.55 if not adult else 0.4
            if _has(words, "money", "cost", "afford", "bills"):
                driver, p_good = "-depr", 0.55
            elif _has(words, "social media", "online"):
                p_good = 0.35
            elif _has(words, "friends", "pressure", "exploit"):
                p_good = 0.55
        elif scale == "likelihood4":
            if _has(words, "attack", "victim", "hurt", "see people", "gangs", "robbed", "mugged"):
                reverse = True
                driver = "safe"
                p_good = 0.72 if "gang" in words else (0.88 if "with a weapon" in words else 0.8)
            else:
                driver, p_good = "trust", 0.55
        elif scale == "problem4":
            reverse = True
            driver = "safe"
            p_good = 0.45 if not adult else 0.35
            if _has(words, "litter", "rubbish"):
                p_good -= 0.1
        elif scale == "bullying4":
            driver = "well"
            p_good = 0.82 if _has(words, "cyber", "online") else 0.8
        elif scale == "often5":
            bad_words = ("pressure", "worr", "bull", "unsafe", "scare", "lonely", "stress", "avoid", "don't want")
            reverse = _has(words, *bad_words)
            driver = "-risk" if reverse else "well"
            p_good = 0.72 if reverse else 0.5
        elif scale == "happiness5":
            driver, p_good = "well", 0.78
        elif scale == "accepted4":
            driver, p_good = "well", 0.75
        elif scale == "rating5":
            driver, p_good = "trust", 0.42
        elif scale.startswith("agreement"):
            p_good, driver = self.agreement(words, audience)
            reverse = _has(words, *NEGATIVE_STATEMENT)
            if reverse:
                p_good = 0.4
        if reverse:
            points = list(reversed(points))
        dist = self.shares(scale, len(points), min(0.97, max(0.05, p_good)), reverse)
        model = (points, dist, driver.lstrip("-"), -rho if driver.startswith("-") else rho)
        self._scale_cache[cache_key] = model
        return model

    @staticmethod
    def agreement(words: str, audience: str) -> tuple[float, str]:
        """Share agreeing with a statement, and the trait behind it, from its wording."""
        rules = (
            (("belong",), 0.66, "well"),
            (("places to", "free time", "things to do", "places for"), 0.48, "optimism"),
            (("job", "apprentice", "training for", "chances for young people"), 0.36, "-depr"),
            (("police",), 0.5, "trust"),
            (("know how to refer",), 0.78, "optimism"),
            (("know where", "know how", "where to get help", "where to go for help"),
             {"professionals": 0.7, "parents_carers": 0.48}.get(audience, 0.55), "trust"),
            (("listen", "have a say", "views"), 0.38, "trust"),
            (("information", "shared quickly"), 0.3, "optimism"),
            (("early enough", "enough support", "there is enough"), 0.24, "optimism"),
            (("work well together", "confident"), 0.45, "optimism"),
            (("clear",), 0.4, "optimism"),
            (("victims, not offenders", "as victims"), 0.42, "optimism"),
            (("enough training", "training to"), 0.5, "optimism"),
            (("women and girls",), 0.45, "safe"),
            (("safe",), 0.68, "safe"),
        )
        for keys, share, driver in rules:
            if _has(words, *keys):
                return share, driver
        return 0.55, "optimism"

    @staticmethod
    def shares(scale: str, n: int, p_good: float, reverse: bool) -> list[float]:
        """A realistic spread over n ordered points (good first) with p_good in the good part."""
        if n <= 1:
            return [1.0] * n
        if scale == "bullying4" and not reverse:
            rest = [0.6, 0.25, 0.15][: n - 1]
            return [p_good] + [(1 - p_good) * r / sum(rest) for r in rest]
        if n == 4:
            return [p_good * 0.42, p_good * 0.58, (1 - p_good) * 0.68, (1 - p_good) * 0.32]
        if n == 5:
            if scale == "often5":
                return [p_good * 0.55, p_good * 0.45, (1 - p_good) * 0.55, (1 - p_good) * 0.3, (1 - p_good) * 0.15]
            return [p_good * 0.35, p_good * 0.65, (1 - p_good) * 0.5, (1 - p_good) * 0.33, (1 - p_good) * 0.17]
        good = n // 2
        bad = n - good
        return [p_good / good] * good + [(1 - p_good) / bad] * bad

    # single choice: yes/no questions by what they ask, others by hinted or stable weights
    def single(self, q: Question, person: Person) -> CanonicalAnswer | None:
        options = self.regular(q)
        if not options:
            return None
        values = {o.value for o in options}
        if {"yes", "no"} <= values:
            return {"values": [self.yes_no(q, person, values)]}
        weights = []
        for o in options:
            w = SINGLE_WEIGHTS.get(o.value, 0.4 + _stable(f"{q.key}:{o.value}"))
            if o.other_text:
                w = 0.03 * sum(SINGLE_WEIGHTS.get(x.value, 0.9) for x in options)
            if _has(o.value, "less_safe", "worse", "unsafe", "up_a"):
                w *= math.exp(-0.5 * person.z["safe"])
            if o.value in ("never", "weekly") and "club" in q.text.lower():
                w *= math.exp((0.3 if o.value == "weekly" else -0.3) * person.z["well"])
            weights.append(max(w, 0.001))
        chosen = self.pick(options, weights)
        return self.with_other_text(q, {"values": [chosen.value]}, [chosen])

    def yes_no(self, q: Question, person: Person, values: set[str]) -> str:
        """Answer a Yes/No question with a prevalence and trait suited to what it asks."""
        words = _words(q)
        teen = max(0, min(person.age, 18) - 11)
        prevalence, driver, rho = 0.5, "optimism", 0.4
        if _has(words, "carr") and _has(words, "knife", "weapon"):
            if _has(words, "know", "friend", "someone", "anyone"):
                prevalence, driver, rho = 0.14 + 0.02 * teen, "risk", 0.75
            elif _has(words, "worried", "your child", "might be"):
                prevalence, driver, rho = 0.1, "risk", 0.5
            else:
                prevalence, driver, rho = 0.03, "risk", 0.85
        elif _has(words, "social media", "online") and _has(words, "violen", "fight", "weapon"):
            prevalence, driver, rho = 0.3 + 0.06 * teen, "online", 0.7
            if "your child" in words:
                prevalence = 0.45
        elif (_has(words, "older") and _has(words, "asked", "risky", "against the law")) or _has(words, "exploit"):
            prevalence, driver, rho = 0.06, "risk", 0.8
        elif _has(words, "hit you", "attacked", "hurt, threatened", "mugged", "robbed", "victim"):
            prevalence, driver, rho = 0.11, "risk", 0.7
        elif _has(words, "seen or heard", "witness", "anti-social"):
            prevalence, driver, rho = 0.45, "risk", 0.6
        elif _has(words, "upset", "scared"):
            prevalence, driver, rho = 0.35, "online", 0.6
        elif "trust" in words:
            prevalence, driver, rho = 0.86, "trust", 0.6
        elif "gang" in words:
            prevalence, driver, rho = 0.15, "risk", 0.7
        # A higher trait makes "yes" more likely; `prevalence` of people answer "yes" overall.
        u = rho * person.z.get(driver, 0.0) + math.sqrt(1 - rho * rho) * self.rng.gauss(0, 1)
        return "yes" if _phi(u) > 1 - prevalence else "no"

    # tick boxes
    def multiple(self, q: Question, person: Person) -> CanonicalAnswer | None:
        rng = self.rng
        options = [o for o in q.options if not o.special]
        if not options:
            return None
        rates = TICK_RATES.get(q.key, {})
        plain = [o for o in options if not o.exclusive and not o.other_text]
        default = min(0.45, 2.2 / max(1, len(plain)))
        # "None of these" / "I wouldn't tell anyone" first: chosen alone.
        for o in options:
            if o.exclusive:
                rate = rates.get(o.value, 0.12 if _has(o.value, *NONE_WORDS) else 0.05)
                rate *= self.modifier(q, o, person)
                if rng.random() < min(rate, 0.95):
                    return {"values": [o.value]}
        chosen: list[Option] = []
        weights: dict[str, float] = {}
        for o in options:
            if o.exclusive:
                continue
            if o.other_text:
                rate = 0.04
            else:
                rate = rates.get(o.value, default * (0.6 + 0.8 * _stable(f"{q.key}:{o.value}")))
                rate *= self.modifier(q, o, person)
            weights[o.value] = rate
            if rng.random() < min(rate, 0.95):
                chosen.append(o)
        if not chosen:
            candidates = [o for o in options if not o.exclusive and not o.other_text] or \
                [o for o in options if not o.exclusive]
            if not candidates:
                return {"values": [options[0].value]}
            chosen = [self.pick(candidates, [weights.get(o.value, 0.1) for o in candidates])]
        if q.max_choices and len(chosen) > q.max_choices:
            keep = self.weighted_order(chosen, [weights.get(o.value, 0.1) for o in chosen])[: q.max_choices]
            chosen = [o for o in chosen if o in keep]
        return self.with_other_text(q, {"values": [o.value for o in chosen]}, chosen)

    def modifier(self, q: Question, o: Option, person: Person) -> float:
        """How much more (or less) likely this person is to pick this option than most people."""
        z = person.z
        value = f"{o.value} {o.label}".lower()
        m = 1.0
        if _has(o.value, *NONE_WORDS):
            m *= math.exp(0.35 * z["safe"] if o.value == "none" else -0.3 * z["trust"])
            if o.value == "none" and _has(q.text.lower(), "happened to you") and person.gender == "female":
                m *= 0.6
            return m
        if _has(value, *THREAT_WORDS):
            m *= math.exp(-0.3 * z["safe"] + 0.15 * z["risk"])
        if _has(o.value, *SAFETY_FIX_WORDS):
            m *= math.exp(-0.15 * z["safe"])
        if "social_media" in o.value or "online" in o.value:
            m *= math.exp(0.3 * z["online"])
        if _has(value, "money", "cost", "poverty", "afford"):
            m *= math.exp(0.35 * z["depr"])
        if _has(o.value, *HARASSMENT_WORDS):
            m *= {"female": 1.8, "male": 0.35}.get(person.gender, 1.2)
        if _has(value, "police") and not _has(q.text.lower(), "unsafe"):
            m *= math.exp(0.25 * z["trust"])
        if o.value in ("protection",):
            m *= math.exp(-0.2 * z["safe"])
        return m

    def ranking(self, q: Question, person: Person) -> CanonicalAnswer | None:
        options = self.regular(q)
        if not options:
            return None
        prefs = RANK_WEIGHTS.get(person.audience, RANK_WEIGHTS["young_people"])
        weights = [prefs.get(o.value, 0.6 + 0.8 * _stable(f"{q.key}:{o.value}")) * self.modifier(q, o, person)
                   for o in options]
        if person.age >= 15 and person.audience in ("young_people", "young_adults"):
            weights = [w * (1.3 if o.value == "things_to_do" else 1.0) for w, o in zip(weights, options, strict=True)]
        limit = min(q.max_rank or 3, len(options))
        roll = self.rng.random()
        count = limit if roll < 0.85 else max(1, limit - (1 if roll < 0.95 else 2))
        return {"values": [o.value for o in self.weighted_order(options, weights)[:count]]}

    def number(self, q: Question, person: Person) -> CanonicalAnswer | None:
        low = q.min if q.min is not None else 0
        high = q.max if q.max is not None else max(low + 20, low)
        words = _words(q)
        if _has(words, "how old", " age"):
            value = person.age
        elif high - low <= 10:
            value = low + int(round((high - low) * self.rng.betavariate(1.2, 2.5)))
        else:
            # counts are usually small: most people say 0, 1 or 2
            value = low + int(self.rng.expovariate(1 / max(1.0, (high - low) * 0.06)))
        return {"number": max(low, min(high, value))}

    def area(self, q: Question, person: Person) -> CanonicalAnswer | None:
        rng = self.rng
        roll = rng.random()
        dont_know = 0.1 if person.audience == "children" else 0.02
        if roll < 0.03 and q.option("prefer_not_to_say"):
            return {"values": ["prefer_not_to_say"]}
        if roll < 0.03 + dont_know and q.option("dont_know"):
            return {"values": ["dont_know"]}
        if roll < 0.07 + dont_know and q.option("somewhere_else"):
            return {"values": ["somewhere_else"]}
        if person.ward and q.option(person.ward):
            return {"values": [person.ward]}
        regular = self.regular(q)
        return {"values": [rng.choice(regular).value]} if regular else None

    def demographic(self, q: Question, person: Person) -> CanonicalAnswer | None:
        options = self.regular(q)
        if not options:
            return None
        kind = q.demographic
        values = [o.value for o in options]
        weights: list[float]
        if kind == "age_band":
            return {"values": [self.band(values, person.age)]}
        if kind in ("gender", "gender_adult"):
            table = {
                "female": {"girl": 1.0, "woman": 1.0},
                "male": {"boy": 1.0, "man": 1.0},
                "other": {"non_binary": 0.5, "self_describe": 0.15, "unsure": 0.35},
            }[person.gender]
            weights = [table.get(v, 0.0) for v in values]
            if not any(weights):
                weights = [1.0] * len(values)
        elif kind == "transgender":
            weights = [{"yes": 0.012, "no": 0.95, "not_sure": 0.025}.get(v, 0.01) for v in values]
        elif kind == "ethnicity":
            weights = [ETHNICITY.get(v, 0.3) for v in values]
        elif kind == "long_term_condition":
            share = 0.2 if person.audience in ("young_adults", "parents_carers", "professionals") else 0.14
            weights = [{"yes": share, "no": 1 - share}.get(v, 0.02) for v in values]
        elif kind == "condition_limits":
            weights = [{"yes_a_lot": 0.2, "yes_a_little": 0.45, "not_at_all": 0.35}.get(v, 0.1) for v in values]
        elif kind == "send":
            weights = [{"yes": 0.13, "no": 0.8, "not_sure": 0.07}.get(v, 0.05) for v in values]
        else:
            return self.single(q, person)
        return {"values": [self.pick(values, weights)]}  # no write-in: a rare self-description can identify

    @staticmethod
    def band(bands: list[str], age: int) -> str:
        """The band (such as "11-12", "16" or "65+") holding this age, else the nearest one."""
        def distance(band: str) -> int:
            numbers = [int(n) for n in re.findall(r"\d+", band)]
            if not numbers:
                return 999
            low = numbers[0]
            high = 200 if band.endswith("+") else numbers[-1]
            return 0 if low <= age <= high else min(abs(age - low), abs(age - high))
        return min(bands, key=distance)

    # free text
    def free_text(self, q: Question, person: Person) -> CanonicalAnswer | None:
        limit = q.max_length or (100 if q.type == "short_text" else 1000)
        text = self.compose(q, person, short=q.type == "short_text" or limit <= 120, limit=limit)
        return {"text": text} if text else None

    def with_other_text(self, q: Question, answer: CanonicalAnswer, chosen: list[Option]) -> CanonicalAnswer:
        """Add words for "Other - please tell us" (most people who tick it write something)."""
        if any(o.other_text for o in chosen) and q.demographic is None and self.rng.random() < 0.7:
            text = self.rng.choice(OTHER_TEXT[_other_topic(q)])
            answer["text"] = (text.lower() if self.rng.random() < 0.4 else text)[:OTHER_MAX_LENGTH]
        return answer

    def themes(self, person: Person, voice: str, mode: str) -> list[str]:
        """Themes this person has something to say about, most likely first."""
        z = person.z
        themes, weights = [], []
        for theme, w in THEME_WEIGHTS[voice].items():
            banks = TEXT.get(theme, {}).get(voice, {})
            if not banks or (mode != "any" and mode not in banks):
                continue
            if theme in ("asb", "gangs", "knives", "unsafe_places", "drugs_alcohol", "police"):
                w *= math.exp(-0.5 * z["safe"])
            if theme in ("poverty", "jobs"):
                w *= math.exp(0.5 * z["depr"]) * (1.3 if person.age >= 16 else 1.0)
            if theme == "social_media":
                w *= math.exp(0.4 * z["online"])
            if theme in ("bullying", "mental_health"):
                w *= math.exp(-0.4 * z["well"])
            if theme == "community" and mode != "problem":
                w *= math.exp(0.3 * z["safe"])
            themes.append(theme)
            weights.append(w)
        return self.weighted_order(themes, weights)

    def compose(self, q: Question, person: Person, short: bool, limit: int) -> str:
        """A plausible answer in this person's voice, made of one to three fragments."""
        rng = self.rng
        voice = VOICE.get(person.audience, "young")
        mode = _text_mode(q)
        if mode == "works":
            if voice in WORKS:
                return _fit(" ".join(_sentence(f) for f in self.weighted_order(WORKS[voice], [1.0] * len(
                    WORKS[voice]))[: 1 if short else self.pick([1, 2, 3], [0.5, 0.35, 0.15])]), limit)
            mode = "idea"
        ordered = self.themes(person, voice, mode) or self.themes(person, voice, "any")
        if not ordered:
            return ""
        if short:
            count = 1
        else:
            count = self.pick([1, 2, 3, 4], [0.35, 0.35, 0.22, 0.08] if voice != "child" else [0.7, 0.3, 0, 0])
        fragments: list[str] = []
        for theme in ordered[:count]:
            banks = TEXT[theme][voice]
            modes = [mode] if mode in banks else [rng.choice(sorted(banks))]
            if mode == "any":
                modes = ["problem", "idea"] if rng.random() < 0.5 else ["idea", "problem"]
                modes = [m for m in modes if m in banks][:1 + (rng.random() < 0.3)]
            for m in modes:
                fragments.append(rng.choice(banks[m]))
        if voice in ("parent", "pro"):
            text = " ".join(_sentence(f) for f in fragments)
            if rng.random() < 0.25:
                unsuitable = {"female": "dad", "male": "mum"}.get(person.gender, "Speaking as a")
                opener = rng.choice([o for o in OPENERS[voice] if unsuitable not in o])
                text = f"{opener} {text[0].lower()}{text[1:]}" if not text.startswith("I ") else f"{opener} {text}"
            if not short and rng.random() < 0.08:
                text += " " + rng.choice(CLOSERS[voice])
        else:
            text = fragments[0]
            for fragment in fragments[1:]:
                text += rng.choice(JOINERS) + fragment
            if rng.random() < (0.3 if voice == "young" else 0.25):
                text = f"{self.opener(voice, mode, text)} {text}".lstrip()
            if not short and rng.random() < 0.06:
                text += ". " + rng.choice(CLOSERS[voice])
            text = self.style(text, voice, person)
        return _fit(text, limit)

    def opener(self, voice: str, mode: str, text: str) -> str:
        """A natural lead-in for this fragment: "i would like a bigger park", never "i would like stop ..."."""
        first = text.split(" ", 1)[0].lower()
        if voice == "young":
            choices = OPENERS["young"] + (() if first in IMPERATIVES else OPENERS["young_clause"])
        elif mode == "problem" or first in IMPERATIVES:
            return ""
        else:
            choices = OPENERS["child_idea"] if mode == "idea" else OPENERS["child"]
        return self.rng.choice(choices)

    def style(self, text: str, voice: str, person: Person) -> str:
        """Young people's and children's typing: sometimes all lower case, slang, a typo or an emoji."""
        rng = self.rng
        lower = rng.random() < (0.45 if person.audience == "young_people" else 0.3 if voice == "child" else 0.2)
        if voice == "young" and rng.random() < (0.35 if person.age < 18 else 0.15):
            pattern, choices = rng.choice(SLANG)
            text = re.sub(pattern, rng.choice(choices), text, count=2, flags=re.IGNORECASE)
        if voice == "child" and rng.random() < 0.3:
            wrong, spelt = rng.choice(CHILD_SPELLING)
            text = text.replace(wrong, spelt)
        if rng.random() < (0.12 if person.age < 18 else 0.06):
            text = _typo(text, rng)
        if not lower:
            text = re.sub(r"\bi\b", "I", text)
            text = re.sub(r"(^|[.!?]\s+)([a-z])", lambda m: m.group(1) + m.group(2).upper(), text)
            if rng.random() < 0.6:
                text += "."
        elif rng.random() < 0.1:
            text += "!!"
        if voice == "young" and rng.random() < 0.03:
            text += rng.choice(EMOJI)
        return text

    # --- small helpers -------------------------------------------------------------------------
    def pick(self, items: Sequence[Any], weights: Sequence[float]) -> Any:
        return self.rng.choices(list(items), weights=list(weights), k=1)[0]

    def weighted_order(self, items: Sequence[Any], weights: Sequence[float]) -> list[Any]:
        """Items in a random order where heavier items tend to come first (sampling without replacement)."""
        keyed = [(self.rng.random() ** (1.0 / max(w, 1e-6)), i) for i, w in enumerate(weights)]
        return [items[i] for _, i in sorted(keyed, reverse=True)]


def _sentence(fragment: str) -> str:
    fragment = fragment.strip()
    fragment = fragment[0].upper() + fragment[1:]
    return fragment if fragment[-1] in ".!?" else fragment + "."


def _typo(text: str, rng: random.Random) -> str:
    """Swap two neighbouring letters in one longer word."""
    words = text.split(" ")
    long_words = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    if not long_words:
        return text
    i = rng.choice(long_words)
    w = words[i]
    j = rng.randrange(1, len(w) - 2)
    words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2:]
    return " ".join(words)


def _fit(text: str, limit: int) -> str:
    """Cut text to the limit at a word boundary."""
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text[:limit]
    if " " in cut[limit // 2:]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,.;:-") or text[:limit]


# --- dates -------------------------------------------------------------------------------------

def _dates(rng: random.Random, start: dt.date, end: dt.date) -> dict[str, list[dt.date]]:
    """Candidate submission days for each kind of collection point (pick uniformly from a list).

    Schools run the survey in a couple of lessons (weekdays, not half term); the youth club on
    club nights; the fun day on one Saturday; paper copies are typed in on Fridays; online answers
    come every day, most after the launch and after reminders.
    """
    days = [start + dt.timedelta(d) for d in range((end - start).days + 1)]
    term = [d for d in days if d.weekday() < 5 and not HALF_TERM[0] <= d <= HALF_TERM[1]] or days
    out: dict[str, list[dt.date]] = {}
    online: list[dt.date] = []
    for d in days:
        week = (d - start).days // 7
        weight = 6 if week < 2 else 3 if week in (6, 7) else 2
        weight += 1 if d.weekday() < 5 else 0
        weight += 3 if d > end - dt.timedelta(7) else 0  # closing reminder
        online += [d] * weight
    out["online"] = online
    out["youth_club"] = [d for d in days if d.weekday() in (1, 3)] or days
    saturdays = [d for d in days if d.weekday() == 5]
    out["event"] = [saturdays[min(4, len(saturdays) - 1)]] if saturdays else days
    out["paper"] = [d for d in days if d.weekday() == 4 and d > start + dt.timedelta(10)] or days
    for role in ("primary", "secondary", "college"):
        out[role] = term
    for i, spec in enumerate(POINTS):
        if spec.kind == "school" and len(term) > 10:
            sessions = rng.sample(term[5:], 2)
            # most pupils answer in the two lessons; a few catch up on other days
            out[f"point:{i}"] = sessions * 12 + rng.sample(term, min(6, len(term)))
    return out


# --- entry point -------------------------------------------------------------------------------

def build_demo(responses: int = 3000, seed: int = 2026) -> str:
    """Load the questionnaires and make the demo campaign with `responses` synthetic responses.

    Run inside an app context. Does nothing (and says so) if the demo campaign already exists.
    The same seed always gives the same answers.
    """
    started = time.perf_counter()
    folder = current_app.config["COMMUNITY_VOICE"].questionnaire_folder
    loaded = load_questionnaires(folder)
    db.session.commit()

    existing = db.session.scalar(select(Campaign).filter_by(slug=CAMPAIGN_SLUG))
    if existing is not None:
        count = db.session.scalar(select(func.count()).select_from(Response).filter_by(campaign_id=existing.id))
        return (f"Demo data is already present: the campaign \"{existing.name}\" has {count:,} responses. "
                f"Nothing was added. Link: /c/{CAMPAIGN_SLUG}")

    ids = sorted({r.questionnaire_id for r in loaded})
    versions = sorted(current_versions(ids), key=lambda v: v.questionnaire_id)
    if not versions:
        return f"No questionnaires were found in {folder}, so no demo data was made."
    rng = random.Random(seed)

    campaign = Campaign(slug=CAMPAIGN_SLUG, name=CAMPAIGN_NAME, description=CAMPAIGN_DESCRIPTION,
                        opens_on=OPENS_ON, closes_on=CLOSES_ON, questionnaire_ids=ids)
    db.session.add(campaign)
    taken = set(db.session.scalars(select(CollectionPoint.code)))
    points = []
    for spec in POINTS:
        code = _code(rng, taken)
        points.append(CollectionPoint(campaign=campaign, name=spec.name, kind=spec.kind, code=code))
    db.session.add_all(points)
    db.session.flush()

    plans = [_plan(v) for v in versions]
    today = dt.date.today()
    end = min(max(today, OPENS_ON), CLOSES_ON)
    if today < OPENS_ON:  # a clock before the campaign: pretend twelve weeks have passed
        end = OPENS_ON + dt.timedelta(weeks=12)
    generator = Generator(rng, _dates(rng, OPENS_ON, end))
    order = _allocate(rng, plans, responses)

    counts: Counter[str] = Counter()
    response_rows: list[dict[str, Any]] = []
    answer_dicts: list[dict[str, Any]] = []
    first_day, last_day = end, OPENS_ON
    for plan in order:
        person = generator.person(plan)
        answers = generator.answers(plan, person)
        submitted = generator.date(person)
        first_day, last_day = min(first_day, submitted), max(last_day, submitted)
        response_id = secrets.token_hex(16)
        response_rows.append({
            "id": response_id, "questionnaire_version_id": plan.version.id, "audience": plan.questionnaire.audience,
            "language": "en", "campaign_id": campaign.id, "collection_point_id": points[person.point].id,
            "completion": "complete", "submitted_on": submitted, "idempotency_key": secrets.token_hex(16),
        })
        for key, answer in answers.items():
            for row in answer_rows(plan.questionnaire.question(key), answer):
                answer_dicts.append({
                    "response_id": response_id, "question_key": row.question_key, "position": row.position,
                    "measure": row.measure, "value": row.value, "rank": row.rank, "text": row.text,
                    "number": row.number,
                })
        counts[plan.questionnaire.audience] += 1
        if len(response_rows) >= BATCH:
            _flush(response_rows, answer_dicts)
    _flush(response_rows, answer_dicts)
    db.session.commit()

    seconds = time.perf_counter() - started
    lines = [f"Made the demo campaign \"{CAMPAIGN_NAME}\" with {len(points)} collection points "
             f"and {sum(counts.values()):,} synthetic responses"
             + (f" (submitted {first_day:%d %b %Y} to {last_day:%d %b %Y})" if counts else "") + ":"]
    for audience in sorted(counts, key=lambda a: -counts[a]):
        lines.append(f"  {audience:<16}{counts[audience]:>7,}")
    lines.append(f"Link: /c/{CAMPAIGN_SLUG}   (took {seconds:.1f} s)")
    return "\n".join(lines)


def _plan(version: QuestionnaireVersion) -> Plan:
    questionnaire = version.questionnaire
    ages = questionnaire.age_range or DEFAULT_AGES.get(questionnaire.audience, (11, 18))
    area_values: tuple[str, ...] = ()
    for q in questionnaire.questions():
        if q.type == "area":
            area_values = tuple(o.value for o in q.options if not o.special)
            break
    return Plan(version, questionnaire, ages, area_values)


def _allocate(rng: random.Random, plans: list[Plan], total: int) -> list[Plan]:
    """Split `total` over the questionnaires by audience share (largest remainder), in random order."""
    by_audience: dict[str, list[Plan]] = {}
    for plan in plans:
        by_audience.setdefault(plan.questionnaire.audience, []).append(plan)
    weights = {}
    for audience, group in by_audience.items():
        for plan in group:
            weights[plan.version.questionnaire_id] = AUDIENCE_SHARE.get(audience, 0.05) / len(group)
    scale = total / sum(weights.values())
    exact = {qid: w * scale for qid, w in weights.items()}
    counts = {qid: int(x) for qid, x in exact.items()}
    for qid in sorted(exact, key=lambda q: (-(exact[q] - counts[q]), q))[: total - sum(counts.values())]:
        counts[qid] += 1
    order = [plan for plan in plans for _ in range(counts[plan.version.questionnaire_id])]
    rng.shuffle(order)
    return order


def _code(rng: random.Random, taken: set[str]) -> str:
    while True:
        code = "".join(rng.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if code not in taken:
            taken.add(code)
            return code


def _flush(response_rows: list[dict[str, Any]], answer_dicts: list[dict[str, Any]]) -> None:
    """Insert a batch with Core bulk inserts (much faster than ORM objects) and empty the lists."""
    if response_rows:
        db.session.execute(insert(Response), response_rows)
    if answer_dicts:
        db.session.execute(insert(Answer), answer_dicts)
    response_rows.clear()
    answer_dicts.clear()
