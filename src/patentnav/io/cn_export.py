"""Chinese-header patent exports: CNIPA (专利检索及分析), incoPat and PatSnap-style lists,
as CSV/TSV (UTF-8, UTF-8 with BOM, GB18030) or XLSX.

Columns are recognised by their Chinese (or English) header, in any of the spellings the
services use (``公开（公告）号``, ``公开(公告)号``, ``公开号`` ...); a title line or blank rows
above the header are skipped (the header is looked for in the first 10 lines/rows).
Full column mapping, list separators and date rules: ``docs/formats/cn-export.md``.

Reference: CNIPA 专利检索及分析系统 export fields; incoPat and PatSnap (智慧芽) export
field lists, as seen in their user guides.
"""

from __future__ import annotations

import csv
import io
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .._arrow import regroup, with_values
from ..i18n import Phrase, join_items
from .build import RawBatch, build_table
from .report import IngestError, IngestReport, Issue
from .compressed import check_member
from .delimited import LineCursor, iter_lines
from .source import cell_text as _cell_text, is_xlsx, iter_sheet_rows, open_workbook as _open_workbook, read_delimited, read_text
from .values import split_lists

__all__ = ["read_cn_export", "looks_like_cn_export", "CN_FIELDS", "normalize_header", "HEADER_SEARCH_ROWS"]

#: The header row is looked for in this many first lines (CSV) or rows (XLSX).
HEADER_SEARCH_ROWS = 10
#: Columns of a sheet looked at for the header, and beyond the header's width for stray values.
_MAX_COLUMNS = 1024
_EXTRA_COLUMNS = 64

# Publication-number columns, by group. Within one row the number is taken from the
# first group (in this order) that has a value; the publication date from the same group.
_PUB_GROUPS = ("general", "grant", "announce", "publish", "app_pub")
_PUB_NUMBER = {
    "公开(公告)号": "general",
    "公开公告号": "general",
    "文献号": "general",
    "publicationnumber": "general",
    "授权公告号": "grant",
    "公告号": "announce",
    "公开号": "publish",
    "申请公布号": "app_pub",
}
_PUB_DATE = {
    "公开(公告)日": "general",
    "公开公告日": "general",
    "授权公告日": "grant",
    "公告日": "announce",
    "公开日": "publish",
    "申请公布日": "app_pub",
}

#: Normalised header (see :func:`normalize_header`) -> canonical field (or an internal role).
CN_FIELDS: dict[str, str] = {
    **{h: "pub:" + g for h, g in _PUB_NUMBER.items()},
    **{h: "date:" + g for h, g in _PUB_DATE.items()},
    "申请号": "application_number",
    "申请日": "filing_date",
    "标题": "title",
    "名称": "title",
    "发明名称": "title",
    "专利名称": "title",
    "中文标题": "title",
    "标题(中文)": "title",
    "摘要": "abstract",
    "中文摘要": "abstract",
    "摘要(中文)": "abstract",
    "主权项": "claims:first",
    "首项权利要求": "claims:first",
    "独立权利要求": "claims:independent",
    "权利要求": "claims:all",
    "权利要求书": "claims:all",
    "权利要求数量": "claims_count",
    "权利要求数": "claims_count",
    "申请(专利权)人": "applicants",
    "申请人": "applicants",
    "专利权人": "applicants",
    "当前专利权人": "applicants",
    "申请人(专利权人)": "applicants",
    "申请人地址": "applicant_addresses",
    "地址": "applicant_addresses",
    "申请人国家": "country_codes",
    "申请人国家/地区": "country_codes",
    "国省代码": "country_codes",
    "发明人": "inventors",
    "设计人": "inventors",
    "代理机构": "agency",
    "专利代理机构": "agency",
    "代理机构名称": "agency",
    "代理人": "agent_persons",
    "专利代理人": "agent_persons",
    "ipc主分类号": "ipc_main",
    "主分类号": "ipc_main",
    "ipc分类号": "ipc",
    "ipc": "ipc",
    "分类号": "ipc",
    "cpc": "cpc",
    "cpc分类号": "cpc",
    "优先权号": "priority_numbers",
    "优先权": "priority_combined",
    "优先权日": "priority_dates",
    "引证专利": "cited_publications",
    "引用专利": "cited_publications",
    "引证文献": "cited_publications",
    "被引证次数": "forward_citations",
    "被引用次数": "forward_citations",
    "被引次数": "forward_citations",
    "同族专利": "family_members",
    "同族": "family_members",
    "简单同族": "family_members",
    "简单同族成员": "family_members",
    "同族数量": "family_size",
    "同族数": "family_size",
    "简单同族个数": "family_size",
    "扩展同族数量": "extended_family_size",
    "法律状态": "legal_status",
    "当前法律状态": "legal_status",
    "法律状态/事件": "legal_status",
    "当前权利状态": "legal_status",
    "专利类型": "document_type_raw",
    "文献类型": "document_type_raw",
    "类型": "document_type_raw",
}

# Headers that identify the format (Chinese publication-number columns only, so that an
# English "Publication Number" export is left to its own reader).
_CN_PUB_HEADERS = frozenset(h for h in _PUB_NUMBER if re.search(r"[\u4e00-\u9fff]", h))

# A unit in brackets after a header: 权利要求数量(项), 被引证次数（次）
_UNIT = re.compile(r"\((?:件|项|次|个|条|篇|份|家|人|位|年|天)\)$")

# List separators, per field (see docs/formats/cn-export.md):
# names and addresses may contain commas (``Apple, Inc.``, ``Cupertino, CA``), codes and
# numbers never do (after thousands separators are removed).
NAME_SEP = r"re:\s*[;；|\r\n]+\s*"
#: 代理人 lists: Chinese personal names hold no comma, so commas and 、 separate them too
PERSON_SEP = r"re:\s*[;；|,，、\r\n]+\s*"
# the five-digit CNIPA agency code written after an agency's name ("... 代理有限公司 11227")
_AGENCY_CODE = r"[\s(（]*[0-9]{5}[)）]?\s*$"
CODE_SEP = r"re:\s*[;；|,，、\r\n]+\s*"

_DATE_TOKEN = (
    r"(?:[0-9]{4}[\-./][0-9]{1,2}[\-./][0-9]{1,2}"
    r"|[0-9]{4}\s*年\s*[0-9]{1,2}\s*月\s*[0-9]{1,2}\s*日"
    r"|(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01]))"
)


def normalize_header(h) -> str:
    """Header text in the form used as key of :data:`CN_FIELDS`.

    NFKC (full-width brackets and letters to half-width), no whitespace, no trailing
    ``*``, lower case; ``【】`` read as ``[]``.
    """
    s = unicodedata.normalize("NFKC", "" if h is None else str(h)).replace("\ufeff", "")
    s = s.replace("【", "[").replace("】", "]")
    s = re.sub(r"\s+", "", s).rstrip("*").lower()
    return s


def _field_of(h) -> str | None:
    key = normalize_header(h)
    if key in CN_FIELDS:
        return CN_FIELDS[key]
    stripped = _UNIT.sub("", key).rstrip("*")
    return CN_FIELDS.get(stripped) if stripped != key else None


def looks_like_cn_export(header) -> bool:
    """True when a header row names a Chinese publication-number column (公开（公告）号 ...)."""
    return any(normalize_header(h) in _CN_PUB_HEADERS for h in header)


def _is_header(cells) -> bool:
    return any(_field_of(c) is not None and _field_of(c).startswith("pub:") for c in cells)


# --- containers -----------------------------------------------------------------------


@dataclass
class _Grid:
    """Header and records of one file, whatever the container."""

    file: str
    header: list[str]
    header_line: int
    rows: list[list[str]]
    lines: list[int]
    bad: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    container: str = "csv"
    _cols: list | None = field(default=None, repr=False)

    @property
    def n_records(self) -> int:
        return len(self.rows) + len(self.bad)

    def column(self, i: int) -> list[str]:
        if self._cols is None:
            self._cols = [list(c) for c in zip(*self.rows)] if self.rows else [[] for _ in self.header]
        return self._cols[i]


def _split_line(line: str) -> list[str]:
    delim = "\t" if line.count("\t") > line.count(",") else ","
    return next(csv.reader([line], delimiter=delim), [])


def _read_csv(path, file: str) -> _Grid:
    text = read_text(path)
    header_idx = hline = None
    for i, line in enumerate(iter_lines(text.text, LineCursor(0, 0))):
        if i >= HEADER_SEARCH_ROWS:
            break
        if line.strip() and _is_header(_split_line(line.lstrip("\ufeff").rstrip("\r\n"))):
            header_idx, hline = i, line
            break
    if header_idx is None:
        raise IngestError.localized("err.cn_no_pn_lines", Phrase("hint.pn_column"), path=file, n=HEADER_SEARCH_ROWS,
                                    columns=_pn_names("公开（公告）号", "公开号", "公告号", "申请公布号", "授权公告号", "文献号"))
    delim = "\t" if hline.count("\t") > hline.count(",") else ","
    rows = read_delimited(path, delimiter=delim, skip_lines=header_idx, text=text)
    header = [h.lstrip("\ufeff") for h in rows.header]
    return _Grid(file, header, rows.header_line, rows.rows, rows.lines, list(rows.bad), list(rows.warnings), f"csv ({text.encoding})")


def _pn_names(*names: str) -> Phrase:
    """Publication-number column names, listed in the reader's language."""
    return Phrase(render=lambda lang: join_items(names, lang))


def _find_sheet_header(ws, file: str) -> tuple[int, list] | None:
    """(1-based row, cells) of the header row in the first rows of a sheet, or None."""
    for i, row in iter_sheet_rows(ws, file, max_row=HEADER_SEARCH_ROWS, max_col=_MAX_COLUMNS):
        if row and _is_header(row):
            return i, list(row)
    return None


def _read_xlsx(path, file: str, sheet: str | int | None = None) -> _Grid:
    with open(path, "rb") as fh:
        wb = _open_workbook(fh, file)
        try:
            return _read_workbook(wb, file, sheet)
        finally:
            wb.close()


def _read_workbook(wb, file: str, sheet: str | int | None) -> _Grid:
    sheets = wb.worksheets
    if sheet is not None:
        try:
            candidates = [wb[sheet]] if isinstance(sheet, str) else [sheets[sheet]]
        except (KeyError, IndexError) as e:
            raise IngestError.localized("err.no_sheet", Phrase("hint.name_sheet"), path=file, sheet=repr(sheet),
                                        sheets=", ".join(wb.sheetnames)) from e
    else:
        candidates = sheets
    found = None
    for ws in candidates:
        if getattr(ws, "reset_dimensions", None):
            ws.reset_dimensions()  # exports often carry a wrong <dimension>
        h = _find_sheet_header(ws, file)
        if h is not None:
            found = (ws, h)
            break
    if found is None:
        raise IngestError.localized("err.cn_no_pn_sheets", Phrase("hint.pn_column"), path=file, n=HEADER_SEARCH_ROWS,
                                    columns=_pn_names("公开（公告）号", "公开号"), sheets=", ".join(ws.title for ws in candidates))
    ws, (hrow, hcells) = found
    width = max((i + 1 for i, c in enumerate(hcells) if c is not None and str(c).strip()), default=0)
    header = [_cell_text(c).strip() for c in hcells[:width]]
    rows, lines, warnings = [], [], []
    extra_cols = False
    from . import progress

    total = max((ws.max_row or 0) - hrow, 1)  # the sheet's declared size (may be absent: then 1)
    # cells beyond the header (+ a margin to notice values there) are not materialised: a
    # cell at column XFD would otherwise pad every row to 16,384 values
    for r, row in iter_sheet_rows(ws, file, min_row=hrow + 1, max_col=width + _EXTRA_COLUMNS):
        if (r - hrow) % progress.EVERY == 0:  # the reader's position, for a progress bar
            progress.report(min((r - hrow) / total, 1.0), len(rows))
        cells = [_cell_text(v) for v in row]
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > width and any(c.strip() for c in cells[width:]):
            extra_cols = True
        cells = (cells + [""] * width)[:width]
        rows.append(cells)
        lines.append(r)
    if extra_cols:
        warnings.append(Issue.coded(file, hrow, "(header)", "headerless_values"))
    return _Grid(file, header, hrow, rows, lines, [], warnings, f"xlsx (sheet {ws.title!r})")


# --- columns --------------------------------------------------------------------------


def _nonblank(values: list[str]) -> pa.Array:
    a = pa.array(values, pa.string())
    t = pc.utf8_trim_whitespace(a)
    return pc.if_else(pc.equal(t, ""), pa.scalar(None, pa.string()), t)


def _drop_thousands(values) -> pa.Array:
    """``US 9,123,456 B2`` -> ``US 9123456 B2`` so that commas can separate list items."""
    a = pa.array(values, pa.string()) if not isinstance(values, pa.Array) else values
    for _ in range(3):
        a = pc.replace_substring_regex(a, r"([0-9]),([0-9]{3})([^0-9]|$)", r"\1\2\3")
    return a


def _priorities(combined: list[str]) -> tuple[pa.Array, pa.Array]:
    """Items of a 优先权 cell (``CN202110123456.7 2021-01-28``, ``2015.02.13 US 62/116,216``)
    as (numbers, dates) list arrays, aligned (date ``""`` where none is given)."""
    lists = split_lists(_drop_thousands(combined), CODE_SEP)
    flat = pc.list_flatten(lists)
    first = pc.extract_regex(flat, rf"^(?P<d>{_DATE_TOKEN})\s+(?P<n>.*[0-9].*)$")
    last = pc.extract_regex(flat, rf"^(?P<n>.*[0-9].*?)\s+(?P<d>{_DATE_TOKEN})$")
    num = pc.coalesce(pc.struct_field(first, "n"), pc.struct_field(last, "n"), flat)
    date = pc.coalesce(pc.struct_field(first, "d"), pc.struct_field(last, "d"), pa.scalar("", pa.string()))
    return with_values(lists, num), with_values(lists, date)


def _country_codes(values: list[str]) -> tuple[pa.Array, int]:
    """Two-letter country codes of a 申请人国家 / 国省代码 cell; other values (Chinese
    province codes such as ``44``) are not countries: returns how many were left out."""
    lists = split_lists(values, CODE_SEP)
    flat = pc.utf8_upper(pc.list_flatten(lists))
    ok = pc.match_substring_regex(flat, r"^[A-Z]{2}$")
    parent = pc.list_parent_indices(lists)
    kept = regroup(pa.table({"p": parent, "c": flat}).filter(ok), len(lists))
    left_out = len(flat) - (pc.sum(ok).as_py() or 0)
    return kept, left_out


def _agents(agency: list[str] | None, persons: list[str] | None, n: int) -> pa.Array:
    """Representatives of each row: the agencies (their CNIPA code removed), then the agents."""
    parts = []
    if agency is not None:
        a = split_lists(agency, NAME_SEP)
        flat = pc.utf8_trim_whitespace(pc.replace_substring_regex(pc.list_flatten(a), _AGENCY_CODE, ""))
        parts.append(pa.table({"p": pc.list_parent_indices(a), "k": pa.array(np.zeros(len(flat), np.int8)), "c": flat}))
    if persons is not None:
        b = split_lists(persons, PERSON_SEP)
        flat = pc.list_flatten(b)
        parts.append(pa.table({"p": pc.list_parent_indices(b), "k": pa.array(np.ones(len(flat), np.int8)), "c": flat}))
    t = pa.concat_tables(parts)
    t = t.filter(pc.not_equal(t["c"], ""))
    t = t.take(pc.sort_indices(t, sort_keys=[("p", "ascending"), ("k", "ascending")]))  # stable: source order within each
    return regroup(t.select(["p", "c"]), n)


def _legal_status(cols: list[pa.Array]) -> pa.Array:
    """Join several status columns row by row (``有权; 授权``), skipping blanks and repeats."""
    acc = cols[0]
    for c in cols[1:]:
        both = pc.and_(pc.is_valid(acc), pc.is_valid(c)).fill_null(False)
        differ = pc.and_(both, pc.not_equal(acc, c).fill_null(False))
        joined = pc.binary_join_element_wise(acc, c, "; ")
        acc = pc.if_else(differ, joined, pc.coalesce(acc, c))
    return acc


# Type texts that do not say whether the document is an application or a grant: the
# kind code decides (values.document_types would read them as "application").
_AMBIGUOUS_TYPES = ("发明", "发明专利")


def _columns(grid: _Grid) -> tuple[dict, dict, list[Issue]]:
    """Canonical raw columns, their source names, and header warnings."""
    file, hl = grid.file, grid.header_line
    notes: list[Issue] = []
    pub_cols: dict[str, list[tuple[str, int]]] = {g: [] for g in _PUB_GROUPS}
    date_cols: dict[str, list[tuple[str, int]]] = {g: [] for g in _PUB_GROUPS}
    status_cols: list[tuple[str, int]] = []
    fields: dict[str, tuple[str, int]] = {}
    for i, h in enumerate(grid.header):
        if not h.strip():
            if any(r[i].strip() for r in grid.rows):
                notes.append(Issue.coded(file, hl, f"(column {i + 1})", "column_unused_no_header"))
            continue
        role = _field_of(h)
        if role is None:
            notes.append(Issue.coded(file, hl, h, "column_unused"))
            continue
        if role.startswith("pub:"):
            pub_cols[role[4:]].append((h, i))
            continue
        if role.startswith("date:"):
            date_cols[role[5:]].append((h, i))
            continue
        if role == "legal_status":
            status_cols.append((h, i))
            continue
        if role in fields:
            notes.append(Issue.coded(file, hl, h, "column_unused_same", other=fields[role][0]))
            continue
        fields[role] = (h, i)

    cols: dict = {}
    names: dict = {}
    n = len(grid.rows)

    # publication number and date: first group with a number, its own date
    ordered = [(g, h, i) for g in _PUB_GROUPS for h, i in pub_cols[g]]
    names["publication_number"] = ordered[0][1]
    nums = [_nonblank(grid.column(i)) for _, _, i in ordered]
    cols["publication_number"] = pc.coalesce(*nums) if nums else pa.nulls(n, pa.string())
    chosen = np.full(n, -1, dtype=np.int64)
    for k in reversed(range(len(nums))):
        chosen = np.where(pc.is_valid(nums[k]).to_numpy(zero_copy_only=False), k, chosen)
    dates_ordered = [(g, h, i) for g in _PUB_GROUPS for h, i in date_cols[g]]
    if dates_ordered:
        own = []
        for k, (g, _, _) in enumerate(ordered):
            for dg, _, di in dates_ordered:
                if dg == g:
                    own.append(pc.if_else(pa.array(chosen == k), _nonblank(grid.column(di)), pa.scalar(None, pa.string())))
                    break
        any_date = [_nonblank(grid.column(i)) for _, _, i in dates_ordered]
        cols["publication_date"] = pc.coalesce(*own, *any_date)
        names["publication_date"] = dates_ordered[0][1]
        for _, h, i in dates_ordered:
            if normalize_header(h) == "授权公告日":
                cols["grant_date"] = _nonblank(grid.column(i))
                names["grant_date"] = h
                break

    if status_cols:
        status_cols.sort(key=lambda t: 0 if normalize_header(t[0]) == "当前权利状态" else 1)
        cols["legal_status"] = _legal_status([_nonblank(grid.column(i)) for _, i in status_cols])
        names["legal_status"] = "; ".join(h for h, _ in status_cols)

    claim_roles = [r for r in ("claims:all", "claims:independent", "claims:first") if r in fields]
    if claim_roles:  # per row the most complete claims column that has text, and what it holds
        texts = [_nonblank(grid.column(fields[r][1])) for r in claim_roles]
        cover = [pc.if_else(pc.is_valid(x), pa.scalar(r.split(":")[1]), pa.scalar(None, pa.string())) for x, r in zip(texts, claim_roles)]
        cols["claims"], cols["claims_coverage"] = pc.coalesce(*texts), pc.coalesce(*cover)
        names["claims"] = names["claims_coverage"] = " / ".join(fields[r][0] for r in claim_roles)
    if "agency" in fields or "agent_persons" in fields:
        cols["agents"] = _agents(grid.column(fields["agency"][1]) if "agency" in fields else None,
                                 grid.column(fields["agent_persons"][1]) if "agent_persons" in fields else None, n)
        names["agents"] = " + ".join(fields[r][0] for r in ("agency", "agent_persons") if r in fields)
    for role, (h, i) in fields.items():
        vals = grid.column(i)
        if role.startswith("claims:") or role in ("agency", "agent_persons"):
            continue
        if role == "country_codes":
            codes, left_out = _country_codes(vals)
            cols["applicant_countries"] = codes
            names["applicant_countries"] = h
            if left_out:
                notes.append(Issue.coded(file, hl, h, "province_codes", n=left_out))
        elif role == "priority_combined":
            continue  # below, once 优先权号 / 优先权日 are known
        elif role in ("cited_publications", "family_members", "priority_numbers"):
            cols[role] = _drop_thousands(vals)
            names[role] = h
        elif role == "document_type_raw":
            a = _nonblank(vals)
            cols[role] = pc.if_else(pc.is_in(a, value_set=pa.array(_AMBIGUOUS_TYPES)).fill_null(False), pa.scalar(None, pa.string()), a)
            names[role] = h
        else:
            cols[role] = vals
            names[role] = h
    if "priority_combined" in fields:
        h, i = fields["priority_combined"]
        if "priority_numbers" in cols and "priority_dates" in cols:
            notes.append(Issue.coded(file, hl, h, "priorities_elsewhere", numbers=names["priority_numbers"], dates=names["priority_dates"]))
        else:
            numbers, dates = _priorities(grid.column(i))
            if "priority_numbers" not in cols:
                cols["priority_numbers"], names["priority_numbers"] = numbers, h
            if "priority_dates" not in cols:
                cols["priority_dates"], names["priority_dates"] = dates, h
    return cols, names, notes


_LIST_SEP = {
    "applicants": NAME_SEP,
    "inventors": NAME_SEP,
    "applicant_addresses": NAME_SEP,
    "ipc": CODE_SEP,
    "cpc": CODE_SEP,
    "priority_numbers": CODE_SEP,
    "priority_dates": CODE_SEP,
    "cited_publications": CODE_SEP,
    "family_members": CODE_SEP,
}


def read_cn_export(path: str | os.PathLike, *, strict: bool = False, sheet: str | int | None = None) -> tuple[pa.Table, IngestReport]:
    """Read a Chinese-header export (CNIPA, incoPat, PatSnap-style) from CSV/TSV or XLSX.

    Parameters
    ----------
    path : path-like
        ``.csv`` / ``.txt`` (UTF-8, UTF-8 with BOM or GB18030; comma or tab; optionally
        gzip/bz2/xz-compressed) or ``.xlsx`` (detected by content, not by name).
    strict : bool
        Raise :class:`~patentnav.io.report.IngestError` on the first bad row or value.
    sheet : str or int, optional
        XLSX only: the sheet to read (name or 0-based index). By default the first sheet
        whose first 10 rows hold a header with a publication-number column.

    Returns
    -------
    (pyarrow.Table, IngestReport)
        Canonical table (not yet de-duplicated) and the accounting of every row. Lines in
        issues are CSV physical lines or Excel row numbers; header columns that are not
        used are listed as warnings on the header line.
    """
    file = str(path)
    grid = _read_xlsx(path, file, sheet) if is_xlsx(path) else _read_csv(path, file)
    cols, names, notes = _columns(grid)
    batch = RawBatch(
        source_format="cn_export",
        source_file=file,
        lines=grid.lines,
        columns=cols,
        field_names=names,
        list_sep=_LIST_SEP,
        date_formats=("iso", "compact", "cn"),
        rows_read=grid.n_records,
        pre_rejected=list(grid.bad),
        notes=list(grid.warnings) + list(notes),  # decoding fallbacks: the text was read, not a bad value
    )
    return build_table(batch, strict=strict)


# --- detection ------------------------------------------------------------------------


def _xlsx_has_cn_header(path) -> bool:
    """Cheap XLSX check: a Chinese publication-number header among the first shared
    strings, or as an inline string in the first rows of the first sheets (no workbook load).

    Parsed with defusedxml (an entity declaration stops the check: such a file is not
    detected, and reading it with ``format="cn_export"`` gives the error); parts are checked
    against the limits before they are opened."""
    from defusedxml.ElementTree import iterparse

    def text_of(el) -> str:
        return "".join(t.text or "" for t in el.iter() if t.tag.rsplit("}", 1)[-1] == "t")

    file = str(path)
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        if "xl/workbook.xml" not in names:
            return False
        if "xl/sharedStrings.xml" in names:
            check_member(z.getinfo("xl/sharedStrings.xml"), file)
            with z.open("xl/sharedStrings.xml") as f:
                for k, (_, el) in enumerate(iterparse(f)):
                    if el.tag.rsplit("}", 1)[-1] == "si":
                        if normalize_header(text_of(el)) in _CN_PUB_HEADERS:
                            return True
                        el.clear()
                    if k > 20000:
                        break
        sheets = sorted(n for n in names if re.fullmatch(r"xl/worksheets/sheet[0-9]+\.xml", n))[:3]
        for name in sheets:
            check_member(z.getinfo(name), file)
            with z.open(name) as f:
                for _, el in iterparse(f):
                    tag = el.tag.rsplit("}", 1)[-1]
                    if tag == "is" and normalize_header(text_of(el)) in _CN_PUB_HEADERS:
                        return True
                    if tag == "row":
                        if int(el.get("r", "0") or 0) >= HEADER_SEARCH_ROWS:
                            break
                        el.clear()
    return False


def _sniff(path, head: bytes, text: str) -> bool:
    if head[:4] == b"PK\x03\x04":
        if not is_xlsx(path):
            return False
        from defusedxml import DefusedXmlException

        try:
            return _xlsx_has_cn_header(path)
        except DefusedXmlException:
            return True  # a workbook declaring XML entities: the reader refuses it with the reason
    if not text:
        return False
    buf = io.StringIO(text.lstrip("\ufeff"), newline="")
    for _ in range(HEADER_SEARCH_ROWS):
        line = buf.readline()
        if not line:
            break
        if line.strip() and looks_like_cn_export(_split_line(line.rstrip("\r\n"))):
            return True
    return False


def _read(path, *, strict: bool = False):
    return read_cn_export(path, strict=strict)


from .registry import register  # noqa: E402

register("cn_export", _read, _sniff, "Chinese-header CSV/XLSX export (CNIPA, incoPat, PatSnap-style: 公开（公告）号, 申请人 ...)")
