"""Legal forms and word standardisations for applicant-name harmonisation.

Follows the method of Magerman, T., Van Looy, B. & Song, X. (2006), *Data production
methods for harmonized patent statistics: patentee name harmonization*, EUROSTAT Working
Paper and Studies (KU Leuven / ECOOM): character cleaning, then removal of legal-form
indications, then standardisation of common words, applied to the end of the name. The
lists below are patentnav's own, compiled from the national company-law forms they name
and checked against the names in the PatentsView assignee benchmarks and the bundled
Lens.org sample. Patterns are RE2 regular expressions over the cleaned, upper-case,
space-separated name (punctuation already removed, dots dropped: ``G.m.b.H.`` -> ``GMBH``).
"""

from __future__ import annotations

__all__ = ["LEGAL_FORMS", "CJK_LEGAL_FORMS", "WORD_STANDARDS", "ORG_WORDS", "CJK_ORG_WORDS", "LEADING_WORDS"]

#: Legal-form indications (by jurisdiction / language). Order does not matter: they are
#: stripped repeatedly from the end of the name.
LEGAL_FORMS: dict[str, list[str]] = {
    "English": [
        "CO LTD", "CO LIMITED", "COMPANY LIMITED", "CORP LTD", "PTY LTD", "PTY LIMITED", "PTY",
        "LTD", "LIMITED", "LTDA", "INC", "INCORPORATED", "INCORPORATION", "CORP", "CORPORATION",
        "CO", "COMPANY", "COMPANIES", "LLC", "L L C", "LLP", "LP", "L P", "PLC", "P L C", "PC",
        "PLLC", "INCORP", "INCOR", "CORPN", "CORPORATIONS",
        # frequent misspellings seen in assignee data
        "COMMPANY", "COMAPNY", "COPRORATION", "CORPORTION", "CORPORATON", "INCORPORTED", "LIMTED", "LIMITIED",
    ],
    "German": [
        "GMBH", "MBH", "AG", "KG", "KGAA", "OHG", "GBR", "EV", "E V", "GMBH AND CO", "AND CO",
        "AKTIENGESELLSCHAFT", "KOMMANDITGESELLSCHAFT", "KOMMANDITGESELLSCHAFT AUF AKTIEN",
        "GESELLSCHAFT MIT BESCHRAENKTER HAFTUNG", "GESELLSCHAFT MIT BESCHRANKTER HAFTUNG",
        "GES MBH", "GESMBH", "GESELLSCHAFT MBH", "EINGETRAGENER VEREIN", "STIFTUNG",
    ],
    "French": ["SA", "S A", "SAS", "SARL", "SNC", "SCA", "SCS", "EURL", "SOCIETE ANONYME", "SOCIETE PAR ACTIONS SIMPLIFIEE", "ETS", "ETABLISSEMENTS", "CIE", "ET CIE"],
    "Dutch and Belgian": ["BV", "B V", "NV", "N V", "BVBA", "VOF", "CV", "BESLOTEN VENNOOTSCHAP", "NAAMLOZE VENNOOTSCHAP"],
    "Italian": ["SPA", "S P A", "SRL", "S R L", "SAS", "SNC", "SOCIETA PER AZIONI"],
    "Spanish and Portuguese": ["SL", "S L", "SLU", "SA DE CV", "S DE RL", "SOCIEDAD ANONIMA", "LTDA", "SA"],
    "Nordic": ["AB", "PUBL", "AB PUBL", "ASA", "AS", "A S", "APS", "OY", "OYJ", "OY AB", "HF", "EHF", "AKTIEBOLAG", "AKTIEBOLAGET", "AKTIESELSKAB", "AKTIESELSKABET", "OSAKEYHTIO"],
    "Japanese (romanised)": [
        "KK", "K K", "KABUSHIKI KAISHA", "KABUSHIKIKAISHA", "KABUSHIKI GAISHA", "YK", "YUGEN KAISHA",
        "GK", "GODO KAISHA", "GOSHI KAISHA", "GOMEI KAISHA",
        # frequent misspellings of Kabushiki Kaisha
        "KABUSHIKA KAISHA", "KABUSHIKI KAISHI", "KUBUSHIKI KAISHA", "KABUSHIKI KAIHSA", "KABUSIKI KAISHA",
        "KABUSHIKI", "KAISHA", "KABUSHI KAISHA",
    ],
    "Korean (romanised)": ["CHUSIK HOESA", "JUSIK HOESA", "JUSIKHOESA", "CHUSIKHOESA", "CHUSHIK HOESA", "YUHAN HOESA", "YUHANHOESA"],
    "Other": ["SE", "KFT", "ZRT", "SRO", "S R O", "SP Z O O", "SPOLKA Z OO", "OOO", "ZAO", "OAO", "PAO", "AO", "PT", "TBK", "BHD", "SDN BHD", "PTE", "PTE LTD"],
}

#: Chinese, Japanese and Korean legal forms, stripped from the end of names written in CJK.
CJK_LEGAL_FORMS = [
    "股份有限公司", "有限责任公司", "有限公司", "集团有限公司", "集团股份有限公司", "集团", "总公司", "分公司", "公司",
    "有限責任公司", "股份公司", "有限會社", "株式会社", "株式會社", "有限会社", "合同会社", "주식회사", "유한회사",
]

#: Common words reduced to one spelling (applied as whole words, after legal forms).
WORD_STANDARDS: dict[str, str] = {
    "TECHNOLOGIES": "TECH", "TECHNOLOGY": "TECH", "TECHNOLOGIE": "TECH", "TECHNOLOGICAL": "TECH", "TECHNIQUE": "TECH",
    "TECHNOLGIES": "TECH", "TECHOLOGIES": "TECH", "TECHN": "TECH",
    "INTERNATIONAL": "INT", "INTL": "INT", "INTERNATL": "INT",
    "INDUSTRIES": "IND", "INDUSTRIAL": "IND", "INDUSTRY": "IND", "INDUSTRIE": "IND", "INDS": "IND",
    "LABORATORIES": "LAB", "LABORATORY": "LAB", "LABORATOIRES": "LAB", "LABORATORIUM": "LAB", "LABS": "LAB",
    "MANUFACTURING": "MFG", "MANUFACTURE": "MFG", "MANUFACTURERS": "MFG",
    "UNIVERSITY": "UNIV", "UNIVERSITIES": "UNIV", "UNIVERSITAET": "UNIV", "UNIVERSITAT": "UNIV", "UNIVERSITE": "UNIV",
    "UNIVERSIDAD": "UNIV", "UNIVERSITA": "UNIV", "UNIVERSITEIT": "UNIV",
    "ELECTRIC": "ELEC", "ELECTRICAL": "ELEC", "ELECTRICS": "ELEC",
    "ELECTRONIC": "ELECTRONICS", "ELECTRONIQUE": "ELECTRONICS", "ELEKTRONIK": "ELECTRONICS",
    "SYSTEMS": "SYS", "SYSTEM": "SYS", "SYSTEMES": "SYS", "SYSTEME": "SYS",
    "COMMUNICATIONS": "COMM", "COMMUNICATION": "COMM",
    "PHARMACEUTICALS": "PHARM", "PHARMACEUTICAL": "PHARM", "PHARMA": "PHARM", "PHARMACEUTIQUE": "PHARM",
    "CHEMICALS": "CHEM", "CHEMICAL": "CHEM", "CHEMIE": "CHEM", "CHEMISCHE": "CHEM",
    "INSTITUTE": "INST", "INSTITUT": "INST", "INSTITUTO": "INST", "INSTITUTES": "INST",
    "RESEARCH": "RES", "DEVELOPMENT": "DEV", "ENGINEERING": "ENG", "ENGINEERS": "ENG",
    "PRODUCTS": "PROD", "PRODUCT": "PROD", "SERVICES": "SERV", "SERVICE": "SERV",
    "NATIONAL": "NAT", "ASSOCIATION": "ASSOC", "ASSOCIATES": "ASSOC", "FOUNDATION": "FOUND",
    "DEVICES": "DEVICE", "HOLDINGS": "HOLDING", "INVESTMENTS": "INVEST", "INVESTMENT": "INVEST",
    "MACHINES": "MACH", "MACHINE": "MACH", "MACHINERY": "MACH", "INSTRUMENTS": "INSTR", "INSTRUMENT": "INSTR",
    "MEDICAL": "MED", "PATENTS": "PATENT", "AMERICAN": "AMER", "AMERICA": "AMER",
    "GOVERNMENT": "GOVT", "DEPARTMENT": "DEPT", "CENTRE": "CENTER", "CENTRAL": "CENT",
}

#: Leading words dropped: "THE XEROX CORP" -> "XEROX".
LEADING_WORDS = ["THE"]

#: Words that mark an organisation (a name with one of them is never taken for a person).
ORG_WORDS = sorted(
    {v for v in WORD_STANDARDS.values()}
    | {
        "UNIV", "INST", "LAB", "GROUP", "HOLDING", "TRUST", "BANK", "HOSPITAL", "CLINIC", "SCHOOL", "COLLEGE",
        "ACADEMY", "COUNCIL", "AGENCY", "BOARD", "OFFICE", "MINISTRY", "SECRETARY", "NAVY", "ARMY", "AIR", "FORCE",
        "STATE", "STATES", "UNITED", "REPUBLIC", "KINGDOM", "CITY", "COUNTY", "SOCIETY", "CLUB", "PARTNERS",
        "VENTURES", "CAPITAL", "SOLUTIONS", "NETWORKS", "NETWORK", "SOFTWARE", "ROBOTICS", "AEROSPACE", "AVIATION",
        "AUTOMOTIVE", "MOTORS", "MOTOR", "ENERGY", "POWER", "GLOBAL", "WORLD", "CONSULTING", "MEDIA", "DIGITAL",
        "DESIGN", "WORKS", "TRADING", "ENTERPRISES", "ENTERPRISE", "INNOVATIONS", "INNOVATION", "SCIENCES",
        "SCIENCE", "SCIENTIFIC", "MOBILE", "WIRELESS", "DATA", "CENTER", "CORP", "INC", "LTD", "CO", "LLC",
        "GMBH", "AG", "SA", "IP", "PATENT", "LICENSING", "OPTICS", "OPTICAL", "PHOTONICS", "SEMICONDUCTOR",
    }
)

#: CJK words that mark an organisation.
CJK_ORG_WORDS = [
    "公司", "大学", "学院", "研究", "院", "所", "厂", "中心", "集团", "局", "会", "部", "株式", "会社", "회사", "대학",
    "科技", "创新", "技术", "电子", "智能", "实业", "工业", "网络", "信息", "电器", "控股", "航空", "机器人",
]
