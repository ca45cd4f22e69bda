"""Reaching people: campaigns and collection points, access codes, QR codes, posters and letters,
school sessions with kiosk mode, resume codes, and the duplicate guard.

Services only, no pages: the respondent pages, the staff workspace and the command line call them.
They change the database session and may flush; the view or command that called them commits.

Modules:
  codes     short unambiguous codes (no 0/O, 1/I), generated collision-free against the database
  setup     creating campaigns, collection points and their codes
  qr        QR codes (SVG and PNG) for a collection point's link
  printing  the A4 poster and the parents' information letter, as HTML and PDF
  school    school sessions: year group to questionnaire, live counts, closing
  resume    save and come back later with a few easy words; only a keyed hash is stored
  throttle  a site-wide limit on wrong codes that knows nothing about who is typing
  guard     the duplicate guard: honeypot, minimum time on a page, per-browser limits
  cli       `flask campaigns ...` and `flask sessions ...`
"""
