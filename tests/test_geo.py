"""Region assignment: address parsing, evidence order, fractional counting, firm lists."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
import pytest

pytest.importorskip("cpca")

import patentnav  # noqa: E402
from patentnav.geo import (  # noqa: E402
    SOURCES,
    assign_regions,
    cities,
    parse_address,
    parse_addresses,
    provinces,
    region_keys,
    region_shares,
    source_summary,
)
from patentnav.model.corpus import Corpus  # noqa: E402

# address, country, province_iso, city_key, district
ADDRESSES = [
    ("广东省深圳市南山区科技园科苑路15号", "CN", "CN-GD", "CN-GD-Shenzhen", "南山区"),
    ("深圳市南山区高新南一道9号", "CN", "CN-GD", "CN-GD-Shenzhen", "南山区"),
    ("518057 广东省深圳市宝安区西乡街道", "CN", "CN-GD", "CN-GD-Shenzhen", "宝安区"),
    ("中国广东省深圳市龙岗区坂田华为总部办公楼", "CN", "CN-GD", "CN-GD-Shenzhen", "龙岗区"),
    ("广州市天河区珠江新城", "CN", "CN-GD", "CN-GD-Guangzhou", "天河区"),
    ("广东省东莞市松山湖高新区", "CN", "CN-GD", "CN-GD-Dongguan", None),
    ("北京市海淀区清华园1号", "CN", "CN-BJ", "CN-BJ-Beijing", "海淀区"),
    ("上海市浦东新区张江高科技园区", "CN", "CN-SH", "CN-SH-Shanghai", "浦东新区"),
    ("天津市滨海新区", "CN", "CN-TJ", "CN-TJ-Tianjin", "滨海新区"),
    ("重庆市渝北区", "CN", "CN-CQ", "CN-CQ-Chongqing", "渝北区"),
    ("江苏省苏州市工业园区星湖街328号", "CN", "CN-JS", "CN-JS-Suzhou", None),
    ("湖北省仙桃市", "CN", "CN-HB", "CN-HB-Xiantao", None),
    ("香港九龙塘达之路", "HK", None, None, None),
    ("中国香港特别行政区", "HK", None, None, None),
    ("台湾省新竹市", "TW", None, None, None),
    ("澳门特别行政区", "MO", None, None, None),
    ("美国加利福尼亚州圣何塞市", "US", None, None, None),
    ("Shenzhen, CN", "CN", "CN-GD", "CN-GD-Shenzhen", None),
    ("Shenzhen, Guangdong, China", "CN", "CN-GD", "CN-GD-Shenzhen", None),
    ("Nanshan District, Shenzhen 518057 (CN)", "CN", "CN-GD", "CN-GD-Shenzhen", "Nanshan"),
    ("SHENZHEN CITY, GUANGDONG PROVINCE, P.R. CHINA", "CN", "CN-GD", "CN-GD-Shenzhen", None),
    ("Beijing 100085 (CN)", "CN", "CN-BJ", "CN-BJ-Beijing", None),
    ("Hangzhou Zhejiang 310000 (CN)", "CN", "CN-ZJ", "CN-ZJ-Hangzhou", None),
    ("Xi'an, Shaanxi", "CN", "CN-SN", "CN-SN-Xian", None),
    ("Suzhou, Anhui", "CN", "CN-AH", "CN-AH-Suzhou", None),
    ("Suzhou (CN)", "CN", "CN-JS", "CN-JS-Suzhou", None),
    ("Guangdong 518129 (CN)", "CN", "CN-GD", None, None),
    ("Jilin, CN", "CN", "CN-JL", None, None),
    ("Hong Kong (HK)", "HK", None, None, None),
    ("Kowloon, Hong Kong", "HK", None, None, None),
    ("Taipei, TW", "TW", None, None, None),
    ("Macau", "MO", None, None, None),
    ("San Jose, CA, US", "US", None, None, None),
    ("Mountain View, CA 94043 (US)", "US", None, None, None),
    ("Munich (DE)", "DE", None, None, None),
    ("San Jose, CA", None, None, None, None),  # CA alone could be California: not a country
    ("xyz 123", None, None, None, None),
    ("", None, None, None, None),
    ("!!!", None, None, None, None),
]


@pytest.mark.parametrize("address,country,province,city,district", ADDRESSES)
def test_parse_address_table(address, country, province, city, district):
    d = parse_address(address)
    assert (d["country"], d["province_iso"], d["city_key"], d["district"]) == (country, province, city, district)


def test_parse_addresses_batch_order_and_nulls():
    df = parse_addresses([a[0] for a in ADDRESSES] + [None])
    assert len(df) == len(ADDRESSES) + 1
    assert df["city_key"].tolist()[:-1] == [a[3] for a in ADDRESSES]
    assert df.iloc[-1]["country"] is None
    assert df.loc[0, "province"] == "广东省" and df.loc[0, "city"] == "深圳市"
    assert df.loc[0, "province_en"] == "Guangdong" and df.loc[0, "city_en"] == "Shenzhen"


def test_region_keys_levels():
    df = parse_addresses(["广东省深圳市南山区", "Guangdong 518129 (CN)", "Hong Kong (HK)", "Munich (DE)", "xyz"])
    assert region_keys(df, "country").tolist() == ["CN", "CN", "HK", "DE", None]
    assert region_keys(df, "province").tolist() == ["CN-GD", "CN-GD", "HK", "DE", None]
    assert region_keys(df, "city").tolist() == ["CN-GD-Shenzhen", "CN-GD", "HK", "DE", None]
    with pytest.raises(ValueError):
        region_keys(df, "district")


def test_tables():
    p, c = provinces(), cities()
    assert len(p) == 34 and p["iso"].is_unique
    assert p.set_index("name_zh").loc["广东省", "iso"] == "CN-GD"
    assert c["key"].is_unique
    sz = c.set_index("name_zh").loc["深圳市"]
    assert (sz["name_en"], sz["key"]) == ("Shenzhen", "CN-GD-Shenzhen")
    assert c.set_index("name_zh").loc["六盘水市", "name_en"] == "Liupanshui"


def _corpus(rows):
    cols = {k: [r.get(k) for r in rows] for k in
            ["publication_number", "jurisdiction", "applicants", "applicants_harmonized", "applicant_countries",
             "applicant_addresses", "priority_countries", "priority_dates"]}
    for k in ["applicants", "applicants_harmonized", "applicant_countries", "applicant_addresses",
              "priority_countries", "priority_dates"]:
        cols[k] = [v or [] for v in cols[k]]
    return Corpus(pa.table(cols, schema=pa.schema([
        ("publication_number", pa.string()), ("jurisdiction", pa.string()),
        ("applicants", pa.list_(pa.string())), ("applicants_harmonized", pa.list_(pa.string())),
        ("applicant_countries", pa.list_(pa.string())), ("applicant_addresses", pa.list_(pa.string())),
        ("priority_countries", pa.list_(pa.string())), ("priority_dates", pa.list_(pa.date32()))])))


D = dt.date
SMALL = [
    # address for each applicant; the second is foreign
    dict(publication_number="CN-1-A", jurisdiction="CN", applicants=["深圳市大疆创新科技有限公司", "Acme Inc"],
         applicant_addresses=["广东省深圳市南山区", "Mountain View, CA 94043 (US)"], priority_countries=["CN"]),
    # one address, three applicants: the address is the first applicant's; others fall back
    dict(publication_number="CN-2-A", jurisdiction="CN", applicants=["A公司", "B公司", "C"],
         applicant_addresses=["北京市海淀区"], applicant_countries=["CN", "JP", "X1"],
         priority_countries=["US"], priority_dates=[D(2015, 1, 1)]),
    # no address, aligned countries
    dict(publication_number="US-3-B2", jurisdiction="US", applicants=["X", "Y"], applicant_countries=["KR", "HK"]),
    # priority fallback: earliest national priority (EP and WO skipped)
    dict(publication_number="WO-4-A1", jurisdiction="WO", applicants=["Z"],
         priority_countries=["US", "WO", "CN"], priority_dates=[D(2016, 5, 1), D(2014, 1, 1), D(2015, 1, 1)]),
    # jurisdiction fallback
    dict(publication_number="JP-5-A", jurisdiction="JP", applicants=["Q"]),
    # nothing: WO without priority
    dict(publication_number="WO-6-A1", jurisdiction="WO", applicants=["R"]),
    # no applicants at all
    dict(publication_number="DE-7-A1", jurisdiction="DE", applicants=[]),
]


def test_fractional_counting_and_sources():
    c = _corpus(SMALL)
    a = assign_regions(c, level="city")
    assert list(a.columns) == ["publication_number", "applicant_index", "applicant", "applicant_raw", "region", "weight",
                               "source_of_evidence"]
    sums = a.groupby("publication_number")["weight"].sum()
    assert np.allclose(sums.to_numpy(), 1.0) and len(sums) == len(SMALL)
    got = {(r.publication_number, r.applicant_index): (r.region, r.source_of_evidence) for r in a.itertuples()}
    assert got[("CN-1-A", 0)] == ("CN-GD-Shenzhen", "address")
    assert got[("CN-1-A", 1)] == ("US", "address")
    assert got[("CN-2-A", 0)] == ("CN-BJ-Beijing", "address")
    assert got[("CN-2-A", 1)] == ("JP", "applicant_country")
    assert got[("CN-2-A", 2)] == ("US", "priority")  # invalid code X1 ignored
    assert got[("US-3-B2", 0)] == ("KR", "applicant_country")
    assert got[("US-3-B2", 1)] == ("HK", "applicant_country")
    assert got[("WO-4-A1", 0)] == ("CN", "priority")
    assert got[("JP-5-A", 0)] == ("JP", "jurisdiction")
    assert got[("WO-6-A1", 0)] == ("UNKNOWN", "none")
    assert got[("DE-7-A1", -1)] == ("DE", "jurisdiction")
    assert a.loc[a.publication_number == "CN-2-A", "weight"].tolist() == pytest.approx([1 / 3] * 3)

    s = source_summary(a)
    assert list(s.index) == list(SOURCES)
    assert s["weight"].sum() == pytest.approx(len(SMALL))
    assert s.loc["address", "patents"] == 2 and s.loc["none", "patents"] == 1

    no_fb = assign_regions(c, level="country", fallback=None)
    r = no_fb.set_index(["publication_number", "applicant_index"])
    assert r.loc[("WO-4-A1", 0), "region"] == "UNKNOWN"
    assert r.loc[("CN-2-A", 2), "source_of_evidence"] == "jurisdiction"


def test_levels_and_shares():
    c = _corpus(SMALL)
    prov = assign_regions(c, level="province")
    assert set(prov.loc[prov.publication_number == "CN-1-A", "region"]) == {"CN-GD", "US"}
    country = assign_regions(c, level="country")
    sh = region_shares(country)
    assert sh["patents"].sum() == pytest.approx(len(SMALL))
    assert sh.loc["CN", "patents"] == pytest.approx(0.5 + 1 / 3 + 1)
    assert sh.loc["CN", "patents_any"] == 3
    merged = region_shares(country, merge={"HK": "CN"})
    assert merged.loc["CN", "patents"] == pytest.approx(0.5 + 1 / 3 + 1 + 0.5)
    assert "UNKNOWN" not in region_shares(country, dropna=True).index
    assert region_shares(country, dropna=True)["share"].sum() == pytest.approx(1.0)
    with pytest.raises(ValueError):
        assign_regions(c, level="planet")


def test_firms_list_and_alias_file(tmp_path):
    c = _corpus(SMALL + [dict(publication_number="US-8-B1", jurisdiction="US",
                              applicants=["SZ DJI TECHNOLOGY CO LTD", "Other"],
                              applicants_harmonized=["SZ DJI TECH", "OTHER"])])
    a = assign_regions(c, firms=["SZ DJI Technology Co., Ltd.", "深圳市大疆创新科技有限公司"])
    r = a.set_index(["publication_number", "applicant_index"])
    assert r.loc[("US-8-B1", 0), "region"] == "FIRMS"
    assert r.loc[("US-8-B1", 0), "source_of_evidence"] == "firms"
    assert r.loc[("CN-1-A", 0), "region"] == "FIRMS"  # firm list beats the address
    assert r.loc[("US-8-B1", 1), "region"] == "US"
    alias = tmp_path / "firms.csv"
    alias.write_text("alias,canonical\nDJI,SZ DJI TECHNOLOGY CO LTD\n", encoding="utf-8")
    b = assign_regions(c, firms=alias).set_index(["publication_number", "applicant_index"])
    assert b.loc[("US-8-B1", 0), "region"] == "FIRMS"


@pytest.fixture(scope="module")
def drones():
    return patentnav.datasets.drones()


# documented in docs/methods.md (section 8): regional/international filings are not a country (IB = PCT at the IB)
NON_COUNTRY = {"WO", "EP", "EA", "AP", "OA", "GC", "EM", "XN", "XV", "IB"}


def _independent_first_priority(row):
    """Country of the earliest dated national priority (ties and undated: listed order)."""
    pcs, pds = row["priority_countries"] or [], row["priority_dates"] or []
    big = dt.date.max
    cands = [(pds[i] if len(pds) == len(pcs) and pds[i] is not None else big, i, c)
             for i, c in enumerate(pcs) if c and c not in NON_COUNTRY]
    return min(cands)[2] if cands else None


def test_drones_country_level(drones):
    t = drones.table
    assert sum(len(x) for x in t["applicant_addresses"].to_pylist()) == 0
    a = assign_regions(drones, level="country")
    sums = a.groupby("publication_number")["weight"].sum()
    assert len(sums) == len(drones) and np.allclose(sums.to_numpy(), 1.0)
    rows = t.select(["priority_countries", "priority_dates", "jurisdiction"]).to_pylist()
    prio = [_independent_first_priority(r) for r in rows]
    n_cn = sum(p == "CN" for p in prio)
    sh = region_shares(a)
    assert sh.loc["CN", "patents"] == pytest.approx(n_cn)
    assert sh.loc["CN", "patents_any"] == n_cn
    s = a.attrs["source_summary"]
    assert s.loc["address", "patents"] == 0 and s.loc["applicant_country", "patents"] == 0
    assert s.loc["priority", "patents"] == sum(p is not None for p in prio)
    no_prio_national = sum(p is None and r["jurisdiction"] not in ("WO", "EP") for p, r in zip(prio, rows))
    assert s.loc["jurisdiction", "patents"] == no_prio_national


def test_drones_firms(drones):
    firms = ["SZ DJI TECHNOLOGY CO LTD", "SZ DJI OSMO TECHNOLOGY CO LTD"]
    a = assign_regions(drones, firms=firms)
    apps = drones.table["applicants"].to_pylist()
    expected = sum(sum(x in firms for x in ap) / len(ap) for ap in apps if ap)
    assert expected > 0
    assert region_shares(a).loc["FIRMS", "patents"] == pytest.approx(expected)


def test_source_rank_matches_the_string_map(drones):
    import numpy as np
    import pandas as pd

    from patentnav.geo import SOURCES, _source_rank, assign_regions

    rank = {s: i for i, s in enumerate(SOURCES)}
    a = assign_regions(drones, level="country")["source_of_evidence"]
    odd = pd.Series(pd.Categorical(["address", None, "priority"], categories=list(SOURCES)))
    for s in (a, a.astype(object), odd, a.iloc[:0]):
        want, got = s.astype(str).map(rank), _source_rank(s)
        # (no rows: pandas' map keeps the string dtype; the callers cast it to int either way)
        pd.testing.assert_series_equal(got, want, check_exact=True, check_names=False, check_dtype=len(s) > 0)
    assert np.isnan(_source_rank(odd).iloc[1])


# --- the coded implementations equal the definitions they replaced -------------------------
def _random_assignment_corpus(seed):
    """A corpus with repeated, missing, blank and odd applicants, addresses, countries and priorities."""
    import numpy as np

    rng = np.random.default_rng(seed)
    names = ["A Co", "B Ltd", "深圳市大疆创新科技有限公司", "大疆创新科技有限公司", "", None]
    addrs = ["广东省深圳市南山区科技园", "Shenzhen, CN", "Munich (DE)", "  ", "", None, "xyz"]
    ccs = ["US", " cn ", "WO", "1A", "", None, "ÄB"]
    rows = []
    for i in range(300):
        n = int(rng.integers(0, 4))
        apps = [names[j] for j in rng.integers(0, len(names), n)] if rng.random() > 0.1 else None
        k = n if rng.random() < 0.7 else int(rng.integers(0, 3))
        pn = int(rng.integers(0, 4))
        rows.append({
            "publication_number": f"X-{i % 290}-A" if i < 290 else f"Y-{i}-A",
            "jurisdiction": ["US", "wo", "EP", "", "CN", None][int(rng.integers(0, 6))],
            "applicants": apps,
            "applicant_addresses": [addrs[j] for j in rng.integers(0, len(addrs), k)],
            "applicant_countries": [ccs[j] for j in rng.integers(0, len(ccs), k)] if rng.random() > 0.3 else None,
            "priority_countries": [["US", "cn", "EP", "WO", "12", None][j] for j in rng.integers(0, 6, pn)],
            "priority_dates": ([dt.date(2000 + int(y), 1, 1) for y in rng.integers(0, 3, pn)]
                               if rng.random() > 0.2 else []),
        })
    from patentnav.model.schema import SCHEMA

    cols = {c: pa.array([r[c] for r in rows], SCHEMA.field(c).type) for c in rows[0]}
    return Corpus(pa.table(cols))


def _earliest_priority_reference(table):
    """The definition (pandas sort on the strings) that _earliest_priority_codes replaced."""
    import numpy as np
    import pandas as pd
    import pyarrow.compute as pc

    from patentnav.geo import NON_NATIONAL, _combined

    n = table.num_rows
    pcs, pds = _combined(table["priority_countries"]), _combined(table["priority_dates"])
    out = np.full(n, None, dtype=object)
    if not len(pc.list_flatten(pcs)):
        return out
    lc = pc.list_value_length(pcs).to_numpy(zero_copy_only=False)
    ld = pc.list_value_length(pds).to_numpy(zero_copy_only=False)
    par = pc.list_parent_indices(pcs).to_numpy()
    c = pc.utf8_upper(pc.utf8_trim_whitespace(pc.list_flatten(pcs))).to_numpy(zero_copy_only=False)
    dates = np.full(len(par), np.iinfo(np.int64).max, dtype=np.int64)
    aligned_rows = (lc == ld)[par]
    if aligned_rows.any():
        dflat = pc.list_flatten(pds).cast(pa.int32()).to_numpy(zero_copy_only=False)
        dates[aligned_rows] = np.where(pd.isna(dflat), np.iinfo(np.int64).max, dflat).astype(np.int64)[np.repeat(lc == ld, ld)]
    df = pd.DataFrame({"p": par, "c": c, "d": dates, "i": np.arange(len(par))})
    df = df[df["c"].notna()]
    df = df[df["c"].str.fullmatch(r"[A-Z]{2}") & ~df["c"].isin(NON_NATIONAL)]
    first = df.sort_values(["p", "d", "i"], kind="stable").drop_duplicates("p")
    out[first["p"].to_numpy()] = first["c"].to_numpy()
    return out


def _source_summary_reference(assignment):
    import numpy as np
    import pandas as pd

    src = assignment["source_of_evidence"].astype(str)
    g = assignment.assign(_s=src).groupby("_s", sort=False)
    out = pd.DataFrame({"patents": g["publication_number"].nunique(), "weight": g["weight"].sum()}).reindex(list(SOURCES)).fillna(0)
    out["patents"] = out["patents"].astype(np.int64)
    total = out["weight"].sum()
    out["share"] = out["weight"] / total if total else 0.0
    out.index.name = "source_of_evidence"
    return out


def _region_shares_reference(assignment, dropna=False):
    import pandas as pd

    from patentnav.geo import UNKNOWN

    df = assignment[["publication_number", "region", "weight"]]
    if dropna:
        df = df[df["region"] != UNKNOWN]
    g = df.groupby("region", sort=False)
    out = pd.DataFrame({"patents": g["weight"].sum(), "patents_any": g["publication_number"].nunique()})
    total = out["patents"].sum()
    out["share"] = out["patents"] / total if total else 0.0
    out = out[["patents", "share", "patents_any"]].sort_values(["patents", "patents_any"], ascending=False, kind="stable")
    out.index.name = "region"
    return out


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_coded_helpers_equal_their_definitions(seed):
    import numpy as np
    import pandas as pd

    from patentnav.geo import _earliest_priority_country

    c = _random_assignment_corpus(seed)
    want = _earliest_priority_reference(c.table)
    got = _earliest_priority_country(c.table)
    assert got.tolist() == want.tolist() and any(v is not None for v in got)
    for level in ("country", "city"):
        a = assign_regions(c, level=level, firms=["A Co"])
        assert set(a["source_of_evidence"].astype(str)) >= {"firms", "address", "applicant_country", "priority"}
        pd.testing.assert_frame_equal(source_summary(a), _source_summary_reference(a), check_exact=True)
        a.attrs = {}  # (pandas compares attrs holding frames when it concatenates)
        for frame in (a, a.astype({"source_of_evidence": object, "region": object}), a.iloc[:0],
                      a.assign(publication_number=a["publication_number"].where(a.index % 7 > 0, None))):
            pd.testing.assert_frame_equal(source_summary(frame), _source_summary_reference(frame), check_exact=True)
            for dropna in (False, True):
                pd.testing.assert_frame_equal(region_shares(frame, dropna=dropna), _region_shares_reference(frame, dropna),
                                              check_exact=True, check_index_type=len(frame) > 0)
    # the region and source columns as the object-array definition made them
    a = assign_regions(c, level="city")
    assert a["region"].dtype == pd.Series(np.asarray(a["region"].tolist(), dtype=object)).dtype


def test_assignment_of_a_corpus_without_applicants_keeps_object_columns():
    import pandas as pd

    c = Corpus(pa.table({"publication_number": ["A-1", "A-2"], "jurisdiction": ["US", "WO"]}))
    a = assign_regions(c)
    want = pd.DataFrame({"applicant": [None, None], "applicant_raw": [None, None], "region": ["US", "UNKNOWN"]})
    pd.testing.assert_frame_equal(a[["applicant", "applicant_raw", "region"]], want)


def test_source_summary_of_missing_and_repeated_source_texts():
    import numpy as np
    import pandas as pd

    from patentnav.report.regional import region_evidence

    a = pd.DataFrame({"publication_number": ["A", "A", "B", "C", "D"], "region": ["US"] * 5, "weight": [0.5, 0.5, 1.0, 1.0, 1.0]})
    for src in (pd.Categorical(["address", None, "nan", "priority", None]),
                pd.Series(["address", np.nan, "nan", "priority", "none"], dtype="str"),
                pd.Series(["address", None, "nan", "priority", "none"], dtype=object)):
        f = a.assign(source_of_evidence=src)
        pd.testing.assert_frame_equal(source_summary(f), _source_summary_reference(f), check_exact=True)
        want = f.groupby(f["source_of_evidence"].astype(str))["weight"].sum()
        want = want[want > 0].sort_values(ascending=False, kind="mergesort")
        pd.testing.assert_series_equal(region_evidence(f, "US"), want, check_exact=True)
