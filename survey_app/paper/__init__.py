"""Paper and offline returns: a CSV/XLSX template per questionnaire, and importing completed ones.

Each template column is a form field of the web questionnaire (a question's key, `<key>-other` for
"Other" text, `<key>-1`, `<key>-2` ... for ranked choices), so every row is checked by exactly the
same code as a web page (survey_app.survey.answer_types) and stored the same way. Rows with
problems are reported by row and column in plain words; the valid rows go in together in one
transaction, always into a campaign (so they reach its dashboard, exports and safeguarding
reviewers), and a file's content hash stops the same file going in twice.

Modules:
  template  the columns for a questionnaire, and writing the CSV or XLSX template with a guide
  reader    reading a completed CSV or XLSX file into rows
  importer  checking every row against the questionnaire and storing the valid ones
  unassigned  finding files imported into no campaign (before imports needed one) and giving them theirs
  cli       `flask responses template|import|unassigned|assign`; each command commits its own work
"""
