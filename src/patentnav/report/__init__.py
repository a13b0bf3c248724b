"""Landscape report (产业规划类专利导航报告): a plain report model and its outputs.

``build_landscape_report`` builds the model (contract: meta + sections scope, direction,
positioning, paths); ``to_json`` / ``write_csv_tables`` write it; the HTML and Markdown
renderers live in :mod:`patentnav.report.html` and :mod:`patentnav.report.markdown`.
"""

from .json_csv import to_json, write_csv_tables, write_json
from .model import build_landscape_report

__all__ = ["build_landscape_report", "to_json", "write_json", "write_csv_tables"]
