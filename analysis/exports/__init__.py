"""Analysts' exports: a campaign's responses as one labelled table, written as CSV, Excel or SPSS .sav."""

from analysis.exports.formats import FORMATS, formula_safe, write
from analysis.exports.model import ExportTable, Variable
from analysis.exports.table import build_table

__all__ = ["FORMATS", "ExportTable", "Variable", "build_table", "formula_safe", "write"]
