"""Files that cannot be read are explained in the session's language (issue 14): ``patentnav
ingest --lang zh`` names the file and says what is wrong and what to do, in Chinese, with no
"original English text" fallback; the English messages stay as they were."""

from __future__ import annotations

import gzip
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from hostile import cn_rows, lens_csv, sample_rows, xlsx_bytes, xlsx_part, xlsx_replace, zip_bytes, zip_encrypted
from language_check import message_problems
from patentnav.cli.main import main
from patentnav.i18n import error_text

DATA = Path(__file__).parent / "data"
HEADER, ROWS = sample_rows(20)
LENS = lens_csv(ROWS, HEADER)


def _truncated_gzip(d):
    p = d / "cut.csv.gz"
    p.write_bytes(gzip.compress(LENS)[:-40])
    return p, []


def _truncated_zip(d):
    z = zip_bytes({"lens.csv": LENS})
    p = d / "cut.zip"
    p.write_bytes(z[: len(z) // 2])
    return p, ["--format", "lens"]


def _encrypted_zip(d):
    p = d / "locked.zip"
    p.write_bytes(zip_encrypted(zip_bytes({"lens.csv": LENS})))
    return p, []


def _two_member_zip(d):
    p = d / "two.zip"
    p.write_bytes(zip_bytes({"a.csv": LENS, "b.csv": LENS}))
    return p, []


def _not_lens(d):
    p = d / "other.csv"
    p.write_text("Title,Applicant,Date\nA drone,Some Firm,2020\n", encoding="utf-8")
    return p, ["--format", "lens"]


def _patentsview_without_g_patent(d):
    p = d / "pv"
    shutil.copytree(DATA / "patentsview", p)
    (p / "g_patent.tsv").unlink()
    return p, ["--format", "patentsview"]


def _damaged_sheet(d):
    base = xlsx_bytes(cn_rows(30))
    sheet = xlsx_part(base, "xl/worksheets/sheet1.xml")
    p = d / "damaged.xlsx"
    p.write_bytes(xlsx_replace(base, "xl/worksheets/sheet1.xml", sheet[: len(sheet) * 2 // 3]))
    return p, []


def _unreadable_workbook(d):
    p = d / "broken.xlsx"
    p.write_bytes(xlsx_replace(xlsx_bytes(cn_rows(3)), "xl/workbook.xml", b"<workbook"))
    return p, ["--format", "cn_export"]


def _truncated_xlsx(d):
    data = xlsx_bytes(cn_rows(30))
    p = d / "cut.xlsx"
    p.write_bytes(data[: len(data) // 2])
    return p, []


def _corrupt_parquet(d):
    p = d / "broken.parquet"
    p.write_bytes(b"PAR1" + b"\0" * 100 + b"PAR1")
    return p, []


def _unknown_format(d):
    p = d / "notes.txt"
    p.write_text("minutes of the meeting, nothing about patents\n", encoding="utf-8")
    return p, []


def _application_xml(d):
    p = d / "ipa.xml"
    p.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<us-patent-application lang="EN"></us-patent-application>\n',
                 encoding="utf-8")
    return p, ["--format", "uspto_xml"]


CASES = [
    # build, what the Chinese message says, what the (unchanged) English one says
    (_truncated_gzip, "压缩数据已损坏或不完整", "damaged or truncated compressed data"),
    (_truncated_zip, "压缩文件已损坏", "damaged compressed file"),
    (_encrypted_zip, "压缩包中的 'lens.csv' 已加密（有密码保护）。请用密码解压", "zip member 'lens.csv' is encrypted (password-protected). Extract it"),
    (_two_member_zip, "压缩包中有 2 个文件（a.csv, b.csv）", "zip archive with 2 files (a.csv, b.csv). Unzip it"),
    (_not_lens, "不是 Lens.org 导出文件", "not a Lens.org export (no 'Lens ID' and 'Publication Number' columns; found Title"),
    (_patentsview_without_g_patent, "未找到 g_patent 数据表", "no g_patent table (g_patent.tsv, .tsv.zip, .tsv.gz or .tsv.bz2) found"),
    (_damaged_sheet, "工作表 'Sheet' 在第", "sheet 'Sheet' is damaged after row"),
    (_unreadable_workbook, "不是可读取的 XLSX 工作簿", "not a readable XLSX workbook"),
    (_truncated_xlsx, "压缩文件已损坏", "damaged compressed file"),
    (_corrupt_parquet, "不是可读取的 Parquet 文件", "not a readable Parquet file"),
    (_unknown_format, "无法识别的专利导出格式", "not a recognised patent export"),
    (_application_xml, "这是 USPTO 授权前公布（申请）文件", "this is a USPTO pre-grant publication (application) file"),
]


@pytest.mark.parametrize("build, zh_says, en_says", CASES, ids=[c[0].__name__.strip("_") for c in CASES])
def test_unreadable_files_are_explained_in_chinese(tmp_path, build, zh_says, en_says):
    path, extra = build(tmp_path)
    args = ["ingest", str(path), *extra, "-o", str(tmp_path / "out.parquet")]
    zh = CliRunner().invoke(main, [*args, "--lang", "zh"], terminal_width=400)
    en = CliRunner().invoke(main, args, terminal_width=400)
    assert zh.exit_code == en.exit_code == 2, (zh.output, en.output)
    said = " ".join(zh.output.split())
    assert "以下为英文原文" not in said and zh_says in said, said
    assert str(path) in "".join(zh.output.split()), said  # names the file
    assert said.startswith("错误：") and re.search(r"[。；](请|可用 --format)", said), said  # says what to do next
    given = [str(path), "Title, Applicant, Date", "a.csv, b.csv", "lens.csv"]
    assert not message_problems(said.split("错误：", 1)[1], "zh", given), said
    flat = " ".join(en.output.split())
    assert en_says in flat and str(path) in "".join(en.output.split()), flat
    assert not message_problems(flat, "en", given), flat


def test_output_folder_refusals_and_the_csv_line_are_said_in_chinese(tmp_path):
    from patentnav.report.outputs import OutputError, plan_outputs, write_outputs
    from test_report_render import make_report

    written = dict(write_outputs(make_report("zh"), tmp_path / "zh", ["csv"]))
    assert written["csv"].startswith(str(tmp_path / "zh" / "tables")) and written["csv"].endswith("个文件）")
    assert dict(write_outputs(make_report("en"), tmp_path / "en", ["csv"]))["csv"].endswith(" files)")
    a_file = tmp_path / "report.txt"
    a_file.write_text("mine")
    with pytest.raises(OutputError) as e:
        plan_outputs(a_file)
    assert str(e.value) == f"--out {a_file} is a file, not a folder; choose another --out"
    assert error_text(e.value, "zh") == f"--out {a_file} 是文件而不是文件夹；请换一个 --out"
    mine = tmp_path / "taken"
    mine.mkdir()
    (mine / "report.html").write_text("my own page")
    with pytest.raises(OutputError) as e:
        plan_outputs(mine, ["report.html"])
    zh = error_text(e.value, "zh")
    assert "never overwrites" in str(e.value) and "不是 patentnav 写出的（清单中没有记录）" in zh and "从不覆盖" in zh
    assert not message_problems(zh, "zh", [str(mine), "report.html"]), zh
