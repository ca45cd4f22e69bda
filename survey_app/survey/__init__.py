"""The survey's domain, used by every channel (respondent pages, kiosks, paper import, demo data).

Nothing here handles HTTP or imports a blueprint: the channels call it.

Modules:
  answer_types  one class per question type: reading input, checking it kindly, showing it back
  drafts        unfinished answers kept on the server, saved page by page
  submission    answers become a response with its answer rows and safeguarding flags
"""
