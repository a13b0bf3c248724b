"""USPTO patent grant full-text XML (the weekly ``ipgYYMMDD.xml`` files, DTD v4.x, 2005 onwards).

A weekly file concatenates one XML document per grant (``<?xml ...?><!DOCTYPE ...>
<us-patent-grant>...</us-patent-grant>``), interleaved with the occasional sequence
listing (``<sequence-cwu>``). The file is split into documents at the ``<?xml``
declarations (bytes level), each document is parsed on its own with the standard
library's :mod:`xml.etree.ElementTree`, and the fields are handed to
:func:`~patentnav.io.build.build_table` as raw columns; all normalisation
(publication numbers, dates, IPC/CPC codes, document types) happens there.

Safety: a UTF-16 file (with or without BOM) is transcoded to UTF-8 first, so that the
byte-level checks below see its markup; the DOCTYPE is removed before parsing, so no DTD is
ever fetched or read; a document whose internal DTD subset declares entities (``<!ENTITY``,
the "billion laughs" pattern), that declares an encoding other than UTF-8/ASCII/Latin-1
(an EBCDIC or UTF-7 document could hide its markup from those checks) or that is longer
than the ``record_bytes`` limit is rejected unparsed; documents are parsed with defusedxml
(entities and external references forbidden). A malformed or truncated document is
rejected with the line where it starts and the parser's message; the other documents are
read. More documents than the ``rows`` limit end in a LimitError (docs/limits.md).

Field mapping and rules: ``docs/formats/uspto-xml.md``.

Reference: USPTO, *Patent Grant Full Text Data (No Images) -- XML*, Red Book
documentation and DTDs ``us-patent-grant-v40-2004-12-02`` to ``v42-2006-08-23``,
``v43-2012-12-04``, ``v44-2013-05-16`` and later.
"""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET

import pyarrow as pa
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as _safe_fromstring

from ..i18n import Phrase
from ..limits import LimitError, get_limits, limit_issue

from .build import RawBatch, build_table
from .report import IngestError, IngestReport, Issue
from .source import read_bytes

__all__ = ["read_uspto_xml", "split_documents", "looks_like_uspto_grant_xml", "USPTO_XML_FIELDS"]

_ROOT = "us-patent-grant"
_BIB = "us-patent-grant/us-bibliographic-data-grant"

#: canonical field -> element path named in issue messages
USPTO_XML_FIELDS = {
    "publication_number": f"{_BIB}/publication-reference",
    "publication_date": f"{_BIB}/publication-reference/document-id/date",
    "grant_date": f"{_BIB}/publication-reference/document-id/date",
    "source_id": "us-patent-grant/@file",
    "application_number": f"{_BIB}/application-reference/document-id/doc-number",
    "filing_date": f"{_BIB}/application-reference/document-id/date",
    "title": f"{_BIB}/invention-title",
    "abstract": "us-patent-grant/abstract",
    "claims": "us-patent-grant/claims",
    "claims_count": f"{_BIB}/number-of-claims",
    "ipc": f"{_BIB}/classifications-ipcr/classification-ipcr",
    "cpc": f"{_BIB}/classifications-cpc",
    "applicants": f"{_BIB}/assignees/assignee",
    "applicant_countries": f"{_BIB}/assignees/assignee/addressbook/address/country",
    "applicant_addresses": f"{_BIB}/assignees/assignee/addressbook/address",
    "inventors": f"{_BIB}/us-parties/inventors/inventor",
    "agents": f"{_BIB}/us-parties/agents/agent (or parties/agents/agent)",
    "claims_coverage": "us-patent-grant/claims (all claims)",
    "dependent_claim_numbers": "us-patent-grant/claims/claim[.//claim-ref]/@num",
    "priority_numbers": f"{_BIB}/priority-claims/priority-claim/doc-number",
    "priority_countries": f"{_BIB}/priority-claims/priority-claim/country",
    "priority_dates": f"{_BIB}/priority-claims/priority-claim/date",
    "cited_publications": f"{_BIB}/us-references-cited/us-citation/patcit",
    "cited_npl": f"{_BIB}/us-references-cited/us-citation/nplcit/othercit",
}

# documents of the weekly file that are not patents and are skipped (not counted)
_COMPANION_ROOTS = {b"sequence-cwu"}

_XML_DECL = re.compile(rb"<\?xml[\s?]")
# one item of the XML prolog: declaration / processing instruction, comment, DOCTYPE
_PROLOG_ITEM = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->|(?P<doctype><!DOCTYPE\s[^\[>]*(?:\[.*?\]\s*)?>))", re.S)
_ROOT_NAME = re.compile(rb"\s*<([A-Za-z_][\w.\-]*)")
_ENTITY_DECL = re.compile(rb"<!ENTITY\s")
_ENCODING_DECL = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._\-]+)[\"']")
#: encodings in which the byte-level checks see the markup as written
_ASCII_COMPATIBLE = {"utf-8", "utf8", "us-ascii", "ascii", "iso-8859-1", "latin-1", "latin1", "iso8859-1", "windows-1252", "cp1252"}
# foreign citation numbers with the kind code in front: "A-10-100907", "B-39431/89"
_KIND_FIRST = re.compile(r"^([A-Z][0-9]?)[\s\-]+([0-9].*)$")

# IPC edition 1-7 fixed-width spelling of classification-ipc (v4.0): subclass (4),
# main group right-aligned in 3 columns, subgroup: "A45F  504" = A45F 5/04
_IPC_FIXED = re.compile(r"^([A-H][0-9]{2}[A-Z])([0-9 ]{2}[0-9])([0-9]{2,4})$")


def looks_like_uspto_grant_xml(head: bytes) -> bool:
    """True when the file starts as XML (``<?xml``, ``<!DOCTYPE`` or ``<us-patent-grant``,
    after a BOM and whitespace) and its first bytes hold a ``<us-patent-grant`` element; a
    text file that merely mentions the element (a README) is not one."""
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return start.startswith((b"<?xml", b"<!DOCTYPE", b"<us-patent-grant")) and b"<us-patent-grant" in head


def split_documents(data: bytes) -> list[tuple[int, int, int]]:
    """``(start, end, line)`` of each document in a concatenated XML file.

    Documents start at each ``<?xml`` declaration (and at byte 0 when the file does not
    begin with one); ``line`` is the 1-based line of the document's first byte.
    Whitespace-only stretches are dropped.
    """
    starts = [m.start() for m in _XML_DECL.finditer(data)]
    if not starts or data[: starts[0]].strip():
        starts.insert(0, 0)
    bounds = starts + [len(data)]
    out = []
    line = 1
    prev = 0
    for s, e in zip(bounds, bounds[1:]):
        line += data.count(b"\n", prev, s)
        prev = s
        if data[s:e].strip():
            out.append((s, e, line))
    return out


def to_utf8(data: bytes, file: str) -> bytes:
    """A UTF-16 file (BOM, or ``<?xml`` spelt with NUL bytes) as UTF-8 with its encoding
    declarations rewritten; any other bytes unchanged."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:]
    enc = None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        enc = "utf-16"
    elif data.startswith(b"<\x00"):
        enc = "utf-16-le"
    elif data.startswith(b"\x00<"):
        enc = "utf-16-be"
    if enc is None:
        return data
    try:
        text = data.decode(enc)
    except UnicodeDecodeError as e:
        raise IngestError.localized("err.xml_utf16", Phrase("hint.xml_utf16"), path=file, detail=str(e)) from e
    text = re.sub(r"(<\?xml[^>]*?encoding\s*=\s*[\"'])UTF-16(?:LE|BE|-LE|-BE)?([\"'])", r"\1UTF-8\2", text.lstrip("\ufeff"), flags=re.I)
    return text.encode("utf-8")


def _prolog(doc: bytes) -> tuple[list[tuple[int, int]], bytes | None]:
    """Spans of the DOCTYPE declarations in the prolog and the root element's name."""
    pos, doctypes = 0, []
    while True:
        m = _PROLOG_ITEM.match(doc, pos)
        if not m or m.end() == pos:
            break
        if m.group("doctype") is not None:
            doctypes.append(m.span("doctype"))
        pos = m.end()
    r = _ROOT_NAME.match(doc, pos)
    return doctypes, (r.group(1) if r else None)


# --- element helpers ------------------------------------------------------------------

def _text(e: ET.Element | None, path: str | None = None) -> str:
    if e is not None and path is not None:
        e = e.find(path)
    if e is None or e.text is None:
        return ""
    return e.text.strip()


def _all_text(e: ET.Element | None) -> str:
    """Text content of an element and its descendants, whitespace collapsed."""
    if e is None:
        return ""
    return " ".join("".join(e.itertext()).split())


def _code(c: ET.Element) -> str:
    """``H04W72/04`` from a classification-ipcr / classification-cpc element."""
    sub = _text(c, "section") + _text(c, "class") + _text(c, "subclass")
    mg, sg = _text(c, "main-group"), _text(c, "subgroup")
    if not mg:
        return sub
    return f"{sub}{mg}/{sg or '00'}"


def _ipc_fixed(s: str) -> str:
    """IPC 1-7 classification-ipc text: ``A45F  504`` -> ``A45F5/04``; other spellings as given."""
    s = s.strip()
    m = _IPC_FIXED.match(s)
    if m and "/" not in s:
        return f"{m.group(1)}{int(m.group(2))}/{m.group(3)}"
    return s


def _person(ab: ET.Element) -> str:
    """``orgname``, else ``Last, First`` (or the one name given)."""
    org = _all_text(ab.find("orgname"))
    if org:
        return org
    last, first = _all_text(ab.find("last-name")), _all_text(ab.find("first-name"))
    return f"{last}, {first}" if last and first else (last or first)


def _party(p: ET.Element) -> tuple[str, str, str]:
    """(name, country, address) of an assignee / applicant / inventor element."""
    ab = p.find("addressbook")
    if ab is None:  # a few assignees carry orgname directly (v4.2)
        ab = p
    name = _person(ab)
    addr = ab.find("address")
    city, state, country = _text(addr, "city"), _text(addr, "state"), _text(addr, "country")
    if not country and state:
        country = "US"  # US addresses sometimes give the state only
    address = ", ".join(x for x in (city, state, country) if x)
    return name, country, address


_COLS = (
    "publication_number", "publication_date", "grant_date", "source_id", "application_number",
    "filing_date", "title", "abstract", "claims", "claims_count", "ipc", "cpc", "applicants",
    "applicant_countries", "applicant_addresses", "inventors", "agents", "claims_coverage", "dependent_claim_numbers", "priority_numbers",
    "priority_countries", "priority_dates", "cited_publications", "cited_npl",
)


def _extract(root: ET.Element, cols: dict[str, list], seen: set[str]) -> None:
    """Append one grant's raw values to ``cols``; ``seen`` collects the DTD variants met."""
    bib = root.find("us-bibliographic-data-grant")
    if bib is None:
        bib = ET.Element("us-bibliographic-data-grant")

    pub = bib.find("publication-reference/document-id")
    cc = _text(pub, "country") or root.get("country", "")
    num, kind, pdate = _text(pub, "doc-number"), _text(pub, "kind"), _text(pub, "date")
    cols["publication_number"].append(" ".join(x for x in (cc, num, kind) if x) if num else "")
    cols["publication_date"].append(pdate)
    # every document of a grant file is issued on its date, except statutory invention
    # registrations (kind H), which are published but not granted
    cols["grant_date"].append("" if kind.startswith("H") else pdate)
    cols["source_id"].append(root.get("file", ""))

    app = bib.find("application-reference/document-id")
    anum = _text(app, "doc-number")
    cols["application_number"].append(_text(app, "country") + anum if anum else "")
    cols["filing_date"].append(_text(app, "date"))

    cols["title"].append(_all_text(bib.find("invention-title")))
    ab = root.find("abstract")
    if ab is not None:
        paras = [_all_text(p) for p in ab.findall("p")] or [_all_text(ab)]
        cols["abstract"].append("\n".join(p for p in paras if p))
    else:
        cols["abstract"].append("")

    claims = root.findall("claims/claim")
    texts, marked = [], []
    for i, c in enumerate(claims, start=1):
        n = c.get("num", "").lstrip("0") or str(i)
        t = _all_text(c)
        texts.append(t if re.match(rf"{n}\s*\.", t) else f"{n}. {t}")
        if c.find(".//claim-ref") is not None:  # the markup of a reference to another claim
            marked.append(n)
    cols["claims"].append("\n".join(texts))
    cols["claims_coverage"].append("all" if claims else "")
    cols["dependent_claim_numbers"].append(marked)
    cols["claims_count"].append(_text(bib, "number-of-claims") or (str(len(claims)) if claims else ""))

    ipc = [_code(c) for c in bib.iterfind("classifications-ipcr/classification-ipcr")]
    old = bib.find("classification-ipc")
    if old is not None:
        seen.add("classification-ipc")
        ipc += [_ipc_fixed(e.text or "") for e in old if e.tag in ("main-classification", "further-classification")]
    cols["ipc"].append(ipc)
    cpc = [_code(c) for part in ("main-cpc", "further-cpc") for c in bib.iterfind(f"classifications-cpc/{part}//classification-cpc")]
    cols["cpc"].append(cpc)

    # owners: assignees; without any, the applicants listed in the parties
    parties = bib.findall("assignees/assignee")
    if not parties:
        parties = bib.findall("us-parties/us-applicants/us-applicant") or bib.findall("parties/applicants/applicant")
        if parties:
            seen.add("applicants-fallback")
    names, countries, addresses = [], [], []
    for p in parties:
        n_, c_, a_ = _party(p)
        if n_:
            names.append(n_)
            countries.append(c_)
            addresses.append(a_)
    cols["applicants"].append(names)
    cols["applicant_countries"].append(countries)
    cols["applicant_addresses"].append(addresses)

    inv = bib.findall("us-parties/inventors/inventor") or bib.findall("parties/inventors/inventor")
    if not inv:
        inv = [a for a in bib.findall("parties/applicants/applicant") + bib.findall("us-parties/us-applicants/us-applicant")
               if a.get("app-type") == "applicant-inventor"]
        if inv:
            seen.add("parties")
    cols["inventors"].append([x for x in (_person(i.find("addressbook") if i.find("addressbook") is not None else i) for i in inv) if x])
    # representatives (attorneys, agents, law firms), in the order of their sequence
    agents = bib.findall("us-parties/agents/agent") or bib.findall("parties/agents/agent")
    cols["agents"].append([x for x in (_person(a.find("addressbook") if a.find("addressbook") is not None else a) for a in agents) if x])

    pn, pc_, pd = [], [], []
    for p in bib.iterfind("priority-claims/priority-claim"):
        c_, d_ = _text(p, "country"), _text(p, "doc-number")
        if d_:
            pn.append(c_ + d_)
            pc_.append(c_)
            pd.append(_text(p, "date"))
    cols["priority_numbers"].append(pn)
    cols["priority_countries"].append(pc_)
    cols["priority_dates"].append(pd)

    cited, npl = [], []
    cits = bib.findall("us-references-cited/us-citation")
    if not cits:
        cits = bib.findall("references-cited/citation")
        if cits:
            seen.add("references-cited")
    for c in cits:
        pat = c.find("patcit/document-id")
        if pat is not None:
            c_, d_, k_ = _text(pat, "country"), _text(pat, "doc-number"), _text(pat, "kind")
            if c_ and d_[: len(c_)].upper() == c_.upper() and not d_[len(c_): len(c_) + 1].isalpha():
                d_ = d_[len(c_):].lstrip(" /-")  # "WO" + "WO/96/41640": the country repeated in the number
            if not k_ and c_ != "US":
                m = _KIND_FIRST.match(d_)  # JP "A-10-100907", "A 2002-147320": the kind written first
                if m:
                    k_, d_ = m.group(1), m.group(2)
            if d_:
                cited.append(" ".join(x for x in (c_, d_, k_) if x))
            continue
        t = _all_text(c.find("nplcit/othercit")) or _all_text(c.find("nplcit"))
        if t:
            npl.append(t)
    cols["cited_publications"].append(cited)
    cols["cited_npl"].append(npl)


def _field_names(seen: set[str]) -> dict[str, str]:
    names = dict(USPTO_XML_FIELDS)
    if "classification-ipc" in seen:
        names["ipc"] = f"{_BIB}/classifications-ipcr or classification-ipc"
    if "references-cited" in seen:
        names["cited_publications"] = f"{_BIB}/references-cited/citation/patcit"
        names["cited_npl"] = f"{_BIB}/references-cited/citation/nplcit/othercit"
    if "parties" in seen:
        names["inventors"] = f"{_BIB}/parties/applicants/applicant"
    if "applicants-fallback" in seen:
        for k in ("applicants", "applicant_countries", "applicant_addresses"):
            names[k] = f"{names[k]} (or the listed applicants)"
    return names


def _not_grant_hint(data: bytes) -> Phrase:
    """What the file is instead of a grant full-text XML file (said in the reader's language)."""
    head = data[:4096]
    if b"<us-patent-application" in head:
        return Phrase("what.xml.application")
    if b"<PATDOC" in head or b"ST32-US-Grant" in head:
        return Phrase("what.xml.patdoc")
    if head.lstrip().startswith((b"PATN", b"HHHHHT")):
        return Phrase("what.xml.aps")
    return Phrase("what.xml.no_grant")


def read_uspto_xml(path: str | os.PathLike, *, strict: bool = False) -> tuple[pa.Table, IngestReport]:
    """Read a USPTO grant full-text XML file (weekly ``ipgYYMMDD.xml``, DTD v4.x).

    Parameters
    ----------
    path : path-like
        The XML file (optionally gzip/bz2/xz-compressed; unzip the weekly ``.zip`` first).
    strict : bool
        Raise :class:`~patentnav.io.report.IngestError` on the first malformed document
        or value instead of reporting it.

    Returns
    -------
    (pyarrow.Table, IngestReport)
        One row per ``<us-patent-grant>`` document (not yet de-duplicated); sequence
        listings (``<sequence-cwu>``) in the file are skipped and not counted.
        ``source_row`` is the line of the document's ``<?xml`` declaration.
    """
    file = str(path)
    data = to_utf8(read_bytes(path), file)
    if b"<us-patent-grant" not in data:
        raise IngestError.localized("err.xml_not_grant", Phrase("hint.xml_grant"), path=file, why=_not_grant_hint(data))
    cols: dict[str, list] = {c: [] for c in _COLS}
    lines: list[int] = []
    rejected: list[Issue] = []
    seen: set[str] = set()
    rows_read = 0
    # with strict=True, build_table raises on the first rejected document or dropped value
    # in line order
    reject = rejected.append

    from . import progress

    size = max(len(data), 1)
    lim = get_limits()
    for start, end, line in split_documents(data):
        if rows_read % 256 == 0:  # the reader's position, for a progress bar
            progress.report(start / size, rows_read)
        if _prolog(data[start:min(end, start + (1 << 16))])[1] in _COMPANION_ROOTS:
            continue
        rows_read += 1
        if end - start > lim.record_bytes:
            reject(limit_issue(file, line, "(document)", "record_bytes", Phrase("what.limit.xml_bytes", n=end - start)))
            continue
        doc = data[start:end]
        doctypes, root = _prolog(doc)
        if rows_read > lim.rows:
            raise LimitError(file, "rows", Phrase("what.limit.xml_documents", n=lim.rows))
        m = _ENCODING_DECL.match(doc)
        if m and m.group(1).decode("ascii").lower() not in _ASCII_COMPATIBLE:
            reject(Issue.coded(file, line, "(document)", "xml_encoding", encoding=repr(m.group(1).decode("ascii"))))
            continue
        if _ENTITY_DECL.search(doc):
            reject(Issue.coded(file, line, "(document)", "xml_entities"))
            continue
        if root is not None and root != b"us-patent-grant":
            reject(Issue.coded(file, line, "(document)", "xml_root", root=root.decode("ascii", "replace")))
            continue
        for a, b in reversed(doctypes):  # never read a DTD; keep the line count for error positions
            doc = doc[:a] + b"\n" * doc.count(b"\n", a, b) + doc[b:]
        try:
            el = _safe_fromstring(doc)
        except DefusedXmlException as e:
            reject(Issue.coded(file, line, "(document)", "xml_refused", detail=f"{type(e).__name__}: {e}"))
            continue
        except ET.ParseError as e:
            msg = str(e)
            pos_ = getattr(e, "position", None)
            if pos_:
                msg = re.sub(r":\s*line \d+, column \d+$", "", msg) + f" at line {line + pos_[0] - 1}, column {pos_[1]}"
            reject(Issue.coded(file, line, "(document)", "xml_malformed", detail=msg))
            continue
        if el.tag != _ROOT:  # e.g. no DOCTYPE/root detected before parsing
            reject(Issue.coded(file, line, "(document)", "xml_root", root=el.tag))
            continue
        _extract(el, cols, seen)
        lines.append(line)

    batch = RawBatch(
        source_format="uspto_xml",
        source_file=file,
        lines=lines,
        columns=cols,
        field_names=_field_names(seen),
        date_formats=("compact", "iso"),
        rows_read=rows_read,
        pre_rejected=rejected,
    )
    return build_table(batch, strict=strict)


def _sniff(path, head: bytes, text: str) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<")):
        enc = "utf-16" if head[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-16-le" if head[:1] == b"<" else "utf-16-be")
        head = head[: len(head) // 2 * 2].decode(enc, errors="ignore").lstrip("\ufeff").encode("utf-8")
    return looks_like_uspto_grant_xml(head)


def _read(path, *, strict: bool = False):
    return read_uspto_xml(path, strict=strict)


from .registry import register  # noqa: E402

register("uspto_xml", _read, _sniff, "USPTO patent grant full-text XML (weekly ipgYYMMDD.xml, DTD v4.x, 2005 onwards)")
