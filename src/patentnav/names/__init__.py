"""Applicant-name harmonisation: normalisation, individuals, fuzzy grouping, aliases, metrics."""

from .harmonize import Alias, NameHarmonizer, harmonize_names, read_aliases, write_mapping_csv
from .individuals import is_individual
from .metrics import bcubed_precision_recall_f1, metrics_table, pairwise_precision_recall_f1
from .normalize import clean_names, normalize_name, normalize_names

__all__ = [
    "NameHarmonizer",
    "harmonize_names",
    "read_aliases",
    "write_mapping_csv",
    "Alias",
    "normalize_name",
    "normalize_names",
    "clean_names",
    "is_individual",
    "pairwise_precision_recall_f1",
    "bcubed_precision_recall_f1",
    "metrics_table",
]
