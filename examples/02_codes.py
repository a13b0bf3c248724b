"""Normalise publication numbers and classification codes in any common spelling.

Run: python examples/02_codes.py
"""

import patentnav
from patentnav.classify.lookup import describe_code

for raw in ["US 9,123,456 B2", "WO 2016/123456 A1", "EP 1 000 000 A1", "CN 114081026 A", "US 2017/0358105 A1"]:
    print(f"{raw!r:24} -> {patentnav.normalize_publication_number(raw)}")

for raw in ["H04W 72/04 (2009.01)", "H04W0072040000", "B64C2201/123", "Y02E10/50"]:
    code = patentnav.parse_ipc(raw)
    print(f"{raw!r:24} -> {code}  main group {code.truncate('main_group')}  subclass {code.truncate('subclass')}")

d = describe_code("B64C 39/024")
print(d["code"], "|", " > ".join(h["title"] or h["code"] for h in d["hierarchy"]))
print("WIPO field:", d["wipo_field"])
print("SEI fields:", [f"{s['code']} {s['name']}" for s in d["sei_fields"]])
