"""Chinese applicant names: one firm across city prefixes, branches and scripts.

Run: python examples/03b_chinese_applicant_names.py

Uses the labelled list of real firms' names and the family-evidence corpus in
tests/data/names/ (CNIPA-style Chinese records and Lens.org records of the same families).
"""

import tempfile
from pathlib import Path

import pandas as pd

import patentnav
from patentnav.names import NameHarmonizer, write_links_csv, write_mapping_csv

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "names"
pd.set_option("display.width", 160)

# 1. Names alone: division prefixes and branches link; distinct legal entities stay apart
names = ["深圳市大疆创新科技有限公司", "深圳大疆创新科技有限公司", "大疆创新科技有限公司",  # one firm
         "深圳市大疆百旺科技有限公司",  # another firm (DJI Baiwang)
         "中兴通讯股份有限公司", "中兴通讯股份有限公司南京分公司",  # a branch belongs to its legal entity
         "腾讯科技(深圳)有限公司", "腾讯科技(北京)有限公司",  # bracketed places: two firms
         "深圳大学", "深圳技术大学", "华为技术有限公司", "华为终端有限公司"]
h = NameHarmonizer().fit(names)
print(h.mapping_[["raw", "canonical", "reason", "detail", "branch"]].to_string(index=False))

# 2. A corpus mixing CNIPA and Lens records: families pair the Chinese and English names
corpus = patentnav.read(DATA / "family_cnipa.csv", DATA / "family_lens.csv", DATA / "family_lens_constructed.csv")
harmonised = corpus.harmonize_applicants()  # min_evidence=2 families by default
links = harmonised.applicant_links
print(links[links.reason == "cross-script"][["name_a", "name_b", "evidence"]].to_string(index=False))
# Tencent has one family here: below the threshold, so it stays apart (lower it knowingly)
m = harmonised.applicant_mapping.set_index("raw")
print("Tencent linked:", m.loc["腾讯科技(深圳)有限公司", "canonical"] == m.loc["TENCENT TECH (SHENZHEN) COMPANY LTD", "canonical"])

# 3. Export for review: every name with its reason and evidence, and every link
with tempfile.TemporaryDirectory() as tmp:
    write_mapping_csv(harmonised.applicant_mapping, Path(tmp) / "mapping.csv")
    write_links_csv(links, Path(tmp) / "links.csv")
    print(pd.read_csv(Path(tmp) / "links.csv", encoding="utf-8-sig")["reason"].value_counts().to_dict())
