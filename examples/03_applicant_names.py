"""Harmonise applicant names: one firm, one name (patentnav.names).

Run: python examples/03_applicant_names.py
"""

import tempfile
from pathlib import Path

import patentnav
from patentnav.model.summary import list_value_counts
from patentnav.names import harmonize_names, write_mapping_csv

# The rules on the names the issue started from
names = ["HUAWEI TECH CO LTD", "Huawei Technologies Co., Ltd.", "华为技术有限公司", "Huawei Device Co., Ltd."]
print(harmonize_names(names))
# Chinese-English pairs and parent-subsidiary grouping are your decision: an alias file
print(harmonize_names(names, aliases=[("华为技术有限公司", "Huawei Technologies Co., Ltd.")]))

# On a corpus: the raw column stays, a harmonised one is added
corpus = patentnav.datasets.drones().harmonize_applicants()
print("Top applicants, raw:       ", list_value_counts(corpus["applicants"], 5))
print("Top applicants, harmonised:", list_value_counts(corpus["applicants_harmonized"], 5))
mapping = corpus.applicant_mapping
merged = mapping[mapping.group_size > 1]
print(f"{len(mapping):,} raw names, {mapping.group.nunique():,} applicants; {len(merged):,} raw names merged into groups")
print(merged[["raw", "canonical"]].head(6).to_string(index=False))

with tempfile.TemporaryDirectory() as tmp:
    out = Path(tmp) / "mapping.csv"
    write_mapping_csv(mapping, out)  # review it in a spreadsheet, then feed corrections back as aliases
    print("mapping written:", out.stat().st_size > 0)
