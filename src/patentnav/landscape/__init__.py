"""Industry navigation analytics (产业发展方向): graphs, technology fields, trends, quality, main paths.

Modules
-------
incidence
    Sparse documents x items matrices (the base of every computation here).
cooccurrence, export
    IPC/CPC co-classification graph (X'X, association strength) and GEXF / GraphML /
    VOSviewer exports.
citations, indicators, claims
    Citation graph (cited -> citing), windowed forward citations, coupling and co-citation;
    OECD patent quality indicators and key patents; claim-based indicators (claim scope).
clusters
    Technology fields: seeded Leiden clusters, labelled and described.
trends
    Yearly counts with publication-lag flags, growth, loglet life-cycle fit.
mainpath
    Main path analysis (SPC, SPLC, SPNP; global, local, key-route).
scope, specialization, gaps
    Industry scoping; region x technology specialisation (RCA, relatedness, complexity;
    ecomplexity conventions); ranked technology gaps with live and ended rights, holders and located firms.

Formulas and sources: ``docs/methods.md``.
"""

from .citations import CitationGraph, bibliographic_coupling, citation_graph, co_citation, windowed_forward_citations
from .clusters import TechnologyFields, adjusted_rand_index, leiden, modularity, technology_fields
from .cooccurrence import CoOccurrence, cooccurrence
from .export import write_gexf, write_graphml, write_vosviewer
from .incidence import Incidence, code_incidence, incidence
from .claims import claim_indicators
from .indicators import key_patents, quality_indicators
from .mainpath import CitationDAG, MainPath, arc_weights, citation_dag, exact_arc_weights, main_path
from .trends import annual_counts, fit_logistic, growth, life_cycle, top_applicants_by_year
from .scope import scope
from .specialization import Specialization, region_technology_matrix, specialization
from .gaps import GapAnalysis, document_rights, gaps

__all__ = [
    "Incidence", "incidence", "code_incidence",
    "CoOccurrence", "cooccurrence", "write_gexf", "write_graphml", "write_vosviewer",
    "CitationGraph", "citation_graph", "windowed_forward_citations", "bibliographic_coupling", "co_citation",
    "quality_indicators", "key_patents", "claim_indicators",
    "TechnologyFields", "technology_fields", "leiden", "modularity", "adjusted_rand_index",
    "annual_counts", "growth", "fit_logistic", "life_cycle", "top_applicants_by_year",
    "CitationDAG", "MainPath", "citation_dag", "arc_weights", "exact_arc_weights", "main_path",
    "scope", "Specialization", "specialization", "region_technology_matrix", "GapAnalysis", "gaps", "document_rights",
]
