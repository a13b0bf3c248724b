"""Charts are handed to ``on_chart`` as soon as they are final (the CLI draws their PNGs
while later steps run): each chart once, every chart of the report, the trend chart before
the fields are found, and the report is the same with or without the callback."""

import json

from patentnav.report import build_landscape_report


def test_each_chart_once_and_early(drones):
    events: list = []
    report = build_landscape_report(drones, region="CN", lang="en", progress=lambda s: events.append(("step", s)),
                                    on_chart=lambda c: events.append(("chart", c)))
    handed = [c for kind, c in events if kind == "chart"]
    charts = [c for s in report["sections"] for c in s["charts"]]
    assert [id(c) for c in handed] == [id(c) for c in charts]  # the same objects, once each, in report order
    order = [c["id"] if kind == "chart" else "step:" + c for kind, c in events]
    assert order.index("trend") < order.index("step:fields")  # drawn while the fields are found
    assert order.index("field_network") < order.index("step:key_patents")
    assert order.index("main_path") < order.index("step:applicants")
    plain = build_landscape_report(drones, region="CN", lang="en")
    assert json.dumps(report, sort_keys=True) == json.dumps(plain, sort_keys=True)
