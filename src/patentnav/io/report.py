"""The ingest report: every input row accounted for.

Invariant, checked whenever a report is built: ``rows_read == kept + merged + rejected``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Issue", "IngestReport", "IngestError"]


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem found in the input.

    ``line`` is the 1-based physical line in ``file`` where the record starts (for XML,
    the line of the document's ``<?xml`` declaration); ``field`` names the source column or
    element. ``reason`` is English (the issues CSV and scripts read it); ``code`` names its
    catalog entry ``issue.<code>`` and ``args`` its values, so that :meth:`reason_in` says
    it in the session's language (``None`` for the few reasons without an entry).
    """

    file: str
    line: int
    field: str
    reason: str
    value: str | None = None
    code: str | None = None
    args: tuple = ()

    @classmethod
    def coded(cls, file: str, line: int, field: str, code: str, value: str | None = None, /, **args) -> "Issue":
        """An issue whose reason is the catalog entry ``issue.<code>`` formatted with ``args``."""
        from ..i18n import t

        return cls(file, line, field, t(f"issue.{code}", "en", **args), value, code, tuple(args.items()))

    def reason_in(self, lang: str | None = None) -> str:
        """The reason in ``lang`` (as written when it has no catalog entry)."""
        if self.code is None:
            return self.reason
        from ..i18n import t

        return t(f"issue.{self.code}", lang, **dict(self.args))

    def text(self, lang: str | None = None) -> str:
        """The issue with its place, in ``lang``: ``file, line n, field 'f': reason (value 'v')``."""
        from ..i18n import located, t

        v = "" if self.value is None else t("issue.value", lang, value=repr(self.value[:60]))
        return located(self.reason_in(lang) + v, lang, self.file, self.line, self.field)

    def __str__(self) -> str:
        return self.text("en")


class IngestError(ValueError):
    """Raised for unreadable input, and on the first bad row or value with ``strict=True``.

    The message names file, line and field and says what to do next.
    """

    key: str | None = None  # the catalog entry of a message made by :meth:`localized`
    fmt: dict | None = None

    def __init__(self, issue: Issue | str, hint=None):
        self.issue = issue if isinstance(issue, Issue) else None
        self.hint = hint  # text, or a patentnav.i18n.Phrase said in the session's language
        msg = str(issue)
        if hint:
            msg += f". {hint}"
        super().__init__(msg)

    def text(self, lang: str | None = None) -> str | None:
        """The message in ``lang`` when it is a catalog entry (:meth:`localized`, or an issue
        with a code); None otherwise: the caller shows it as written."""
        from ..i18n import Phrase, default_lang, t

        lang = lang or default_lang()
        if self.issue is not None and self.issue.code is not None:
            said = self.issue.text(lang)
        elif self.key is not None:
            said = t(self.key, lang, **(self.fmt or {}))
        else:
            return None
        hint = self.hint.text(lang) if isinstance(self.hint, Phrase) else self.hint
        return said + (("。" if lang == "zh" else ". ") + hint if hint else "")

    @classmethod
    def localized(cls, key: str, /, hint=None, **fmt) -> "IngestError":
        """An error whose message is the catalog entry ``key`` (:mod:`patentnav.i18n`) and
        whose ``hint`` (what to do next) is a :class:`~patentnav.i18n.Phrase`: the message is
        English, and the CLI shows it in the session's language.

        >>> from patentnav.i18n import Phrase
        >>> e = IngestError.localized("err.is_folder", Phrase("hint.output_new"), path="out")
        >>> str(e), e.text("zh")
        ('out: is a directory. Name a new or empty folder', 'out：这是文件夹，不是文件。请指定一个新的或空的文件夹')
        """
        from ..i18n import t

        e = cls(t(key, "en", **fmt), hint)
        e.key, e.fmt = key, fmt
        return e


@dataclass
class IngestReport:
    """Accounts for every row read.

    Attributes
    ----------
    rows_read : int
        Records found in the input (data lines, XML documents, JSON lines).
    kept : int
        Rows in the resulting corpus.
    merged : int
        Rows merged into an earlier row with the same publication number (their
        sources are listed in the corpus column ``duplicate_sources``).
    rejected : list of Issue
        Rows not kept, each with file, line, field and reason.
    warnings : list of Issue
        Values dropped from kept rows (a malformed date or classification code, ...).
    files : list of str
        Files read, in order, with the format detected for each in ``formats``.
    """

    rows_read: int = 0
    kept: int = 0
    merged: int = 0
    rejected: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    formats: list[str] = field(default_factory=list)
    per_file: list[dict] = field(default_factory=list)

    @property
    def n_rejected(self) -> int:
        return len(self.rejected)

    def check(self) -> "IngestReport":
        """Assert the accounting invariant; returns self."""
        if self.rows_read != self.kept + self.merged + self.n_rejected:
            raise AssertionError(
                f"ingest accounting broken: read {self.rows_read} != kept {self.kept} + "
                f"merged {self.merged} + rejected {self.n_rejected}"
            )
        return self

    def __add__(self, other: "IngestReport") -> "IngestReport":
        return IngestReport(
            rows_read=self.rows_read + other.rows_read,
            kept=self.kept + other.kept,
            merged=self.merged + other.merged,
            rejected=self.rejected + other.rejected,
            warnings=self.warnings + other.warnings,
            files=self.files + other.files,
            formats=self.formats + other.formats,
            per_file=self.per_file + other.per_file,
        )

    def issues_frame(self, lang: str = "en") -> "pd.DataFrame":
        """Rejected rows and warnings as one data frame (kind, file, line, field, code, reason,
        value): ``code`` names the reason for scripts (catalog entry ``issue.<code>``, the same
        in every language), ``reason`` says it in ``lang``."""
        import pandas as pd

        rows = [(kind, i.file, i.line, i.field, i.code, i.reason_in(lang), i.value)
                for kind, issues in (("rejected", self.rejected), ("warning", self.warnings)) for i in issues]
        return pd.DataFrame(rows, columns=["kind", "file", "line", "field", "code", "reason", "value"])

    def summary(self) -> dict:
        """Counts as a plain dict (for JSON reports)."""
        return {
            "files": list(self.files),
            "formats": list(self.formats),
            "rows_read": self.rows_read,
            "kept": self.kept,
            "merged_duplicates": self.merged,
            "rejected": self.n_rejected,
            "warnings": len(self.warnings),
            "per_file": list(self.per_file),
        }

    def __str__(self) -> str:
        s = self.summary()
        return (
            f"read {s['rows_read']} rows from {len(self.files)} file(s): kept {s['kept']}, "
            f"merged {s['merged_duplicates']} duplicates, rejected {s['rejected']}, "
            f"{s['warnings']} value warnings"
        )


def merge_reports(reports: Iterable[IngestReport]) -> IngestReport:
    out = IngestReport()
    for r in reports:
        out = out + r
    return out
