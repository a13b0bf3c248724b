"""Regenerate the binary-ish fixtures of this folder (hand-made data, see README.md).

    python tests/data/cn-export/make_fixtures.py

Writes incopat_gb18030.csv (GB18030, tab-separated, no BOM), export_utf8_bom.csv (UTF-8
with BOM, title line and blank line above the header), mixed_encoding.csv (UTF-8 with
one GB18030 line) and patsnap.xlsx (a notes sheet, then the list sheet with a title row
above the header). Output is byte-for-byte reproducible. ``cnipa_utf8.csv`` is plain
UTF-8 text and is edited by hand.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

DJI = "深圳市大疆创新科技有限公司"
DJI_ADDR = "广东省深圳市南山区高新区南区粤兴一道9号香港科大深圳产学研大楼6楼"
AUTEL = "深圳市道通智能航空技术股份有限公司"
AUTEL_ADDR = "广东省深圳市南山区西丽街道学苑大道1001号智园B1栋9层"

# --- incoPat-style, GB18030, tab-separated -------------------------------------------
INCOPAT_HEADER = [
    "公开（公告）号", "标题", "标题(英文)", "申请人", "发明人", "申请日", "公开（公告）日",
    "IPC主分类号", "IPC", "专利类型", "当前权利状态", "法律状态", "被引证次数", "简单同族",
    "简单同族个数", "国省代码", "优先权", "引证专利", "申请人地址", "权利要求数量(项)",
]
INCOPAT_ROWS = [
    ["CN114081026A", "一种无人机巡检路径规划方法", "Path planning method for UAV inspection", DJI, "张伟;刘芳",
     "20211108", "20220222", "G05D1/10", "G05D1/10;G06Q50/06;B64C39/02", "发明申请", "审中", "实质审查", "3",
     "CN114081026A;WO2023078123A1;US2024012345A1", "3", "44", "CN202111312345.6 2021-11-08",
     "CN110000000A;US 9,123,456 B2;CN112810000A", DJI_ADDR, "10"],
    ["CN109000000B", "一种无人机电池快换装置", "Quick battery replacement device for UAV",
     DJI + "；深圳市大疆百旺科技有限公司", "王强；李娜", "2018/07/09", "2021/03/16", "B60L53/80", "B60L53/80,B64D27/24",
     "发明授权", "有权", "授权", "12", "CN109000000B", "1", "44", "", "CN106000000A", DJI_ADDR + "；" + DJI_ADDR, "9"],
    ["CN115000000A", "一种无人机图像传输方法", "Image transmission method for UAV", "Autel Robotics USA LLC|" + AUTEL,
     "Zhang Wei|陈刚", "2022-03-01", "2022-06-03", "H04N7/18", "H04N7/18;H04N19/70;H04B7/185", "发明申请", "审中", "公开",
     "0", "CN115000000A;US2022300000A1", "2", "US", "US 63/123,456 2021-03-01", "", "Bothell, WA 98011, US|" + AUTEL_ADDR, "15"],
    ["CN216000000U", "一种无人机云台减震结构", "Damping structure of UAV gimbal", "深圳市科比特航空科技有限公司", "吴刚",
     "2021.08.16", "2022.04.12", "F16F15/08", "F16F15/08;B64D47/08", "实用新型", "失效", "未缴年费专利权终止", "",
     "CN216000000U", "1", "44", "", "", "广东省深圳市南山区桃源街道留仙大道1213号众冠红花岭工业南区", "8"],
    ["CN306000000S", "无人机（M300）", "Unmanned aerial vehicle (M300)", DJI, "孙明", "2020-03-05", "2020-09-22",
     "", "", "外观设计", "有权", "授权", "1", "CN306000000S", "1", "44", "", "", DJI_ADDR, ""],
]

# --- generic UTF-8 export with BOM and a title line ----------------------------------
BOM_TITLE = "无人机专利检索结果（导出时间：2024-05-06）"
BOM_HEADER = ["序号", "公开号", "公开日", "名称", "申请人", "地址", "IPC", "CPC", "主权项", "权利要求数量",
              "被引用次数", "同族数量", "扩展同族数量", "文献类型"]
BOM_ROWS = [
    ["1", "CN105700000B", "2018-06-19", "无人机的起落架及具有该起落架的无人机", "SZ DJI Technology Co., Ltd.;" + DJI,
     "Shenzhen, Guangdong, CN;" + DJI_ADDR, "B64C25/32, B64C25/10", "B64C25/32, B64U10/13",
     "1. 一种无人机的起落架，其特征在于，包括支撑杆和缓冲组件。", "10", "25", "4", "7", "发明"],
    ["2", "CN111650000A", "2020-09-11", "一种无人机集群通信方法、装置及系统", "华为技术有限公司|" + DJI, "", "H04W84/18",
     "", "1. 一种无人机集群通信方法，其特征在于，包括：发送广播消息。", "20", "1,024", "2", "3", "发明"],
    ["3", "CN212000000U", "2020-12-25", "一种植保无人机药箱", "深圳市大疆创新科技有限公司", DJI_ADDR, "B64D1/18", "",
     "1. 一种植保无人机药箱，其特征在于，包括箱体。", "十", "0", "1", "1", "实用新型"],
]

# --- mixed encodings: UTF-8 file with one GB18030 line ------------------------------
MIXED_LINES = [
    ("utf-8", "公开（公告）号,标题,申请人,申请日"),
    ("utf-8", "CN114081026A,一种无人机巡检路径规划方法," + DJI + ",2021-11-08"),
    ("gb18030", "CN113900000A,一种基于视觉的无人机精准降落方法," + AUTEL + ",2021-10-15"),
    ("utf-8", "CN213500000U,一种无人机用折叠机臂,深圳市科比特航空科技有限公司,2020-10-20"),
    ("utf-8", "CN112810000A,一种无人机的避障方法及无人机," + DJI + ",2021-01-28"),
]

# --- PatSnap-style XLSX -----------------------------------------------------------------
XLSX_TITLE = "智慧芽专利检索导出 - 无人机 避障（共 7 条）"
XLSX_HEADER = [
    "序号", "公开(公告)号", "申请号", "申请日", "公开(公告)日", "授权公告日", "标题", "摘要", "申请(专利权)人",
    "[标]当前申请(专利权)人", "发明人", "IPC分类号", "CPC分类号", "被引用次数", "简单同族", "扩展同族数量",
    "当前法律状态", "专利类型",
]
D = dt.datetime
XLSX_ROWS = [
    [1, "CN112810000A", "CN202110123456.7", D(2021, 1, 28), D(2021, 5, 18), None, "一种无人机的避障方法及无人机",
     "本发明公开了一种无人机的避障方法。", DJI, "大疆创新", "张伟;李娜;王强", "G05D1/10;B64C39/02", "G05D1/106",
     5, "CN112810000A;WO2022160000A1", 6, "审中", "发明申请"],
    [2, "CN109000000B", "CN201810745678.9", D(2018, 7, 9), D(2021, 3, 16), D(2021, 3, 16), "一种无人机电池快换装置",
     "本发明提供一种无人机电池快换装置。", DJI + ";深圳市大疆百旺科技有限公司", "大疆创新", "王强;李娜",
     "B60L53/80;B64D27/24", "B60L53/80;Y02T10/70", 12.0, "CN109000000B", 1, "有权", "发明授权"],
    [3, "CN113900000A", "CN202111234567.0", D(2021, 10, 15), "2022-02-30", None, "一种基于视觉的无人机精准降落方法",
     "本发明提供一种精准降落方法。", AUTEL, "道通智能", "李强;周涛", "G05D1/06;B64D45/08", "", 0,
     "CN113900000A", 1, "审中", "发明申请"],
    [4, "CN213500000U", "CN202022345678.9", D(2020, 10, 20), D(2021, 6, 22), D(2021, 6, 22), "一种无人机用折叠机臂",
     "本实用新型公开了一种折叠机臂。", "深圳市科比特航空科技有限公司", "科比特", "吴刚", "B64C1/30;ABC12/34", "", 2,
     "CN213500000U", 1, "有权", "实用新型"],
    [5, "CN112810000A", "CN202110123456.7", D(2021, 1, 28), D(2021, 5, 18), None, "一种无人机的避障方法及无人机",
     "本发明公开了一种无人机的避障方法。", DJI, "大疆创新", "张伟;李娜;王强", "G05D1/10;B64C39/02", "G05D1/106",
     5, "CN112810000A;WO2022160000A1", 6, "审中", "发明申请"],
    None,  # a blank row inside the list: skipped, not counted
    [6, None, "CN202230123456.8", D(2022, 3, 1), None, None, "无人机（M30）", None, DJI, "大疆创新", "孙明", None, None,
     None, None, None, "审中", "外观设计"],
    [7, "CN 115000000 A", "CN202210234567.1", "2022年3月1日", "2022年6月3日", None, "一种无人机图像传输方法",
     "本发明涉及一种图像传输方法。", "Autel Robotics USA LLC;" + AUTEL, "道通智能", "Zhang Wei;陈刚",
     "H04N7/18;H04N19/70", "H04N7/185", 0, "CN115000000A;US2022300000A1", 3, "审中", "发明申请"],
]

FIXED = (2024, 5, 6, 0, 0, 0)


def _incopat() -> bytes:
    lines = ["\t".join(INCOPAT_HEADER)] + ["\t".join(r) for r in INCOPAT_ROWS]
    return ("\r\n".join(lines) + "\r\n").encode("gb18030")


def _bom() -> bytes:
    import csv

    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([BOM_TITLE])
    buf.write("\r\n")
    w.writerow(BOM_HEADER)
    w.writerows(BOM_ROWS)
    return b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8")


def _mixed() -> bytes:
    return b"".join(text.encode(enc) + b"\n" for enc, text in MIXED_LINES)


def _xlsx() -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    notes = wb.active
    notes.title = "检索条件"
    notes.append(["检索式", "TAC:(无人机 AND 避障) AND APD:[2016 TO 2022]"])
    notes.append(["检索时间", "2024-05-06"])
    ws = wb.create_sheet("专利列表")
    ws.append([XLSX_TITLE])
    ws.append([])
    ws.append(XLSX_HEADER)
    for r in XLSX_ROWS:
        ws.append(r if r is not None else [])
    for row in ws.iter_rows(min_row=4):
        for c in row:
            if isinstance(c.value, dt.datetime):
                c.number_format = "yyyy-mm-dd"
    wb.properties.created = wb.properties.modified = D(*FIXED)
    raw = io.BytesIO()
    wb.save(raw)
    # rewrite the zip with fixed member times so that the file is reproducible
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2024-05-06T00:00:00Z", data)
            zi = zipfile.ZipInfo(info.filename, date_time=FIXED)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(zi, data)
    return out.getvalue()


def main() -> None:
    (HERE / "incopat_gb18030.csv").write_bytes(_incopat())
    (HERE / "export_utf8_bom.csv").write_bytes(_bom())
    (HERE / "mixed_encoding.csv").write_bytes(_mixed())
    (HERE / "patsnap.xlsx").write_bytes(_xlsx())


if __name__ == "__main__":
    main()
