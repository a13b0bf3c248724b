"""Patent holders: holder type and litigation history (专利预警: 权利人类型与诉讼历史).

For each holder of a threatening patent, :func:`holder_types` says what kind of holder it is
(one of :data:`HOLDER_TYPES`), which rule decided and why; :func:`read_litigation` reads a
user-supplied litigation table (CSV/TSV/XLSX, English or Chinese headers) with every row
accounted for; :func:`litigation_by_holder` and :func:`litigation_by_patent` summarise it.
Rules, lists, thresholds and limits are documented in ``docs/warning-holders.md``.

Rules of :func:`holder_types`, the first that applies wins:

1. ``user_npe`` / ``user_firm`` -- the name is in the user's ``npe_names`` (-> ``likely_npe``)
   or ``firm_names`` (-> ``firm``), compared by normalised key
   (:func:`patentnav.names.normalize_names`). The user's own lists always win.
2. ``individual`` -- :func:`patentnav.names.is_individual` (Magerman, Van Looy & Song 2006),
   unless the name has a university or research-institute word of rules 3-4 (which
   ``is_individual`` does not know: ``FRAUNHOFER GES FORSCHUNG`` has the shape of a name).
3. ``university`` -- a word of :data:`UNIVERSITY_PATTERNS` / :data:`UNIVERSITY_CJK` in the
   cleaned name (keyword approach of the Eurostat patentee sector allocation, du Plessis,
   Van Looy, Song & Magerman 2009), unless the name ends in a CJK company form
   (``...大学科技开发有限公司``: a university-run enterprise) or is KIST (a research
   institute, not KAIST). Latin legal forms do not overrule: ``UNIV NAGOYA NAT UNIV CORP``,
   ``UNIV CENTRAL FLORIDA RES FOUND INC`` hold university patents.
4. ``research_institute`` -- :data:`RESEARCH_INSTITUTE_NAMES` (named public research
   organisations, always) or :data:`RESEARCH_INSTITUTE_WORDS` / :data:`RESEARCH_INSTITUTE_CJK`
   (generic words, unless the name ends in a company legal form).
5. ``likely_npe`` -- (a) ``npe_name``: a name pattern of patent-assertion entities
   (:data:`NPE_NAME_PATTERNS`, :data:`NPE_NAME_CJK`), unless the name starts with an operating
   company (:data:`OPERATING_COMPANY_PREFIXES`; rule ``ip_subsidiary`` -> ``firm``: Cotropia,
   Kesan & Schwartz 2014 code IP-holding subsidiaries of operating companies, e.g. "AT&T
   Intellectual Property I, L.P.", apart from assertion entities); (b) ``npe_litigation``:
   plaintiff in at least :data:`NPE_MIN_PLAINTIFF_CASES` distinct cases of the litigation data.
   Both together: ``npe_name+litigation``.
6. ``firm`` -- anything else (``company_form`` when a university/research word was
   overruled by a company legal form, ``ip_subsidiary`` as above, otherwise ``firm``).

References
----------
* Allison, J. R., Lemley, M. A. & Walker, J. (2009). Extreme value or trolls on top? The
  characteristics of the most-litigated patents. *University of Pennsylvania Law Review*
  158(1), 1-37.
* Allison, J. R., Lemley, M. A. & Walker, J. (2011). Patent quality and settlement among
  repeat patent litigants. *Georgetown Law Journal* 99, 677 (patents litigated eight or more
  times are disproportionately owned by non-practising entities).
* Cotropia, C. A., Kesan, J. P. & Schwartz, D. L. (2014). Unpacking patent assertion
  entities (PAEs). *Minnesota Law Review* 99, 649 (hand-coded patent holders of all 2010 and
  2012 US patent suits).
* Miller, S. P. et al. (2018). Who's suing us? Decoding patent plaintiffs since 2000 with the
  Stanford NPE Litigation Dataset. *Stanford Technology Law Review* 21 (practising entity or
  one of eleven NPE types).
* US Federal Trade Commission (2011). *The Evolving IP Marketplace* (patent assertion
  entity: a firm whose business model focuses on purchasing and asserting patents).
* Ewing, T. & Feldman, R. (2012). The giants among us. *Stanford Technology Law Review* 1
  (Intellectual Ventures).
* Lanjouw, J. O. & Schankerman, M. (2001). Characteristics of patent litigation: a window
  on competition. *RAND Journal of Economics* 32(1), 129-151 (about 1% of US patents are
  ever litigated).
* du Plessis, M., Van Looy, B., Song, X. & Magerman, T. (2009). *Data production methods for
  harmonized patent statistics: Patentee sector allocation*. Eurostat.

Everything is columnar: names are classified once per distinct name with Arrow regular
expressions (RE2), litigation rows are exploded, normalised and summarised with Arrow
kernels and pandas merges/groupbys; no Python loop runs over cases or cases x names.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Iterable, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .._arrow import map_unique
from ..io.report import IngestError, Issue
from ..io.source import cell_text as _cell_text, is_xlsx, iter_sheet_rows, open_workbook, read_delimited
from ..io.values import DEFAULT_DATE_FORMATS, parse_dates
from ..model.pubnum import normalize_publication_numbers
from ..names.individuals import is_individual
from ..names.legal_forms import CJK_LEGAL_FORMS, LEGAL_FORMS
from ..names.normalize import clean_names, normalize_names

__all__ = [
    "HOLDER_TYPES",
    "HOLDER_RULES",
    "NPE_MIN_PLAINTIFF_CASES",
    "UNIVERSITY_PATTERNS",
    "UNIVERSITY_CJK",
    "RESEARCH_INSTITUTE_NAMES",
    "RESEARCH_INSTITUTE_WORDS",
    "RESEARCH_INSTITUTE_CJK",
    "NPE_NAME_PATTERNS",
    "NPE_NAME_CJK",
    "OPERATING_COMPANY_PREFIXES",
    "LITIGATION_COLUMNS",
    "LITIGATION_HEADERS",
    "LitigationData",
    "holder_types",
    "read_litigation",
    "litigation_by_holder",
    "litigation_by_patent",
]

HOLDER_TYPES = ("firm", "individual", "university", "research_institute", "likely_npe")

#: Machine codes of the rules in the ``rule`` column of :func:`holder_types`.
HOLDER_RULES: dict[str, str] = {
    "user_npe": "listed by the user as an NPE (npe_names)",
    "user_firm": "listed by the user as an operating company (firm_names)",
    "individual": "the name looks like a person's (patentnav.names.is_individual)",
    "university": "a university word in the name",
    "research_institute": "a research-institute name or word in the name",
    "npe_name": "a name pattern typical of patent-assertion entities",
    "npe_litigation": "plaintiff in at least NPE_MIN_PLAINTIFF_CASES cases of the litigation data",
    "npe_name+litigation": "both npe_name and npe_litigation",
    "ip_subsidiary": "an NPE name pattern, but the name starts with an operating company (IP-holding subsidiary)",
    "company_form": "a university/research word, but the name ends in a company legal form",
    "firm": "no rule for another holder type applies",
    "no_name": "the name is empty",
}

#: A holder that is plaintiff in at least this many distinct cases of the supplied litigation
#: data is a ``likely_npe`` (unless an individual, university or research institute). About
#: 1% of US patents are ever litigated (Lanjouw & Schankerman 2001), so even a holder of a
#: hundred patents expects about one suit; with a Poisson mean of 1, P(5 or more) = 0.4%.
#: Repeat assertion is what sets assertion entities apart (Allison, Lemley & Walker 2009,
#: 2011: patents litigated eight or more times are disproportionately NPE-owned); 5 flags
#: that pattern earlier than 8, at the price of also flagging litigious operating companies
#: (list those in ``firm_names``). See docs/warning-holders.md.
NPE_MIN_PLAINTIFF_CASES = 5

#: University words and patterns (RE2, whole words of the cleaned upper-case name; accents
#: are already removed, ``Universität`` -> ``UNIVERSITAT``). ``UNIV`` never matches
#: ``UNIVERSAL``. The two ``INST ... TECH`` patterns cover institutes of technology (MIT,
#: Caltech, Harbin, Tokyo) and the Korean/Japanese science-and-technology universities
#: (KAIST, GIST, DGIST, UNIST, OIST: ``KOREA ADVANCED INST SCI & TECH``); KIST, which is a
#: research institute, is excepted.
UNIVERSITY_PATTERNS: tuple[str, ...] = (
    "UNIV", "UNIVERSITY", "UNIVERSITIES", "UNIVERSITAT", "UNIVERSITAET", "UNIVERSITE", "UNIVERSITES",
    "UNIVERSIDAD", "UNIVERSIDADE", "UNIVERSITA", "UNIVERSITEIT", "UNIVERSITET", "UNIVERSITETET",
    "UNIWERSYTET", "UNIVERCITY", "DAIGAKU", "DAEHAKGYO", "COLLEGE", "HOCHSCHULE", "FACHHOCHSCHULE", "POLYTECHNIC",
    "POLYTECHNIQUE", "POLITECNICO", "POLITECNICA", "ECOLE", r"INST(?:ITUT)? SUPERIEUR",
    r"INST(?:ITUTE|ITUT|ITUTO)?(?: OF| FOR| FUR| FUER| DE)? TECH(?:NOLOGY|NOLOGIE|NOLOGIES|N)?",
    r"INST(?:ITUTE|ITUT|ITUTO)?(?: OF)? SCI(?:ENCE|ENCES)?(?: AND)? TECH(?:NOLOGY|N)?",
    "KAIST", "POSTECH", "DGIST", "UNIST", "TECHNION", "YISSUM",
    r"ALUMNI RES(?:EARCH)? FOUND(?:ATION)?", r"IND(?:USTRY)? ACAD(?:EMIC)? COOP(?:ERATION)?",
)
#: University words in Chinese, Japanese and Korean names (学院 not as part of 科学院).
UNIVERSITY_CJK: tuple[str, ...] = ("大学", "大學", "学院", "學院", "学校", "學校", "대학", "과학기술원")

#: Named public research organisations (always a research institute, whatever the legal form).
RESEARCH_INSTITUTE_NAMES: tuple[str, ...] = (
    "FRAUNHOFER", "MAX PLANCK", "HELMHOLTZ", "FORSCHUNGSZENTRUM", r"ZENTR(?:UM)? (?:FUR |FUER )?LUFT",
    "CNRS", r"CENTRE NAT(?:IONAL)? (?:DE LA )?RECH(?:ERCHE)?", "CSIC", r"CONSEJO SUPERIOR (?:DE )?INVESTIGACION(?:ES)?",
    "INRIA", "INSERM", "INRAE", "INRA", r"INST(?:ITUT)? NAT(?:IONAL)? (?:DE (?:LA )?)?RECH(?:ERCHE)?",
    r"COMMISSARIAT (?:A )?(?:L )?ENERGIE ATOMIQUE", "ONERA", "CSIRO",
    r"SCIENT(?:IFIC)? (?:AND )?IND(?:USTRIAL)? RES(?:EARCH)? ORG(?:ANI[SZ]ATION)?", "TNO",
    "TOEGEPAST NATUURWETENSCHAPPELIJK", "VTT", "TEKNOLOGIAN TUTKIMUSKESKUS", "SINTEF",
    r"AGENCY (?:FOR )?SCI(?:ENCE)? (?:AND )?TECH(?:NOLOGY)? (?:AND )?RES(?:EARCH)?",
    "ETRI", "ITRI", "KIST", "KITECH", "AIST", "RIKEN", "JAXA", "BATTELLE",
    r"KOREA INST(?:ITUTE)? (?:OF )?SCI(?:ENCE)? (?:AND )?TECH(?:NOLOGY)?",
    r"KOREA INST(?:ITUTE)? (?:OF )?IND(?:USTRIAL)? TECH(?:NOLOGY)?",
    r"ADVANCED IND(?:USTRIAL)? SCI(?:ENCE)? (?:AND )?TECH(?:NOLOGY)?",
    r"APPLIED SCI(?:ENCE)? (?:AND )?TECH(?:NOLOGY)? RES(?:EARCH)? INST(?:ITUTE)?", "ASTRI",
    r"ACAD(?:EMY)? (?:OF )?(?:[A-Z]+ )?SCI(?:ENCE|ENCES)?",
    "中国科学院", "中國科學院", "中科院", "科学院", "科學院", "研究開発法人",
)
#: Generic research words (a research institute unless the name ends in a company legal form:
#: ``PALO ALTO RES CT INC`` and ``TOYOTA CENTRAL RES & DEV LAB INC`` are companies).
RESEARCH_INSTITUTE_WORDS: tuple[str, ...] = (
    r"RES(?:EARCH)? INST(?:ITUTE|ITUT|ITUTO|ITUTES)?", r"RES(?:EARCH)? (?:CENT(?:ER|RE|RO)|CTR|CT)",
    r"RES(?:EARCH)? LAB(?:ORATORY|ORATORIES|S)?", r"NAT(?:IONAL)? LAB(?:ORATORY|ORATORIES|S)?",
    "FORSCHUNGSINSTITUT", "INSTITUTE", "INSTITUT", "INSTITUTO", "INST", "ACADEMY", "ACADEMIE", "KENKYUSHO",
    "KENKYUJO",
)
#: Generic research words in Chinese, Japanese and Korean names (same company-form exception).
RESEARCH_INSTITUTE_CJK: tuple[str, ...] = ("研究院", "研究所", "研究中心", "研究室", "实验室", "實驗室", "연구원", "연구소")

#: Name patterns of patent-assertion entities (whole words of the cleaned name): the name says
#: that holding, licensing or asserting patents is the business -- the FTC (2011) definition
#: of a PAE -- or names a documented aggregator (Intellectual Ventures: Ewing & Feldman 2012;
#: Acacia Research). Compiled by patentnav; see docs/warning-holders.md for what they miss.
NPE_NAME_PATTERNS: tuple[str, ...] = (
    r"PATENTS? HOLDINGS?", r"IP HOLDINGS?", r"INTELLECTUAL PROPERT(?:Y|IES)", "INTELLECTUAL VENTURES",
    "LICENSING", "LICENCING", r"PATENTS? (?:ASSERTION|ENFORCEMENT|MONETI[SZ]ATION|ACQUISITION|TRUST)",
    r"INVENTION (?:SCIENCE|INVESTMENT) FUND", r"ACACIA RES(?:EARCH)?",
    r"IP (?:LLC|L L C|LP|L P|LTD|LIMITED|INC|CORP)", r"PATENTS? (?:LLC|L L C|LP|L P|LTD|LIMITED|INC|CORP)",
    r"INNOVATIONS? (?:LLC|L L C|LP|L P)",
)
#: The same for Chinese names (知识产权运营 / 专利运营 companies).
NPE_NAME_CJK: tuple[str, ...] = ("知识产权运营", "知識產權運營", "专利运营", "專利運營", "专利许可", "專利許可",
                                 "知识产权投资", "知识产权控股")

#: Operating companies whose IP-holding subsidiaries carry NPE-like names ("MICROSOFT
#: TECHNOLOGY LICENSING LLC", "VERIZON PATENT & LICENSING INC", "AT&T INTELLECTUAL PROPERTY I
#: LP"). Matched as leading words of the cleaned name. Illustrative, not complete: add others
#: with ``firm_names``.
OPERATING_COMPANY_PREFIXES: tuple[str, ...] = (
    "MICROSOFT", "VERIZON", "AT AND T", "AT T", "THOMSON", "DOLBY", "PHILIPS", "KONINKLIJKE PHILIPS", "INTEL",
    "PANASONIC", "VODAFONE", "GOOGLE", "ABL", "DSM", "NOKIA", "QUALCOMM", "SONY", "SAMSUNG", "LG", "HUAWEI",
    "ERICSSON", "SIEMENS", "IBM", "APPLE", "BOSCH", "ROBERT BOSCH", "CANON", "FUJITSU", "HITACHI", "TOSHIBA",
    "NEC", "SHARP", "MOTOROLA", "BLACKBERRY", "NXP", "SAP", "ORACLE", "CISCO", "AMAZON", "FACEBOOK", "META",
    "HEWLETT PACKARD", "HP", "DELL", "XEROX", "SEIKO EPSON", "RICOH", "NIKON", "DENSO", "TOYOTA", "HONDA",
    "GENERAL MOTORS", "GM", "FORD", "GENERAL ELECTRIC", "GE", "BOEING", "LOCKHEED", "RAYTHEON", "HONEYWELL",
    "SZ DJI", "DJI", "VOITH", "LELY", "COLT", "PHILIPS LIGHTING", "CENTURYLINK", "EMC",
)

#: Canonical columns of :attr:`LitigationData.cases`.
LITIGATION_COLUMNS = ("case_id", "plaintiff", "defendant", "patent", "filed", "court", "outcome", "line")

#: Accepted header names per canonical column, compared after NFKC, lower case and folding of
#: ``_ - . / :`` and brackets to spaces (``Case_Number`` = ``case number``). When several
#: columns match, the earliest name in the list wins.
LITIGATION_HEADERS: dict[str, tuple[str, ...]] = {
    "case_id": ("case id", "case", "case number", "case no", "docket", "docket number", "docket no", "案号", "案件编号"),
    "plaintiff": ("plaintiff", "plaintiffs", "原告", "holder", "patent holder", "patentee", "patent owner", "owner",
                  "专利权人", "权利人"),
    "defendant": ("defendant", "defendants", "被告"),
    "patent": ("patent", "patents", "patent number", "patent numbers", "patent no", "publication number",
               "publication numbers", "专利号", "专利", "涉案专利"),
    "filed": ("filed", "date filed", "filing date", "filed date", "立案日期", "起诉日期", "date", "日期"),
    "court": ("court", "venue", "法院", "受理法院"),
    "outcome": ("outcome", "result", "disposition", "结果", "判决结果"),
}

_DATE_FORMAT_TEXT = {"iso": "YYYY-MM-DD", "compact": "YYYYMMDD", "cn": "YYYY年M月D日", "dmy": "DD/MM/YYYY", "mdy": "MM/DD/YYYY"}


# --- name classification ------------------------------------------------------------------


def _words(patterns: Iterable[str]) -> str:
    """Whole-word alternation over a cleaned (upper-case, single-spaced) name, group ``m``."""
    return r"(?:^| )(?P<m>" + "|".join(patterns) + r")(?: |$)"


def _chars(patterns: Iterable[str]) -> str:
    return "(?P<m>" + "|".join(re.escape(p) for p in patterns) + ")"


_UNIV_RE = _words(UNIVERSITY_PATTERNS)
_UNIV_CJK_RE = _chars(UNIVERSITY_CJK)
_KIST_RE = r"^KOREA INST(?:ITUTE)?(?: OF)? SCI(?:ENCE)?(?: AND)? TECH(?:NOLOGY)?(?: |$)"
_RES_NAMED_RE = _words(p for p in RESEARCH_INSTITUTE_NAMES if p.isascii())
_RES_NAMED_CJK_RE = _chars(p for p in RESEARCH_INSTITUTE_NAMES if not p.isascii())
_RES_WORDS_RE = _words(RESEARCH_INSTITUTE_WORDS)
_RES_CJK_RE = _chars(RESEARCH_INSTITUTE_CJK)
_NPE_RE = _words(NPE_NAME_PATTERNS)
_NPE_CJK_RE = _chars(NPE_NAME_CJK)
_BRAND_RE = r"^(?P<m>" + "|".join(OPERATING_COMPANY_PREFIXES) + r")(?: |$)"
# company legal forms: every form of the package's list except those of associations and
# foundations (Fraunhofer is an "e.V.")
_NOT_COMPANY = {"EV", "E V", "EINGETRAGENER VEREIN", "STIFTUNG", "GBR"}
_COMPANY_FORMS = sorted({w for ws in LEGAL_FORMS.values() for w in ws} - _NOT_COMPANY, key=lambda w: (-len(w), w))
_FORM_RE = r"(?:^| )(?P<m>" + "|".join(_COMPANY_FORMS) + r")$"
_CJK_FORM_RE = "(?P<m>" + "|".join(re.escape(f) for f in sorted(CJK_LEGAL_FORMS, key=len, reverse=True)) + r")$|^(?P<m2>株式会社|株式會社|有限会社)"


def _string_array(values: Iterable | pa.Array | pa.ChunkedArray) -> pa.Array:
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if isinstance(values, pa.Array):
        return values.cast(pa.string())
    if isinstance(values, (str, bytes)):
        raise TypeError("expected a sequence of names, got a single string")
    if isinstance(values, pd.Series):
        values = values.astype(object).where(values.notna(), None).tolist()
    return pa.array([None if v is None or (isinstance(v, float) and v != v) else str(v) for v in values], pa.string())


def _extract(arr: pa.Array, regex: str, group: str = "m") -> np.ndarray:
    """Matched text of group ``group`` per element (None where no match), as an object array."""
    if len(arr) == 0:
        return np.zeros(0, dtype=object)
    m = pc.extract_regex(arr, regex)
    return np.asarray(pc.struct_field(m, group).to_numpy(zero_copy_only=False), dtype=object)


def _coalesce(*arrays: np.ndarray) -> np.ndarray:
    out = arrays[0].copy()
    for a in arrays[1:]:
        miss = pd.isna(out)
        out[miss] = a[miss]
    return out


def _company_form(cleaned: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(Latin, CJK) company legal form of each name, None where it has none."""
    latin = _extract(cleaned, _FORM_RE)
    cjk = _coalesce(_extract(cleaned, _CJK_FORM_RE, "m"), _extract(cleaned, _CJK_FORM_RE, "m2"))
    return latin, cjk


def _keys(names: Iterable[str]) -> set:
    arr = _string_array(list(names))
    return {k for k in normalize_names(arr).to_pylist() if k is not None} if len(arr) else set()


def _plaintiff_case_counts(cases: pd.DataFrame) -> pd.Series:
    """Distinct cases per normalised plaintiff key."""
    if cases.empty:
        return pd.Series(dtype="int64")
    t = pd.DataFrame({"key": _norm_keys(cases["plaintiff"]), "case": _case_keys(cases)})
    return t.dropna(subset=["key"]).groupby("key")["case"].nunique()


#: Plural business nouns that no person's name contains (a two-word "PARROT DRONES" is a
#: firm, though it has the shape of a family and a given name).
BUSINESS_WORDS = ("DRONES", "ROBOTICS", "ROBOTS", "AEROSPACE", "AVIATION", "AIRCRAFT", "SYSTEMS", "TECHNOLOGIES",
                  "SOLUTIONS", "ELECTRONICS", "NETWORKS", "LABS", "LABORATORIES", "INDUSTRIES", "DYNAMICS",
                  "MOTORS", "DEVICES", "INSTRUMENTS", "PRODUCTS", "SERVICES", "INNOVATIONS", "VENTURES")
_BUSINESS_RE = _words(BUSINESS_WORDS)


def _classify(u: pa.Array, npe_keys: set, firm_keys: set, counts: pd.Series | None, min_cases: int) -> pd.DataFrame:
    """Classify distinct raw names (see the module docstring for the rules)."""
    n = len(u)
    cleaned = clean_names(u)
    keys = normalize_names(u)
    keys_s = pd.Series(np.asarray(keys.to_numpy(zero_copy_only=False), dtype=object))
    person = np.asarray(is_individual(u, cleaned, keys).to_numpy(zero_copy_only=False), dtype=bool) if n else np.zeros(0, bool)
    user_npe = keys_s.isin(npe_keys).to_numpy() if npe_keys else np.zeros(n, bool)
    user_firm = keys_s.isin(firm_keys).to_numpy() if firm_keys else np.zeros(n, bool)

    latin_form, cjk_form = _company_form(cleaned)
    form = _coalesce(latin_form, cjk_form)
    has_form = pd.notna(form)
    # 学院 inside 科学院 (academy of sciences) is no college
    cjk_for_univ = pc.replace_substring(pc.replace_substring(cleaned, "科学院", "科\x01院"), "科學院", "科\x01院")
    univ_m = _coalesce(_extract(cleaned, _UNIV_RE), _extract(cjk_for_univ, _UNIV_CJK_RE))
    kist = np.asarray(pc.match_substring_regex(cleaned, _KIST_RE).fill_null(False).to_numpy(zero_copy_only=False), bool) if n else np.zeros(0, bool)
    univ_m[kist] = None
    named_m = _coalesce(_extract(cleaned, _RES_NAMED_RE), _extract(cleaned, _RES_NAMED_CJK_RE))
    generic_m = _coalesce(_extract(cleaned, _RES_WORDS_RE), _extract(cleaned, _RES_CJK_RE))
    research_m = np.where(pd.notna(named_m), named_m, np.where(has_form, None, generic_m))
    npe_m = _coalesce(_extract(cleaned, _NPE_RE), _extract(cleaned, _NPE_CJK_RE))
    brand = _extract(cleaned, _BRAND_RE)

    if counts is not None:
        n_cases = keys_s.map(counts).fillna(0).astype("int64").to_numpy()
    else:
        n_cases = np.zeros(n, dtype=np.int64)
    lit = (n_cases >= min_cases) if counts is not None else np.zeros(n, bool)
    # is_individual knows no institution names (FRAUNHOFER GES FORSCHUNG, CONSEJO SUPERIOR
    # INVESTIGACION read as three-word person names): a university or research word wins
    person = person & pd.isna(univ_m) & pd.isna(named_m) & pd.isna(generic_m)
    # nor business nouns: PARROT DRONES, ACME ROBOTICS have the two-word shape of a name
    person = person & pd.isna(_extract(cleaned, _BUSINESS_RE))
    # universities: only a CJK company form overrules (校办企业 hold their own patents; a
    # university's patents are filed in its own name), Latin forms do not (NAT UNIV CORP,
    # HIGHER EDUCATION CORP, university research foundations and licensing offices)
    is_univ = pd.notna(univ_m) & pd.isna(cjk_form)
    is_res = pd.notna(research_m)
    name_npe = pd.notna(npe_m) & pd.isna(brand)
    overruled = (pd.notna(univ_m) & pd.notna(cjk_form)) | (pd.notna(generic_m) & has_form)

    conds = [user_npe, user_firm, person, is_univ, is_res, name_npe & lit, name_npe, lit, pd.notna(npe_m), overruled]
    rules = ["user_npe", "user_firm", "individual", "university", "research_institute", "npe_name+litigation",
             "npe_name", "npe_litigation", "ip_subsidiary", "company_form"]
    types = ["likely_npe", "firm", "individual", "university", "research_institute", "likely_npe", "likely_npe",
             "likely_npe", "firm", "firm"]
    rule = np.select(conds, rules, default="firm") if n else np.zeros(0, dtype=object)
    htype = np.select(conds, types, default="firm") if n else np.zeros(0, dtype=object)

    def s(a) -> pd.Series:
        return pd.Series(a, dtype=object).fillna("").astype(str)

    cases_txt = pd.Series(n_cases).astype(str) + pd.Series(np.where(n_cases == 1, " case", " cases"))
    lit_txt = "plaintiff in " + cases_txt + f" of the litigation data (threshold {min_cases})"
    npe_txt = "name contains '" + s(npe_m) + "', typical of patent-assertion entities"
    univ_any = _coalesce(univ_m, generic_m)
    reasons = {
        "user_npe": pd.Series(["listed by the user as an NPE (npe_names)"] * n, dtype=object),
        "user_firm": pd.Series(["listed by the user as an operating company (firm_names)"] * n, dtype=object),
        "individual": pd.Series(["looks like a person's name (patentnav.names.is_individual)"] * n, dtype=object),
        "university": "name contains '" + s(univ_m) + "' (university)",
        "research_institute": "name contains '" + s(research_m) + "' (research institute)",
        "npe_name+litigation": npe_txt + "; " + lit_txt,
        "npe_name": npe_txt,
        "npe_litigation": lit_txt,
        "ip_subsidiary": "name contains '" + s(npe_m) + "' but starts with the operating company '" + s(brand)
        + "' (IP-holding subsidiary)",
        "company_form": "name contains '" + s(univ_any) + "' but ends in the company form '" + s(form) + "'",
        "firm": pd.Series(["no rule for another holder type applies"] * n, dtype=object),
    }
    below = (counts is not None) & (n_cases > 0)
    if counts is not None:
        tail = pd.Series(np.where(below, "; plaintiff in " + cases_txt + f" of the litigation data (below {min_cases})", ""), dtype=object)
        for k in ("firm", "company_form", "ip_subsidiary"):
            reasons[k] = reasons[k] + tail
    reason = np.empty(n, dtype=object)
    for k, txt in reasons.items():
        sel = rule == k
        if sel.any():
            reason[sel] = txt.to_numpy(dtype=object)[sel]
    rule, htype = rule.astype(object), htype.astype(object)
    blank = np.asarray(pc.is_null(cleaned).to_numpy(zero_copy_only=False), dtype=bool) if n else np.zeros(0, bool)
    rule[blank], htype[blank], reason[blank] = "no_name", None, "no name given"
    # the words the reason quotes, so that a report can say it in any language
    match = np.select([rule == "university", rule == "research_institute",
                       np.isin(rule, ["npe_name", "npe_name+litigation", "ip_subsidiary"]), rule == "company_form"],
                      [s(univ_m), s(research_m), s(npe_m), s(univ_any)], "") if n else np.zeros(0, dtype=object)
    other = np.select([rule == "ip_subsidiary", rule == "company_form"], [s(brand), s(form)], "") if n else np.zeros(0, dtype=object)
    return pd.DataFrame({
        "key": keys_s.to_numpy(dtype=object),
        "holder_type": htype,
        "rule": rule,
        "reason": reason,
        "match": match.astype(object),
        "match_other": other.astype(object),
        "plaintiff_cases": pd.array(n_cases, dtype="Int64") if counts is not None else pd.array([pd.NA] * n, dtype="Int64"),
    })


def holder_types(
    names: Iterable[str | None],
    *,
    npe_names: Iterable[str] = (),
    firm_names: Iterable[str] = (),
    litigation: "LitigationData | pd.DataFrame | str | os.PathLike | None" = None,
    min_plaintiff_cases: int = NPE_MIN_PLAINTIFF_CASES,
) -> pd.DataFrame:
    """Holder type of each name, with the rule that decided and a one-sentence reason.

    Parameters
    ----------
    names : sequence of str
        Holder (applicant/assignee) names as written; duplicates and nulls allowed.
    npe_names : iterable of str, optional
        Names the user knows to be non-practising / patent-assertion entities; they are
        ``likely_npe`` whatever else the name says. Compared by normalised key
        (:func:`patentnav.names.normalize_names`: ``"Greywater, LLC"`` = ``"GREYWATER LLC"``).
    firm_names : iterable of str, optional
        Names the user knows to be operating companies (``firm`` whatever the name patterns
        or litigation counts say). ``npe_names`` wins when a name is in both.
    litigation : LitigationData, pandas.DataFrame or path, optional
        Litigation data (:func:`read_litigation`, or its ``cases`` table). Enables rule
        ``npe_litigation`` and fills ``plaintiff_cases``.
    min_plaintiff_cases : int, default :data:`NPE_MIN_PLAINTIFF_CASES`
        Distinct cases as plaintiff from which a holder is a ``likely_npe``.

    Returns
    -------
    pandas.DataFrame
        One row per input name, in input order: ``name``, ``holder_type`` (one of
        :data:`HOLDER_TYPES`; None for an empty name), ``reason`` (English sentence),
        ``rule`` (code, :data:`HOLDER_RULES`), ``key`` (normalised name),
        ``plaintiff_cases`` (distinct cases as plaintiff; <NA> without litigation data),
        and the words the reason quotes, for reports in other languages: ``match`` (the
        name's university, institute or NPE word) and ``match_other`` (the operating
        company's name of an IP subsidiary, or the company form).

    Notes
    -----
    Heuristics for a first screen, not a legal finding: check a ``likely_npe`` holder (its
    website, its litigation, the Stanford NPE Litigation Database) before acting, and put
    what you know into ``npe_names`` / ``firm_names``. Sources and limits are in the module
    docstring and ``docs/warning-holders.md``.

    Examples
    --------
    >>> holder_types(["清华大学", "ZHAO CONG", "SKYWARD IP LICENSING LLC"])[["holder_type", "rule"]].values.tolist()
    [['university', 'university'], ['individual', 'individual'], ['likely_npe', 'npe_name']]
    """
    if min_plaintiff_cases < 1:
        raise ValueError(f"min_plaintiff_cases must be at least 1, got {min_plaintiff_cases}")
    raw = _string_array(names)
    raw_obj = pd.Series(np.asarray(raw.to_numpy(zero_copy_only=False), dtype=object) if len(raw) else np.zeros(0, dtype=object), dtype=object)
    codes, uniq = pd.factorize(raw_obj, use_na_sentinel=True)
    counts = None
    if litigation is not None:
        counts = _plaintiff_case_counts(_cases_of(litigation))
    cls = _classify(pa.array(list(uniq), pa.string()), _keys(npe_names), _keys(firm_names), counts, min_plaintiff_cases)
    valid = codes >= 0
    safe = np.where(valid, codes, 0)
    out = pd.DataFrame({"name": raw_obj.to_numpy(dtype=object)})
    for col in ("holder_type", "reason", "rule", "key", "match", "match_other"):
        vals = cls[col].to_numpy(dtype=object)[safe] if len(cls) else np.full(len(codes), None, dtype=object)
        out[col] = np.where(valid, vals, None)
    out.loc[~valid, "rule"] = "no_name"
    out.loc[~valid, "reason"] = "no name given"
    pcases = cls["plaintiff_cases"].to_numpy()[safe] if len(cls) else np.full(len(codes), pd.NA, dtype=object)
    out["plaintiff_cases"] = pd.array(np.where(valid, pcases, pd.NA), dtype="Int64")
    if counts is not None:
        out.loc[~valid, "plaintiff_cases"] = pd.NA
    return out[["name", "holder_type", "reason", "rule", "key", "plaintiff_cases", "match", "match_other"]]


# --- litigation data ------------------------------------------------------------------


@dataclass
class LitigationData:
    """Litigation cases read by :func:`read_litigation`.

    Attributes
    ----------
    cases : pandas.DataFrame
        One row per (source row, patent): :data:`LITIGATION_COLUMNS`. ``patent`` is the
        canonical publication number (``US-9123456-B2``) or the raw text when it is no
        recognisable publication number; ``filed`` is ``datetime64`` (NaT when missing or
        invalid); ``line`` is the 1-based line (CSV) or row (XLSX) of the source record.
    issues : list of Issue
        Every problem, in line order, with file, line, field (the source header), value and
        reason; the reason says whether the row was kept or dropped.
    rows_read, rows_kept, rows_rejected : int
        Source records; ``rows_read == rows_kept + rows_rejected`` always holds.
    file : str
    columns : dict
        Canonical column -> the source header used for it.
    """

    cases: pd.DataFrame
    issues: list[Issue]
    rows_read: int
    rows_kept: int
    rows_rejected: int
    file: str = ""
    columns: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.rows_read != self.rows_kept + self.rows_rejected:
            raise AssertionError(f"rows read {self.rows_read} != kept {self.rows_kept} + rejected {self.rows_rejected}")

    def summary(self) -> dict[str, int]:
        """Rows read, kept and rejected, plus case rows (after splitting patent lists) and issues."""
        return {
            "rows_read": self.rows_read,
            "rows_kept": self.rows_kept,
            "rows_rejected": self.rows_rejected,
            "case_rows": int(len(self.cases)),
            "issues": len(self.issues),
        }


def _norm_header(h: str) -> str:
    h = unicodedata.normalize("NFKC", str(h)).replace("\ufeff", "").strip().lower()
    return re.sub(r"[\s_\-./:#()\[\]]+", " ", h).strip()


def _map_headers(header: Sequence[str]) -> dict[str, int]:
    normed = [_norm_header(h) for h in header]
    used: set[int] = set()
    out: dict[str, int] = {}
    for canon, names in LITIGATION_HEADERS.items():
        for name in names:
            idx = next((i for i, h in enumerate(normed) if h == name and i not in used), None)
            if idx is not None:
                out[canon] = idx
                used.add(idx)
                break
    return out


def _read_xlsx(path, file: str, sheet) -> tuple[list[str], list[list[str]], list[int]]:
    with open(path, "rb") as fh:
        wb = open_workbook(fh, file)
        try:
            try:
                ws = wb.worksheets[0] if sheet is None else (wb[sheet] if isinstance(sheet, str) else wb.worksheets[sheet])
            except (KeyError, IndexError) as e:
                raise IngestError(f"{file}: no sheet {sheet!r} (sheets: {', '.join(wb.sheetnames)})", "Name an existing sheet") from e
            header: list[str] | None = None
            rows, lines = [], []
            for r, row in iter_sheet_rows(ws, file):
                cells = [_cell_text(v).strip() for v in (row or ())]
                if not any(cells):
                    continue
                if header is None:
                    width = max(i + 1 for i, c in enumerate(cells) if c)
                    header = cells[:width]
                    continue
                rows.append((cells + [""] * len(header))[: len(header)])
                lines.append(r)
        finally:
            wb.close()
    if header is None:
        raise IngestError(f"{file}: the sheet is empty (no header row)", "Write a header row: case_id, plaintiff, defendant, patent, filed, court, outcome")
    return header, rows, lines


def _blank_null(values: list[str]) -> pa.Array:
    a = pc.utf8_trim_whitespace(pa.array(values, pa.string()))
    return pc.if_else(pc.equal(a, ""), pa.scalar(None, pa.string()), a)


# CN patent numbers are application numbers (ZL 2015 1 0123456.7), not publication numbers
_CN_APPLICATION = r"^(?:ZL|CN)?[0-9]{8}(?:[0-9]{4})?\.?[0-9X]$"
_THOUSANDS = re.compile(r"(?<=[0-9]),(?=[0-9]{3}(?![0-9]))")
_PATENT_SEP = r"\s*[;,、|\n]\s*"


def _squash(arr: pa.Array) -> pa.Array:
    """Upper case without spaces: the comparison form of a raw patent text."""
    return pc.replace_substring_regex(pc.utf8_upper(pc.utf8_normalize(arr, "NFKC")), r"\s+", "")


def _normalise_patents(items: pa.Array, default_country: str | None = None) -> pa.Array:
    """Canonical publication numbers, null where the text is none (CN ``ZL`` numbers included)."""
    if len(items) == 0:
        return pa.array([], pa.string())
    s = pc.utf8_trim_whitespace(pc.utf8_normalize(items, "NFKC"))
    if default_country:
        bare = pc.match_substring_regex(s, r"^[0-9]").fill_null(False)
        s = pc.if_else(bare, pc.binary_join_element_wise(default_country.strip().upper(), s, " "), s)
    norm = normalize_publication_numbers(s)
    cn_app = pc.match_substring_regex(_squash(items), _CN_APPLICATION).fill_null(False)
    return pc.if_else(cn_app, pa.scalar(None, pa.string()), norm)


def read_litigation(
    path: str | os.PathLike,
    *,
    date_formats: Sequence[str] = DEFAULT_DATE_FORMATS,
    default_country: str | None = None,
    sheet: str | int | None = None,
) -> LitigationData:
    """Read a litigation table (CSV, TSV or XLSX; English or Chinese headers).

    Parameters
    ----------
    path : path
        CSV/TSV (UTF-8, UTF-8 with BOM, GB18030; optionally gzip/bz2/xz/zip compressed,
        via :func:`patentnav.io.source.read_delimited`) or XLSX (detected by content).
    date_formats : sequence of str
        Date spellings accepted in the filed column (keys of
        :data:`patentnav.io.values.DATE_PATTERNS`); default ``2016-08-12``,
        ``20160812``, ``2016年8月12日``. Add ``"mdy"`` for US ``08/12/2016``.
    default_country : str, optional
        Country code put before bare numbers (``9,123,456`` -> ``US-9123456`` with
        ``"US"``); without it they stay raw text.
    sheet : str or int, optional
        XLSX sheet (default: the first).

    Returns
    -------
    LitigationData

    Raises
    ------
    IngestError (a ValueError)
        When the ``plaintiff`` column, or both the ``patent`` and the ``case_id`` columns,
        are missing (the message names the file, the columns found and the accepted header
        names, :data:`LITIGATION_HEADERS`), or the file cannot be read.

    Notes
    -----
    * A cell with several patents separated by ``;``, ``,``, ``、``, ``|`` or line breaks
      gives one case row per patent (commas that are thousands separators, as in
      ``US 9,123,456``, do not split).
    * Patent numbers go through :func:`patentnav.model.pubnum.normalize_publication_numbers`;
      text that is no publication number (a CN ``ZL...`` patent number, a bare number
      without ``default_country``) is kept as written and reported as an issue.
    * A row with an empty plaintiff is dropped and counted as rejected; a row with an
      invalid date is kept with ``filed`` NaT. Both are reported with file, line, field,
      value and reason. Records with the wrong number of fields are rejected.
    """
    file = str(path)
    bad: list[Issue] = []
    bad_rows = 0
    if is_xlsx(path):
        header, rows, lines = _read_xlsx(path, file, sheet)
    else:
        d = read_delimited(path)
        header = [h.lstrip("\ufeff").strip() for h in d.header]
        rows, lines, bad = d.rows, d.lines, list(d.bad) + list(d.warnings)
        bad_rows = len(d.bad)
    colmap = _map_headers(header)
    missing = []
    if "plaintiff" not in colmap:
        missing.append("plaintiff")
    if "patent" not in colmap and "case_id" not in colmap:
        missing.append("patent or case_id")
    if missing:
        accepted = "; ".join(f"{k}: {', '.join(v)}" for k, v in LITIGATION_HEADERS.items())
        found = ", ".join(repr(h) for h in header) or "(none)"
        raise IngestError(
            f"{file}: missing column(s) {' and '.join(missing)}; columns found: {found}",
            f"Name the columns with one of the accepted header names ({accepted}); "
            "plaintiff is required, and patent or case_id",
        )

    n = len(rows)
    cols = list(zip(*rows)) if rows else [() for _ in header]
    src = {k: header[i] for k, i in colmap.items()}

    def column(k: str) -> pa.Array:
        if k not in colmap:
            return pa.nulls(n, pa.string())
        return _blank_null(list(cols[colmap[k]]))

    line_np = np.asarray(lines, dtype=np.int64)
    plaintiff = column("plaintiff")
    issues: list[Issue] = list(bad)
    empty = np.asarray(pc.is_null(plaintiff).to_numpy(zero_copy_only=False), dtype=bool) if n else np.zeros(0, bool)
    issues += [Issue.coded(file, int(line_np[i]), src["plaintiff"], "empty_plaintiff") for i in np.flatnonzero(empty)]

    filed_raw = column("filed")
    filed, invalid = parse_dates(filed_raw, date_formats)
    inv = np.asarray(invalid.to_numpy(zero_copy_only=False), dtype=bool) if n else np.zeros(0, bool)
    inv &= ~empty
    if inv.any():
        accepted = ", ".join(_DATE_FORMAT_TEXT.get(f, f) for f in date_formats)
        vals = filed_raw.to_pylist()
        issues += [Issue.coded(file, int(line_np[i]), src["filed"], "lit_date", vals[i], accepted=accepted)
                   for i in np.flatnonzero(inv)]

    keep = ~empty
    kidx = pa.array(np.flatnonzero(keep))
    base = {
        "case_id": column("case_id").take(kidx),
        "plaintiff": plaintiff.take(kidx),
        "defendant": column("defendant").take(kidx),
        "filed": filed.take(kidx),
        "court": column("court").take(kidx),
        "outcome": column("outcome").take(kidx),
        "line": pa.array(line_np[keep]),
    }
    # explode patent lists: thousands separators protected over the distinct cells only
    pat = column("patent").take(kidx)
    pat = pc.utf8_normalize(pc.fill_null(pat, ""), "NFKC") if len(pat) else pat
    protected = map_unique(pat, lambda v: None if v is None else _THOUSANDS.sub("", v)) if len(pat) else pat
    lists = pc.split_pattern_regex(protected, _PATENT_SEP) if len(pat) else pa.array([], pa.list_(pa.string()))
    flat = pc.utf8_trim_whitespace(pc.list_flatten(lists)) if len(pat) else pa.array([], pa.string())
    parent = np.asarray(pc.list_parent_indices(lists).to_numpy(), dtype=np.int64) if len(pat) else np.zeros(0, np.int64)
    ok = np.asarray(pc.not_equal(flat, "").fill_null(False).to_numpy(zero_copy_only=False), dtype=bool) if len(flat) else np.zeros(0, bool)
    flat, parent = flat.filter(pa.array(ok)), parent[ok]
    no_patent = np.setdiff1d(np.arange(len(pat)), parent)
    parent_all = np.concatenate([parent, no_patent])
    items = pa.concat_arrays([flat, pa.nulls(len(no_patent), pa.string())])
    order = np.argsort(parent_all, kind="stable")
    parent_all, items = parent_all[order], items.take(pa.array(order))
    norm = _normalise_patents(items, default_country)
    unrec = np.asarray(pc.and_(pc.is_valid(items), pc.is_null(norm)).to_numpy(zero_copy_only=False), dtype=bool) if len(items) else np.zeros(0, bool)
    if unrec.any():
        lines_kept = line_np[keep]
        vals = items.to_pylist()
        issues += [Issue.coded(file, int(lines_kept[parent_all[i]]), src["patent"], "lit_patent", vals[i])
                   for i in np.flatnonzero(unrec)]
    patent = pc.coalesce(norm, items) if len(items) else items

    take = pa.array(parent_all)
    frame = {k: (v.take(take) if len(v) else v) for k, v in base.items()}
    frame["patent"] = patent
    tbl = pa.table({c: frame[c] for c in LITIGATION_COLUMNS})
    cases = tbl.to_pandas(date_as_object=False)
    cases["filed"] = pd.to_datetime(cases["filed"]).astype("datetime64[ns]")
    cases["line"] = cases["line"].astype("int64")
    for c in ("case_id", "plaintiff", "defendant", "patent", "court", "outcome"):
        cases[c] = cases[c].astype(object).where(cases[c].notna(), None)

    rejected = int(empty.sum()) + bad_rows
    issues.sort(key=lambda i: i.line)
    return LitigationData(cases=cases, issues=issues, rows_read=n + bad_rows, rows_kept=int(keep.sum()),
                          rows_rejected=rejected, file=file, columns=src)


# --- summaries ----------------------------------------------------------------------------


def _cases_of(lit: "LitigationData | pd.DataFrame | str | os.PathLike") -> pd.DataFrame:
    if isinstance(lit, LitigationData):
        return lit.cases
    if isinstance(lit, pd.DataFrame):
        missing = {"plaintiff"} - set(lit.columns)
        if missing:
            raise ValueError(f"litigation table needs a 'plaintiff' column; it has {', '.join(map(str, lit.columns))}")
        return lit
    if isinstance(lit, (str, os.PathLike)):
        return read_litigation(lit).cases
    raise TypeError(f"expected LitigationData, a cases DataFrame or a path, got {type(lit).__name__}")


def _norm_keys(values: pd.Series) -> np.ndarray:
    arr = _string_array(values)
    if len(arr) == 0:
        return np.zeros(0, dtype=object)
    return np.asarray(normalize_names(arr).to_numpy(zero_copy_only=False), dtype=object)


def _case_keys(cases: pd.DataFrame) -> pd.Series:
    """Case identity: the case id (upper case, no spaces), else the source line."""
    line_key = "\x00line " + cases["line"].astype(str) if "line" in cases else pd.Series(
        "\x00row " + pd.Series(np.arange(len(cases))).astype(str).to_numpy(), index=cases.index)
    if "case_id" not in cases:
        return line_key
    cid = cases["case_id"].astype(object).where(cases["case_id"].notna(), None)
    norm = cid.str.upper().str.replace(r"\s+", "", regex=True)
    norm = norm.where(norm.notna() & (norm != ""), None)
    return norm.fillna(line_key)


def litigation_by_holder(lit: "LitigationData | pd.DataFrame | str | os.PathLike",
                         names: Iterable[str | None]) -> pd.DataFrame:
    """Litigation history of each holder as plaintiff.

    Parameters
    ----------
    lit : LitigationData, pandas.DataFrame or path
    names : sequence of str
        Holder names; matched to plaintiffs by normalised key
        (:func:`patentnav.names.normalize_names`), so ``"SZ DJI Technology Co., Ltd."``
        matches ``"SZ DJI TECHNOLOGY CO LTD"``. A Chinese and an English name of the same
        firm do not match: harmonise them first (:class:`patentnav.names.NameHarmonizer`
        with aliases).

    Returns
    -------
    pandas.DataFrame
        One row per input name, in input order: ``name``, ``key``, ``cases``
        (distinct cases as plaintiff: case id, or the source line without one), ``distinct_defendants``
        (by normalised name), ``patents_asserted`` (distinct patents), ``first_filed``,
        ``last_filed`` (NaT when unknown).
    """
    cases = _cases_of(lit)
    raw = _string_array(names)
    q = pd.DataFrame({"name": np.asarray(raw.to_numpy(zero_copy_only=False), dtype=object) if len(raw) else np.zeros(0, dtype=object)})
    q["key"] = _norm_keys(q["name"])
    c = pd.DataFrame({
        "key": _norm_keys(cases["plaintiff"]),
        "case": _case_keys(cases).to_numpy(dtype=object),
        "defendant": _norm_keys(cases["defendant"]) if "defendant" in cases else np.full(len(cases), None, dtype=object),
        "patent": _patent_base(cases["patent"]) if "patent" in cases else np.full(len(cases), None, dtype=object),
        "filed": pd.to_datetime(cases["filed"]) if "filed" in cases else pd.Series(pd.NaT, index=cases.index),
    })
    c = c[c["key"].notna() & c["key"].isin(set(q["key"].dropna()))]
    agg = c.groupby("key").agg(
        cases=("case", "nunique"),
        distinct_defendants=("defendant", "nunique"),
        patents_asserted=("patent", "nunique"),
        first_filed=("filed", "min"),
        last_filed=("filed", "max"),
    )
    out = q.merge(agg, left_on="key", right_index=True, how="left")
    for col in ("cases", "distinct_defendants", "patents_asserted"):
        out[col] = out[col].fillna(0).astype("int64")
    for col in ("first_filed", "last_filed"):
        out[col] = pd.to_datetime(out[col]).astype("datetime64[ns]")
    return out.reset_index(drop=True)[["name", "key", "cases", "distinct_defendants", "patents_asserted",
                                       "first_filed", "last_filed"]]


def _patent_keys(values: Iterable) -> tuple[np.ndarray, np.ndarray]:
    """(exact key, base key without kind code) of patent texts; raw texts compare squashed."""
    arr = _string_array(values)
    if len(arr) == 0:
        e = np.zeros(0, dtype=object)
        return e, e
    norm = _normalise_patents(arr)
    raw = _squash(arr)
    raw = pc.if_else(pc.equal(raw, ""), pa.scalar(None, pa.string()), raw)
    exact = pc.coalesce(norm, raw)
    base = pc.coalesce(pc.replace_substring_regex(norm, r"^([A-Z]{2}-[A-Z0-9]+)-[A-Z][0-9]?$", r"\1"), raw)
    return (np.asarray(exact.to_numpy(zero_copy_only=False), dtype=object),
            np.asarray(base.to_numpy(zero_copy_only=False), dtype=object))


def _patent_base(values: Iterable) -> np.ndarray:
    return _patent_keys(values)[1]


def litigation_by_patent(lit: "LitigationData | pd.DataFrame | str | os.PathLike",
                         publication_numbers: Iterable[str | None]) -> pd.DataFrame:
    """Cases per patent.

    Numbers on both sides are normalised (:func:`patentnav.model.pubnum.normalize_publication_numbers`)
    and matched exactly or, failing that, ignoring kind codes: ``US-9123456-B2`` matches
    ``US9123456`` and ``US 9,123,456 B1``. Ignoring the kind code never joins two different
    documents: offices that give grants their own numbers (US, JP, KR) use different
    numbers for applications, and those that keep the number (EP, CN, DE) mean the same
    application. Raw texts that are no publication number (CN ``ZL`` numbers) match
    verbatim (case and spaces ignored).

    Parameters
    ----------
    lit : LitigationData, pandas.DataFrame or path
    publication_numbers : sequence of str

    Returns
    -------
    pandas.DataFrame
        One row per input number, in input order: ``publication_number`` (as given),
        ``patent_key`` (normalised), ``cases`` (distinct cases), ``plaintiffs`` (distinct,
        by normalised name), ``plaintiff_names`` (``"; "``-joined, one spelling each),
        ``last_filed``, ``match`` (``"exact"``, ``"ignoring kind"``, or None).
    """
    cases = _cases_of(lit)
    raw = _string_array(publication_numbers)
    exact_q, base_q = _patent_keys(raw)
    q = pd.DataFrame({
        "i": np.arange(len(raw)),
        "publication_number": np.asarray(raw.to_numpy(zero_copy_only=False), dtype=object) if len(raw) else np.zeros(0, dtype=object),
        "patent_key": exact_q,
        "base": base_q,
    })
    exact_c, base_c = _patent_keys(cases["patent"]) if "patent" in cases else (np.zeros(0, object), np.zeros(0, object))
    c = pd.DataFrame({
        "exact": exact_c,
        "base": base_c,
        "case": _case_keys(cases).to_numpy(dtype=object),
        "plaintiff": cases["plaintiff"].to_numpy(dtype=object),
        "pkey": _norm_keys(cases["plaintiff"]),
        "filed": pd.to_datetime(cases["filed"]).to_numpy() if "filed" in cases else np.full(len(cases), np.datetime64("NaT")),
    }) if len(exact_c) else pd.DataFrame(columns=["exact", "base", "case", "plaintiff", "pkey", "filed"])
    c = c[c["base"].notna()]
    m = q[q["base"].notna()].merge(c, on="base", how="inner")
    m["is_exact"] = m["patent_key"] == m["exact"]
    agg = m.groupby("i").agg(
        cases=("case", "nunique"),
        plaintiffs=("pkey", "nunique"),
        last_filed=("filed", "max"),
        any_exact=("is_exact", "any"),
    )
    # display names: one spelling per plaintiff key, per queried number (few rows)
    firsts = m.drop_duplicates(["i", "pkey"]).sort_values(["i", "plaintiff"], kind="mergesort")
    names = firsts.groupby("i")["plaintiff"].agg(lambda s: "; ".join(s.dropna().astype(str)))
    out = q.merge(agg, left_on="i", right_index=True, how="left").merge(
        names.rename("plaintiff_names"), left_on="i", right_index=True, how="left")
    out["cases"] = out["cases"].fillna(0).astype("int64")
    out["plaintiffs"] = out["plaintiffs"].fillna(0).astype("int64")
    out["plaintiff_names"] = out["plaintiff_names"].where(out["plaintiff_names"].notna(), "")
    out["last_filed"] = pd.to_datetime(out["last_filed"]).astype("datetime64[ns]")
    hit = out["cases"] > 0
    out["match"] = np.where(hit, np.where(out["any_exact"].fillna(False).astype(bool), "exact", "ignoring kind"), None)
    out["match"] = out["match"].astype(object).where(hit, None)
    return out.sort_values("i").reset_index(drop=True)[
        ["publication_number", "patent_key", "cases", "plaintiffs", "plaintiff_names", "last_filed", "match"]]
