"""Findings reports: a report model built from the analysis engine's findings, and its renderers.

No Flask here: the staff workspace chooses, previews, saves and publishes; this package turns findings
into a `FindingsReport` (`build.build_report`) and renders it to HTML, PDF, Word, Excel and slides
(`render.render`).
"""
