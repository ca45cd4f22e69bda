"""The automation curve as a small inline SVG: share of answers decided without review (given their
themes, or with every theme ruled out) against the precision of their codes, one point per confidence.

Drawn by hand rather than with matplotlib: a line, a few marks and their labels, and the workspace's
Content-Security-Policy allows no inline styles, so everything is an SVG presentation attribute.
House style (REPORTING.md): Okabe–Ito colours, direct labels instead of a legend, marks told apart
by shape and words as well as colour, alt text that states the finding; the numbers are in the table
beside it on the page.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape
from typing import Any

from markupsafe import Markup

from analysis.coding.auto_apply import ThemeThresholds
from analysis.coding.automation import MIN_APPLIED, TARGET_CHOICES, curve_points, theme_point
from analysis.coding.codebook import Codebook
from survey_app.models.coding import CoderModel
from survey_app.staff.free_text.thresholds import expected_at_target

BLUE = "#0072B2"
VERMILLION = "#D55E00"
GREY = "#767676"
INK = "#1b1b1b"
WIDTH, HEIGHT = 640, 330
LEFT, RIGHT, TOP, BOTTOM = 64, 24, 16, 52


@dataclass(frozen=True)
class Mark:
    """A point to label on the curve (the confidence in use, or what a target gives)."""

    share: float
    precision: float
    label: str


def _x(share: float) -> float:
    return LEFT + share * (WIDTH - LEFT - RIGHT)


def _y(precision: float, low: float) -> float:
    return TOP + (1 - (precision - low) / (1 - low)) * (HEIGHT - TOP - BOTTOM)


def _text(x: float, y: float, words: str, anchor: str = "middle", size: int = 12, fill: str = INK) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
        f'font-family="system-ui, sans-serif" fill="{fill}">{escape(words)}</text>'
    )


def curve_svg(
    points: list[dict[str, float]], *, alt: str, marks: list[Mark] | None = None, target: float | None = None
) -> Markup:
    """The curve (points with at least MIN_APPLIED codes behind them), a dashed line at the target
    precision, and labelled marks."""
    marks = marks or []
    usable = [p for p in points if p["codes"] >= MIN_APPLIED and not math.isnan(p["precision"])]
    lowest = min([p["precision"] for p in usable] + [m.precision for m in marks if not math.isnan(m.precision)] + [0.8])
    low = max(0.0, math.floor(lowest * 10) / 10)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" class="chart" role="img" '
        f'aria-label="{escape(alt)}" focusable="false">'
    ]
    for i in range(11):  # vertical grid: share of answers, every 10%
        x = _x(i / 10)
        parts.append(f'<line x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{HEIGHT - BOTTOM}" stroke="#e0e0e0"/>')
        parts.append(_text(x, HEIGHT - BOTTOM + 16, f"{i * 10}%"))
    steps = round((1 - low) * 20)
    for i in range(steps + 1):  # horizontal grid: precision, every 5 points
        level = low + i * 0.05
        y = _y(level, low)
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#e0e0e0"/>')
        parts.append(_text(LEFT - 8, y + 4, f"{level:.0%}", anchor="end"))
    parts.append(_text((LEFT + WIDTH - RIGHT) / 2, HEIGHT - 12, "Share of answers decided without review"))
    parts.append(
        f'<text x="16" y="{(TOP + HEIGHT - BOTTOM) / 2:.1f}" transform="rotate(-90 16 {(TOP + HEIGHT - BOTTOM) / 2:.1f})" '
        f'text-anchor="middle" font-size="12" font-family="system-ui, sans-serif" fill="{INK}">Precision of their codes</text>'
    )
    if target is not None:
        y = _y(target, low)
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="{VERMILLION}" '
            'stroke-width="1.5" stroke-dasharray="6 4"/>'
        )
        parts.append(_text(WIDTH - RIGHT - 4, y - 6, f"target {target:.0%}", anchor="end", fill="#a34100"))
    if usable:
        line = " ".join(f"{_x(p['share']):.1f},{_y(p['precision'], low):.1f}" for p in usable)
        parts.append(f'<polyline points="{line}" fill="none" stroke="{BLUE}" stroke-width="2.5"/>')
        for q in usable:
            parts.append(
                f'<circle cx="{_x(q["share"]):.1f}" cy="{_y(q["precision"], low):.1f}" r="2.5" fill="{BLUE}"/>'
            )
    for m in marks:
        if math.isnan(m.precision):
            continue
        x, y = _x(m.share), _y(m.precision, low)
        parts.append(
            f'<path d="M {x:.1f} {y - 7:.1f} L {x + 7:.1f} {y:.1f} L {x:.1f} {y + 7:.1f} L {x - 7:.1f} {y:.1f} Z" '
            f'fill="{INK}" stroke="#ffffff" stroke-width="1.5"/>'
        )
        anchor = "end" if m.share > 0.6 else "start"
        parts.append(_text(x + (-10 if anchor == "end" else 10), y + 18, m.label, anchor=anchor))
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every word in it is escaped above


def automation_view(
    curve: dict[str, Any], choice: CoderModel | None, thresholds: ThemeThresholds, book: Codebook
) -> dict[str, Any]:
    """What the coding page shows of a trained model's curve: the chart and its alt text, the curve's
    points (for the table), what each target precision is expected to give, and each theme's chart."""
    points = curve_points(curve)
    targets = [expected_at_target(curve, t) for t in TARGET_CHOICES]
    target = choice.target_precision if choice else None
    marks = []
    if target and (row := expected_at_target(curve, target)) and row["codes"]:
        marks.append(Mark(row["share"], row["precision"], f"{target:.0%} target: {row['share']:.0%} automatic"))
    elif choice is None or not choice.theme_thresholds:
        one = next((p for p in points if p["confidence"] >= thresholds.default - 1e-9), None)
        if one and one["codes"]:
            marks.append(Mark(one["share"], one["precision"], f"confidence {thresholds.default:.2f} (in use)"))
    at_90 = expected_at_target(curve, 0.9)
    finding = (
        f"at a 90% target, {at_90['share']:.0%} of answers would be decided without review, with codes "
        f"{at_90['precision']:.0%} precise"
        if at_90["codes"]
        else "no confidence reaches 90% precision yet"
    )
    alt = (
        f"Automation curve, checked on {curve['answers']:,} answers the model did not train on: the higher the "
        f"precision asked for, the fewer answers are decided without review; {finding}."
    )
    charts = {}
    for theme in book.active_themes():
        if theme.key not in curve["themes"]:
            continue
        at = thresholds.at(theme.key)
        tp = theme_point(curve, theme.key, at)
        theme_marks = (
            [Mark(tp["share"], tp["precision"], f"confidence {at:.2f}")]
            if tp and tp["codes"] and theme.key not in thresholds.held
            else []
        )
        charts[theme.key] = curve_svg(
            curve_points(curve, theme.key),
            alt=f"{theme.label}: share of answers where this theme is decided automatically against the "
            f"precision of its codes, one point per confidence, on answers the model did not train on.",
            marks=theme_marks,
            target=target,
        )
    return {
        "chart": curve_svg(points, alt=alt, marks=marks, target=target),
        "alt": alt,
        "points": points,
        "targets": targets,
        "theme_charts": charts,
        "answers": curve["answers"],
        "min_applied": MIN_APPLIED,
    }
