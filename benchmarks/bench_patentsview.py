"""Benchmark of the PatentsView reader on synthetic bulk tables (not part of the test suite).

Generates PatentsView-shaped tables (current ``g_`` layout, QUOTE_ALL tab-separated,
abstracts in ``g_patent_abstract``) at a given scale, reads them with
:func:`patentnav.io.patentsview.read_patentsview` in a fresh subprocess, and reports the
wall time of the read and the peak resident memory of that process
(``resource.getrusage(RUSAGE_SELF).ru_maxrss``), with a linear extrapolation to the
full dump (about 8 million patents, 100+ million citation rows).

Usage::

    python benchmarks/bench_patentsview.py --patents 200000 1000000 --citations 12
    python benchmarks/bench_patentsview.py generate --patents 200000 --out /tmp/pv200k
    python benchmarks/bench_patentsview.py read /tmp/pv200k

Per patent, by default: 12 citation rows (70 % to patents in the dump), 7 CPC rows,
2 IPC rows, 1.2 assignees, 2.7 inventors, 0.3 foreign priorities, one application row,
an abstract of about 1,000 characters (2 % with an embedded newline). The real dump
(2024) has about 18 citation rows, 7 CPC rows and 2.9 inventor rows per patent.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

_WORDS = ("a method system device apparatus comprising first second signal unit control data layer "
          "substrate circuit configured to receive transmit wherein the said plurality of which least one "
          "module sensor processor memory network terminal base station vehicle battery cell electrode "
          "polymer composition compound surface housing member portion frame shaft seal valve").split()


def _write(path: Path, cols: dict) -> None:
    t = pa.table({k: (v if isinstance(v, (pa.Array, pa.ChunkedArray)) else pa.array(v)).cast(pa.string()) for k, v in cols.items()})
    pacsv.write_csv(t, path, write_options=pacsv.WriteOptions(delimiter="\t", quoting_style="all_valid", include_header=True))


def _texts(rng, k: int, mean_chars: int, newline_share: float) -> list[str]:
    out = []
    for _ in range(k):
        n = max(5, int(rng.normal(mean_chars, mean_chars / 4) / 7))
        words = rng.choice(_WORDS, n)
        s = " ".join(words).capitalize() + "."
        if rng.random() < newline_share:
            cut = len(s) // 2
            s = s[:cut] + "\n" + s[cut:]
        out.append(s)
    return out


def _repeat_children(rng, n: int, mean: float, cap: int = 40) -> tuple[np.ndarray, np.ndarray]:
    """(parent index, sequence) for a Poisson number of child rows per patent."""
    counts = np.minimum(rng.poisson(mean, n), cap)
    parent = np.repeat(np.arange(n, dtype=np.int64), counts)
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    seq = np.arange(len(parent), dtype=np.int64) - starts
    return parent, seq


def generate(out: Path, n: int, citations: float = 12.0, abstract_chars: int = 1000, seed: int = 7) -> dict:
    """Write synthetic g_ tables for ``n`` patents into ``out``; returns row counts."""
    rng = np.random.default_rng(seed)
    out.mkdir(parents=True, exist_ok=True)
    num = 4_000_000 + np.arange(n, dtype=np.int64) * 2
    design = rng.random(n) < 0.05
    ids = pc.binary_join_element_wise(pa.array(np.where(design, "D", "")), pc.cast(pa.array(num), pa.string()), "")
    kind = np.where(design, "S1", np.where(rng.random(n) < 0.3, "B1", "B2"))
    ptype = np.where(design, "design", "utility")
    days = rng.integers(0, 48 * 365, n)
    date = pc.strftime(pa.array((np.datetime64("1976-01-06") + days).astype("datetime64[s]")), format="%Y-%m-%d")
    titles = pa.array(_texts(rng, 2000, 60, 0.0))
    _write(out / "g_patent.tsv", {
        "patent_id": ids, "patent_type": ptype, "patent_date": date,
        "patent_title": titles.take(pa.array(rng.integers(0, 2000, n))), "wipo_kind": kind,
        "num_claims": pa.array(rng.integers(1, 40, n)), "withdrawn": pa.array(np.where(rng.random(n) < 0.001, "1", "0")),
        "filename": pa.array(np.full(n, "ipg180619.xml")),
    })
    abstracts = pa.array(_texts(rng, 5000, abstract_chars, 0.02))
    _write(out / "g_patent_abstract.tsv", {"patent_id": ids, "patent_abstract": abstracts.take(pa.array(rng.integers(0, 5000, n)))})
    fdate = pc.strftime(pa.array((np.datetime64("1974-01-06") + days).astype("datetime64[s]")), format="%Y-%m-%d")
    _write(out / "g_application.tsv", {
        "application_id": pc.binary_join_element_wise(pa.array(np.full(n, "15/")), pc.cast(pa.array(rng.integers(100000, 999999, n)), pa.string()), ""),
        "patent_id": ids, "patent_application_type": np.full(n, "15"), "filing_date": fdate,
        "series_code": np.full(n, "15"), "rule_47_flag": np.full(n, "FALSE"),
    })
    sub = np.array(["H04W", "G06F", "A61K", "B64C", "H01L", "G01S", "C12N", "F16J"])
    p, s = _repeat_children(rng, n, 7.0)
    k = rng.integers(0, len(sub), len(p))
    grp = pc.binary_join_element_wise(pa.array(sub[k]), pc.cast(pa.array(rng.integers(1, 99, len(p))), pa.string()), "")
    grp = pc.binary_join_element_wise(grp, pa.array(np.char.zfill(rng.integers(0, 9999, len(p)).astype(str), 2)), "/")
    ids_np = ids
    _write(out / "g_cpc_current.tsv", {
        "patent_id": ids_np.take(pa.array(p)), "cpc_sequence": pa.array(s), "cpc_section": pa.array(np.char.ljust(sub[k], 1).astype("<U1")),
        "cpc_class": pa.array(np.array([x[:3] for x in sub])[k]), "cpc_subclass": pa.array(sub[k]), "cpc_group": grp,
        "cpc_type": pa.array(np.where(s == 0, "inventional", "additional")),
    })
    n_cpc = len(p)
    p, s = _repeat_children(rng, n, 2.0)
    k = rng.integers(0, len(sub), len(p))
    _write(out / "g_ipc_at_issue.tsv", {
        "patent_id": ids_np.take(pa.array(p)), "ipc_sequence": pa.array(s), "classification_level": np.full(len(p), "A"),
        "section": pa.array(np.array([x[0] for x in sub])[k]), "ipc_class": pa.array(np.array([x[1:3] for x in sub])[k]),
        "subclass": pa.array(np.array([x[3] for x in sub])[k]), "main_group": pa.array(rng.integers(1, 99, len(p))),
        "subgroup": pa.array(np.char.zfill(rng.integers(0, 99, len(p)).astype(str), 2)), "symbol_position": np.full(len(p), "F"),
        "classification_value": np.full(len(p), "I"), "classification_status": np.full(len(p), "B"),
        "classification_data_source": np.full(len(p), "H"), "action_date": np.full(len(p), "2018-06-19"),
        "ipc_version_indicator": np.full(len(p), "2006-01-01"),
    })
    n_ipc = len(p)
    # citations: written in chunks to bound the generator's memory
    n_cit = 0
    path = out / "g_us_patent_citation.tsv"
    step = 200_000
    with open(path, "wb") as f:
        for lo in range(0, n, step):
            hi = min(n, lo + step)
            cp, cs = _repeat_children(rng, hi - lo, citations, cap=200)
            cp += lo
            inside = rng.random(len(cp)) < 0.7
            tgt = rng.integers(0, n, len(cp))
            cited = pa.array(np.where(inside, pc.cast(ids.take(pa.array(tgt)), pa.string()).to_numpy(zero_copy_only=False),
                                      rng.integers(1_000_000, 3_900_000, len(cp)).astype(str)))
            t = pa.table({
                "patent_id": ids.take(pa.array(cp)), "citation_sequence": pc.cast(pa.array(cs), pa.string()), "citation_patent_id": cited,
                "citation_date": pa.array(np.full(len(cp), "2001-01-01")), "record_name": pa.array(np.full(len(cp), "")),
                "wipo_kind": pa.array(np.where(inside, "B2", "A")), "citation_category": pa.array(np.full(len(cp), "cited by examiner")),
            })
            pacsv.write_csv(t, f, write_options=pacsv.WriteOptions(delimiter="\t", quoting_style="all_valid", include_header=lo == 0))
            n_cit += len(cp)
    n_loc = max(1000, n // 20)
    loc_ids = pa.array([f"{i:08x}-16c8-11ed-9b5f-1234bde3cd05" for i in range(n_loc)])
    _write(out / "g_location_disambiguated.tsv", {
        "location_id": loc_ids, "disambig_city": pa.array([f"City{i}" for i in range(n_loc)]),
        "disambig_state": pa.array(np.where(rng.random(n_loc) < 0.6, "CA", "")),
        "disambig_country": pa.array(rng.choice(["US", "JP", "DE", "KR", "CN", "FR"], n_loc)),
        "latitude": np.full(n_loc, "1.0"), "longitude": np.full(n_loc, "2.0"), "county": np.full(n_loc, ""),
        "state_fips": np.full(n_loc, ""), "county_fips": np.full(n_loc, ""),
    })
    p, s = _repeat_children(rng, n, 1.2)
    orgs = pa.array([f"Company {i} Inc." for i in range(20000)])
    indiv = rng.random(len(p)) < 0.05
    _write(out / "g_assignee_disambiguated.tsv", {
        "patent_id": ids_np.take(pa.array(p)), "assignee_sequence": pa.array(s), "assignee_id": pa.array(rng.integers(0, 10**9, len(p))),
        "disambig_assignee_individual_name_first": pa.array(np.where(indiv, "Jane", "")),
        "disambig_assignee_individual_name_last": pa.array(np.where(indiv, "Doe", "")),
        "disambig_assignee_organization": pc.if_else(pa.array(indiv), "", orgs.take(pa.array(rng.integers(0, 20000, len(p))))),
        "assignee_type": pa.array(np.where(indiv, "4", "2")), "location_id": loc_ids.take(pa.array(rng.integers(0, n_loc, len(p)))),
    })
    n_asg = len(p)
    p, s = _repeat_children(rng, n, 2.7)
    first = pa.array(rng.choice(["John", "Maria", "Wei", "Hiroshi", "Anna", "Raj"], len(p)))
    last = pa.array([f"Name{i}" for i in range(50000)]).take(pa.array(rng.integers(0, 50000, len(p))))
    _write(out / "g_inventor_disambiguated.tsv", {
        "patent_id": ids_np.take(pa.array(p)), "inventor_sequence": pa.array(s), "inventor_id": pa.array(rng.integers(0, 10**9, len(p))),
        "disambig_inventor_name_first": first, "disambig_inventor_name_last": last, "gender_code": pa.array(rng.choice(["M", "F"], len(p))),
        "location_id": loc_ids.take(pa.array(rng.integers(0, n_loc, len(p)))),
    })
    n_inv = len(p)
    p, s = _repeat_children(rng, n, 0.3)
    _write(out / "g_foreign_priority.tsv", {
        "patent_id": ids_np.take(pa.array(p)), "priority_claim_sequence": pa.array(s), "priority_claim_kind": np.full(len(p), "national"),
        "foreign_application_id": pc.cast(pa.array(rng.integers(10**9, 10**10, len(p))), pa.string()),
        "filing_date": np.full(len(p), "2015-01-26"), "foreign_country_filed": pa.array(rng.choice(["JP", "DE", "KR"], len(p))),
    })
    sizes = {f.name: f.stat().st_size for f in out.iterdir()}
    return {"patents": n, "citations": n_cit, "cpc": n_cpc, "ipc": n_ipc, "assignees": n_asg, "inventors": n_inv,
            "bytes": sum(sizes.values()), "files": sizes}


def read(path: Path, **kw) -> dict:
    """Read the tables once; wall time and this process's peak RSS."""
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    from patentnav.io.patentsview import read_patentsview

    t0 = time.perf_counter()
    c0 = time.process_time()
    phases: dict = {}
    table, report = read_patentsview(path, timings=phases, **kw)
    wall = time.perf_counter() - t0
    cpu = time.process_time() - c0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    hwm = None
    try:  # the kernel's high-water mark of this process image (not inherited across exec)
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                hwm = int(line.split()[1])
    except OSError:
        pass
    return {
        "seconds": round(wall, 2), "cpu_seconds": round(cpu, 2), "phases": phases, "peak_rss_gib": round(peak / 2**20, 3), "vm_hwm_gib": None if hwm is None else round(hwm / 2**20, 3),
        "rss_before_read_gib": round(base / 2**20, 3),
        "rows": table.num_rows, "table_gib": round(table.nbytes / 2**30, 3), "kept": report.kept, "rejected": report.n_rejected,
        "warnings": len(report.warnings), "cited": int(pc.sum(pc.list_value_length(table["cited_publications"])).as_py() or 0),
    }


def _machine() -> dict:
    mem = ""
    try:
        mem = subprocess.run(["free", "-g"], capture_output=True, text=True).stdout.strip()
    except OSError:
        pass
    return {"date": dt.datetime.now().isoformat(timespec="seconds"), "nproc": os.cpu_count(), "free_g": mem,
            "python": platform.python_version(), "pyarrow": pa.__version__, "platform": platform.platform()}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", nargs="?", default="run", choices=["run", "generate", "read"])
    ap.add_argument("path", nargs="?", help="directory (generate: output; read: input)")
    ap.add_argument("--patents", type=int, nargs="+", default=[200_000, 1_000_000])
    ap.add_argument("--citations", type=float, default=12.0, help="mean citation rows per patent")
    ap.add_argument("--abstract-chars", type=int, default=1000)
    ap.add_argument("--out", help="generate: output directory")
    ap.add_argument("--workdir", help="run: where to generate (default: a temporary directory, removed after)")
    ap.add_argument("--no-citations", action="store_true", help="read without g_us_patent_citation")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)

    if a.mode == "generate":
        out = Path(a.out or a.path)
        info = generate(out, a.patents[0], a.citations, a.abstract_chars)
        print(json.dumps(info))
        return 0
    if a.mode == "read":
        res = read(Path(a.path), include_citations=not a.no_citations)
        print(json.dumps(res) if a.json else json.dumps(res, indent=1))
        return 0

    machine = _machine()
    print(json.dumps(machine, indent=1))
    results = []
    for n in a.patents:
        work = Path(a.workdir) if a.workdir else Path(tempfile.mkdtemp(prefix="pvbench-"))
        d = work / f"pv{n}"
        try:
            # generate in a child process too: Linux keeps ru_maxrss across exec, so a reader
            # started from a parent that had generated the data would inherit its peak
            t0 = time.perf_counter()
            g = subprocess.run([sys.executable, __file__, "generate", str(d), "--patents", str(n), "--citations", str(a.citations),
                                "--abstract-chars", str(a.abstract_chars)], capture_output=True, text=True)
            if g.returncode:
                print(g.stderr, file=sys.stderr)
                return g.returncode
            info = json.loads(g.stdout)
            gen_s = time.perf_counter() - t0
            cmd = [sys.executable, __file__, "read", str(d), "--json"] + (["--no-citations"] if a.no_citations else [])
            r = subprocess.run(cmd, capture_output=True, text=True)
            if r.returncode:
                print(r.stderr, file=sys.stderr)
                return r.returncode
            res = json.loads(r.stdout.strip().splitlines()[-1])
            res.update({"patents": n, "citation_rows": info["citations"], "cpc_rows": info["cpc"], "inventor_rows": info["inventors"],
                        "input_gib": round(info["bytes"] / 2**30, 3), "generate_seconds": round(gen_s, 1)})
            results.append(res)
            print(json.dumps(res, indent=1))
        finally:
            if not a.workdir:
                shutil.rmtree(work, ignore_errors=True)
    if len(results) >= 2:
        lo, hi = results[-2], results[-1]
        scale = 8_000_000 / hi["patents"]
        dt_per = (hi["seconds"] - lo["seconds"]) / (hi["patents"] - lo["patents"])
        dm_per = (hi["peak_rss_gib"] - lo["peak_rss_gib"]) / (hi["patents"] - lo["patents"])
        print(json.dumps({
            "extrapolation_to_8M_patents": {
                "citation_rows": int(hi["citation_rows"] * scale),
                "seconds_linear": round(hi["seconds"] + dt_per * (8_000_000 - hi["patents"])),
                "peak_rss_gib_linear": round(hi["peak_rss_gib"] + dm_per * (8_000_000 - hi["patents"]), 1),
                "note": "linear in rows from the two largest runs; the real dump has ~18 citation rows per patent "
                        "(scale the citation part by 1.5) and longer-tailed text",
            }}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
