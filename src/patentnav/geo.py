"""Region assignment: Chinese and English addresses to province / city, fractional counts per region.

The rules are documented in ``docs/methods.md`` (section 8). In short:

* :func:`parse_addresses` reads free-text applicant addresses (``广东省深圳市南山区...``,
  ``Nanshan District, Shenzhen 518057 (CN)``) into country, province (ISO 3166-2:CN),
  prefecture-level city and district. Chinese text goes through ``cpca`` (MIT); English
  text is matched against the bundled pinyin tables in ``patentnav/data/geo``.
* :func:`assign_regions` gives every (patent, applicant) pair a region and a weight
  ``1 / number of applicants`` (fractional counting: each patent counts 1 in total).
  Evidence, in order: firm list, applicant address, applicant country code, earliest
  national priority country (``fallback="priority"``), publication jurisdiction.
* :func:`region_shares` sums the weights per region.

Python work is proportional to the number of *distinct* addresses, never to the number
of patents.
"""

from __future__ import annotations

import csv
import functools
import os
import re
import unicodedata
import weakref
from importlib.resources import files

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = [
    "assignment_rows",
    "LEVELS",
    "SOURCES",
    "FIRMS",
    "UNKNOWN",
    "NON_NATIONAL",
    "provinces",
    "cities",
    "districts",
    "parse_addresses",
    "parse_address",
    "region_keys",
    "region_level",
    "assign_regions",
    "source_summary",
    "region_shares",
    "LOCATION_SOURCES",
    "PROXY_SOURCES",
    "applicant_evidence",
    "document_evidence",
]

LEVELS = ("country", "province", "city")
#: Evidence sources, in the order they are tried (``firms`` first, ``none`` when nothing applies).
SOURCES = ("firms", "address", "applicant_country", "priority", "jurisdiction", "none")
#: Evidence that locates the applicant itself: a named firm list, its address, its country code.
LOCATION_SOURCES = ("firms", "address", "applicant_country")
#: Evidence that only suggests a location: where the invention was first filed, or published.
PROXY_SOURCES = ("priority", "jurisdiction")
FIRMS = "FIRMS"
UNKNOWN = "UNKNOWN"
#: Publishing / priority authorities that are not countries (never used as a region).
NON_NATIONAL = frozenset({"WO", "EP", "EA", "AP", "OA", "GC", "EM", "XN", "XV", "IB"})
#: Chinese special administrative regions and Taiwan: separate ISO 3166-1 / WIPO ST.3 codes.
SEPARATE = {"香港特别行政区": "HK", "澳门特别行政区": "MO", "台湾省": "TW"}

_PARSED_COLUMNS = ["country", "province", "province_en", "province_iso", "city", "city_en", "city_key",
                   "district", "method"]


# --- tables --------------------------------------------------------------------------------
def _read_csv(name: str) -> list[dict]:
    text = files("patentnav.data").joinpath("geo").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@functools.lru_cache(maxsize=1)
def provinces() -> pd.DataFrame:
    """The 34 provincial-level divisions: ``adcode, name_zh, short_zh, name_en, iso, aliases``."""
    return pd.DataFrame(_read_csv("provinces.csv"))


@functools.lru_cache(maxsize=1)
def cities() -> pd.DataFrame:
    """Prefecture-level cities (and province-administered county-level cities) with pinyin.

    Columns ``adcode, name_zh, short_zh, name_en, province_iso, key, kind, aliases``;
    ``key`` is the city region key (``CN-GD-Shenzhen``).
    """
    return pd.DataFrame(_read_csv("cities.csv"))


@functools.lru_cache(maxsize=1)
def _region_spellings() -> dict[str, str]:
    """Lower-cased province and city keys, and Chinese names, -> canonical region key."""
    out: dict[str, str] = {}
    cit = cities()
    for key, zh in zip(cit["key"], cit["name_zh"]):
        out[key.lower()] = key
        out[zh] = key
    for iso, zh, short in zip(provinces()["iso"], provinces()["name_zh"], provinces()["short_zh"]):
        out[iso.lower()] = iso
        out[zh] = iso
        out[short] = iso  # 吉林 is the province; the city is 吉林市
    return out


def canonical_region(text: str) -> str:
    """A region key in its canonical spelling, whatever the letter case: ``cn`` -> ``CN``,
    ``cn-gd`` -> ``CN-GD``, ``cn-gd-shenzhen`` -> ``CN-GD-Shenzhen``, ``firms`` -> ``FIRMS``;
    Chinese names of provinces and cities work too (``深圳市`` -> ``CN-GD-Shenzhen``). A key
    the tables do not know keeps its spelling, with the country part in upper case.

    >>> canonical_region("cn-gd-shenzhen"), canonical_region("us"), canonical_region("广东")
    ('CN-GD-Shenzhen', 'US', 'CN-GD')
    """
    s = str(text).strip()
    known = _region_spellings().get(s.lower()) or _region_spellings().get(s)
    if known:
        return known
    head, sep, rest = s.partition("-")
    return head.upper() + sep + rest


def region_level(region: str, firms=None) -> str:
    """The level a region key names: ``country`` (``CN``; and ``FIRMS``, the region a firm
    list forms), ``province`` (``CN-GD``) or ``city`` (``CN-GD-Shenzhen``).

    >>> region_level("CN"), region_level("CN-GD"), region_level("CN-GD-Shenzhen"), region_level("FIRMS", firms=["X"])
    ('country', 'province', 'city', 'country')
    """
    if firms:
        return "country"
    n = str(region).count("-")
    return "country" if n == 0 else "province" if n == 1 else "city"


@functools.lru_cache(maxsize=1)
def districts() -> pd.DataFrame:
    """County-level divisions (区, 县, 县级市, 旗): ``adcode, name_zh, short_zh, city_adcode``."""
    return pd.DataFrame(_read_csv("districts.csv"))


def _latin_key(s: str) -> str:
    s = unicodedata.normalize("NFKD", s.lower().replace("ü", "v")).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", s)


@functools.lru_cache(maxsize=1)
def _lookups():
    prov = provinces()
    cit = cities()
    by_zh = {r.name_zh: r for r in prov.itertuples()}
    prov_latin: dict[str, str] = {}  # latin key -> province name_zh
    for r in prov.itertuples():
        for name in [r.name_en, *filter(None, r.aliases.split("|"))]:
            prov_latin[_latin_key(name)] = r.name_zh
    city_by = {(r.province_iso, r.name_zh): r for r in cit.itertuples()}
    city_latin: dict[str, list] = {}
    for r in cit.itertuples():
        for name in [r.name_en, *filter(None, r.aliases.split("|"))]:
            city_latin.setdefault(_latin_key(name), []).append(r)
    return by_zh, prov_latin, city_by, city_latin


# Ambiguous pinyin city names: the reading used when the address names no province.
_MUNICIPALITIES = ("CN-BJ", "CN-SH", "CN-TJ", "CN-CQ")
_PREFERRED = {"suzhou": "CN-JS-Suzhou", "fuzhou": "CN-FJ-Fuzhou"}
# Taiwanese city names in Wade-Giles/common spellings: Taiwan, not a mainland city.
_TW_WORDS = {"taipei", "kaohsiung", "taichung", "tainan", "hsinchu", "taoyuan", "keelung", "chiayi", "hsinchucity"}
_HK_WORDS = {"hongkong", "kowloon", "xianggang", "shatin", "tsuenwan", "kwuntong"}
_MO_WORDS = {"macau", "macao", "aomen"}
_CN_WORDS = {"china", "prchina", "prc", "peoplesrepublicofchina", "chn", "mainlandchina"}
_NOISE = {"city", "shi", "province", "sheng", "district", "qu", "prefecture", "county", "new", "area",
          "zone", "the", "of", "road", "street", "no", "room", "floor", "building", "rd", "st", "park",
          "high", "tech", "hi", "industrial", "science", "technology", "co", "ltd"}
# Bare trailing two-letter codes accepted as a country ("Shenzhen, CN"). Codes that are
# also US state abbreviations (CA, DE, IN, IL, MO, ...) are accepted only in parentheses.
_BARE_CODES = {"CN", "HK", "TW", "US", "JP", "KR", "GB", "FR", "SE", "CH", "NL", "FI", "DK", "NO", "IT", "ES",
               "AU", "SG", "IE", "BE", "AT", "RU", "IS", "IR", "TR", "BR", "MX", "NZ", "PL", "CZ", "UK"}
_EN_COUNTRIES = {
    "unitedstates": "US", "usa": "US", "unitedstatesofamerica": "US", "japan": "JP", "korea": "KR",
    "republicofkorea": "KR", "southkorea": "KR", "germany": "DE", "france": "FR", "unitedkingdom": "GB",
    "switzerland": "CH", "sweden": "SE", "netherlands": "NL", "israel": "IL", "canada": "CA",
    "singapore": "SG", "italy": "IT", "finland": "FI", "denmark": "DK", "australia": "AU", "india": "IN",
    "russia": "RU", "austria": "AT", "belgium": "BE", "norway": "NO", "spain": "ES",
    "taiwan": "TW", "hongkong": "HK", "macau": "MO", "macao": "MO",
}
_ZH_COUNTRIES = {
    "美国": "US", "日本": "JP", "韩国": "KR", "大韩民国": "KR", "德国": "DE", "法国": "FR", "英国": "GB",
    "瑞士": "CH", "瑞典": "SE", "荷兰": "NL", "以色列": "IL", "加拿大": "CA", "新加坡": "SG", "意大利": "IT",
    "芬兰": "FI", "丹麦": "DK", "澳大利亚": "AU", "印度": "IN", "俄罗斯": "RU", "奥地利": "AT", "比利时": "BE",
    "挪威": "NO", "西班牙": "ES", "爱尔兰": "IE", "卢森堡": "LU", "开曼群岛": "KY", "英属维尔京群岛": "VG",
}
_CJK = re.compile(r"[\u3400-\u9fff]")


def _empty_parse(method=None) -> dict:
    d = dict.fromkeys(_PARSED_COLUMNS)
    d["method"] = method
    return d


def _fill_province(d: dict, name_zh: str) -> dict:
    by_zh = _lookups()[0]
    if name_zh in SEPARATE:
        d["country"] = SEPARATE[name_zh]
        return d
    r = by_zh.get(name_zh)
    if r is not None:
        d.update(country="CN", province=r.name_zh, province_en=r.name_en, province_iso=r.iso)
    return d


def _fill_city(d: dict, row) -> dict:
    d.update(city=row.name_zh, city_en=row.name_en, city_key=row.key)
    return d


def _parse_chinese_batch(texts: list[str]) -> list[dict]:
    """Chinese addresses through cpca (one call for the whole batch of distinct addresses)."""
    out: list[dict | None] = [None] * len(texts)
    todo_idx, todo = [], []
    for i, t in enumerate(texts):
        s = re.sub(r"^[\s\d]*(中华人民共和国|中国)?", "", t)
        for name, code in _ZH_COUNTRIES.items():
            if s.startswith(name):
                d = _empty_parse("zh_country")
                d["country"] = code
                out[i] = d
                break
        else:
            todo_idx.append(i)
            todo.append(t)
    if todo:
        import cpca  # runtime dependency (MIT); imported lazily

        df = cpca.transform(todo)
        _, _, city_by, _ = _lookups()
        by_zh = _lookups()[0]
        for i, prov, city, dist in zip(todo_idx, df["省"], df["市"], df["区"]):
            prov, city, dist = (None if pd.isna(v) else v for v in (prov, city, dist))
            d = _empty_parse("cpca" if prov else None)
            if prov:
                _fill_province(d, prov)
                r = by_zh.get(prov)
                if d["country"] == "CN" and r is not None:
                    iso = r.iso
                    if r.adcode[:2] in ("11", "12", "31", "50"):  # municipality: the city is itself
                        city = prov
                    elif city in ("省直辖县级行政区划", "自治区直辖县级行政区划", "县", "市辖区"):
                        city = dist  # 仙桃市, 济源市 ...: county-level cities under the province
                    row = city_by.get((iso, city)) if city else None
                    if row is not None:
                        _fill_city(d, row)
                    if dist and dist != city:
                        d["district"] = dist
            out[i] = d
    return out  # type: ignore[return-value]


def _parse_english(text: str) -> dict:
    _, prov_latin, _, city_latin = _lookups()
    s = unicodedata.normalize("NFKC", text).strip()
    d = _empty_parse()
    country = None
    m = re.search(r"\(\s*([A-Za-z]{2})\s*\)\s*$", s)
    if m:
        country = m.group(1).upper()
    else:
        m = re.search(r"(?:^|[,;\s])([A-Z]{2})\s*$", s)
        if m and m.group(1) in _BARE_CODES:
            country = m.group(1)
    country = {"UK": "GB"}.get(country, country)
    words = [w for w in re.split(r"[^a-z]+", s.lower().replace("'", "").replace("’", "").replace("ü", "v")) if w]
    grams = set(words)
    for n in (2, 3, 4, 5):
        grams |= {"".join(words[i:i + n]) for i in range(len(words) - n + 1)}
    if country is None:
        for k, v in _EN_COUNTRIES.items():
            if k in grams:
                country = v
                break
    if country is None and grams & _CN_WORDS:
        country = "CN"
    if country is None or country == "CN":
        if grams & _HK_WORDS:
            country = "HK"
        elif grams & _MO_WORDS:
            country = "MO"
        elif grams & _TW_WORDS:
            country = "TW"
    if country not in (None, "CN"):
        d.update(country=country, method="english")
        return d
    content = [w for w in words if w not in _NOISE]
    cgrams = set(content)
    for n in (2, 3):
        cgrams |= {"".join(content[i:i + n]) for i in range(len(content) - n + 1)}
    found_prov = {prov_latin[g] for g in cgrams if g in prov_latin}
    prov_rows = [r for r in provinces().itertuples() if r.name_zh in found_prov]
    prov_isos = {r.iso for r in prov_rows}
    cands = []
    for g in cgrams:
        for r in city_latin.get(g, []):
            if g in prov_latin and r.kind == "prefecture" and r.province_iso not in _MUNICIPALITIES \
                    and content.count(g) < 2:
                continue  # "Jilin", "Hainan": read as the province unless the name is repeated
            cands.append((g, r))
    if prov_isos:
        cands = [(g, r) for g, r in cands if r.province_iso in prov_isos]
    keys = {r.key: r for _, r in cands}
    city = None
    if len(keys) == 1:
        city = next(iter(keys.values()))
    elif len(keys) > 1:
        pref = {_PREFERRED.get(g) for g, _ in cands} & set(keys)
        if len(pref) == 1:
            city = keys[pref.pop()]
        else:  # prefer a city in one of the named provinces, drop municipality self-matches
            non_muni = {k: r for k, r in keys.items() if r.kind == "prefecture" and
                        r.province_iso not in ("CN-BJ", "CN-SH", "CN-TJ", "CN-CQ")}
            if len(non_muni) == 1:
                city = next(iter(non_muni.values()))
    if city is not None:
        _fill_city(d, city)
        if not prov_isos or city.province_iso in prov_isos:
            prov_row = next(r for r in provinces().itertuples() if r.iso == city.province_iso)
            _fill_province(d, prov_row.name_zh)
        else:
            d.update(city=None, city_en=None, city_key=None)
    if d["province"] is None and len(prov_rows) == 1:
        _fill_province(d, prov_rows[0].name_zh)
    if d["province"] is not None:
        m = re.search(r"([A-Za-z]+)\s+(?:District|Qu)\b", s, flags=re.I)
        if m and d["city"] is not None:
            d["district"] = m.group(1).title()
        d["method"] = "english"
        d["country"] = "CN"
    elif country == "CN":
        d.update(country="CN", method="english")
    return d


def _parse_distinct(values: list) -> list[dict]:
    out: list[dict] = [_empty_parse() for _ in values]
    zh_idx = [i for i, v in enumerate(values) if isinstance(v, str) and _CJK.search(v)]
    if zh_idx:
        for i, d in zip(zh_idx, _parse_chinese_batch([values[i] for i in zh_idx])):
            out[i] = d
        # CJK text that cpca could not place may still end in "(CN)" or name a Latin city
        for i in zh_idx:
            if out[i]["country"] is None:
                e = _parse_english(values[i])
                if e["country"] is not None:
                    out[i] = e
    for i, v in enumerate(values):
        if isinstance(v, str) and v.strip() and not _CJK.search(v):
            out[i] = _parse_english(v)
    return out


def parse_addresses(addresses) -> pd.DataFrame:
    """Parse free-text addresses into country, province, city and district.

    Parameters
    ----------
    addresses : sequence of str or Arrow array
        Null and blank values give an all-null row.

    Returns
    -------
    pandas.DataFrame
        One row per input (same order) with columns ``address, country`` (ISO 3166-1;
        ``HK``/``MO``/``TW`` for Hong Kong, Macao, Taiwan), ``province`` (Chinese name),
        ``province_en``, ``province_iso`` (``CN-GD``), ``city`` (Chinese name of the
        prefecture-level city; the municipality itself for 北京/上海/天津/重庆), ``city_en``,
        ``city_key`` (``CN-GD-Shenzhen``), ``district``, ``method`` (``cpca``, ``english``,
        ``zh_country`` or null when nothing was recognised).

    Only distinct addresses are parsed (one ``cpca`` call for the batch).

    Examples
    --------
    >>> parse_addresses(["广东省深圳市南山区科技园", "Shenzhen, CN"])[["province_iso", "city_key"]].values.tolist()
    [['CN-GD', 'CN-GD-Shenzhen'], ['CN-GD', 'CN-GD-Shenzhen']]
    """
    from .io.values import as_string_array

    arr = pc.utf8_trim_whitespace(as_string_array(addresses))
    parsed, idx = _parse_encoded(arr)
    parsed = parsed.astype(object).where(parsed.notna(), None)
    parsed.loc[len(parsed)] = [None] * len(_PARSED_COLUMNS)  # row for null input
    out = parsed.iloc[np.where(idx < 0, len(parsed) - 1, idx)].reset_index(drop=True)
    out.insert(0, "address", arr.to_pylist())
    return out


def _parse_encoded(arr: pa.Array) -> tuple[pd.DataFrame, np.ndarray]:
    """The distinct values of ``arr`` (trimmed addresses) parsed (:func:`_parse_distinct`),
    and the row of each value in that frame (-1 for null)."""
    enc = pc.dictionary_encode(arr)
    parsed = pd.DataFrame(_parse_distinct(enc.dictionary.to_pylist()), columns=_PARSED_COLUMNS)
    return parsed, _indices(enc)


def _indices(enc: pa.DictionaryArray) -> np.ndarray:
    """The indices of a dictionary array as int64, -1 where null."""
    return np.asarray(enc.indices.fill_null(-1).to_numpy(zero_copy_only=False), dtype=np.int64)


def parse_address(address: str | None) -> dict:
    """One address (see :func:`parse_addresses`) as a dict."""
    return parse_addresses([address]).iloc[0].to_dict()


def region_keys(parsed: pd.DataFrame, level: str = "country") -> pd.Series:
    """Region key of parsed addresses at ``level``: the finest key known up to that level.

    ``country``: ``CN``, ``US``, ``HK`` ...; ``province``: ``CN-GD`` (a country code when
    the province is unknown or the country is not China); ``city``: ``CN-GD-Shenzhen``
    (else the province or country key). Null when not even the country is known.
    """
    _check_level(level)
    key = parsed["country"].copy()
    if level in ("province", "city"):
        key = parsed["province_iso"].where(parsed["province_iso"].notna(), key)
    if level == "city":
        key = parsed["city_key"].where(parsed["city_key"].notna(), key)
    return key


def _check_level(level: str) -> None:
    if level not in LEVELS:
        from .i18n import LocalizedError

        raise LocalizedError("err.region_level", choices=", ".join(LEVELS), value=level)


# --- assignment ----------------------------------------------------------------------------
def _combined(col) -> pa.ListArray:
    if isinstance(col, pa.ChunkedArray):
        col = col.combine_chunks()
    return pc.fill_null(col, pa.scalar([], col.type))


def _aligned_values(lists: pa.ListArray, parent: np.ndarray, pos: np.ndarray, n_apps: np.ndarray) -> pa.Array:
    """The element of ``lists`` aligned with each applicant (a string array, null where none).

    Aligned by position when the list has as many elements as there are applicants; a
    single element with several applicants is taken as the *first* applicant's (CNIPA
    exports give the first applicant's address).
    """
    lens = pc.list_value_length(lists).to_numpy(zero_copy_only=False).astype(np.int64)
    offs = lists.offsets.to_numpy().astype(np.int64)
    flat = pc.list_flatten(lists).cast(pa.string())
    lp = lens[parent]
    ok = (lp > 0) & ((lp == n_apps[parent]) | ((lp == 1) & (pos == 0)))
    if not len(flat) or not ok.any():
        return pa.nulls(len(parent), pa.string())
    return flat.take(pa.array(np.where(ok, offs[parent] - offs[0] + pos, 0), mask=~ok))


class _Vocabulary:
    """Region keys as integer codes: each distinct key gets the next code (Python work per
    distinct value only)."""

    def __init__(self):
        self.codes: dict[str, int] = {}

    def encode(self, values: pa.Array, keep=None) -> np.ndarray:
        """The code of each value (-1 for null, and for a value ``keep(value)`` rejects)."""
        enc = pc.dictionary_encode(values)
        per_value = np.array([self.code(v) if keep is None or keep(v) else -1 for v in enc.dictionary.to_pylist()] + [-1],
                             dtype=np.int64)
        return per_value[_indices(enc)]  # index -1 (null) takes the last entry

    def code(self, value: str) -> int:
        return self.codes.setdefault(value, len(self.codes))

    def strings(self, codes: np.ndarray) -> pa.Array:
        """The keys of ``codes`` (all >= 0) as a string array."""
        return pa.array(list(self.codes), pa.string()).take(pa.array(codes))


def _earliest_priority_codes(table: pa.Table) -> tuple[np.ndarray, list]:
    """Per patent: the index of the country of its earliest national priority (ties: first
    listed) in the returned list of countries, -1 if none."""
    n = table.num_rows
    pcs = _combined(table["priority_countries"])
    pds = _combined(table["priority_dates"])
    out = np.full(n, -1, dtype=np.int64)
    if not len(pc.list_flatten(pcs)):
        return out, []
    lc = pc.list_value_length(pcs).to_numpy(zero_copy_only=False)
    ld = pc.list_value_length(pds).to_numpy(zero_copy_only=False)
    par = pc.list_parent_indices(pcs).to_numpy().astype(np.int64)
    enc = pc.dictionary_encode(pc.utf8_upper(pc.utf8_trim_whitespace(pc.list_flatten(pcs))))
    countries = enc.dictionary.to_pylist()
    national = np.array([re.fullmatch(r"[A-Z]{2}", c) is not None and c not in NON_NATIONAL for c in countries] + [False])
    c = _indices(enc)
    dates = np.full(len(par), np.iinfo(np.int64).max, dtype=np.int64)
    aligned_rows = (lc == ld)[par]
    if aligned_rows.any():
        d_par_ok = np.repeat(lc == ld, ld)
        dflat = pc.list_flatten(pds).cast(pa.int32()).to_numpy(zero_copy_only=False)
        dflat = np.where(pd.isna(dflat), np.iinfo(np.int64).max, dflat).astype(np.int64)
        dates[aligned_rows] = dflat[d_par_ok]
    ok = np.flatnonzero(national[c])
    ok = ok[np.lexsort((dates[ok], par[ok]))]  # by patent, then date, then position (stable)
    first = ok[np.r_[True, par[ok][1:] != par[ok][:-1]]] if len(ok) else ok
    out[par[first]] = c[first]
    return out, countries


def _earliest_priority_country(table: pa.Table) -> np.ndarray:
    """Country of each patent's earliest national priority (ties: first listed); None if none."""
    codes, countries = _earliest_priority_codes(table)
    return np.asarray(countries + [None], dtype=object)[codes]


def _firm_keys(firms) -> set[str]:
    from .names import normalize_names

    if isinstance(firms, (str, os.PathLike)):
        from .names import read_aliases

        names = []
        for a in read_aliases(firms):
            names += [a.alias, a.canonical]
    else:
        names = list(firms)
    keys = normalize_names(pa.array(names, pa.string())).to_pylist()
    return {k for k in keys if k}


def _normalized(names: pa.Array) -> pa.Array:
    """:func:`patentnav.names.normalize_names` of each name, computed once per distinct name."""
    from .names import normalize_names

    enc = pc.dictionary_encode(names)
    return normalize_names(enc.dictionary).take(enc.indices)


def _valid_country(code: str) -> bool:
    """An applicant country code used as a region: two letters, a national office."""
    return len(code) == 2 and code.isalpha() and code not in NON_NATIONAL


def assign_regions(corpus, level: str = "country", firms=None, fallback: str | None = "priority",
                   firms_label: str = FIRMS) -> pd.DataFrame:
    """Region of each (patent, applicant) pair, with fractional weights.

    Parameters
    ----------
    corpus : Corpus or pyarrow.Table
        Canonical columns ``applicants``, ``applicants_harmonized``, ``applicant_addresses``,
        ``applicant_countries``, ``priority_countries``, ``priority_dates``, ``jurisdiction``.
    level : {"country", "province", "city"}
        Finest region key wanted (``CN``, ``CN-GD``, ``CN-GD-Shenzhen``); evidence that is
        coarser gives the coarser key (see :func:`region_keys`).
    firms : list of str or path to an alias CSV, optional
        Applicants whose normalised raw or harmonised name matches one of these names are
        put in the region ``firms_label`` (``FIRMS``), whatever their address.
    fallback : {"priority", None}
        With ``"priority"``, an applicant with neither address nor country code gets the
        country of the patent's earliest national priority filing (a proxy for the
        applicant's country). With ``None`` this step is skipped.

    Returns
    -------
    pandas.DataFrame
        Long form, one row per applicant (one row with ``applicant_index == -1`` for a
        patent listing no applicant): ``publication_number, applicant_index, applicant,
        applicant_raw, region, weight, source_of_evidence``. ``applicant`` is the
        harmonised name when the corpus is harmonised (:meth:`Corpus.harmonize_applicants`),
        so that tables counting firms count each firm once; ``applicant_raw`` is the name
        as written. ``weight`` is ``1 / number of applicants``,
        so the weights of each patent sum to 1. ``source_of_evidence`` is one of
        :data:`SOURCES`; ``region`` is ``UNKNOWN`` when no source applies. Per-source
        patent counts are in ``.attrs["source_summary"]`` (see :func:`source_summary`).

    Every source is handled as integer codes (regions in a :class:`_Vocabulary`), Python
    work per distinct address or code; the text columns are built in Arrow and handed to
    pandas as Arrow-backed strings.
    """
    _check_level(level)
    if fallback not in ("priority", None):
        from .i18n import LocalizedError

        raise LocalizedError("err.region_fallback", value=fallback)
    table = corpus.table if hasattr(corpus, "table") else corpus
    apps = _combined(table["applicants"])
    n_apps = pc.list_value_length(apps).to_numpy(zero_copy_only=False).astype(np.int64)
    # one pseudo-applicant for patents without applicants
    lists = pc.if_else(pc.greater(pc.list_value_length(apps), 0), apps, pa.scalar([None], apps.type))
    parent = pc.list_parent_indices(lists).to_numpy().astype(np.int64)
    offs = lists.offsets.to_numpy().astype(np.int64)
    pos = np.arange(len(parent), dtype=np.int64) - (offs[parent] - offs[0])
    names = pc.list_flatten(lists).cast(pa.string())
    has_app = n_apps[parent] > 0
    k = np.maximum(n_apps, 1)
    weight = 1.0 / k[parent]

    vocab = _Vocabulary()
    region = np.full(len(parent), -1, dtype=np.int64)
    source = np.full(len(parent), -1, dtype=np.int8)

    def put(mask: np.ndarray, codes: np.ndarray, src: str) -> None:
        m = mask & (region < 0) & (codes >= 0)
        region[m] = codes[m]
        source[m] = SOURCES.index(src)

    from .names.harmonize import canonical_applicant_array

    harm = lambda: _aligned_values(_combined(table["applicants_harmonized"]), parent, pos, n_apps)  # noqa: E731
    firm = canonical_applicant_array(corpus, names, harm)  # the harmonised firm, which tables count
    if firms is not None:
        value_set = pa.array(sorted(_firm_keys(firms)), pa.string())
        hit = pc.or_(pc.is_in(_normalized(names), value_set=value_set), pc.is_in(_normalized(firm), value_set=value_set))
        hit = np.asarray(hit.fill_null(False).to_numpy(zero_copy_only=False), dtype=bool)
        put(hit & has_app, np.full(len(parent), vocab.code(firms_label)), "firms")

    addr = _aligned_values(_combined(table["applicant_addresses"]), parent, pos, n_apps)
    if addr.null_count < len(addr):
        parsed, idx = _parse_encoded(pc.utf8_trim_whitespace(addr))
        keys = region_keys(parsed, level)
        per_address = np.array([vocab.code(v) if pd.notna(v) else -1 for v in keys] + [-1], dtype=np.int64)
        put(has_app, per_address[idx], "address")

    cc = _aligned_values(_combined(table["applicant_countries"]), parent, pos, n_apps)
    if cc.null_count < len(cc):
        put(has_app, vocab.encode(pc.utf8_upper(pc.utf8_trim_whitespace(cc)), keep=_valid_country), "applicant_country")

    if fallback == "priority":
        codes, countries = _earliest_priority_codes(table)
        per_country = np.array([vocab.code(c) for c in countries] + [-1], dtype=np.int64)
        put(np.ones(len(parent), bool), per_country[codes][parent], "priority")

    jur = table["jurisdiction"].combine_chunks() if isinstance(table["jurisdiction"], pa.ChunkedArray) else table["jurisdiction"]
    jur = vocab.encode(pc.utf8_upper(jur.cast(pa.string())), keep=lambda j: j not in NON_NATIONAL)
    put(np.ones(len(parent), bool), jur[parent], "jurisdiction")

    missing = region < 0
    region[missing] = vocab.code(UNKNOWN)
    source[missing] = SOURCES.index("none")

    pubs = table["publication_number"]
    pubs = (pubs.combine_chunks() if isinstance(pubs, pa.ChunkedArray) else pubs).cast(pa.string())
    out = pd.DataFrame({
        "publication_number": _pandas_strings(pubs.take(pa.array(parent))),
        "applicant_index": np.where(has_app, pos, -1).astype(np.int64),
        "applicant": _pandas_strings(firm),
        "applicant_raw": _pandas_strings(names),
        "region": _pandas_strings(vocab.strings(region)),
        "weight": weight,
        "source_of_evidence": pd.Categorical.from_codes(source, categories=list(SOURCES)),
    })
    # the numbers' codes, hashed per document rather than per applicant row
    _keep_document_codes(out["publication_number"], _indices(pc.dictionary_encode(pubs))[parent])
    out.attrs["level"] = level
    out.attrs["source_summary"] = source_summary(out)
    return out


def assignment_rows(corpus, assignment: pd.DataFrame) -> np.ndarray:
    """The corpus row of each row of an assignment (int64; -1 where its publication number is
    not in the corpus; the first row of a number that repeats).

    :func:`assign_regions` lists every document in corpus order, each starting with
    ``applicant_index`` 0 (-1 for a document without applicant): the rows are then the running
    count of those starts, confirmed against the publication numbers in Arrow (no Python
    string per row). Any other assignment is looked up by publication number (``index_in``).
    """
    pubs = corpus.table["publication_number"].combine_chunks().cast(pa.string())
    got = pa.array(assignment["publication_number"], pa.string(), from_pandas=True) if len(assignment) else \
        pa.array([], pa.string())
    if "applicant_index" in assignment.columns and len(assignment):
        start = assignment["applicant_index"].to_numpy() <= 0
        rows = np.cumsum(start, dtype=np.int64) - 1
        if start[0] and rows[-1] == len(pubs) - 1 and got.null_count == 0 and pubs.take(pa.array(rows)).equals(got):
            return rows
    return np.asarray(pc.index_in(got, value_set=pubs).fill_null(-1).to_numpy(zero_copy_only=False), dtype=np.int64)


def _pandas_strings(arr: pa.Array):
    """A string array as pandas gets it from Python strings: Arrow-backed ``str`` (without a
    Python object per value), or an object array when no value is set (pandas keeps those
    as object)."""
    return np.asarray(arr.to_pylist(), dtype=object) if arr.null_count == len(arr) else arr.to_pandas()


def source_summary(assignment: pd.DataFrame) -> pd.DataFrame:
    """How many patents got (part of) their region from each source.

    Columns ``patents`` (patents with at least one applicant row from the source),
    ``weight`` (fractional patent count resting on that source; sums to the number of
    patents) and ``share`` (of the weight).

    Rows are grouped by the source's categorical codes (by its text otherwise), patents
    counted as distinct (document, source) code pairs.
    """
    src, names = _source_codes(assignment["source_of_evidence"])
    weight = assignment["weight"][src >= 0].groupby(src[src >= 0], sort=False).sum()
    patents = pd.Series(_documents_per_group(src, len(names), assignment)[weight.index.to_numpy()], index=weight.index)
    out = pd.DataFrame({"patents": patents, "weight": weight})
    out.index = pd.Index(names[weight.index.to_numpy()], name="_s")
    out = out.reindex(list(SOURCES)).fillna(0)
    out["patents"] = out["patents"].astype(np.int64)
    total = out["weight"].sum()
    out["share"] = out["weight"] / total if total else 0.0
    out.index.name = "source_of_evidence"
    return out


def _documents_per_group(codes: np.ndarray, n_groups: int, assignment: pd.DataFrame,
                         documents: np.ndarray | None = None) -> np.ndarray:
    """Distinct publication numbers per group code (as ``groupby(...).nunique()``: a missing
    number is not counted), from the codes of the numbers (:func:`_document_codes`, or
    ``documents`` when given: one per row, -1 for a missing number; ``codes`` below
    ``n_groups``): the distinct (document, group) pairs as one int64 key each, found by a
    stable sort (fast on an assignment: its documents come in order, so the keys come
    nearly sorted)."""
    doc = _document_codes(assignment["publication_number"]) if documents is None else documents
    ok = (doc >= 0) & (codes >= 0)
    n = max(int(n_groups), 1)
    keys = np.sort(doc[ok] * n + codes[ok], kind="stable")
    distinct = keys[np.r_[True, keys[1:] != keys[:-1]]] if len(keys) else keys
    return np.bincount(distinct % n, minlength=n_groups)


#: Codes of Arrow-backed publication number columns, by the ``id`` of their Arrow data (see
#: :func:`_document_codes`); an entry goes with its column.
_DOCUMENT_CODES: dict[int, tuple] = {}


def _document_codes(pubs: pd.Series) -> np.ndarray:
    """Integer codes of publication numbers: equal numbers share a code, -1 where missing
    (read-only int64). An assignment is counted several times (source of evidence, region,
    applicant) and a corpus need not have unique numbers, so the numbers are hashed
    (``dictionary_encode``); for an Arrow-backed column this is done once per column's Arrow
    data (kept by its identity, weakly: a frame selected or copied from the assignment
    without changing its rows shares that data, a filtered one does not)."""
    data = _arrow_data(pubs)
    if data is None:
        return pd.factorize(pubs)[0].astype(np.int64)
    kept = _DOCUMENT_CODES.get(id(data))
    if kept is not None and kept[0]() is data:
        return kept[1]
    return _keep_document_codes(pubs, _indices(pc.dictionary_encode(data.combine_chunks())))


def _arrow_data(values: pd.Series) -> pa.ChunkedArray | None:
    """The Arrow data of an Arrow-backed string column (None for any other column)."""
    data = getattr(values.array, "_pa_array", None) if isinstance(values.dtype, pd.StringDtype) else None
    return data if isinstance(data, pa.ChunkedArray) else None


def _keep_document_codes(pubs: pd.Series, codes: np.ndarray) -> np.ndarray:
    """Keep ``codes`` (read-only) as the :func:`_document_codes` of the column ``pubs`` while
    its Arrow data lives (not kept for another kind of column)."""
    codes.flags.writeable = False
    data = _arrow_data(pubs)
    if data is not None:
        key = id(data)
        _DOCUMENT_CODES[key] = (weakref.ref(data, lambda _, key=key: _DOCUMENT_CODES.pop(key, None)), codes)
    return codes


def _arrow_strings(values: pd.Series) -> pa.Array:
    """The Arrow array behind an Arrow-backed string column (no copy)."""
    arr = pa.array(values)
    return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr


def _factorize(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """``pd.factorize(values, sort=False)`` (codes in order of first appearance, -1 for a
    missing value; the distinct values as an object array), in Arrow for Arrow-backed strings."""
    if isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow":
        enc = pc.dictionary_encode(_arrow_strings(values))
        return _indices(enc), np.asarray(enc.dictionary.to_pylist(), dtype=object)
    codes, uniques = pd.factorize(values, sort=False)
    return codes.astype(np.int64), np.asarray(uniques, dtype=object)


def _source_codes(source: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes of the text of each row's source (``astype(str)``; a value that stays
    missing there, as a categorical's does, has code -1: a group-by drops it) and the text of
    each code (equal texts share a code)."""
    if isinstance(source.dtype, pd.CategoricalDtype):
        names = np.array([str(c) for c in source.cat.categories], dtype=object)
        codes = source.cat.codes.to_numpy().astype(np.int64)
    else:
        codes, names = pd.factorize(source.astype(str), sort=False)
        codes, names = codes.astype(np.int64), np.asarray(names, dtype=object)
    same, names = pd.factorize(names)
    return np.where(codes >= 0, same[codes], -1), np.asarray(names, dtype=object)


def region_shares(assignment: pd.DataFrame, merge: dict | None = None, dropna: bool = False,
                  sort: bool = True) -> pd.DataFrame:
    """Fractional patent counts per region.

    Parameters
    ----------
    assignment : DataFrame from :func:`assign_regions`
    merge : dict, optional
        Region relabelling before summing, e.g. ``{"HK": "CN", "MO": "CN", "TW": "CN"}``
        for a PRC-wide total, or ``{"CN-GD-Shenzhen": "Shenzhen"}``; unlisted regions keep
        their key.
    dropna : bool
        Drop the ``UNKNOWN`` region (shares are then of the located patents only).

    Returns
    -------
    pandas.DataFrame
        Index ``region``; columns ``patents`` (fractional count: sum of weights),
        ``share`` (of the total), ``patents_any`` (whole count: patents with at least one
        applicant in the region; these do not add up to the total).
    """
    df = assignment[["publication_number", "region", "weight"]]
    if merge:
        df = df.assign(region=df["region"].map(lambda r: merge.get(r, r)))
    if dropna:
        df = df[df["region"] != UNKNOWN]
    codes, names = _factorize(df["region"])  # groupby("region", sort=False), on codes
    weight = df["weight"][codes >= 0].groupby(codes[codes >= 0], sort=False).sum()
    out = pd.DataFrame({"patents": weight.to_numpy(),
                        "patents_any": _documents_per_group(codes, len(names), df)[weight.index.to_numpy()]},
                       index=pd.Index(names[weight.index.to_numpy()], name="region"))
    total = out["patents"].sum()
    out["share"] = out["patents"] / total if total else 0.0
    out = out[["patents", "share", "patents_any"]]
    if sort:
        out = out.sort_values(["patents", "patents_any"], ascending=False, kind="stable")
    out.index.name = "region"
    return out


def applicant_evidence(assignment: pd.DataFrame, region: str) -> pd.DataFrame:
    """The named applicants of ``region`` with the evidence that puts them there.

    An applicant is **located** in the region when at least one of its rows in ``region``
    rests on :data:`LOCATION_SOURCES` (firm list, address, applicant country code); an
    applicant placed there only by :data:`PROXY_SOURCES` (earliest priority country:
    "first filed in CN"; publishing office) is not located: the invention was first filed
    there, which says nothing certain about where the firm is.

    Returns
    -------
    pandas.DataFrame
        One row per applicant, sorted by ``patents`` (descending) then name: ``applicant``,
        ``patents`` (fractional count in the region), ``documents`` (distinct documents),
        ``evidence`` (the strongest source among its rows, in :data:`SOURCES` order) and
        ``located`` (bool).
    """
    mask = ((assignment["region"].astype(str) == str(region)) & assignment["applicant"].notna()).to_numpy(dtype=bool)
    docs = _document_codes(assignment["publication_number"])[mask]
    a = assignment[["applicant", "weight", "source_of_evidence"]][mask]  # (no other column copied)
    text = a["applicant"].astype(str)
    app, names = _factorize(text)  # groupby(applicant as text, sort=False), on codes
    rank = _source_rank(a["source_of_evidence"]).fillna(len(SOURCES)).astype(int).to_numpy()
    out = pd.DataFrame({"patents": a["weight"].groupby(app, sort=False).sum().to_numpy(),
                        "documents": _documents_per_group(app, len(names), a, documents=docs),
                        "_rank": pd.Series(rank).groupby(app, sort=False).min().to_numpy()},
                       index=pd.Index(names, dtype=text.dtype, name="applicant"))
    out = out.reset_index()
    evidence = np.asarray(list(SOURCES) + ["none"], dtype=object)[np.minimum(out.pop("_rank").to_numpy(), len(SOURCES))]
    out["evidence"] = pd.array(evidence, dtype="str") if len(evidence) else []
    out["located"] = out["evidence"].isin(LOCATION_SOURCES)
    out["documents"] = out["documents"].astype(np.int64)
    return out.sort_values(["patents", "applicant"], ascending=[False, True], kind="mergesort").reset_index(drop=True)


def _source_rank(source: pd.Series) -> pd.Series:
    """Position of each row's source of evidence in :data:`SOURCES` (NaN for another value):
    ``source.astype(str).map(rank)``, from the categorical's codes when it is one."""
    rank = {src: i for i, src in enumerate(SOURCES)}
    if not isinstance(source.dtype, pd.CategoricalDtype):
        return source.astype(str).map(rank)
    per_code = np.array([rank.get(str(c), np.nan) for c in source.cat.categories] + [rank.get("nan", np.nan)])
    values = per_code[source.cat.codes.to_numpy()]  # code -1 (missing) takes the last entry
    if not np.isnan(values).any():
        values = values.astype(np.int64)
    return pd.Series(values, index=source.index)


def document_evidence(assignment: pd.DataFrame, region: str, publication_numbers) -> np.ndarray:
    """Per document: the strongest evidence that places one of its applicants in ``region``.

    The same ranking as :func:`applicant_evidence` (:data:`SOURCES` order): ``"firms"``,
    ``"address"`` or ``"applicant_country"`` (an applicant *located* there: the document is
    held locally), ``"priority"`` or ``"jurisdiction"`` (only a proxy: first filed or
    published there), None when no applicant of the document is placed in the region.

    Parameters
    ----------
    assignment : DataFrame from :func:`assign_regions`
    region : str
    publication_numbers : array-like
        The documents, in the order wanted (a corpus's ``publication_number`` column).

    Returns
    -------
    numpy.ndarray of object, aligned with ``publication_numbers``.
    """
    pubs = pd.Index(np.asarray(publication_numbers, dtype=object))
    a = assignment[(assignment["region"].astype(str) == str(region)) & (assignment["applicant_index"] >= 0)]
    best = _source_rank(a["source_of_evidence"]).groupby(a["publication_number"].to_numpy()).min()
    out = np.full(len(pubs), None, dtype=object)
    pos = pubs.get_indexer(best.index)
    ok = pos >= 0
    out[pos[ok]] = np.asarray(SOURCES, dtype=object)[best.to_numpy(dtype=np.int64)[ok]]
    return out
