"""Applicant-name harmonisation: normalisation, individuals, typo, division, branch, acronym
and cross-script links (each with its reason and evidence), aliases, metrics."""

from .harmonize import (Alias, NameHarmonizer, canonical_applicants, ensure_harmonized, harmonize_names, is_harmonized,
                        read_aliases, write_links_csv, write_mapping_csv)
from .individuals import is_individual
from .metrics import bcubed_precision_recall_f1, metrics_table, pairwise_precision_recall_f1
from .normalize import clean_names, normalize_name, normalize_names

__all__ = [
    "NameHarmonizer",
    "harmonize_names",
    "read_aliases",
    "write_mapping_csv",
    "write_links_csv",
    "canonical_applicants",
    "is_harmonized",
    "ensure_harmonized",
    "Alias",
    "normalize_name",
    "normalize_names",
    "clean_names",
    "is_individual",
    "pairwise_precision_recall_f1",
    "bcubed_precision_recall_f1",
    "metrics_table",
]
