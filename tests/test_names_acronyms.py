"""Acronym links on evidence only, and the normalisation and fuzzy cases of issue 12
("Names merged across firms by acronym")."""

import pandas as pd
import pyarrow as pa
import pytest

import patentnav
from patentnav.names import NameHarmonizer, harmonize_names, normalize_name
from patentnav.names.acronyms import acronym_candidates, initials, is_generic_acronym, stated_acronyms


def _apart(*names):
    """No two distinct names of ``names`` share a group."""
    out = dict(zip(names, harmonize_names(list(names))))
    return len(set(out.values())) == len(out)


# the quoted wrong merges: each acronym firm with a real firm whose initials spell it
@pytest.mark.parametrize("acronym, expansion", [
    ("NEC CORP", "NEEDWOOD ENGINEERING CONSULTING LTD"),
    ("MOOG INC", "MÆRSK OLIE OG GAS AS"),
    ("HTC CORP", "HEXAGON TECHNOLOGY CT GMBH"),
    ("AMS AG", "ADCOR MAGNET SYSTEMS LLC"),
    ("AMS AG", "American Medical Systems, Inc."),
    ("CCP HF", "Cook Composites and Polymers Co."),
    ("IHI CORP", "IHC HOLLAND IE BV"),
    ("AIST", "ASSOCIATION FOR IRON AND STEEL TECHNOLOGY"),
])
def test_initials_alone_never_link(acronym, expansion):
    assert _apart(acronym, expansion)
    assert _apart(acronym, expansion, expansion, expansion)  # one clear expansion is still no evidence


def test_moog_is_not_even_a_candidate_og_is_a_function_word():
    keys = ["MOOG", "MÆRSK OLIE OG GAS", "NEC", "NEEDWOOD ENG CONSULTING"]
    a, e = acronym_candidates(pa.array([normalize_name(k) for k in keys]))
    assert [(keys[i], keys[j]) for i, j in zip(a, e)] == [("NEC", "NEEDWOOD ENG CONSULTING")]


def test_short_generic_tokens_are_never_acronyms():
    assert [is_generic_acronym(t) for t in ["INC", "USA", "TECH", "AB", "AND", "IBM", "CNRS"]] == [
        True, True, True, True, True, False, False]


def test_stated_acronym_links_with_two_mentions():
    stated = "IBM Corporation (International Business Machines Corporation)"
    once = NameHarmonizer().fit(["IBM Corp", "International Business Machines Corp", stated]).mapping_.set_index("raw")
    # the stating name joins its expansion; the bare acronym needs a second mention
    assert once.loc[stated, "group"] == once.loc["International Business Machines Corp", "group"]
    assert once.loc["IBM Corp", "group"] != once.loc["International Business Machines Corp", "group"]
    twice = NameHarmonizer().fit(["IBM Corp", "International Business Machines Corp", stated, stated]).mapping_.set_index("raw")
    assert twice["group"].nunique() == 1
    assert twice.loc["IBM Corp", ["reason", "evidence"]].tolist() == ["acronym-stated", 2]


def test_a_stated_short_form_may_cover_the_last_words():
    st = stated_acronyms(["National Institute of Advanced Industrial Science and Technology (AIST)",
                          "Societe Nationale d'Etude et de Construction de Moteurs d'Aviation (S.N.E.C.M.A.)",
                          "ONERA (OFF NAT AEROSPATIALE)", "Electricite de France (Service National)", "SPEX ENG (UK) LTD"])
    assert st["acronym"].tolist() == ["AIST", "SNECMA"]
    assert initials("MAERSK OLIE OG GAS".split()) == "MOG"


def test_acronym_links_from_patent_families():
    rows = []
    for k in range(2):  # two families: the acronym and the expansion at the same position
        rows.append({"publication_number": f"US-{9000000 + k}-B2", "applicants": ["IBM CORP"], "family_id": f"F{k}"})
        rows.append({"publication_number": f"EP-{3000000 + k}-A1", "applicants": ["INTERNATIONAL BUSINESS MACHINES CORP"],
                     "family_id": f"F{k}"})
    rows.append({"publication_number": "US-9100000-B2", "applicants": ["NEC CORP"], "family_id": "F9"})
    rows.append({"publication_number": "GB-2500000-A", "applicants": ["NEEDWOOD ENGINEERING CONSULTING LTD"], "family_id": "F8"})
    c = patentnav.Corpus.from_pandas(pd.DataFrame(rows)).harmonize_applicants()
    m = c.applicant_mapping.set_index("raw")
    assert m.loc["IBM CORP", "group"] == m.loc["INTERNATIONAL BUSINESS MACHINES CORP", "group"]
    assert "acronym-family" in set(c.applicant_links["reason"])
    assert m.loc["NEC CORP", "group"] != m.loc["NEEDWOOD ENGINEERING CONSULTING LTD", "group"]
    one = patentnav.Corpus.from_pandas(pd.DataFrame(rows[:2])).harmonize_applicants().applicant_mapping
    assert one["group"].nunique() == 2  # one family is below the threshold


def test_agresearch_keeps_its_name():
    # AGRESEARCH is within two insertions of RESEARCH; a misspelling keeps the first letter
    # and the length (within one), so it is no longer standardised to RES
    assert normalize_name("AGRESEARCH LTD") == "AGRESEARCH"
    assert normalize_name("AgResearch Limited") == "AGRESEARCH"
    assert normalize_name("General Electic Company") == "GENERAL ELEC"  # misspellings still work
    assert normalize_name("Universal Oil Prodcts Co") == normalize_name("Universal Oil Products Co")


@pytest.mark.parametrize("a, b", [
    ("UNIV XIAN TECHNOLOGICAL", "UNIV XIAMEN TECHNOLOGY"),
    ("Hunan University", "Henan University"),
    ("SHANXI UNIV", "SHAANXI UNIV"),
])
def test_typo_links_never_join_different_places(a, b):
    assert _apart(a, b)


def test_typo_links_still_join_a_misspelt_place():
    assert not _apart("UNIV XIAN TECHNOLOGICAL", "UNIV XAIN TECHNOLOGICAL")


def test_no_candidates_when_no_name_is_one_word():
    a, e = acronym_candidates(pa.array(["A B C", "X"]))
    assert len(a) == len(e) == 0


def _stated_acronyms_reference(raw_names):
    """The definition before the word-initials filter: every name of the right shape goes
    through :func:`initials`."""
    import re

    import numpy as np
    import pyarrow.compute as pc

    from patentnav.names.acronyms import _STATED, _prepare

    s = _prepare(pa.array(list(raw_names), pa.string()))
    cand = np.flatnonzero(np.asarray(pc.match_substring_regex(s, r"^[A-Z(][^\p{Han}]* [^\p{Han}]*[A-Z)]$")
                                     .fill_null(False).to_numpy(zero_copy_only=False), dtype=bool))
    rows = []
    if len(cand):
        sub = s.take(pa.array(cand))
        done = np.zeros(len(cand), dtype=bool)
        for n_pattern, pattern in enumerate(_STATED):
            m = pc.extract_regex(sub, pattern)
            hit = np.asarray(pc.is_valid(m).to_numpy(zero_copy_only=False), dtype=bool) & ~done
            acr, exp = pc.struct_field(m, "acr").to_pylist(), pc.struct_field(m, "exp").to_pylist()
            for k in np.flatnonzero(hit):
                a, e = re.sub(r"[^A-Z]", "", acr[k]), exp[k].strip()
                ini = initials(re.split(r"[^A-Z0-9]+", e))
                if not is_generic_acronym(a) and (ini == a or (n_pattern < 2 and ini.endswith(a))):
                    rows.append((int(cand[k]), a, e))
                    done[k] = True
    return pd.DataFrame(rows, columns=["index", "acronym", "expansion"])


def test_stated_acronyms_equal_the_definition_without_the_initials_filter(drones):
    import pyarrow.compute as pc

    names = pc.unique(pc.list_flatten(drones.table["applicants"])).drop_null().to_pylist()
    names += ["IBM Corporation (International Business Machines Corporation)", "ONERA (OFF NAT AEROSPATIALE)",
              "Centre National de la Recherche Scientifique (C.N.R.S.)", "3M Co (Minnesota Mining Mfg)", "AB (A B)",
              "NEC CORP", "Sony Ericsson Mobile Communications (SEMC)", "GE GENERAL ELECTRIC", "ELECTRIC GENERAL GE",
              "X-Ray Imaging Technologies (XIT)", "R&D Labs (RDL)", "Foo (B.A.R.)", "  ", "大疆 (DJI)"]
    got = stated_acronyms(names)
    pd.testing.assert_frame_equal(got, _stated_acronyms_reference(names))
    assert len(got) >= 5
