"""Built-in answer scales and the harmonised demographic questions.

Values here are stored with every answer, so they must never change; labels may be reworded per
question with `labels:`. Wording sources are in docs/benchmarks.md.
"""

from __future__ import annotations

PREFER_NOT_TO_SAY = ("prefer_not_to_say", "Prefer not to say")
DONT_KNOW = ("dont_know", "Don't know")
OTHER = ("other", "Other — please tell us")

#: name -> (ordered (value, label) points, default top box values)
SCALES: dict[str, tuple[tuple[tuple[str, str], ...], tuple[str, ...]]] = {
    "safety4": (
        (
            ("very_safe", "Very safe"),
            ("fairly_safe", "Fairly safe"),
            ("fairly_unsafe", "Fairly unsafe"),
            ("very_unsafe", "Very unsafe"),
        ),
        ("very_safe", "fairly_safe"),
    ),
    "agreement5": (
        (
            ("strongly_agree", "Strongly agree"),
            ("agree", "Agree"),
            ("neither", "Neither agree nor disagree"),
            ("disagree", "Disagree"),
            ("strongly_disagree", "Strongly disagree"),
        ),
        ("strongly_agree", "agree"),
    ),
    "agreement4": (
        (
            ("strongly_agree", "Strongly agree"),
            ("agree", "Agree"),
            ("disagree", "Disagree"),
            ("strongly_disagree", "Strongly disagree"),
        ),
        ("strongly_agree", "agree"),
    ),
    "likelihood4": (
        (
            ("very_likely", "Very likely"),
            ("likely", "Likely"),
            ("unlikely", "Unlikely"),
            ("very_unlikely", "Very unlikely"),
        ),
        ("very_likely", "likely"),
    ),
    "worry4": (
        (
            ("very_worried", "Very worried"),
            ("fairly_worried", "Fairly worried"),
            ("not_very_worried", "Not very worried"),
            ("not_at_all_worried", "Not at all worried"),
        ),
        ("very_worried", "fairly_worried"),
    ),
    "problem4": (
        (
            ("very_big", "A very big problem"),
            ("fairly_big", "A fairly big problem"),
            ("not_very_big", "Not a very big problem"),
            ("not_a_problem", "Not a problem at all"),
        ),
        ("very_big", "fairly_big"),
    ),
    "rating5": (
        (("excellent", "Excellent"), ("good", "Good"), ("fair", "Fair"), ("poor", "Poor"), ("very_poor", "Very poor")),
        ("excellent", "good"),
    ),
    "bullying4": (
        (
            ("not_at_all", "Not at all"),
            ("1_3_times", "1-3 times in last 6 months"),
            ("4_plus_times", "4+ times in last 6 months"),
            ("few_times_a_week", "A few times a week"),
        ),
        ("not_at_all",),
    ),
    "often5": (
        (
            ("often_or_always", "Often or always"),
            ("some_of_the_time", "Some of the time"),
            ("occasionally", "Occasionally"),
            ("hardly_ever", "Hardly ever"),
            ("never", "Never"),
        ),
        ("often_or_always", "some_of_the_time"),
    ),
    "happiness5": (
        (("very_happy", "Very happy"), ("happy", "Happy"), ("okay", "OK"), ("sad", "Sad"), ("very_sad", "Very sad")),
        ("very_happy", "happy"),
    ),
    "accepted4": (
        (("fully", "Fully"), ("mostly", "Mostly"), ("slightly", "Slightly"), ("not_at_all", "Not at all")),
        ("fully", "mostly"),
    ),
}

_ETHNICITY = (
    (
        "White",
        (
            ("white_british", "English, Welsh, Scottish, Northern Irish or British"),
            ("white_irish", "Irish"),
            ("gypsy_irish_traveller", "Gypsy or Irish Traveller"),
            ("roma", "Roma"),
            ("white_other", "Any other White background"),
        ),
    ),
    (
        "Mixed or Multiple ethnic groups",
        (
            ("mixed_white_black_caribbean", "White and Black Caribbean"),
            ("mixed_white_black_african", "White and Black African"),
            ("mixed_white_asian", "White and Asian"),
            ("mixed_other", "Any other Mixed or Multiple ethnic background"),
        ),
    ),
    (
        "Asian or Asian British",
        (
            ("indian", "Indian"),
            ("pakistani", "Pakistani"),
            ("bangladeshi", "Bangladeshi"),
            ("chinese", "Chinese"),
            ("asian_other", "Any other Asian background"),
        ),
    ),
    (
        "Black, Black British, Caribbean or African",
        (
            ("caribbean", "Caribbean"),
            ("african", "African"),
            ("black_other", "Any other Black, Black British, or Caribbean background"),
        ),
    ),
    (
        "Other ethnic group",
        (
            ("arab", "Arab"),
            ("other_ethnic_group", "Any other ethnic group"),
        ),
    ),
)

#: One demographic definition: default text, source, and options as dicts.
#: Write-ins ("Any other ... background, please describe", a gender in one's own words) are
#: deliberately not offered: a rare written-in identity is one of the easiest ways to recognise a
#: respondent in a small area or a school class. "I describe myself in another way" stays, as an answer.
DEMOGRAPHICS: dict[str, dict] = {
    "gender": {
        "text": "Which of these describes you?",
        "source": "#BeeWell standard survey (gender, co-designed with young people)",
        "options": [
            {"value": "girl", "label": "Girl"},
            {"value": "boy", "label": "Boy"},
            {"value": "non_binary", "label": "Non-binary"},
            {"value": "self_describe", "label": "I describe myself in another way"},
            {"value": "unsure", "label": "Currently unsure"},
        ],
    },
    "gender_adult": {
        "text": "Which of these describes you?",
        "source": "",
        "options": [
            {"value": "woman", "label": "Woman"},
            {"value": "man", "label": "Man"},
            {"value": "non_binary", "label": "Non-binary"},
            {"value": "self_describe", "label": "I describe myself in another way"},
        ],
    },
    "transgender": {
        "text": "Do you consider yourself to be transgender?",
        "source": "#BeeWell standard survey",
        "options": [
            {"value": "yes", "label": "Yes"},
            {"value": "no", "label": "No"},
            {"value": "not_sure", "label": "Not sure"},
        ],
    },
    "ethnicity": {
        "text": "What is your ethnic group? (Choose one option that best describes your ethnic group or background)",
        "source": "GSS harmonised ethnicity categories, England (ONS 2021)",
        "options": [
            {"value": value, "label": label, "group": group} for group, items in _ETHNICITY for value, label in items
        ],
    },
    "long_term_condition": {
        "text": "Do you have any physical or mental health conditions or illnesses lasting or expected to last for 12 months or more?",
        "source": "GSS harmonised standard: long-lasting health conditions and illness (2020)",
        "options": [{"value": "yes", "label": "Yes"}, {"value": "no", "label": "No"}],
    },
    "condition_limits": {
        "text": "Does your condition or illness reduce your ability to carry out day-to-day activities?",
        "source": "GSS harmonised standard: activity restriction (wording unverified)",
        "options": [
            {"value": "yes_a_lot", "label": "Yes, a lot"},
            {"value": "yes_a_little", "label": "Yes, a little"},
            {"value": "not_at_all", "label": "Not at all"},
        ],
    },
    "send": {
        "text": "Do you get extra help at school because of special educational needs or a disability (SEND)?",
        "source": "",
        "options": [
            {"value": "yes", "label": "Yes"},
            {"value": "no", "label": "No"},
            {"value": "not_sure", "label": "Not sure"},
        ],
    },
    "age_band": {"text": "How old are you?", "source": "", "options": []},
}


def band_label(band: str) -> str:
    """Show an age band such as "11-12" as "11 to 12" and "65+" as "65 or over"."""
    if band.endswith("+"):
        return f"{band[:-1]} or over"
    if "-" in band:
        low, high = band.split("-", 1)
        return f"{low} to {high}"
    return band
