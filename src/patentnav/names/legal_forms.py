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

__all__ = ["LEGAL_FORMS", "CJK_LEGAL_FORMS", "WORD_STANDARDS", "ORG_WORDS", "CJK_ORG_WORDS", "LEADING_WORDS",
           "CJK_INDUSTRY_WORDS", "CJK_GENERIC_ENDINGS", "CJK_BRANCH_SUFFIXES", "CJK_ENTITY_ENDINGS", "CJK_UNIVERSITY_UNITS", "ACRONYM_SKIP_WORDS"]

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
#: 分公司 (a branch) is not a legal form: a branch is not a legal person and is linked to
#: its legal entity by :mod:`patentnav.names.branches`, never silently merged.
CJK_LEGAL_FORMS = [
    "股份有限公司", "有限责任公司", "有限公司", "集团有限公司", "集团股份有限公司", "集团", "总公司", "公司",
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

#: Industry and business-feature words (行业或者经营特点) of Chinese organisation names, and
#: the generic words of institution names. A Chinese enterprise name is 行政区划 + 字号 +
#: 行业或者经营特点 + 组织形式 (《企业名称登记管理实施办法》, SAIC 2004, art. 9); what is
#: left of a name without its division prefix, legal form and these words is its trade name
#: (字号), which must have two or more characters for the prefix to be optional
#: (:mod:`patentnav.names.divisions`). Longer words first does not matter: all are removed.
CJK_INDUSTRY_WORDS = [
    # technology and industry
    "科技", "技术", "科学", "信息", "电子", "电气", "电器", "电力", "电网", "供电", "电机", "电池", "电源", "电缆",
    "通信", "通讯", "网络", "软件", "硬件", "计算机", "智能", "智慧", "创新", "创意", "发展", "实业", "工业", "产业",
    "工程", "设备", "装备", "机械", "机电", "机器人", "制造", "汽车", "车辆", "能源", "新能源", "材料", "新材料",
    "医药", "药业", "制药", "生物", "化工", "化学", "环保", "环境", "光电", "光学", "数码", "数字", "数据", "自动化",
    "控制", "系统", "仪器", "仪表", "精密", "建设", "建筑", "设计", "研究", "研发", "开发", "检测", "测控", "测试",
    "航空", "航天", "船舶", "交通", "运输", "物流", "食品", "农业", "纺织", "服装", "家具", "塑料", "橡胶", "金属",
    "钢铁", "矿业", "石油", "石化", "天然气", "水务", "节能", "照明", "半导体", "集成电路", "微电子", "显示", "光伏",
    "储能", "无人机", "飞行器", "航拍", "影像", "视觉", "图像", "医疗", "器械", "健康", "安全", "安防", "传感",
    "应用", "服务", "管理", "咨询", "投资", "控股", "贸易", "商贸", "文化", "传媒", "娱乐", "互联网", "移动", "终端",
    "精工", "重工", "轻工", "电工", "机床", "模具", "五金", "家电", "日用", "纳米", "激光", "动力", "新技术", "高科",
    "高新", "实验", "测绘", "遥感", "导航", "卫星", "海洋", "地质", "冶金", "有色", "建材", "水泥", "玻璃", "陶瓷",
    "印刷", "包装", "造纸", "生物医药", "信息技术", "电子商务", "云计算", "人工智能", "物联网", "软件开发",
    # institutions, organisation words and modifiers
    "大学", "学院", "学校", "理工", "工学", "师范", "职业", "专科", "研究院", "研究所", "研究中心", "中心",
    "实验室", "医院", "人民", "中医", "附属", "第一", "第二", "第三", "第四", "第五", "总院", "分院", "集团",
    "股份", "有限", "责任", "公司", "企业", "工作室", "工厂", "国际", "中国", "中华", "国家", "全国", "联合", "合作",
]

#: One-character organisation words, generic only at the end of a name (厂, 所, 院 ...).
CJK_GENERIC_ENDINGS = "厂所院站局会部社处室馆店行省市区县"

#: Suffixes that mark a branch or an internal unit of a legal entity (分支机构). A branch's
#: name starts with the full name of the enterprise it belongs to (《企业名称登记管理实施办法》
#: art. 7), so ``<legal entity><own name><suffix>`` is a branch of ``<legal entity>``.
CJK_BRANCH_SUFFIXES = [
    "分公司", "分部", "办事处", "分厂", "分店", "分院", "分所", "分中心", "分行", "支行", "营业部", "事业部",
    "研究院", "研究所", "研究中心", "研发中心", "技术中心", "工程中心", "设计院", "实验室",
]

#: Endings of a legal entity's name that a branch can follow (the company forms).
CJK_ENTITY_ENDINGS = ["股份有限公司", "有限责任公司", "有限公司", "集团公司", "总公司", "公司"]

#: Units of a university that belong to it (研究生院, 研究院, 分校, 校区), recognised after ``大学``.
CJK_UNIVERSITY_UNITS = ["研究生院", "研究院", "分校", "校区"]

#: Words skipped when an acronym is read from a name's initials (function words in the
#: languages of the legal-form list; ``OG`` is Danish/Norwegian "and").
ACRONYM_SKIP_WORDS = {
    "OF", "THE", "AND", "FOR", "AT", "IN", "ON", "DE", "DU", "DES", "LA", "LE", "LES", "D", "L", "DER", "DIE", "DAS",
    "UND", "FUR", "ET", "Y", "E", "DI", "DA", "DO", "DEL", "DELLA", "VAN", "VON", "EN", "OG", "OCH", "I", "AF", "PER",
}
