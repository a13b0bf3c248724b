"""CLI commands of the landscape layer: graph, clusters, trends, mainpath.

Each command is a thin wrapper: it loads a corpus, calls one library function, prints a
rich table and optionally writes files. Nothing is computed here that the library does
not expose.
"""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table

from ..i18n import t
from .common import (cell, console, err_console, handle_errors, lang_option, load_corpus, parse_date, parse_firms,
                     region_option, safe, write_csv)

corpus_arg = click.argument("corpus", nargs=-1, type=click.Path(exists=True))
format_opt = click.option("--format", "fmt", default=None, metavar="NAME", help="Reader name when CORPUS is an export (default: detected).")
field_opt = click.option("--field", type=click.Choice(["ipc", "cpc"]), default="ipc", show_default=True, help="Classification scheme.")


def _level_opt(default: str):
    return click.option("--level", type=click.Choice(["section", "class", "subclass", "main_group", "subgroup"]),
                        default=default, show_default=True, help="Hierarchy level the codes are truncated to.")


@click.command()
@corpus_arg
@field_opt
@_level_opt("subclass")
@click.option("--min-count", default=2, show_default=True, help="Keep code pairs that co-occur on at least this many documents.")
@click.option("--min-occurrences", default=1, show_default=True, help="Keep codes carried by at least this many documents.")
@click.option("--normalize", type=click.Choice(["association", "cosine", "jaccard", "none"]), default="association", show_default=True,
              help="Edge strength: association strength (VOSviewer; van Eck & Waltman 2009), cosine, Jaccard, or none.")
@click.option("-o", "--output", "outputs", multiple=True, type=click.Path(dir_okay=False),
              help="Write the graph: .gexf or .graphml (Gephi, Cytoscape); repeatable.")
@click.option("--vosviewer", type=click.Path(file_okay=False), help="Write VOSviewer map and network files into this folder.")
@click.option("--top", default=15, show_default=True, help="How many strongest links to print.")
@format_opt
@lang_option
@handle_errors
def graph(corpus, field, level, min_count, min_occurrences, normalize, outputs, vosviewer, top, fmt, lang):
    """IPC/CPC co-classification graph: which technologies appear together.

    Built as X'X from the sparse documents x codes matrix. Prints the strongest links with
    code titles; writes GEXF/GraphML for Gephi and the map + network files VOSviewer opens.

    \b
    Examples:
      patentnav graph --level main_group --min-count 5 -o drones.gexf
      patentnav graph corpus.parquet --field cpc --vosviewer vos/
    """
    from ..landscape.cooccurrence import cooccurrence
    from ..landscape.export import write_gexf, write_graphml, write_vosviewer

    c = load_corpus(corpus, fmt=fmt, lang=lang)
    co = cooccurrence(c, field=field, level=level, min_count=min_count, min_occurrences=min_occurrences,
                      normalize=None if normalize == "none" else normalize)
    edges = co.edges() if hasattr(co, "edges") else None
    n_nodes = len(co.items)
    n_edges = 0 if edges is None else len(edges)
    console.print(t("graph.summary", lang, nodes=f"{n_nodes:,}", edges=f"{n_edges:,}", field=field.upper(), level=t(f"level.{level}", lang)))
    if edges is not None and n_edges:
        from ..classify.titles import ipc_title_or_parent as ipc_title

        key = "strength" if "strength" in edges.columns and normalize != "none" else "count"
        tab = Table(title=t("graph.top", lang))
        tab.add_column(t("graph.code_a", lang))
        tab.add_column(t("graph.code_b", lang))
        tab.add_column(t("graph.count", lang), justify="right")
        if key == "strength":
            tab.add_column(t("graph.strength", lang), justify="right")
        for row in edges.sort_values(["count", key], ascending=False).head(top).itertuples():
            a = f"{cell(row.source)}  [dim]{cell(ipc_title(row.source, lang), 40)}[/]"
            b = f"{cell(row.target)}  [dim]{cell(ipc_title(row.target, lang), 40)}[/]"
            cells = [a, b, f"{row.count:,}"]
            if key == "strength":
                cells.append(f"{row.strength:.3g}")
            tab.add_row(*cells)
        console.print(tab)
    for out in outputs:
        p = Path(out)
        if p.suffix.lower() == ".gexf":
            write_gexf(co, p)
        elif p.suffix.lower() == ".graphml":
            write_graphml(co, p)
        else:
            raise ValueError(f"{out}: unknown graph format; use a .gexf or .graphml file name")
        console.print(t("written", lang, path=safe(p)))
    if vosviewer:
        d = Path(vosviewer)
        d.mkdir(parents=True, exist_ok=True)
        write_vosviewer(co, d / "map.txt", d / "network.txt")
        console.print(t("written", lang, path=safe(f"{d / 'map.txt'}, {d / 'network.txt'}")))


@click.command()
@corpus_arg
@field_opt
@_level_opt("main_group")
@click.option("--basis", type=click.Choice(["cooccurrence", "text", "coupling"]), default="cooccurrence", show_default=True,
              help="Graph clustered: code co-classification, text similarity of titles/abstracts, or bibliographic coupling.")
@click.option("--resolution", default=1.0, show_default=True, help="Leiden resolution: higher gives more, smaller fields.")
@click.option("--seed", default=42, show_default=True, help="Random seed (results are deterministic for a seed).")
@click.option("--min-count", default=3, show_default=True, help="Codes on fewer documents are left out of the graph.")
@click.option("--top", default=15, show_default=True, help="How many fields to print.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the field table (CSV) here.")
@click.option("--assignments", type=click.Path(dir_okay=False), help="Write each document's field (CSV) here.")
@format_opt
@lang_option
@handle_errors
def clusters(corpus, field, level, basis, resolution, seed, min_count, top, output, assignments, fmt, lang):
    """Technology fields: Leiden clusters of the co-classification graph.

    Each document joins the field holding most of its codes. Fields are labelled by their
    most characteristic codes (with titles) and terms (class-based TF-IDF), and described
    by size, share, growth, mean age, top applicants and most cited documents. Quality:
    modularity, coverage and stability across seeds (adjusted Rand index).

    \b
    Examples:
      patentnav clusters --level main_group --resolution 1.0
      patentnav clusters corpus.parquet --basis text -o fields.csv
    """
    import pandas as pd

    from ..classify.titles import code_title
    from ..landscape.clusters import technology_fields

    c = load_corpus(corpus, fmt=fmt, lang=lang)
    with console.status(t("clusters.working", lang)):
        tf = technology_fields(c, field=field, level=level, resolution=resolution, seed=seed, min_count=min_count, basis=basis)
    q = tf.quality
    stab = q.get("stability")
    console.print(t("clusters.quality", lang, n=q.get("n_fields"), modularity=f"{q.get('modularity', float('nan')):.3f}",
                    coverage=f"{100 * q.get('coverage', 0):.1f}%", stability="—" if stab is None else f"{stab:.3f}"))
    tab = Table(title=t("clusters.title", lang))
    for key, kw in (("clusters.field", {"justify": "right"}), ("clusters.size", {"justify": "right"}),
                    ("clusters.share", {"justify": "right"}), ("clusters.growth", {"justify": "right"}),
                    ("clusters.codes", {"overflow": "fold", "ratio": 3}), ("clusters.terms", {"overflow": "fold", "ratio": 2}),
                    ("clusters.applicants", {"overflow": "fold", "ratio": 2})):
        tab.add_column(t(key, lang), **kw)
    for row in tf.fields.head(top).itertuples():
        growth = "—" if row.growth is None or pd.isna(row.growth) else f"{100 * row.growth:+.0f}%"
        codes = "; ".join(f"{cell(code)} {cell(code_title(code, title, lang, 30))}" for code, title in zip(row.codes[:3], row.code_titles[:3]))
        terms = ", ".join(cell(x) for x in row.terms[:6])
        apps = ", ".join(cell(name) for name, _ in row.top_applicants[:3])
        tab.add_row(str(row.field), f"{row.size:,}", f"{100 * row.share:.1f}%", growth, codes, terms, apps)
    console.print(tab)
    if output:
        df = tf.fields.copy()
        for col in df.columns:
            if df[col].map(lambda v: isinstance(v, (list, tuple))).any():
                df[col] = df[col].map(lambda v: "; ".join(" ".join(map(str, x)) if isinstance(x, (list, tuple)) else str(x) for x in v)
                                      if isinstance(v, (list, tuple)) else v)
        write_csv(df, output)
        console.print(t("written", lang, path=safe(output)))
    if assignments:
        write_csv(pd.DataFrame({"publication_number": tf.publication_numbers, "field": tf.labels}), assignments)
        console.print(t("written", lang, path=safe(assignments)))


@click.command()
@corpus_arg
@click.option("--by", type=click.Choice(["priority", "filing", "publication"]), default="priority", show_default=True,
              help="Which year counts: earliest priority (closest to invention), filing, or publication.")
@click.option("--unit", type=click.Choice(["documents", "families"]), default="documents", show_default=True,
              help="Count documents, or families (family_id) once each.")
@click.option("--cutoff", default=None, metavar="YYYY-MM-DD",
              help="Date the data are complete to (YYYY-MM-DD). Default: the latest publication date.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the yearly table (CSV) here.")
@format_opt
@lang_option
@handle_errors
def trends(corpus, by, unit, cutoff, output, fmt, lang):
    """Yearly counts, growth, logistic (loglet) life-cycle fit and the applicants-vs-applications series.

    Years within the publication lag (18 months for priority and filing years) before the
    cut-off are flagged incomplete and left out of growth rates and the fit.

    \b
    Examples:
      patentnav trends --by priority
      patentnav trends corpus.parquet --by filing --unit families -o trends.csv
    """
    import pandas as pd

    from ..landscape.trends import annual_counts, fit_logistic, growth, life_cycle

    cutoff = parse_date(cutoff, "--cutoff")
    c = load_corpus(corpus, fmt=fmt, lang=lang)
    counts = annual_counts(c, by=by, unit=unit, cutoff=cutoff)
    lc = life_cycle(c, by=by, unit=unit, cutoff=cutoff)
    table = counts.join(lc[["applicants"]], how="left") if "applicants" in lc.columns else counts
    peak = max(int(table["count"].max()), 1) if len(table) else 1
    tab = Table(title=t("trends.title", lang, by=t(f"trends.by.{by}", lang)))
    tab.add_column(t("trends.year", lang), justify="right")
    tab.add_column(t("info.count", lang), justify="right")
    if "applicants" in table.columns:
        tab.add_column(t("trends.applicants", lang), justify="right")
    tab.add_column("")
    for year, row in table.tail(25).iterrows():
        bar = "█" * max(1 if row["count"] else 0, round(30 * row["count"] / peak))
        mark = f" [yellow]{t('trends.incomplete', lang)}[/]" if row["incomplete"] else ""
        cells = [str(year), f"{int(row['count']):,}"]
        if "applicants" in table.columns:
            cells.append("" if pd.isna(row["applicants"]) else f"{int(row['applicants']):,}")
        cells.append(bar + mark)
        tab.add_row(*cells)
    console.print(tab)
    if table["incomplete"].any():
        console.print(f"[dim]{t('trends.incomplete_note', lang, cutoff=safe(counts.attrs.get('cutoff', '')))}[/]")
    g = growth(counts)
    if g.cagr is not None:
        console.print(t("trends.cagr", lang, start=g.start, end=g.end, cagr=f"{100 * g.cagr:.1f}%"))
    elif g.note:
        console.print(f"[dim]{safe(g.note)}[/]")
    fit = fit_logistic(counts)
    if fit.ok:
        stage = fit.stage_zh if lang == "zh" else fit.stage
        console.print(t("trends.fit", lang, K=f"{fit.K:,.0f}", tm=f"{fit.tm:.1f}", dt=f"{fit.dt:.1f}", r2=f"{fit.r2:.3f}",
                        share=f"{100 * fit.share:.0f}%", stage=stage))
    else:
        console.print(f"[yellow]{t('trends.nofit', lang)}[/] {t('fit.' + fit.reason, lang) if fit.reason else safe(fit.message)}")
    if output:
        write_csv(table.reset_index(), output)
        console.print(t("written", lang, path=safe(output)))


@click.command()
@corpus_arg
@click.option("--kind", type=click.Choice(["global", "local-forward", "local-backward", "key-route"]), default="global", show_default=True,
              help="Search: global (best source-to-sink path), local forward/backward, or key-route (top-k links extended).")
@click.option("--weight", type=click.Choice(["spc", "splc", "spnp"]), default="spc", show_default=True,
              help="Traversal weight: search path count, search path link count, search path node pair.")
@click.option("-k", "--key-routes", "k", default=10, show_default=True, help="Key routes (top-k links) for --kind key-route.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the main-path arcs (CSV) here.")
@format_opt
@lang_option
@handle_errors
def mainpath(corpus, kind, weight, k, output, fmt, lang):
    """Main path analysis of the citation network: how the technology developed.

    Arcs run from cited to citing documents inside the corpus; cycles (data errors) are
    broken deterministically and reported. Weights SPC, SPLC, SPNP (Hummon & Doreian 1989;
    Batagelj 2003) are computed in linear time; ties are all kept.

    \b
    Examples:
      patentnav mainpath uspto_grants.parquet --kind key-route -k 20
    """
    from ..landscape.citations import citation_graph
    from ..landscape.mainpath import citation_dag, main_path

    c = load_corpus(corpus, fmt=fmt, lang=lang)
    g = citation_graph(c)
    n_citing = int((c.table["cited_publications"].combine_chunks().value_lengths().to_numpy(zero_copy_only=False) > 0).sum())
    if len(g.src) == 0:
        err_console.print(f"[yellow]{t('mainpath.none', lang, docs=f'{len(c):,}', citing=f'{n_citing:,}')}[/]")
        return
    dates = c.table["publication_date"].to_numpy()
    dag = citation_dag(g.src, g.dst, g.n, labels=g.nodes, dates=dates)  # g.nodes makes the labels: once
    mp = main_path(dag, kind="key-route" if kind == "key-route" else kind, weight=weight, k=k)
    console.print(t("mainpath.summary", lang, nodes=f"{g.n:,}", arcs=f"{len(g.src):,}", removed=f"{len(dag.removed):,}",
                    kind=mp.kind, weight=weight.upper(), n=len(mp.arcs)))
    arcs, header, cells = mainpath_weights(mp, weight, lang)
    tab = Table(title=t("mainpath.title", lang))
    tab.add_column(t("mainpath.cited", lang))
    tab.add_column(t("mainpath.citing", lang))
    tab.add_column(header, justify="right")
    for row, w in zip(arcs.itertuples(), cells):
        tab.add_row(cell(row.src_label), cell(row.dst_label), w)
    console.print(tab)
    if mp.normalized:
        console.print(f"[dim]{t('mainpath.shares_note', lang, weight=weight.upper())}[/]")
    if output:
        write_csv(arcs, output)
        console.print(t("written", lang, path=safe(output)))


def mainpath_weights(mp, weight: str, lang: str):
    """(arcs table, column header, printed cells) with the weights shown exactly.

    Counts up to 2**53 are exact in float64 and print as integers; larger counts are
    recomputed as Python integers (:func:`patentnav.landscape.mainpath.exact_arc_weights`), so
    no digit is invented; when counts overflow float64 the weights are shares of all paths,
    printed as shares under a header that says so (and the CSV columns are renamed ``*_share``).
    """
    from ..landscape.mainpath import EXACT_FLOAT_INT, MEASURES, exact_arc_weights

    arcs = mp.arcs.copy()
    if mp.normalized:
        arcs = arcs.rename(columns={m: f"{m}_share" for m in MEASURES} | {"weight": "weight_share"})
        return arcs, t("mainpath.share", lang, weight=weight.upper()), [f"{w:.6g}" for w in arcs["weight_share"]]
    if len(arcs) and float(arcs[list(MEASURES)].to_numpy().max()) > EXACT_FLOAT_INT:
        exact = exact_arc_weights(mp.dag, arcs["arc"].to_numpy())
        for m in MEASURES:
            arcs[m] = exact[m].to_numpy()
        arcs["weight"] = arcs[weight]
    else:
        for m in (*MEASURES, "weight"):
            arcs[m] = [int(v) for v in arcs[m]]  # float64 integers below 2**53: exact
    return arcs, weight.upper(), [f"{int(w):,}" for w in arcs["weight"]]


@click.command()
@corpus_arg
@click.option("--region", required=True, callback=region_option,
              help="Region key, any letter case: CN (country), CN-GD (province), CN-GD-Shenzhen (city; needs applicant "
                   "addresses, as in CNIPA exports), or FIRMS with --firms.")
@click.option("--industry", default=None, help="Scope first to a CNIPA SEI field or industry (e.g. 2.2 or 2; see `patentnav industries`).")
@click.option("--ipc", "ipc_patterns", multiple=True, help="Scope first to IPC prefixes (repeatable), e.g. --ipc B64C --ipc B64U.")
@click.option("--query", default=None, help='Scope first to a keyword query, e.g. "无人机 OR drone -toy".')
@click.option("--technology", type=click.Choice(["ipc", "cpc", "wipo", "sei"]), default="ipc", show_default=True,
              help="What a technology is: IPC/CPC codes at --level, a WIPO field, or an SEI field.")
@_level_opt("subclass")
@click.option("--firms", default=None, help="Comma-separated firm names (or a CSV file with a 'name' column) forming the region FIRMS.")
@click.option("--top", default=20, show_default=True, help="How many technologies to print.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the full ranked table (CSV) here.")
@format_opt
@lang_option
@handle_errors
def gaps(corpus, region, industry, ipc_patterns, query, technology, level, firms, top, output, fmt, lang):
    """Gaps of a regional industry: technologies it lacks, how feasible, who holds them.

    Regions come from applicant addresses, applicant countries, else the priority country
    (fractional counting across co-applicants). For each technology: Balassa RCA,
    relatedness density, world size and growth, a category (fill now, long-term bet,
    declining, strength) and the key patents, holders, expiring patents and closest local
    firms. The ranking formula is printed under the table; all formulas: docs/methods.md.

    \b
    Examples:
      patentnav gaps --region CN
      patentnav gaps --region FIRMS --firms "SZ DJI TECHNOLOGY CO LTD,ZEROTECH BEIJING INTELLIGENCE TECH CO LTD"
      patentnav gaps cnipa_export.xlsx --region CN-GD-Shenzhen --industry 2.2 --level main_group
    """
    import pandas as pd

    from ..landscape.gaps import gaps as find_gaps
    from ..landscape.scope import scope
    from ..report.paths import analytics_warnings

    firm_list = parse_firms(firms)
    c = load_corpus(corpus, fmt=fmt, lang=lang)
    if industry or ipc_patterns or query:
        c = scope(c, industry=industry, ipc=list(ipc_patterns) or None, query=query)
    if firm_list:
        region = "FIRMS"
    g = find_gaps(c, region, technology=technology, level=level, firms=firm_list)  # harmonises raw names itself
    console.print(t("gaps.summary", lang, region=safe(region), docs=f"{len(c):,}", techs=f"{len(g.table):,}",
                    fill=int((g.table.category == "fill_now").sum()), strength=int((g.table.category == "strength").sum())))
    tab = Table(title=t("gaps.title", lang, region=safe(region)))
    for key, kw in (("gaps.technology", {}), ("gaps.category", {}), ("gaps.rca", {"justify": "right"}),
                    ("gaps.density", {"justify": "right"}), ("gaps.world", {"justify": "right"}),
                    ("gaps.growth", {"justify": "right"}), ("gaps.rights", {"justify": "right"}),
                    ("gaps.holders", {"overflow": "fold", "ratio": 2}), ("gaps.local", {"overflow": "fold", "ratio": 2})):
        tab.add_column(t(key, lang), **kw)
    from ..classify.titles import ipc_title_or_parent

    marked = False
    for row in g.table.head(top).itertuples():
        title = getattr(row, "title", None)
        if not isinstance(title, str) or not title:  # no title in the IPC 2020 scheme: the parent's, marked
            title = ipc_title_or_parent(row.technology, lang) if technology in ("ipc", "cpc") else None
        name = cell(row.technology) + (f" [dim]{cell(title, 30)}[/]" if title else "")
        growth = "—" if pd.isna(row.world_growth) else f"{100 * row.world_growth:+.0f}%"
        firms = "; ".join(row.closest_local_firms) or "; ".join(f"{f}*" for f in row.closest_first_filed_firms)
        marked = marked or (not row.closest_local_firms and bool(row.closest_first_filed_firms))
        tab.add_row(name, t(f"gaps.cat.{row.category}", lang), f"{row.rca:.2f}", f"{row.density:.2f}",
                    f"{row.world_documents:,.0f}", growth, f"{row.live_documents:,} / {row.ended_documents:,}",
                    cell("; ".join(row.live_holders)), cell(firms))
    console.print(tab)
    if marked:
        console.print(f"[dim]{t('gaps.first_filed', lang, region=safe(region))}[/]")
    console.print(f"[dim]{safe(g.formulas['gap_score'])}[/]")
    for text in analytics_warnings(g.params, lang):
        console.print(f"[yellow]{safe(text)}[/]")
    if output:
        df = g.table.copy()
        for col in df.columns:
            if df[col].map(lambda v: isinstance(v, list)).any():
                df[col] = df[col].map(lambda v: "; ".join(str(x) for x in v))
        write_csv(df, output)
        console.print(t("written", lang, path=safe(output)))


COMMANDS = [graph, clusters, trends, mainpath, gaps]
