"""Builders of hostile and broken inputs for the hardening tests, made on the fly and small.

Bombs are generated at test time (a few MB) and read under lowered limits, so the suite
stays fast while the code paths are the ones a 10 GiB bomb would take.
"""

from __future__ import annotations

import csv
import gzip
import io
import struct
import zipfile
import zlib
from pathlib import Path

import patentnav

def sample_rows(n: int = 50) -> tuple[list[str], list[list[str]]]:
    """Header and the first ``n`` rows of the bundled Lens drone sample."""
    text = gzip.decompress(patentnav.datasets.path("drones").read_bytes()).decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return rows[0], rows[1:n + 1]


def lens_csv(rows: list[list[str]], header: list[str] | None = None) -> bytes:
    header = header or sample_rows(0)[0]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


# --- zip archives ---------------------------------------------------------------------------

def zip_bytes(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=method) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def _patch_headers(data: bytes, fn) -> bytes:
    """Apply ``fn(bytearray, offset, kind)`` to every local (kind "local") and central
    ("central") header of a zip."""
    b = bytearray(data)
    for sig, kind in ((b"PK\x03\x04", "local"), (b"PK\x01\x02", "central")):
        i = b.find(sig)
        while i >= 0:
            fn(b, i, kind)
            i = b.find(sig, i + 4)
    return bytes(b)


def zip_encrypted(data: bytes) -> bytes:
    """Set the 'encrypted' flag bit on every member (the content stays readable bytes)."""
    def fn(b, i, kind):
        off = i + (6 if kind == "local" else 8)
        flags = struct.unpack_from("<H", b, off)[0] | 0x1
        struct.pack_into("<H", b, off, flags)
    return _patch_headers(data, fn)


def zip_method(data: bytes, method: int = 9) -> bytes:
    """Claim another compression method (9 = Deflate64, as Windows Explorer writes)."""
    def fn(b, i, kind):
        struct.pack_into("<H", b, i + (8 if kind == "local" else 10), method)
    return _patch_headers(data, fn)


def zip_bad_crc(data: bytes) -> bytes:
    """Change the CRC-32 recorded for every member."""
    def fn(b, i, kind):
        off = i + (14 if kind == "local" else 16)
        crc = struct.unpack_from("<I", b, off)[0]
        struct.pack_into("<I", b, off, crc ^ 0xDEADBEEF)
    return _patch_headers(data, fn)


# --- XLSX ------------------------------------------------------------------------------------

CN_HEADER = ["公开（公告）号", "标题", "申请人", "申请日", "公开（公告）日", "IPC分类号"]


def xlsx_bytes(rows: list[list], header: list[str] = CN_HEADER) -> bytes:
    """A real workbook written by openpyxl (shared strings), as bytes."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


_CT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
       '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
       '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
       '<Default Extension="xml" ContentType="application/xml"/>'
       '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
       '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
       '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
       '</Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
         '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
         '</Relationships>')
_WB = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
       '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
       'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
       '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WB_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
            '</Relationships>')


def _x(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def xlsx_shared(rows: list[list[str]], header: list[str] = CN_HEADER, doctype: str = "", replace: dict | None = None) -> bytes:
    """A minimal workbook (as Excel writes it) whose cells are shared strings; ``doctype`` goes
    into sharedStrings.xml, ``replace`` maps a cell text to raw XML (an entity reference)."""
    table = [header] + rows
    strings: list[str] = []
    index: dict[str, int] = {}
    cells = []
    for r, row in enumerate(table, start=1):
        cs = []
        for c, v in enumerate(row):
            k = index.setdefault(v, len(strings))
            if k == len(strings):
                strings.append(v)
            cs.append(f'<c r="{chr(65 + c)}{r}" t="s"><v>{k}</v></c>')
        cells.append(f'<row r="{r}">' + "".join(cs) + "</row>")
    replace = replace or {}
    sst = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + doctype
           + f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{len(strings)}" uniqueCount="{len(strings)}">'
           + "".join(f"<si><t>{replace.get(v, _x(v))}</t></si>" for v in strings) + "</sst>")
    sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             + "".join(cells) + "</sheetData></worksheet>")
    return zip_bytes({"[Content_Types].xml": _CT.encode(), "_rels/.rels": _RELS.encode(), "xl/workbook.xml": _WB.encode(),
                      "xl/_rels/workbook.xml.rels": _WB_RELS.encode(), "xl/sharedStrings.xml": sst.encode("utf-8"),
                      "xl/worksheets/sheet1.xml": sheet.encode("utf-8")})


def cn_rows(n: int = 5) -> list[list[str]]:
    return [[f"CN10{i:07d}A", f"一种无人机{i}", "深圳市大疆创新科技有限公司", "2019-01-02", "2020-03-04", "B64C39/02"]
            for i in range(n)]


def xlsx_replace(data: bytes, name: str, new: bytes) -> bytes:
    """The workbook with part ``name`` replaced (other parts copied as they are)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            out.writestr(info.filename, new if info.filename == name else src.read(info.filename))
    return buf.getvalue()


def xlsx_part(data: bytes, name: str) -> bytes:
    return zipfile.ZipFile(io.BytesIO(data)).read(name)


def with_doctype(xml: bytes, doctype: str, entity_ref: str | None = None) -> bytes:
    """Put ``doctype`` after the XML declaration (or first) and, optionally, replace the first
    header text with an entity reference (``&e;``)."""
    if xml.startswith(b"<?xml"):
        head, sep, rest = xml.partition(b"?>")
        out = head + sep + doctype.encode("utf-8") + rest
    else:
        out = doctype.encode("utf-8") + xml
    if entity_ref:
        out = out.replace("标题".encode("utf-8"), entity_ref.encode("utf-8"), 1)
    return out


BILLION_LAUGHS = ("<!DOCTYPE sst [" + '<!ENTITY e0 "lollollollollollollollollollol">'
                  + "".join(f'<!ENTITY e{i} "{("&e" + str(i - 1) + ";") * 10}">' for i in range(1, 9)) + "]>")
XXE = '<!DOCTYPE sst [<!ENTITY e SYSTEM "file:///etc/passwd">]>'


# --- USPTO XML ---------------------------------------------------------------------------------

def uspto_doc(number: str = "09123456", title: str = "Unmanned aerial vehicle", extra_dtd: str = "") -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<!DOCTYPE us-patent-grant SYSTEM "us-patent-grant-v44-2013-05-16.dtd" [{extra_dtd}]>\n'
            f'<us-patent-grant lang="EN" dtd-version="v4.4 2013-05-16" file="US{number}-20150101.XML" country="US">'
            f"<us-bibliographic-data-grant><publication-reference><document-id><country>US</country>"
            f"<doc-number>{number}</doc-number><kind>B2</kind><date>20150101</date></document-id></publication-reference>"
            f"<invention-title id=\"d2e43\">{title}</invention-title></us-bibliographic-data-grant></us-patent-grant>\n")


def write(tmp: Path, name: str, data: bytes | str) -> Path:
    p = tmp / name
    p.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return p


def gz(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=6)


def deflate_ratio(data: bytes) -> float:
    return len(data) / max(len(zlib.compress(data)), 1)
