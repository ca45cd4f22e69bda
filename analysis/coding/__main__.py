"""Command line: train on coded answers, code new answers, evaluate by cross-validation.

    python -m analysis.coding train    CODED.csv --text answer --model coder.pkl [--codebook FILE | --no-rules]
    python -m analysis.coding code     NEW.csv   --text answer --model coder.pkl --out coded.csv [--auto-apply 0.9]
    python -m analysis.coding evaluate CODED.csv --text answer [--folds 5] [--split-column trust] [--json out.json]
    python -m analysis.coding explain  "answer text"           # which words trigger which theme
    python -m analysis.coding check-codebook [FILE]

A coded CSV has one text column and one column per theme holding 1 (has the theme) or 0/blank.
Theme columns are found automatically (columns of only 1/0/blank) unless --themes names them.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from analysis.coding.active import weighted_uncertainty
from analysis.coding.codebook import DEFAULT_CODEBOOK, Codebook, CodebookError, load_codebook
from analysis.coding.dataset import DataError, load_coded, load_texts, questions_of
from analysis.coding.engine import ThemeCoder
from analysis.coding.evaluate import (
    auto_apply_report,
    cross_validate,
    format_auto_apply,
    format_report,
    score,
    train_test,
)
from analysis.coding.learned import CoderSettings
from analysis.coding.metrics import answer_certainty


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _themes_arg(value: str | None) -> list[str] | None:
    return [t.strip() for t in value.split(",") if t.strip()] if value else None


def _themes(args: argparse.Namespace) -> list[str] | None:
    """Theme columns from --themes-file (one a line, for names with commas) or --themes."""
    if getattr(args, "themes_file", None):
        lines = Path(args.themes_file).read_text(encoding="utf-8").splitlines()
        return [line.strip() for line in lines if line.strip()]
    return _themes_arg(args.themes)


def _codebook(args: argparse.Namespace, themes: list[str]) -> Codebook | None:
    """The codebook whose rules join the model: given, or the default when the CSV uses its keys."""
    if getattr(args, "no_rules", False):
        return None
    if args.codebook:
        return load_codebook(args.codebook)
    default = load_codebook(DEFAULT_CODEBOOK)
    return default if set(themes) & set(default.keys()) else None


def _settings(args: argparse.Namespace) -> CoderSettings:
    s = CoderSettings()
    if getattr(args, "jobs", None):
        s.n_jobs = args.jobs
    if getattr(args, "variants", None):
        s.variants = tuple(v.strip() for v in args.variants.split(",") if v.strip())
        unknown = set(s.variants) - {"nb", "plain"}
        if unknown or not s.variants:
            raise ValueError(f"--variants takes nb and/or plain (got {args.variants!r})")
    return s


def cmd_train(args: argparse.Namespace) -> int:
    """Train a coder on a coded CSV and save it."""
    data = load_coded(args.data, args.text, _themes(args), _themes_arg(args.exclude) or (), args.question)
    codebook = _codebook(args, data.themes)
    _say(
        f"Training on {len(data.texts)} answers ({data.dropped} with no text left out), {len(data.themes)} themes"
        + (f", with the rules of {codebook.version_label}" if codebook else ", no rules")
    )
    started = time.perf_counter()
    coder = ThemeCoder(codebook, data.themes, _settings(args)).fit(data.texts, data.Y, data.questions)
    seconds = time.perf_counter() - started
    coder.save(args.model)
    assert coder.learned is not None
    report = coder.learned.report
    assert report is not None
    print(f"trained in {seconds:.1f} s; saved to {args.model}")
    print(f"at least one theme per answer: {'yes' if report.at_least_one else 'no'}")
    print(f"{'theme':<48} {'examples':>8} {'threshold':>9} {'CV F1':>6}")
    for theme in data.themes:
        f1 = report.oof_f1[theme]
        print(
            f"{theme[:48]:<48} {report.positives[theme]:>8} {report.thresholds[theme]:>9.3f} "
            f"{'   -' if f1 != f1 else f'{f1:6.2f}'}"
        )
    return 0


def cmd_code(args: argparse.Namespace) -> int:
    """Code a CSV of answers with a saved coder (or the codebook's rules alone)."""
    texts, rows, header = load_texts(args.data, args.text)
    coder = ThemeCoder.load(args.model) if args.model else ThemeCoder(load_codebook(args.codebook or DEFAULT_CODEBOOK))
    started = time.perf_counter()
    P, D = coder.probabilities(texts, questions_of(rows, header, args.question))
    certainty = answer_certainty(P, coder.thresholds)
    seconds = time.perf_counter() - started
    confident = (args.auto_apply <= P) | (1 - args.auto_apply >= P)
    automatic = confident.all(axis=1)
    # Review order, as the staff queue orders it: the answers that teach the next model most first
    # (uncertainty weighted towards the themes the model was trained on least).
    trained = coder.learned.positives if coder.learned is not None else np.zeros(len(coder.themes))
    priority = weighted_uncertainty(P, trained, args.auto_apply).max(axis=1, initial=0.0)
    rank = np.empty(len(texts), dtype=int)
    rank[np.argsort(-priority, kind="stable")] = np.arange(1, len(texts) + 1)
    evidence_for = coder.rules is not None and args.evidence
    themes = coder.themes
    columns = (
        header
        + [f"p_{t}" for t in themes]
        + [f"code_{t}" for t in themes]
        + ["themes", "certainty", "status", "review_rank", "codebook_version"]
        + (["evidence"] if evidence_for else [])
    )
    # Formatting 100,000 x 46 probabilities one by one takes longer than coding them: look them up.
    as_text = [f"{k / 10000:.4f}" for k in range(10001)]
    probability_rows = np.rint(np.clip(P, 0, 1) * 10000).astype(int).tolist()
    decision_rows = D.astype(int).tolist()
    version = coder.version_label
    with Path(args.out).open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        for i, row in enumerate(rows):
            decided = decision_rows[i]
            line: list[object] = [row.get(c, "") for c in header]
            line += [as_text[k] for k in probability_rows[i]]
            line += decided
            line += [
                "; ".join(t for t, d in zip(themes, decided, strict=True) if d),
                as_text[round(certainty[i] * 10000)],
                "automatic" if automatic[i] else "review",
                "" if automatic[i] else int(rank[i]),
                version,
            ]
            if evidence_for and coder.rules is not None:
                line.append("; ".join(f"{m.theme}: {m.explain()}" for m in coder.rules.matches(texts[i])))
            writer.writerow(line)
    print(
        f"coded {len(texts)} answers in {seconds:.1f} s; {int(automatic.sum())} automatic "
        f"({automatic.mean():.0%} at confidence {args.auto_apply}), {int((~automatic).sum())} for review; "
        f"written to {args.out}"
    )
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    """Cross-validate (or train on one group, test on the others) and print every trust measure."""
    data = load_coded(args.data, args.text, _themes(args), _themes_arg(args.exclude) or (), args.question)
    codebook = _codebook(args, data.themes)
    settings = _settings(args)
    report: dict[str, Any] = {
        "data": str(args.data),
        "answers": len(data.texts),
        "themes": data.themes,
        "codebook": codebook.version_label if codebook else None,
    }
    if args.split_column:
        groups = data.column(args.split_column)
        report["splits"] = {}
        for group in sorted(set(groups)):
            train_idx = [i for i, g in enumerate(groups) if g == group]
            test_idx = [i for i, g in enumerate(groups) if g != group]
            train, test = data.subset(train_idx), data.subset(test_idx)
            result = train_test(train, test, codebook=codebook, settings=settings)
            ev = score(test, result, n_boot=args.bootstrap)
            title = (
                f"Trained on {args.split_column} = {group} ({len(train_idx)} answers), "
                f"tested on the rest ({len(test_idx)}); trained in {result.train_seconds[0]:.1f} s"
            )
            print(format_report(ev, title=title, per_theme=args.per_theme))
            report["splits"][group] = dict(
                ev.to_dict(),
                train_answers=len(train_idx),
                test_answers=len(test_idx),
                train_seconds=result.train_seconds[0],
            )
    else:
        result = cross_validate(data, folds=args.folds, codebook=codebook, settings=settings, progress=_say)
        ev = score(data, result, n_boot=args.bootstrap)
        title = (
            f"{args.folds}-fold cross-validation on {len(data.texts)} answers, {len(data.themes)} themes "
            f"(mean training time {np.mean(result.train_seconds):.1f} s)"
        )
        print(format_report(ev, title=title, per_theme=True))
        auto = auto_apply_report(data, result)
        print(format_auto_apply(auto))
        report["cross_validation"] = dict(
            ev.to_dict(), folds=args.folds, train_seconds=result.train_seconds, auto_apply=auto
        )
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1, default=float), encoding="utf-8")
        _say(f"written to {args.json}")
    return 0


def cmd_explain(args: argparse.Namespace) -> int:
    """Show which words of an answer trigger which theme under the codebook's rules."""
    coder = ThemeCoder(load_codebook(args.codebook or DEFAULT_CODEBOOK))
    (result,) = coder.code([args.answer])
    for theme in result.themes:
        print(f"{theme}  {result.probabilities[theme]:.2f}")
    for m in result.matches:
        print(f"  {m.theme}: {m.explain()}")
    if not result.matches:
        print("no phrase of the codebook matched")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Check a codebook file and print its themes."""
    book = load_codebook(args.file or DEFAULT_CODEBOOK)
    print(f"{book.version_label}: {len(book.keys())} active themes, {len(book.all_themes())} in all")
    for theme in book.all_themes():
        mark = "" if theme.active else f" [{theme.status}{' into ' + theme.merged_into if theme.merged_into else ''}]"
        indent = "    " if theme.parent else "  "
        print(f"{indent}{theme.key}: {theme.label} ({len(theme.phrases)} phrases){mark}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests and the README)."""
    parser = argparse.ArgumentParser(
        prog="python -m analysis.coding", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def data_args(p: argparse.ArgumentParser) -> None:
        p.add_argument("data", help="CSV file (UTF-8) with a header row")
        p.add_argument("--text", required=True, help="name of the column holding the answers")
        p.add_argument(
            "--question",
            help="name of the column saying which question each answer answered, when answers to several "
            "questions are coded together (the coder then learns from it too; give the same column to code)",
        )

    def theme_args(p: argparse.ArgumentParser) -> None:
        p.add_argument("--themes", help="comma-separated theme columns (default: every 1/0/blank column)")
        p.add_argument("--themes-file", help="a file naming the theme columns, one a line (for names with commas)")
        p.add_argument("--exclude", help="comma-separated columns that are not themes")
        p.add_argument(
            "--codebook",
            help="codebook YAML whose phrases join the model (default: ours, when the theme columns are its keys)",
        )
        p.add_argument("--no-rules", action="store_true", help="learn from the coded answers only")
        p.add_argument("--jobs", type=int, help="processes to use (default 2)")
        p.add_argument(
            "--variants", help="models averaged per theme: nb (NB-SVM, the default), plain (SVM), or nb,plain"
        )

    p = sub.add_parser("train", help="train a coder on coded answers")
    data_args(p)
    theme_args(p)
    p.add_argument("--model", required=True, help="where to save the trained coder")
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("code", help="code new answers")
    data_args(p)
    p.add_argument("--model", help="a coder saved by train (default: the codebook's rules alone)")
    p.add_argument("--codebook", help="codebook YAML for rules-only coding")
    p.add_argument("--out", required=True, help="where to write the coded CSV")
    p.add_argument(
        "--auto-apply",
        type=float,
        default=0.9,
        help="confidence at or above which codes are applied (and below 1 minus it, ruled out) "
        "without review (default 0.9)",
    )
    p.add_argument("--evidence", action="store_true", help="add a column with the words that triggered each theme")
    p.set_defaults(func=cmd_code)

    p = sub.add_parser("evaluate", help="cross-validate and report every trust measure")
    data_args(p)
    theme_args(p)
    p.add_argument("--folds", type=int, default=5)
    p.add_argument("--split-column", help="instead of folds: train on each value of this column, test on the rest")
    p.add_argument("--bootstrap", type=int, default=1000, help="bootstrap resamples for the 95%% intervals")
    p.add_argument("--per-theme", action="store_true", help="per-theme table for splits too")
    p.add_argument("--json", help="also write the figures as JSON here")
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("explain", help="which words of an answer trigger which theme")
    p.add_argument("answer")
    p.add_argument("--codebook")
    p.set_defaults(func=cmd_explain)

    p = sub.add_parser("check-codebook", help="check a codebook YAML file")
    p.add_argument("file", nargs="?")
    p.set_defaults(func=cmd_check)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except (DataError, CodebookError, ValueError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
