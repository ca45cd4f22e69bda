"""The population table dashboards compare samples with (ONS mid-year estimates by single year of age)."""

from __future__ import annotations

import csv
from pathlib import Path

import click
from sqlalchemy import delete

from survey_app.extensions import db
from survey_app.models.staff import PopulationEstimate

DEFAULT_POPULATION = Path(__file__).with_name("trafford-mid-2024-by-single-year-of-age.csv")


def load_population(path: Path) -> int:
    """Replace the estimates for each area in an ONS-style CSV (columns period, area_code, area_name,
    sex, then one per single year of age, "90+" last). Returns how many cells were stored."""
    with path.open(newline="", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r.get("sex", "").lower() in ("females", "males")]
    if not rows:
        raise click.ClickException(f"{path}: no rows for Females or Males")
    stored = 0
    for area in {r["area_code"] for r in rows}:
        db.session.execute(delete(PopulationEstimate).where(PopulationEstimate.area_code == area))
    for r in rows:
        for column, value in r.items():
            age = column.rstrip("+")
            if age.isdigit() and value:
                db.session.add(
                    PopulationEstimate(
                        area_code=r["area_code"],
                        area_name=r["area_name"],
                        period=r["period"],
                        sex=r["sex"].lower(),
                        age=int(age),
                        people=int(value),
                    )
                )
                stored += 1
    db.session.flush()
    return stored
