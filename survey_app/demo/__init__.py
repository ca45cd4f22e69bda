"""Realistic synthetic demo data: a campaign, its collection points and thousands of answers.

`build_demo()` loads the questionnaire files, creates the "Trafford Youth Safety Survey <year>"
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

The free text is composed from a bank of invented fragments (free_text.yaml). It never contains
names, phone numbers, email addresses or street addresses.

Modules:
  build      the entry point: campaign, collection points, submission dates, batched inserts
  places     the collection points, where each audience answers, ward traits, the local ethnic mix
  people     who answers: a respondent's hidden traits, drawn from age, gender and ward
  answers    the Generator: walks a questionnaire as routing shows it and answers each question
  scales     scale and faces questions, driven by one trait
  choices    single choice, yes/no, tick boxes, ranking and "about you" questions
  free_text  free-text answers composed from the fragment bank
  hints      weights and words matched against question keys, option values and wording
  sampling   seeded weighted picks and small maths shared by the others
"""

from survey_app.demo.build import CAMPAIGN_SLUG, CODE_ALPHABET, build_demo
from survey_app.demo.free_text import OTHER_TEXT, TEXT, WORKS

__all__ = ["CAMPAIGN_SLUG", "CODE_ALPHABET", "OTHER_TEXT", "TEXT", "WORKS", "build_demo"]
