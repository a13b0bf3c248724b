"""Product profile for infringement-risk screening (patentnav.warning.profile)."""

import dataclasses
import datetime as dt
import json
import textwrap

import pytest

from patentnav.warning.profile import ProductProfile, ProfileError

from conftest import ROOT

TOML = textwrap.dedent('''\
    # test profile
    name = "SkyLens Mini 3 consumer drone"
    description = { zh = "可折叠无人机。三轴云台！", en = "A foldable drone. Range 4.5 km!" }
    features = [
        "foldable arms",
        { zh = "三轴云台", en = "3-axis gimbal" },
        "  ",
    ]
    keywords = ["无人机", "drone", "UAV", "drone"]
    codes = ["B64C 39/024", "B64U10/13", "G05D0001100000", "H04N 23/695 (2023.01)"]
    own_names = ["Shenzhen SkyLens Technology Co., Ltd.", "深圳市天镜科技有限公司", "SkyLens"]
    competitors = ["SZ DJI TECHNOLOGY CO LTD", "PARROT DRONES"]
    markets = ["us", "DE", " ep ", "US"]
    launch_date = 2027-03-01
''')


def write(tmp_path, text, name="product.toml"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def error(tmp_path, text, name="product.toml"):
    with pytest.raises(ProfileError) as ei:
        ProductProfile.from_file(write(tmp_path, text, name))
    return ei.value


# -- valid files --------------------------------------------------------------------------------
def test_toml_file(tmp_path):
    path = write(tmp_path, TOML)
    p = ProductProfile.from_file(path)
    assert p.name == "SkyLens Mini 3 consumer drone"
    assert p.description == "可折叠无人机。三轴云台！\nA foldable drone. Range 4.5 km!"
    assert p.features == ("foldable arms", "三轴云台 3-axis gimbal")
    assert p.keywords == ("无人机", "drone", "UAV")
    assert p.codes == ("B64C39/024", "B64U10/13", "G05D1/10", "H04N23/695")
    assert p.own_names == ("Shenzhen SkyLens Technology Co., Ltd.", "深圳市天镜科技有限公司", "SkyLens")
    assert p.competitors == ("SZ DJI TECHNOLOGY CO LTD", "PARROT DRONES")
    assert p.markets == ("US", "DE", "EP")
    assert p.launch_date == dt.date(2027, 3, 1)
    assert p.source == str(path)


def test_round_trip_toml_to_json(tmp_path):
    p = ProductProfile.from_file(write(tmp_path, TOML))
    d = p.to_dict()
    assert d["launch_date"] == "2027-03-01"
    assert d["codes"] == ["B64C39/024", "B64U10/13", "G05D1/10", "H04N23/695"]
    jpath = tmp_path / "product.json"
    jpath.write_text(json.dumps(d, ensure_ascii=False, indent=2), encoding="utf-8")
    q = ProductProfile.from_file(jpath)
    assert q.source == str(jpath)
    assert dataclasses.replace(q, source=p.source) == p
    assert ProductProfile.from_dict(d) == p  # the "source" key is kept when no source is given
    assert ProductProfile.from_dict(d, source="x.toml").source == "x.toml"


def test_json_file(tmp_path):
    data = {"name": "Drone", "description": "Plain text.", "features": [{"en": "gimbal", "zh": "云台"}],
            "ipc": ["B64C 39/024"], "market": "jp", "launch_date": "2027-03-01"}
    p = ProductProfile.from_file(write(tmp_path, json.dumps(data), "p.json"))
    assert p.features == ("云台 gimbal",)  # zh first, whatever the written order
    assert p.codes == ("B64C39/024",)
    assert p.markets == ("JP",)
    assert p.launch_date == dt.date(2027, 3, 1)
    assert p.description == "Plain text."
    # upper-case extension and a UTF-8 byte order mark
    path = tmp_path / "P.JSON"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(data).encode())
    assert ProductProfile.from_file(path).name == "Drone"


def test_product_table_wrapper(tmp_path):
    text = textwrap.dedent('''\
        [product]
        name = "Drone"
        codes = ["B64U 10/13"]

        [[product.features]]
        zh = "可折叠机臂"
        en = "foldable arms"

        [[product.features]]
        en = "return to home"
    ''')
    p = ProductProfile.from_file(write(tmp_path, text))
    assert p.name == "Drone"
    assert p.codes == ("B64U10/13",)
    assert p.features == ("可折叠机臂 foldable arms", "return to home")
    q = ProductProfile.from_dict({"product": {"name": "Drone", "markets": ["us"]}})
    assert q.markets == ("US",) and q.source is None


def test_feature_tables(tmp_path):
    text = 'name = "Drone"\n\n[[features]]\nzh = "三轴云台"\nen = "3-axis gimbal"\n\n[[features]]\nzh = "避障"\n'
    p = ProductProfile.from_file(write(tmp_path, text))
    assert p.features == ("三轴云台 3-axis gimbal", "避障")


def test_aliases_merged_in_file_order():
    p = ProductProfile.from_dict({
        "name": "Drone",
        "ipc": ["B64C 39/024", "G05D 1/10"],
        "cpc": ["B64C39/024", "B64C 2201/127"],
        "codes": ["H04N 23/695"],
        "aliases": ["SkyLens"],
        "own_names": ["深圳市天镜科技有限公司", "SkyLens"],
        "market": "us",
        "markets": ["de", "US"],
    })
    assert p.codes == ("B64C39/024", "G05D1/10", "B64C2201/127", "H04N23/695")
    assert p.own_names == ("SkyLens", "深圳市天镜科技有限公司")
    assert p.markets == ("US", "DE")


def test_defaults_and_direct_construction():
    p = ProductProfile("  Drone ")
    assert (p.name, p.description, p.features, p.codes, p.markets, p.launch_date, p.source) == \
        ("Drone", "", (), (), (), None, None)
    q = ProductProfile("Drone", features=["a", "a", "b"], codes=["B64C 39/024"], markets=["ep"],
                       launch_date="2027-03-01")
    assert q.features == ("a", "b") and q.codes == ("B64C39/024",) and q.markets == ("EP",)
    assert q.launch_date == dt.date(2027, 3, 1)
    hash(q)  # frozen, tuples only
    with pytest.raises(dataclasses.FrozenInstanceError):
        q.name = "other"
    with pytest.raises(ProfileError) as ei:
        ProductProfile("Drone", markets=["WO"])
    assert ei.value.field == "markets" and ei.value.file is None and ei.value.line is None


def test_single_string_for_a_list_field():
    p = ProductProfile.from_dict({"name": "Drone", "keywords": "drone", "codes": "B64U 10/13"})
    assert p.keywords == ("drone",) and p.codes == ("B64U10/13",)


# -- errors -------------------------------------------------------------------------------------
def test_unknown_key(tmp_path):
    e = error(tmp_path, 'name = "Drone"\n\nfeaturs = ["a"]\n')
    assert (e.file, e.line, e.field) == (str(tmp_path / "product.toml"), 3, "featurs")
    assert "did you mean 'features'" in str(e)
    assert "allowed keys: name, description, features" in str(e)
    assert "codes (or ipc, cpc)" in str(e)
    assert str(e).startswith(f"{tmp_path / 'product.toml'}, line 3, field 'featurs': unknown key")


def test_bad_code(tmp_path):
    text = 'name = "Drone"\n# codes\n\n\n\n\ncodes = ["B64C 39/024", "B64 39"]\n'
    e = error(tmp_path, text)
    assert (e.line, e.field) == (7, "codes")
    assert e.reason == "'B64 39' is not a valid IPC/CPC code; write codes like 'B64C 39/024' or 'B64U10/13'"
    assert str(e) == f"{tmp_path / 'product.toml'}, line 7, field 'codes': {e.reason}"
    # an alias is reported as written, multi-line array: line of the key
    e = error(tmp_path, 'name = "Drone"\ncpc = [\n  "B64C 39/024",\n  "nonsense",\n]\n')
    assert (e.line, e.field) == (2, "cpc") and "'nonsense'" in e.reason
    e = error(tmp_path, 'name = "Drone"\nipc = [12]\n')
    assert (e.line, e.field) == (2, "ipc") and "a number (12)" in e.reason


def test_wo_market(tmp_path):
    e = error(tmp_path, 'name = "Drone"\nmarkets = ["US", "wo"]\n')
    assert (e.line, e.field) == (2, "markets")
    assert "'WO' is not a market (PCT applications are covered through their national phase)" in e.reason
    e = error(tmp_path, 'name = "Drone"\nmarket = "USA"\n')
    assert (e.line, e.field) == (2, "market") and "'USA' is not a 2-letter market code" in e.reason
    e = error(tmp_path, 'name = "Drone"\nmarkets = ["U1"]\n')
    assert e.field == "markets"


def test_bad_date(tmp_path):
    e = error(tmp_path, 'name = "Drone"\nlaunch_date = "next spring"\n')
    assert (e.line, e.field) == (2, "launch_date")
    assert "'next spring' is not a valid date; write launch_date as YYYY-MM-DD" in e.reason
    e = error(tmp_path, '{\n  "name": "Drone",\n  "launch_date": "2027-13-01"\n}\n', "p.json")
    assert (e.line, e.field) == (3, "launch_date") and "'2027-13-01'" in e.reason
    e = error(tmp_path, '{"name": "Drone",\n "launch_date": 20270301}', "p.json")
    assert (e.line, e.field) == (2, "launch_date") and "expected a date" in e.reason
    # an impossible TOML date is a TOML syntax error, still tied to its line and key
    e = error(tmp_path, 'name = "Drone"\nlaunch_date = 2027-02-30\n')
    assert (e.line, e.field) == (2, "launch_date") and e.reason.startswith("invalid TOML")


def test_toml_syntax_error(tmp_path):
    e = error(tmp_path, 'name = "Drone"\nkeywords = ["a", "b"]\nfeatures ["x"]\n')
    assert (e.file, e.line, e.field) == (str(tmp_path / "product.toml"), 3, None)
    assert e.reason.startswith("invalid TOML: Expected '=' after a key")
    assert "(at line" not in e.reason and "check the quotes" in e.reason
    e = error(tmp_path, 'name = "Drone"\n\ndescription = unquoted text\n')
    assert (e.line, e.field) == (3, "description")
    e = error(tmp_path, 'name = "Drone"\nfeatures = ["a",\n')
    assert e.line == 2 and e.reason.startswith("invalid TOML")


def test_json_syntax_error(tmp_path):
    e = error(tmp_path, '{\n  "name": "Drone",\n  "features": ["a", "b",]\n}\n', "p.json")
    assert (e.line, e.field) == (3, "features") and e.reason.startswith("invalid JSON")
    e = error(tmp_path, '{\n  "name": "Drone"\n  "markets": ["US"]\n}\n', "p.json")
    assert e.line == 3 and "Expecting ',' delimiter" in e.reason
    e = error(tmp_path, '[1, 2]', "p.json")
    assert e.line == 1 and "JSON object" in e.reason


def test_wrong_types(tmp_path):
    e = error(tmp_path, 'name = "Drone"\nfeatures = 3\n')
    assert (e.line, e.field) == (2, "features") and "got a number (3)" in e.reason
    e = error(tmp_path, '{"name": "Drone",\n"keywords": ["drone", true]}', "p.json")
    assert (e.line, e.field) == (2, "keywords") and "entry 2 is true/false" in e.reason
    e = error(tmp_path, 'name = 5\n')
    assert (e.line, e.field) == (1, "name")
    e = error(tmp_path, 'name = "Drone"\ndescription = ["a"]\n')
    assert (e.line, e.field) == (2, "description")
    e = error(tmp_path, 'name = "Drone"\n\n[[features]]\nfr = "bras pliables"\n')
    assert (e.line, e.field) == (3, "features") and "unknown key 'fr'" in e.reason
    e = error(tmp_path, 'name = "Drone"\nfeatures = [{ zh = "" }]\n')
    assert (e.line, e.field) == (2, "features") and "feature 1 has no text" in e.reason


def test_missing_or_empty_name(tmp_path):
    e = error(tmp_path, 'keywords = ["drone"]\n')
    assert (e.line, e.field) == (None, "name") and "has no name" in e.reason
    e = error(tmp_path, 'keywords = ["drone"]\nname = "  "\n')
    assert (e.line, e.field) == (2, "name") and "empty" in e.reason
    with pytest.raises(ProfileError) as ei:
        ProductProfile.from_dict({})
    assert ei.value.field == "name" and ei.value.file is None


def test_product_wrapper_and_top_level_keys(tmp_path):
    e = error(tmp_path, 'markets = ["US"]\n\n[product]\nname = "Drone"\n')
    assert (e.line, e.field) == (1, "markets") and "[product]" in e.reason


def test_file_errors(tmp_path):
    e = error(tmp_path, "name: Drone\n", "product.yaml")
    assert e.file == str(tmp_path / "product.yaml") and e.line is None
    assert "'.yaml'" in e.reason and ".toml or .json" in e.reason
    with pytest.raises(ProfileError) as ei:
        ProductProfile.from_file(tmp_path / "missing.toml")
    assert "cannot read" in ei.value.reason
    path = tmp_path / "gbk.toml"
    path.write_bytes('name = "Drone"\nkeywords = ["无人机"]\n'.encode("gbk"))
    with pytest.raises(ProfileError) as ei:
        ProductProfile.from_file(path)
    assert ei.value.line == 2 and "UTF-8" in ei.value.reason


def test_error_is_value_error():
    assert issubclass(ProfileError, ValueError)
    e = ProfileError("bad", file="a.toml", field="codes")
    assert str(e) == "a.toml, field 'codes': bad"
    assert str(ProfileError("bad")) == "bad"


# -- options and queries ------------------------------------------------------------------------
def test_with_options(tmp_path):
    p = ProductProfile.from_file(write(tmp_path, TOML))
    q = p.with_options(market="jp", codes=["B64C2201/127", "b64u 10/13"], keywords=None, features=(),
                       description="", launch_date="2027-06-30")
    assert q is not p
    assert q.markets == ("JP",)
    assert q.codes == ("B64C2201/127", "B64U10/13")
    assert q.keywords == p.keywords and q.features == p.features and q.description == p.description
    assert q.launch_date == dt.date(2027, 6, 30)
    assert q.source == p.source and q.name == p.name
    assert p.markets == ("US", "DE", "EP")  # the original is unchanged
    assert p.with_options() == p and p.with_options(markets=[], codes=None) == p
    assert p.with_options(ipc=["G05D 1/10"], cpc="B64U 10/13").codes == ("G05D1/10", "B64U10/13")
    with pytest.raises(ProfileError) as ei:
        p.with_options(markets=("US", "WO"))
    assert (ei.value.field, ei.value.file, ei.value.line) == ("markets", None, None)
    with pytest.raises(TypeError, match="unknown option 'code'"):
        p.with_options(code="B64C")  # only field names and the file's aliases
    with pytest.raises(TypeError):
        p.with_options(colour="red")


def test_with_options_bad_code():
    with pytest.raises(ProfileError) as ei:
        ProductProfile("Drone").with_options(codes=["B64C", "X99"])
    assert ei.value.field == "codes" and "'X99' is not a valid IPC/CPC code" in str(ei.value)


def test_query_texts():
    p = ProductProfile("Drone", description="ignored.", features=["foldable arms", "三轴云台 3-axis gimbal"])
    assert p.query_texts() == ["foldable arms", "三轴云台 3-axis gimbal"]
    q = ProductProfile("Drone", description="可折叠无人机。三轴云台！避障？\n\nA foldable drone. Range 4.5 km!Why? ok")
    assert q.query_texts() == ["可折叠无人机", "三轴云台", "避障", "A foldable drone", "Range 4.5 km!Why", "ok"]
    assert ProductProfile("Drone").query_texts() == []
    assert ProductProfile("Drone", description=" \n。 ").query_texts() == []


# -- shipped example and docs -------------------------------------------------------------------
def test_example_profile(drones):
    p = ProductProfile.from_file(ROOT / "examples" / "drone_product.toml")
    assert p.markets == ("US",)
    assert p.launch_date == dt.date(2027, 3, 1)
    assert 6 <= len(p.features) <= 8
    assert any("\u4e00" <= ch <= "\u9fff" for ch in "".join(p.features))
    assert "B64C39/024" in p.codes and "B64U10/13" in p.codes
    assert {"无人机", "drone", "UAV"} <= set(p.keywords)
    applicants = {a for row in drones.table["applicants"].to_pylist() if row for a in row}
    assert set(p.competitors) <= applicants
    assert not set(p.own_names) & applicants
    assert p.query_texts() == list(p.features)


def test_docs_cover_every_key():
    doc = (ROOT / "docs" / "warning-profile.md").read_text(encoding="utf-8")
    for key in ("name", "description", "features", "keywords", "codes", "ipc", "cpc", "own_names", "aliases",
                "competitors", "markets", "market", "launch_date", "source", "[product]", "ProfileError",
                "with_options", "query_texts", "from_file", "from_dict", "to_dict"):
        assert f"`{key}" in doc, key


# --- limits (issue 13: #8 oversized profile, #11 deep nesting, #13 date messages) ----------------
from patentnav.warning.profile import DATE_RANGE  # noqa: E402


@pytest.mark.parametrize("suffix,text", [
    (".json", '{"name": "x", "features": ' + "[" * 100_000 + "]" * 100_000 + "}"),
    (".toml", 'name = "x"\nfeatures = ' + "[" * 100_000 + "]" * 100_000 + "\n"),
    (".toml", 'name = "x"\nfeatures = [' + "{ a = " * 50 + "1" + " }" * 50 + "]\n"),
])
def test_deep_nesting_is_a_one_line_error(tmp_path, suffix, text):
    p = tmp_path / f"deep{suffix}"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(ProfileError) as e:
        ProductProfile.from_file(p)
    msg = str(e.value)
    assert msg.startswith(str(p)) and "nested more than 32 deep" in msg and "(profile_nesting)" in msg and "PATENTNAV_LIMIT_PROFILE_NESTING" in msg
    assert "\n" not in msg


def test_nesting_inside_strings_and_comments_is_ignored(tmp_path):
    p = tmp_path / "ok.toml"
    p.write_text('name = "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["  # [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n'
                 "features = ['''[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[''']\n", encoding="utf-8")
    assert ProductProfile.from_file(p).name.startswith("[[[")


def test_oversized_profile_names_file_and_limit(tmp_path, monkeypatch):
    p = tmp_path / "big.toml"
    p.write_text('name = "x"\ndescription = "' + "a" * 1_100_000 + '"\n', encoding="utf-8")
    with pytest.raises(ProfileError, match=r"big\.toml: the file is 1,100,028 bytes, above the limit of 1,000,000 "
                                           r"\(profile_bytes\).*--limit profile_bytes="):
        ProductProfile.from_file(p)
    monkeypatch.setenv("PATENTNAV_LIMIT_PROFILE_BYTES", "2000000")  # the user raises the size limit ...
    with pytest.raises(ProfileError, match="PATENTNAV_LIMIT_PROFILE_CHARS"):  # ... and meets the next one
        ProductProfile.from_file(p)
    monkeypatch.setenv("PATENTNAV_LIMIT_PROFILE_CHARS", "2M")
    assert len(ProductProfile.from_file(p).description) == 1_100_000


def test_too_many_features_and_bad_limit_values(monkeypatch):
    with pytest.raises(ProfileError, match=r"201 features, above the limit of 200 \(profile_features\)"):
        ProductProfile(name="x", features=tuple(f"feature {i}" for i in range(201)))
    monkeypatch.setenv("PATENTNAV_LIMIT_PROFILE_FEATURES", "lots")
    with pytest.raises(ProfileError, match="PATENTNAV_LIMIT_PROFILE_FEATURES: not a size"):
        ProductProfile(name="x", features=("one",))


@pytest.mark.parametrize("value", ["9999-12-31", "1066-10-14"])
def test_launch_date_out_of_range_names_the_field(tmp_path, value):
    p = tmp_path / "d.toml"
    p.write_text(f'name = "x"\nlaunch_date = {value}\n', encoding="utf-8")
    with pytest.raises(ProfileError) as e:
        ProductProfile.from_file(p)
    assert str(e.value) == (f"{p}, line 2, field 'launch_date': {value} is out of range; give a launch date from "
                            f"{DATE_RANGE[0]} to {DATE_RANGE[1]}")
