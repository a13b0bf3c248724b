"""Holder types and litigation history (patentnav.warning.holders)."""

import pandas as pd
import pytest

from patentnav.io.report import IngestError
from patentnav.warning.holders import (
    HOLDER_RULES,
    HOLDER_TYPES,
    LITIGATION_COLUMNS,
    LITIGATION_HEADERS,
    NPE_MIN_PLAINTIFF_CASES,
    LitigationData,
    holder_types,
    litigation_by_holder,
    litigation_by_patent,
    read_litigation,
)

from conftest import DATA, ROOT

SAMPLE = DATA / "litigation_sample.csv"


def _types(names, **kw):
    d = holder_types(names, **kw)
    return dict(zip(d["name"], d["holder_type"]))


def _one(name, **kw):
    return holder_types([name], **kw).iloc[0]


def _write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


# --- holder types --------------------------------------------------------------------


def test_holder_types_constant():
    assert HOLDER_TYPES == ("firm", "individual", "university", "research_institute", "likely_npe")
    assert NPE_MIN_PLAINTIFF_CASES == 5


@pytest.mark.parametrize("name, word", [
    ("清华大学", "大学"),
    ("北京航空航天大学", "大学"),
    ("國立臺灣大學", "大學"),
    ("深圳职业技术学院", "学院"),
    ("中国科学院大学", "大学"),  # the University of CAS is a university, not the academy
    ("UNIV CALIFORNIA", "UNIV"),
    ("Tsinghua University", "UNIVERSITY"),
    ("Technische Universität München", "UNIVERSITAT"),
    ("UNIVERSITE PARIS SACLAY", "UNIVERSITE"),
    ("Universidad Politécnica de Madrid", "UNIVERSIDAD"),
    ("TRUSTEES OF DARTMOUTH COLLEGE", "COLLEGE"),
    ("MASSACHUSETTS INST TECHNOLOGY", "INST TECHNOLOGY"),
    ("Harbin Institute of Technology", "INSTITUTE OF TECHNOLOGY"),
    ("KOREA ADVANCED INST SCI & TECH", "INST SCI AND TECH"),
    ("Korea Advanced Institute of Science and Technology", "INSTITUTE OF SCIENCE AND TECHNOLOGY"),
    ("GWANGJU INSTITUTE OF SCIENCE AND TECHNOLOGY", "INSTITUTE OF SCIENCE AND TECHNOLOGY"),
    ("ECOLE POLYTECHNIQUE FEDERALE DE LAUSANNE", "ECOLE"),
    ("RHEINISCH-WESTFAELISCHE TECHNISCHE HOCHSCHULE AACHEN", "HOCHSCHULE"),
    ("UNIV KOOKMIN IND ACAD COOP FOUND", "UNIV"),
    ("INST SUPERIEUR DE L AERONAUTIQUE ET DE L ESPACE", "INST SUPERIEUR"),
])
def test_universities(name, word):
    r = _one(name)
    assert (r.holder_type, r.rule) == ("university", "university"), r.reason
    assert r.reason == f"name contains '{word}' (university)"


@pytest.mark.parametrize("name", [
    "中国科学院自动化研究所",
    "中国电子科技集团公司第五十四研究所",  # ends in 研究所, not in a company form
    "FRAUNHOFER GES FORSCHUNG",
    "Fraunhofer-Gesellschaft zur Förderung der angewandten Forschung e.V.",  # e.V. is no company form
    "CENTRE NAT RECH SCIENT",
    "CONSEJO SUPERIOR INVESTIGACION",
    "COMMISSARIAT ENERGIE ATOMIQUE",
    "ELECTRONICS & TELECOMMUNICATIONS RES INST",
    "INDUSTRIAL TECHNOLOGY RESEARCH INSTITUTE",
    "KOREA INST SCI & TECH",  # KIST, not KAIST
    "Korea Institute of Science and Technology",
    "NATIONAL INSTITUTE OF ADVANCED INDUSTRIAL SCIENCE AND TECHNOLOGY",
    "SHENYANG INST OF AUTOMATION OF THE CHINESE ACADEMY OF SCIENCES",
    "KOREA AEROSPACE RES INST",
    "DEUTSCH ZENTR LUFT & RAUMFAHRT",
    "HONG KONG APPLIED SCIENCE & TECH RESEARCH INST CO LTD",  # ASTRI: named, so its legal form does not matter
])
def test_research_institutes(name):
    r = _one(name)
    assert (r.holder_type, r.rule) == ("research_institute", "research_institute"), r.reason
    assert r.reason.startswith("name contains '") and r.reason.endswith("(research institute)")


def test_kaist_and_kist_are_told_apart():
    t = _types(["KOREA ADVANCED INST SCI & TECH", "KOREA INST SCI & TECH", "KAIST", "KIST"])
    assert t == {"KOREA ADVANCED INST SCI & TECH": "university", "KOREA INST SCI & TECH": "research_institute",
                 "KAIST": "university", "KIST": "research_institute"}


@pytest.mark.parametrize("name", [
    "深圳市大疆创新科技有限公司",
    "SZ DJI TECHNOLOGY CO LTD",
    "AUTEL ROBOTICS CO LTD",
    "深圳市道通智能航空技术有限公司",
    "UNIVERSAL DISPLAY CORP",  # UNIV must not match UNIVERSAL
    "QUALCOMM INC",
    "TEXAS INSTRUMENTS INC",
])
def test_firms(name):
    r = _one(name)
    assert (r.holder_type, r.rule) == ("firm", "firm"), r.reason
    assert r.reason == "no rule for another holder type applies"


@pytest.mark.parametrize("name, form", [
    ("北京某某大学科技开发有限公司", "有限公司"),  # a university-run enterprise
    ("PALO ALTO RES CT INC", "INC"),
    ("MITSUBISHI ELECTRIC RES LABORATORIES INC", "INC"),
    ("北京某某研究院有限公司", "有限公司"),
])
def test_company_form_overrules_generic_university_and_research_words(name, form):
    r = _one(name)
    assert (r.holder_type, r.rule) == ("firm", "company_form")
    assert r.reason.endswith(f"ends in the company form '{form}'")


@pytest.mark.parametrize("name", [
    "UNIV NAGOYA NAT UNIV CORP",  # Japanese national university corporation
    "UNIV HERTFORDSHIRE HIGHER EDUCATION CORP",
    "UNIV CENTRAL FLORIDA RES FOUND INC",
    "TECHNION RES & DEVELOPMENT FOUNDATION LTD",
])
def test_latin_legal_forms_do_not_overrule_universities(name):
    assert _one(name).holder_type == "university"


@pytest.mark.parametrize("name", ["ZHAO CONG", "王涛", "Smith, John", "CARPENTER CHRISTOPHER M"])
def test_individuals(name):
    r = _one(name)
    assert (r.holder_type, r.rule) == ("individual", "individual")
    assert "person" in r.reason


@pytest.mark.parametrize("name, pattern", [
    ("SKYWARD IP LICENSING LLC", "LICENSING"),
    ("ACME PATENT HOLDINGS LLC", "PATENT HOLDINGS"),
    ("AERIAL IP HOLDINGS LLC", "IP HOLDINGS"),
    ("NIMBUS INTELLECTUAL PROPERTY LLC", "INTELLECTUAL PROPERTY"),
    ("HOVER IP LLC", "IP LLC"),
    ("ROTOR INNOVATIONS LLC", "INNOVATIONS LLC"),
    ("INTELLECTUAL VENTURES II LLC", "INTELLECTUAL VENTURES"),
    ("AEROLIFT PATENT LLC", "PATENT LLC"),
    ("深圳市某某知识产权运营有限公司", "知识产权运营"),
])
def test_npe_name_patterns(name, pattern):
    r = _one(name)
    assert (r.holder_type, r.rule) == ("likely_npe", "npe_name"), r.reason
    assert r.reason == f"name contains '{pattern}', typical of patent-assertion entities"


@pytest.mark.parametrize("name, brand", [
    ("MICROSOFT TECHNOLOGY LICENSING LLC", "MICROSOFT"),
    ("VERIZON PATENT & LICENSING INC", "VERIZON"),
    ("AT&T INTELLECTUAL PROPERTY I, L.P.", "AT AND T"),
])
def test_ip_subsidiaries_of_operating_companies_are_firms(name, brand):
    r = _one(name)
    assert (r.holder_type, r.rule) == ("firm", "ip_subsidiary")
    assert f"operating company '{brand}'" in r.reason


def test_user_lists_win_and_compare_normalised():
    d = holder_types(["GREYWATER LLC", "ZHAO CONG", "UNIV CALIFORNIA", "SKYWARD IP LICENSING LLC", "QUALCOMM INC"],
                     npe_names=["Greywater, LLC", "Zhao Cong"], firm_names=["Skyward IP Licensing, L.L.C.", "Qualcomm Incorporated"])
    assert d["holder_type"].tolist() == ["likely_npe", "likely_npe", "university", "firm", "firm"]
    assert d["rule"].tolist() == ["user_npe", "user_npe", "university", "user_firm", "user_firm"]
    assert d["reason"][0] == "listed by the user as an NPE (npe_names)"
    # npe_names wins over firm_names
    assert _one("GREYWATER LLC", npe_names=["GREYWATER LLC"], firm_names=["GREYWATER LLC"]).rule == "user_npe"


def test_order_duplicates_and_empty_names_are_kept():
    names = ["ZHAO CONG", None, "清华大学", "ZHAO CONG", "", "SKYWARD IP LICENSING LLC"]
    d = holder_types(names)
    assert len(d) == 6
    assert d["name"].tolist()[:1] == ["ZHAO CONG"] and d["name"][3] == "ZHAO CONG"
    assert d["holder_type"][0] == d["holder_type"][3] == "individual"
    assert d["rule"][1] == "no_name" and pd.isna(d["holder_type"][1])
    assert d["rule"][4] == "no_name"
    assert d["holder_type"][5] == "likely_npe"
    assert set(d.columns) >= {"name", "holder_type", "reason", "rule"}
    assert set(d["rule"]) <= set(HOLDER_RULES)
    assert d["plaintiff_cases"].isna().all()  # no litigation data given
    assert holder_types([]).empty


def _cases_csv(tmp_path, counts, extra_rows=()):
    rows = ["case_id,plaintiff,defendant,patent,filed"]
    for name, n in counts.items():
        for i in range(n):
            rows.append(f'C-{abs(hash(name)) % 10000}-{i},"{name}",DEFENDANT {i} LLC,US{9000000 + i}B2,2019-01-{i + 1:02d}')
    rows += list(extra_rows)
    return _write(tmp_path / "cases.csv", "\n".join(rows) + "\n")


def test_litigation_threshold_four_is_firm_five_is_likely_npe(tmp_path):
    path = _cases_csv(tmp_path, {"NORTHSTAR AVIONICS LLC": 4, "SOUTHGATE AVIONICS LLC": 5,
                                 "HARLAN JAMES R": 6, "UNIV SOUTH FLORIDA": 5, "MICROSOFT TECHNOLOGY LICENSING LLC": 5})
    lit = read_litigation(path)
    d = holder_types(["NORTHSTAR AVIONICS LLC", "Southgate Avionics, LLC", "HARLAN JAMES R", "UNIV SOUTH FLORIDA",
                      "MICROSOFT TECHNOLOGY LICENSING LLC", "QUALCOMM INC"], litigation=lit).set_index("name")
    assert d.loc["NORTHSTAR AVIONICS LLC", "holder_type"] == "firm"
    assert d.loc["NORTHSTAR AVIONICS LLC", "reason"].endswith("plaintiff in 4 cases of the litigation data (below 5)")
    assert d.loc["Southgate Avionics, LLC", ["holder_type", "rule"]].tolist() == ["likely_npe", "npe_litigation"]
    assert d.loc["Southgate Avionics, LLC", "reason"] == "plaintiff in 5 cases of the litigation data (threshold 5)"
    assert d.loc["HARLAN JAMES R", "holder_type"] == "individual"  # individuals never become NPEs by count
    assert d.loc["UNIV SOUTH FLORIDA", "holder_type"] == "university"
    assert d.loc["MICROSOFT TECHNOLOGY LICENSING LLC", "rule"] == "npe_litigation"
    assert d["plaintiff_cases"].tolist() == [4, 5, 6, 5, 5, 0]
    # threshold is a parameter; firm_names overrides the count
    assert _one("NORTHSTAR AVIONICS LLC", litigation=lit, min_plaintiff_cases=4).holder_type == "likely_npe"
    assert _one("Southgate Avionics LLC", litigation=lit, firm_names=["SOUTHGATE AVIONICS"]).rule == "user_firm"
    # a cases DataFrame and a path work as well
    assert _one("SOUTHGATE AVIONICS LLC", litigation=lit.cases).holder_type == "likely_npe"
    assert _one("SOUTHGATE AVIONICS LLC", litigation=str(path)).holder_type == "likely_npe"


def test_cases_are_counted_by_case_not_by_row(tmp_path):
    # five rows, two cases (one row per patent) -> firm; five rows without case ids -> five cases (one per line)
    text = ("case_id,plaintiff,patent\n"
            + "".join(f"A-1,AVIONIX LLC,US{9100000 + i}\n" for i in range(3))
            + "".join(f"A-2,AVIONIX LLC,US{9200000 + i}\n" for i in range(2))
            + "".join(f",BLADE WORKS LLC,US{9300000 + i}\n" for i in range(5)))
    lit = read_litigation(_write(tmp_path / "c.csv", text))
    d = holder_types(["AVIONIX LLC", "BLADE WORKS LLC"], litigation=lit)
    assert d["plaintiff_cases"].tolist() == [2, 5]
    assert d["holder_type"].tolist() == ["firm", "likely_npe"]


def test_name_and_litigation_together(tmp_path):
    lit = read_litigation(SAMPLE)
    r = _one("SKYWARD IP LICENSING LLC", litigation=lit)
    assert (r.holder_type, r.rule) == ("likely_npe", "npe_name+litigation")
    assert "LICENSING" in r.reason and "plaintiff in 6 cases" in r.reason
    dji = _one("SZ DJI TECHNOLOGY CO LTD", litigation=lit)
    assert (dji.holder_type, dji.plaintiff_cases) == ("firm", 4)


# --- reading litigation data -----------------------------------------------------------


def test_read_sample():
    lit = read_litigation(SAMPLE)
    assert isinstance(lit, LitigationData)
    assert tuple(lit.cases.columns) == LITIGATION_COLUMNS
    assert lit.summary() == {"rows_read": 14, "rows_kept": 14, "rows_rejected": 0, "case_rows": 17, "issues": 1}
    c = lit.cases
    first = c[c["line"] == 2]
    assert first["patent"].tolist() == ["US-9253460-B1", "US-8903568-B1"]  # "US 9,253,460 B1; US 8,903,568 B1"
    assert c[c["line"] == 9]["patent"].tolist() == ["US-9532130-B2", "US-9414908-B2"]  # comma list with thousands commas
    assert c[c["line"] == 11]["patent"].tolist() == ["US-9532130-B2", "US-9797728-B2"]
    assert c[c["line"] == 5]["patent"].tolist() == ["US-9704265"]
    assert c.loc[c["line"] == 7, "patent"].item() == "ZL201620123456.7"  # CN patent number kept as written
    (issue,) = lit.issues
    assert (issue.line, issue.field, issue.value) == (7, "patent", "ZL201620123456.7")
    assert str(c["filed"].dtype).startswith("datetime64")
    assert c["filed"].min() == pd.Timestamp("2016-08-12")


def test_read_chinese_headers_gb18030(tmp_path):
    text = ("案号,原告,被告,专利号,立案日期,法院,结果\n"
            "(2018)粤03民初123号,深圳市大疆创新科技有限公司,深圳市某某航拍科技有限公司,CN 105000000 B,2018年3月5日,深圳市中级人民法院,调解\n"
            "(2019)粤03民初456号,深圳市道通智能航空技术有限公司,广州某某无人机有限公司,\"CN105000001B；CN105000002B\",2019-07-01,深圳市中级人民法院,判决\n")
    path = _write(tmp_path / "诉讼.csv", text, "gb18030")
    lit = read_litigation(path)
    assert lit.columns == {"case_id": "案号", "plaintiff": "原告", "defendant": "被告", "patent": "专利号",
                           "filed": "立案日期", "court": "法院", "outcome": "结果"}
    c = lit.cases
    assert c["plaintiff"].tolist() == ["深圳市大疆创新科技有限公司"] + ["深圳市道通智能航空技术有限公司"] * 2
    assert c["patent"].tolist() == ["CN-105000000-B", "CN-105000001-B", "CN-105000002-B"]
    assert c["filed"].tolist() == [pd.Timestamp("2018-03-05")] + [pd.Timestamp("2019-07-01")] * 2
    assert c["court"][0] == "深圳市中级人民法院" and c["outcome"][0] == "调解"
    assert lit.summary()["rows_read"] == 2 and not lit.issues


def test_read_bom_and_alternative_english_headers(tmp_path):
    text = ("Case Number,Patentee,Defendant,Publication_Number,Date Filed,Court,Result\r\n"
            "1:19-cv-00123,Skyward IP Licensing LLC,Northwind Aerial Inc,\"US 9,532,130 B2\",2019-02-11,E.D. Tex.,Settled\r\n")
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    lit = read_litigation(path)
    assert lit.columns["case_id"] == "Case Number" and lit.columns["plaintiff"] == "Patentee"
    assert lit.cases["case_id"].tolist() == ["1:19-cv-00123"]
    assert lit.cases["patent"].tolist() == ["US-9532130-B2"]


def test_read_tsv_and_default_country(tmp_path):
    text = "docket\tholder\tpatent_number\tdate\n2:20-cv-1\tROTOR INNOVATIONS LLC\t9,123,456; 9,234,567\t20200102\n"
    path = _write(tmp_path / "cases.tsv", text)
    raw = read_litigation(path)
    assert raw.cases["patent"].tolist() == ["9123456", "9234567"]  # bare numbers stay as written (commas removed as thousands)
    assert len(raw.issues) == 2 and all(i.field == "patent_number" for i in raw.issues)
    us = read_litigation(path, default_country="US")
    assert us.cases["patent"].tolist() == ["US-9123456", "US-9234567"] and not us.issues
    assert us.cases["filed"][0] == pd.Timestamp("2020-01-02")


def test_bad_dates_and_empty_plaintiffs_are_reported_with_lines(tmp_path):
    text = ("case_id,plaintiff,defendant,patent,filed\n"
            "K-1,SKYWARD IP LICENSING LLC,NORTHWIND AERIAL INC,US9532130B2,2019-02-30\n"   # line 2: bad date, kept
            "K-2,,BLUEFINCH DRONES LLC,US9414908B2,2019-03-01\n"                          # line 3: empty plaintiff, dropped
            "K-3,  ,BLUEFINCH DRONES LLC,US9414908B2,not a date\n"                        # line 4: blank plaintiff, dropped
            "K-4,SKYWARD IP LICENSING LLC,KESTREL CAMERA CO LTD,US9797728B2,03/15/2019\n"  # line 5: US date, not accepted by default
            "K-5,SKYWARD IP LICENSING LLC,TOO,MANY,FIELDS,HERE\n"                          # line 6: wrong field count, rejected
            "K-6,SKYWARD IP LICENSING LLC,HILLTOP SURVEY SERVICES LLC,US9414908B2,2019-04-17\n")
    path = _write(tmp_path / "bad.csv", text)
    lit = read_litigation(path)
    s = lit.summary()
    assert (s["rows_read"], s["rows_kept"], s["rows_rejected"]) == (6, 3, 3)
    assert s["rows_read"] == s["rows_kept"] + s["rows_rejected"]
    by_line = {i.line: i for i in lit.issues}
    assert sorted(by_line) == [2, 3, 4, 5, 6]
    assert by_line[2].field == "filed" and by_line[2].value == "2019-02-30" and "row kept" in by_line[2].reason
    assert by_line[2].file == str(path)
    assert by_line[3].field == "plaintiff" and "row dropped" in by_line[3].reason
    assert by_line[4].field == "plaintiff"  # the bad date of a dropped row is not reported twice
    assert by_line[5].value == "03/15/2019"
    assert "expected 5 fields" in by_line[6].reason
    c = lit.cases
    assert c["line"].tolist() == [2, 5, 7]
    assert pd.isna(c["filed"][0]) and pd.isna(c["filed"][1]) and c["filed"][2] == pd.Timestamp("2019-04-17")
    # month-first dates on request
    assert read_litigation(path, date_formats=("iso", "mdy")).cases["filed"][1] == pd.Timestamp("2019-03-15")


def test_missing_columns_error_names_file_columns_and_accepted_headers(tmp_path):
    path = _write(tmp_path / "nocols.csv", "company,amount\nFOO,1\n")
    with pytest.raises(ValueError) as e:
        read_litigation(path)
    msg = str(e.value)
    assert isinstance(e.value, IngestError)
    assert str(path) in msg and "'company'" in msg and "'amount'" in msg
    assert "plaintiff" in msg and "原告" in msg and "专利号" in msg and "案号" in msg
    # plaintiff present, but neither patent nor case id
    with pytest.raises(ValueError, match="patent or case_id"):
        read_litigation(_write(tmp_path / "p.csv", "plaintiff,defendant\nA,B\n"))
    # plaintiff with case id only is enough
    lit = read_litigation(_write(tmp_path / "ok.csv", "原告,案号\n深圳市大疆创新科技有限公司,(2018)粤03民初1号\n"))
    assert lit.cases["patent"].isna().all() and lit.cases["case_id"].tolist() == ["(2018)粤03民初1号"]


def test_every_documented_header_is_recognised(tmp_path):
    for canon, names in LITIGATION_HEADERS.items():
        for h in names:
            header = ["plaintiff" if canon != "plaintiff" else h, "patent" if canon != "patent" else h]
            if canon not in ("plaintiff", "patent"):
                header.append(h)
            text = ",".join(header) + "\n" + ",".join(["ACME", "US9123456B2", "x"][: len(header)]) + "\n"
            lit = read_litigation(_write(tmp_path / "h.csv", text))
            assert lit.columns[canon] == h, (canon, h)


def test_read_xlsx(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    import datetime as dt

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["案号", "原告", "专利号", "立案日期"])
    ws.append(["X-1", "SKYWARD IP LICENSING LLC", "US 9,532,130 B2; US9797728B2", dt.datetime(2019, 2, 11)])
    ws.append([None, None, None, None])
    ws.append(["X-2", None, "US9414908B2", "2019-03-01"])
    path = tmp_path / "cases.xlsx"
    wb.save(path)
    lit = read_litigation(path)
    assert lit.cases["patent"].tolist() == ["US-9532130-B2", "US-9797728-B2"]
    assert lit.cases["filed"][0] == pd.Timestamp("2019-02-11")
    assert lit.summary()["rows_read"] == 2 and lit.summary()["rows_rejected"] == 1
    assert [(i.line, i.field) for i in lit.issues] == [(4, "原告")]


# --- summaries -------------------------------------------------------------------------


def test_litigation_by_holder():
    lit = read_litigation(SAMPLE)
    d = litigation_by_holder(lit, ["SZ DJI Technology Co., Ltd.", "skyward ip licensing llc", "NOBODY LLC", None,
                                   "SZ DJI TECHNOLOGY CO LTD"])
    assert d["name"].tolist()[:3] == ["SZ DJI Technology Co., Ltd.", "skyward ip licensing llc", "NOBODY LLC"]
    assert d["cases"].tolist() == [4, 6, 0, 0, 4]
    assert d["distinct_defendants"].tolist() == [3, 5, 0, 0, 3]  # "Kestrel Camera Co., Ltd." = "KESTREL CAMERA CO LTD"
    assert d["patents_asserted"].tolist() == [5, 3, 0, 0, 5]
    assert d["last_filed"][0] == pd.Timestamp("2018-01-15") and d["first_filed"][0] == pd.Timestamp("2016-08-12")
    assert d["last_filed"][1] == pd.Timestamp("2020-01-28")
    assert pd.isna(d["last_filed"][2])


def test_litigation_by_patent_matches_ignoring_kind():
    lit = read_litigation(SAMPLE)
    q = ["US-9532130-B2", "US9532130", "US 9,797,728 B2", "US-9253460-B1", "US-9704265-B2", "EP-2780228-B1",
         "ZL 201620123456.7", None]
    d = litigation_by_patent(lit, q)
    assert d["publication_number"].tolist()[:7] == q[:7]
    assert d["cases"].tolist() == [3, 3, 3, 2, 1, 0, 1, 0]
    assert d["plaintiffs"].tolist() == [1, 1, 1, 1, 1, 0, 1, 0]
    assert d["plaintiff_names"][0] == "SKYWARD IP LICENSING LLC"  # one spelling per plaintiff
    assert d["plaintiff_names"][3] == "SZ DJI TECHNOLOGY CO LTD"
    assert d["match"].tolist()[:7] == ["exact", "exact", "exact", "exact", "ignoring kind", None, "exact"]
    assert d["last_filed"][2] == pd.Timestamp("2020-01-28")
    assert d["patent_key"][2] == "US-9797728-B2"


def test_us_kind_codes_are_ignored_but_numbers_are_not(tmp_path):
    path = _write(tmp_path / "k.csv", "plaintiff,patent\nACME LLC,US9123456\nACME LLC,US 9123457 B1\nACME LLC,US-20170123456-A1\n")
    d = litigation_by_patent(read_litigation(path), ["US-9123456-B2", "US9123457", "US-912345-B2", "US 2017/0123456 A1"])
    assert d["cases"].tolist() == [1, 1, 0, 1]
    assert d["match"].tolist() == ["ignoring kind", "ignoring kind", None, "exact"]


def test_docs_state_the_rules_threshold_and_headers():
    doc = (ROOT / "docs" / "warning-holders.md").read_text(encoding="utf-8")
    assert f"`NPE_MIN_PLAINTIFF_CASES` = **{NPE_MIN_PLAINTIFF_CASES}**" in doc
    for rule in HOLDER_RULES:
        assert f"`{rule}`" in doc, rule
    for names in LITIGATION_HEADERS.values():
        assert ", ".join(names) in doc
    assert "not real case data" in (DATA / "litigation_sample.md").read_text(encoding="utf-8")


def test_singular_case_in_reason(tmp_path):
    lit = read_litigation(_write(tmp_path / "one.csv", "plaintiff,patent\nACME LLC,US9123456B2\n"))
    assert _one("ACME LLC", litigation=lit).reason.endswith("plaintiff in 1 case of the litigation data (below 5)")


def test_business_nouns_are_not_people():
    """PARROT DRONES has the two-word shape of a person's name; a business noun says firm."""
    from patentnav.warning.holders import holder_types

    got = holder_types(["PARROT DRONES", "ACME ROBOTICS", "ZHAO CONG", "SMITH JOHN"])["holder_type"].tolist()
    assert got == ["firm", "firm", "individual", "individual"]
