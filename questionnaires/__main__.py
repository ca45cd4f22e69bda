"""`python -m questionnaires validate [FILE ...]`: check questionnaire files without the web app."""

from __future__ import annotations

import sys
from pathlib import Path

from questionnaires.loader import questionnaire_files, validate_paths


def main(argv: list[str]) -> int:
    """Check the named files (or every shipped file) and print each problem."""
    if not argv or argv[0] != "validate":
        print("usage: python -m questionnaires validate [FILE ...]", file=sys.stderr)
        return 2
    paths = [Path(a) for a in argv[1:]] or questionnaire_files()
    _, problems = validate_paths(paths)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) in {len(paths)} file(s).", file=sys.stderr)
        return 1
    print(f"{len(paths)} questionnaire file(s) checked: no problems.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
