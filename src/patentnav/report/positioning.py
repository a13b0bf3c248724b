"""Section 3 of the landscape report, regional industry positioning (GB/T 39551: 区域产业定位):
the region against the world by technology field, and who is in the region (located
applicants apart from those placed only by their first filing). Key finding: the region's
share and the number of fields where it is specialised (RCA >= 1), or that it has no documents.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..geo import assignment_rows
from .context import LandscapeContext
from .direction import GROWTH_WINDOW  # a field's growth in the region over the same years as the world's
from .labels import L
from .parts import Built, _chart, _pct, _table, plain_number, rnd, section
from .regional import (evidence_label, evidence_shares_text, inventor_rows, located_share, long_values,
                       region_evidence_text)

__all__ = ["positioning_section"]


def positioning_section(ctx: LandscapeContext) -> Built:
    """Section 3; finding: the region's share and specialisations (or that it has no documents)."""
    ctx.step("positioning")
    lang, region, assign, fields = ctx.lang, ctx.region, ctx.assignment, ctx.fields
    tf = ctx.technology_fields
    field_label = {int(r.field): str(r.label) for r in fields.itertuples()}
    size_of = {int(r.field): int(r.size) for r in fields.itertuples()}
    rows = assignment_rows(ctx.corpus, assign)
    la = _with_fields(assign, rows, tf, ctx.corpus)
    mat = la.groupby(["region", "field"])["weight"].sum().unstack(fill_value=0.0)
    mat = mat.reindex(columns=sorted(field_label), fill_value=0.0).sort_index()
    headline, has_documents = _headline(assign, mat, region, lang)
    pars = [L("pos.intro", lang, region=region), headline] + (_evidence_sentences(assign, region, lang) if has_documents else [])
    tables = [_region_fields_table(ctx.corpus, la, mat, tf.yearly, fields, field_label, size_of, assign, region, lang)]
    charts = [_heatmap_chart(mat, field_label, size_of, assign, region, lang, ctx.source_summary)]
    tables += _applicant_tables(ctx.applicant_evidence, la, field_label, region, lang)
    tables.append(_region_inventors_table(ctx.corpus, assign, rows, region, lang))
    return Built(section("positioning", L("sec.positioning", lang), pars, tables, charts), [headline])


def _with_fields(assign, rows, tf, corpus) -> pd.DataFrame:
    """The assignment rows whose document is in a technology field (columns :data:`_FIELD_COLUMNS`),
    with its ``field`` and ``_row`` (the corpus row): ``assign.merge(fields, on="publication_number",
    how="left")`` kept where the field is set, the field looked up by row (a float column when some
    document has none, as the join gives). Fields listed in corpus order are read at ``rows``."""
    pubs = _text(tf.publication_numbers)
    if pubs.equals(corpus.table["publication_number"].combine_chunks().cast(pa.string())):
        at = rows
    else:
        at = pc.index_in(pa.array(assign["publication_number"], pa.string(), from_pandas=True), value_set=pubs)
        at = np.asarray(at.fill_null(-1).to_numpy(zero_copy_only=False), dtype=np.int64)
    labels = np.asarray(tf.labels).astype(int)
    field = labels[np.clip(at, 0, None)] if len(labels) else np.zeros(len(at), dtype=labels.dtype)
    if (at < 0).any():
        field = np.where(at >= 0, field, np.nan)
    la = assign[_FIELD_COLUMNS].assign(field=field, _row=rows)  # (the columns the section reads: no text copied for nothing)
    return la[la["field"].fillna(-1) >= 0]


#: The assignment columns the positioning tables read from the rows with a field.
_FIELD_COLUMNS = ["region", "applicant", "weight"]


def _text(values) -> pa.Array:
    """``values.astype(str)`` as an Arrow string array (from the Python strings directly when
    every value is one)."""
    try:
        arr = pa.array(np.asarray(values, dtype=object), pa.string())
        if arr.null_count == 0:
            return arr
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        pass
    return pa.array(np.asarray(values).astype(str), pa.string())


def _headline(assign, mat, region, lang) -> tuple[str, bool]:
    """The region's share of all documents and its number of fields with RCA >= 1, or that it
    has no documents; and whether it has any."""
    from ..geo import region_shares

    shares = region_shares(assign)
    docs = float(shares["patents"].get(region, 0.0))
    if docs <= 0:
        return L("pos.empty", lang, region=region), False
    in_fields = float(mat.loc[region].sum()) if region in mat.index else 0.0
    share = _pct(float(shares["share"].get(region, 0.0)))
    if in_fields <= 0:
        return L("pos.summary_nofield", lang, region=region, share=share, docs=plain_number(docs)), True
    tot = mat.sum(axis=1)
    world = mat.sum(axis=0)
    rca = (mat.loc[region] / tot[region]) / (world / float(world.sum()))
    return L("pos.summary", lang, region=region, share=share, docs=plain_number(docs), in_fields=plain_number(in_fields),
             n_strong=int((rca >= 1).sum())), True


def _evidence_sentences(assign, region, lang) -> list[str]:
    """How the region's documents were placed, and a warning when mostly by first filing."""
    out = [region_evidence_text(assign, region, lang)]
    located = located_share(assign, region)
    if located < 0.5:
        out.append(L("pos.proxy", lang, region=region, share=_pct(1 - located)))
    return out


def _region_growth(corpus, la, yearly, field_label, region) -> tuple[dict, int | None, int | None]:
    """CAGR of the region's documents per field by publication year (as the field table)."""
    from ..landscape import growth

    if "publication_date" not in corpus.table.column_names:
        return {}, None, None
    ra = la[la["region"] == region]
    ra = ra.assign(year=_publication_years(corpus, ra["_row"].to_numpy())).dropna(subset=["year"])
    ry = ra.groupby(["field", "year"])["weight"].sum()
    inc_by_year = dict(zip(yearly["year"].astype(int), yearly["incomplete"].astype(bool)))
    all_years = sorted(inc_by_year)
    incomplete = [inc_by_year[y] for y in all_years]
    per_year = _field_year_counts(ry, all_years)
    out, start, end = {}, None, None
    for f in sorted(field_label):
        cdf = pd.DataFrame({"count": per_year(f), "incomplete": incomplete}, index=pd.Index(all_years, name="year"))
        try:
            g = growth(cdf, window=GROWTH_WINDOW)
        except (ValueError, ZeroDivisionError):
            out[f] = None
            continue
        out[f], start, end = g.cagr, g.start, g.end
    return out, start, end


def _field_year_counts(ry: pd.Series, years: list[int]):
    """A function ``field -> counts``: the sums ``ry`` (indexed by field, year) of the field in
    each of ``years`` (0.0 where none; as float64), from one field x year table (``unstack``)
    instead of a lookup per field and year."""
    wide = ry.unstack("year", fill_value=0.0) if len(ry) else pd.DataFrame(index=pd.Index([], name="field"))
    wide = wide.reindex(columns=pd.Index(years, dtype=np.float64 if wide.columns.dtype.kind == "f" else None),
                        fill_value=0.0)
    values = wide.to_numpy(dtype=np.float64)
    row = {f: i for i, f in enumerate(wide.index.tolist())}
    zeros = np.zeros(len(years), dtype=np.float64)

    def counts(field) -> np.ndarray:
        i = row.get(field)
        return zeros.copy() if i is None else values[i].copy()

    return counts


def _publication_years(corpus, rows: np.ndarray) -> np.ndarray:
    """Publication year of the corpus rows ``rows`` (NaN where no date or row -1), as
    ``pd.to_datetime(...).dt.year`` gives it for those rows."""
    rows = np.asarray(rows, dtype=np.int64)
    dates = corpus.table["publication_date"].combine_chunks()
    years = pc.year(dates.take(pa.array(np.clip(rows, 0, None)))) if len(dates) else pa.nulls(len(rows), pa.int64())
    years = years.to_numpy(zero_copy_only=False)
    return np.where(rows >= 0, years, np.nan) if (rows < 0).any() else years


def _region_fields_table(corpus, la, mat, yearly, fields, field_label, size_of, assign, region, lang) -> dict:
    world = mat.sum(axis=0)
    total = float(world.sum())
    region_docs = float(mat.loc[region].sum()) if region in mat.index else 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        rca = (mat.div(mat.sum(axis=1), axis=0)).div(world / total, axis=1) if total > 0 else mat * np.nan
    reg_growth, start, end = _region_growth(corpus, la, yearly, field_label, region) if region_docs > 0 else ({}, None, None)
    show_growth = any(v is not None and np.isfinite(v) for v in reg_growth.values())
    world_growth = {int(r.field): r.growth for r in fields.itertuples()}
    rows = []
    for f in sorted(field_label, key=lambda f: (-float(mat.loc[region, f]) if region in mat.index else 0.0, -size_of[f], f)):
        rd = float(mat.loc[region, f]) if region in mat.index else 0.0
        row = [f, field_label[f], rnd(rd), rnd(rd / region_docs) if region_docs else None, rnd(world[f] / total) if total else None,
               rnd(rca.loc[region, f]) if region in rca.index else None]
        rows.append(row + ([rnd(reg_growth.get(f))] if show_growth else []) + [rnd(world_growth.get(f))])
    cols = [("field", L("c.field", lang)), ("label", L("c.label", lang)), ("region_documents", L("c.region_docs", lang)),
            ("region_share", L("c.region_share", lang)), ("world_share", L("c.world_share", lang)), ("rca", L("c.rca", lang))]
    cols += [("region_growth", L("c.region_growth", lang))] if show_growth else []
    cols += [("world_growth", L("c.world_growth", lang))]
    notes = [L("t.field_growth.note", lang, window=GROWTH_WINDOW)]
    if show_growth:
        notes.append(L("t.region_growth.dash", lang, region=region, start=start))
    elif region_docs > 0:
        notes.append(L("t.region_growth.none", lang, region=region, start=start if start is not None else "—",
                       end=end if end is not None else "—"))
    notes.append(region_evidence_text(assign, region, lang))
    return _table("region_fields", L("t.region_fields", lang, region=region), cols, rows, " ".join(notes))


def _heatmap_chart(mat, field_label, size_of, assign, region, lang, summary=None) -> dict:
    world = mat.sum(axis=0)
    total = float(world.sum())
    tot_r = mat.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        rca = (mat.div(tot_r, axis=0)).div(world / total, axis=1) if total > 0 else mat * np.nan
    top_regions = [r for r in tot_r.drop(labels=["UNKNOWN"], errors="ignore").sort_values(ascending=False, kind="mergesort").index[:8]]
    top_regions = sorted(top_regions, key=lambda r: (-float(tot_r[r]), r))
    if region in mat.index and region not in top_regions:
        top_regions.append(region)
    hm_fields = [f for f in sorted(field_label, key=lambda f: (-size_of[f], f))][:15]
    ev_text = evidence_shares_text(assign, lang, summary)
    return _chart("field_region_heatmap", L("ch.heatmap", lang), "field_region_heatmap", {
        "rows": [f"{f} {field_label[f]}" for f in hm_fields], "columns": list(top_regions),
        "values": [[rnd(rca.loc[r, f]) for r in top_regions] for f in hm_fields], "measure": "RCA"},
        L("ch.heatmap.note" if region in top_regions else "ch.heatmap.absent", lang, n=len(top_regions), region=region)
        + " " + L("ch.heatmap.evidence", lang, evidence=ev_text))


def _applicant_tables(ev, la, field_label, region, lang) -> list[dict]:
    """Local leaders (located applicants) and, apart, applicants placed only by their first filing
    (``ev``: :func:`patentnav.geo.applicant_evidence` of the region)."""
    local = la[la["region"] == region]
    main_field = local.groupby(["applicant", "field"])["weight"].sum().reset_index().sort_values(
        ["applicant", "weight", "field"], ascending=[True, False, True]).drop_duplicates("applicant").set_index("applicant")["field"]

    def rows(df):
        return [[r.applicant, rnd(r.patents), int(r.documents),
                 (field_label.get(int(main_field[r.applicant])) if r.applicant in main_field.index else None),
                 evidence_label(r.evidence, region, lang)] for r in df.head(15).itertuples()]

    cols = [("applicant", L("c.applicant", lang)), ("patents", L("c.patents", lang)), ("documents", L("c.documents", lang)),
            ("main_field", L("c.main_field", lang)), ("evidence", L("c.evidence", lang))]
    located, proxied = ev[ev["located"]], ev[~ev["located"]]
    lead_note = (L("t.leaders.note", lang, region=region) if len(located) else
                 L("t.leaders.none", lang, region=region, n=len(proxied)))
    out = [_table("local_leaders", L("t.leaders", lang, region=region), cols, rows(located), lead_note)]
    if len(proxied):
        out.append(_table("first_filed", L("t.first_filed", lang, region=region), cols, rows(proxied),
                          L("t.first_filed.note", lang, region=region, n=len(proxied))))
    return out


def _region_inventors_table(corpus, assign, rows, region, lang) -> dict:
    """The region's inventors (:func:`inventor_rows`) from the long tables of the region's
    documents only (``rows``: the corpus row of each assignment row)."""
    in_region = np.zeros(len(corpus), dtype=bool)
    in_region[rows[(assign["region"] == region).to_numpy(dtype=bool) & (rows >= 0)]] = True
    docs = np.flatnonzero(in_region)  # ascending, each once
    inv_long = long_values(corpus, "inventors", "inventor", rows=docs)
    app_long = long_values(corpus, "applicants_harmonized", "applicant", rows=docs)
    rows = inventor_rows(docs, inv_long, app_long, 15)
    note = L("t.inventors.note", lang, region=region) + " " + region_evidence_text(assign, region, lang)
    return _table("local_inventors", L("t.inventors", lang, region=region), [
        ("inventor", L("c.inventor", lang)), ("patents", L("c.patents", lang)), ("applicants", L("c.applicants", lang))],
        rows, note if rows else L("empty_note", lang))
