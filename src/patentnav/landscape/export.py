"""Network exports: GEXF and GraphML (Gephi, Cytoscape, yEd) and VOSviewer map/network files.

Every writer takes a :class:`~patentnav.landscape.cooccurrence.CoOccurrence` (converted with
:func:`~patentnav.landscape.cooccurrence.to_networkx`) or any :class:`networkx.Graph`.

Text is data: labels and titles never break a file.

* GEXF / GraphML (XML, written by networkx): XML escapes ``<``, ``&`` and quotes; on top of
  that, characters XML 1.0 cannot carry at all (C0 controls other than tab, LF, CR; lone
  surrogates; U+FFFE/U+FFFF) are replaced with U+FFFD, and CR LF / CR become LF (an XML
  parser normalises line ends in element text anyway). Node ids are the node labels
  sanitised the same way (made unique with ``~2``, ``~3``... in the rare case two
  differ only by such characters).
* VOSviewer (tab-delimited text): tabs, line breaks and every other control or line/paragraph
  separator character become a space; a value containing a comma, semicolon or double quote
  is enclosed in double quotes with inner quotes doubled (the manual asks for quotes around
  labels with a comma or semicolon, since VOSviewer also accepts comma- and
  semicolon-delimited files); a value a spreadsheet would read as a formula is prefixed
  with ``'`` (:func:`patentnav.safety.neutralize_csv_cell`, as every CSV patentnav writes).
  Descriptions are HTML-escaped, since VOSviewer renders them as HTML.

File formats: ``docs/methods.md``.
"""

from __future__ import annotations

import html
import math
import os
import re
from typing import Iterable, Mapping

import numpy as np

from ..safety import neutralize_csv_cell

__all__ = [
    "write_gexf",
    "write_graphml",
    "write_vosviewer",
    "write_vosviewer_map",
    "write_vosviewer_network",
    "vosviewer_text",
    "xml_text",
]

# Characters XML 1.0 forbids (section 2.2 "Characters"), plus lone surrogates.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# Anything that could end a field or a line in a delimited text file.
_TEXT_BREAKING = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _graph(obj) -> nx.Graph:
    import networkx as nx  # imported when a graph is written (the report never needs it)

    if isinstance(obj, nx.Graph):
        return obj
    from .cooccurrence import CoOccurrence, to_networkx

    if isinstance(obj, CoOccurrence):
        return to_networkx(obj)
    raise TypeError(f"expected a CoOccurrence or a networkx graph, not {type(obj).__name__}")


# --- XML (GEXF, GraphML) ------------------------------------------------------------------

def xml_text(value: str) -> str:
    """A string XML 1.0 can carry: forbidden characters -> U+FFFD, CR LF / CR -> LF."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _XML_ILLEGAL.sub("\ufffd", value)


def _xml_value(v):
    if isinstance(v, np.generic):
        v = v.item()
    if v is None:
        return None
    if isinstance(v, (bool, int, float)):
        return v
    return xml_text(str(v))


def _xml_attrs(d: Mapping) -> dict:
    out = {}
    for k, v in d.items():
        v = _xml_value(v)
        if v is not None:
            out[xml_text(str(k))] = v
    return out


def _xml_safe_graph(g: nx.Graph) -> nx.Graph:
    """A copy with XML-safe node ids, attribute names and string values (None dropped)."""
    h = g.__class__()
    h.graph.update(_xml_attrs(g.graph))
    ids: dict = {}
    used: set = set()
    for node, data in g.nodes(data=True):
        base = xml_text(str(node))
        nid, k = base, 1
        while nid in used:
            k += 1
            nid = f"{base}~{k}"
        used.add(nid)
        ids[node] = nid
        attrs = _xml_attrs(data)
        attrs.setdefault("label", base)
        h.add_node(nid, **attrs)
    h.add_edges_from((ids[u], ids[v], _xml_attrs(d)) for u, v, d in g.edges(data=True))
    return h


def write_gexf(obj, path: str | os.PathLike) -> None:
    """Write GEXF 1.2 (Gephi) with :func:`networkx.write_gexf`.

    Node ``label`` is the GEXF label; other node and edge attributes (``title``,
    ``occurrences``, ``count``, ``strength``...) become GEXF attributes. Read back with
    :func:`networkx.read_gexf`.
    """
    import networkx as nx

    nx.write_gexf(_xml_safe_graph(_graph(obj)), path)


def write_graphml(obj, path: str | os.PathLike) -> None:
    """Write GraphML with :func:`networkx.write_graphml` (read back with :func:`networkx.read_graphml`)."""
    import networkx as nx

    nx.write_graphml(_xml_safe_graph(_graph(obj)), path)


# --- VOSviewer ----------------------------------------------------------------------------------

def vosviewer_text(value, html_escape: bool = False) -> str:
    """One field of a VOSviewer map file, safe in a tab-, comma- or semicolon-delimited file.

    >>> vosviewer_text("a\\tb\\nc")
    'a b c'
    >>> vosviewer_text('Spades; "Shovels" etc')
    '"Spades; ""Shovels"" etc"'
    >>> vosviewer_text("=1+1")
    "'=1+1"
    """
    s = "" if value is None else str(value)
    if html_escape:
        s = html.escape(s, quote=True)
    s = _TEXT_BREAKING.sub(" ", s)
    s = s.encode("utf-8", "replace").decode("utf-8")  # lone surrogates -> "?"
    s = neutralize_csv_cell(s)
    if any(ch in s for ch in ',;"'):
        s = '"' + s.replace('"', '""') + '"'
    return s


def _number(v) -> str:
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, bool):
        v = int(v)
    if isinstance(v, int):
        return str(v)
    v = float(v)
    if not math.isfinite(v):
        raise ValueError(f"VOSviewer files need finite numbers, not {v!r}")
    return repr(v)


def _cluster_map(g: nx.Graph, clusters) -> dict | None:
    if clusters is None:
        vals = [d.get("cluster") for _, d in g.nodes(data=True)]
        if g.number_of_nodes() and all(v is not None for v in vals):
            clusters = dict(zip(g.nodes(), vals))
        else:
            return None
    elif not isinstance(clusters, Mapping):  # a sequence of node sets, e.g. nx.community output
        out = {}
        for k, members in enumerate(clusters, start=1):
            for node in members:
                out[node] = k
        clusters = out
    result = {}
    for node in g.nodes():
        c = clusters.get(node)
        if c is None:
            raise ValueError(f"no cluster for node {node!r}")
        if isinstance(c, np.generic):
            c = c.item()
        if not isinstance(c, int) or isinstance(c, bool) or not 1 <= c <= 1000:
            raise ValueError(f"VOSviewer clusters are integers from 1 to 1000; node {node!r} has {c!r}")
        result[node] = c
    return result


def _layout_map(g: nx.Graph, layout) -> dict | None:
    if layout is None:
        xs = [(d.get("x"), d.get("y")) for _, d in g.nodes(data=True)]
        if g.number_of_nodes() and all(x is not None and y is not None for x, y in xs):
            return dict(zip(g.nodes(), xs))
        return None
    missing = [n for n in g.nodes() if n not in layout]
    if missing:
        raise ValueError(f"no coordinates for node {missing[0]!r}")
    return {n: (layout[n][0], layout[n][1]) for n in g.nodes()}


def _write_lines(path, lines: Iterable[str]) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        for line in lines:
            fh.write(line)
            fh.write("\n")


def write_vosviewer_map(obj, path: str | os.PathLike, clusters=None, layout=None,
                        descriptions: bool = False) -> dict:
    """Write a VOSviewer map file (items).

    Columns: ``id`` (1..n, in graph node order, the ids of :func:`write_vosviewer_network`),
    ``label`` (node attribute ``label``, else the node), optionally ``description`` (the
    IPC ``title``, HTML-escaped), ``x``/``y``, ``cluster``, and ``weight<Occurrences>``
    when every node has ``occurrences``.

    Parameters
    ----------
    clusters : mapping node -> int (1..1000), or a sequence of node sets, optional
        A sequence (e.g. ``networkx.community.louvain_communities(g)``) is numbered 1, 2, ...
        in its order. Default: the nodes' ``cluster`` attribute if every node has one.
    layout : mapping node -> (x, y), optional
        E.g. ``networkx.spring_layout(g)``. Default: node attributes ``x``/``y`` if present.
    descriptions : bool
        Add a ``description`` column from the nodes' ``title``.

    Returns
    -------
    dict node -> id
    """
    g = _graph(obj)
    nodes = list(g.nodes())
    ids = {n: i for i, n in enumerate(nodes, start=1)}
    cl = _cluster_map(g, clusters)
    xy = _layout_map(g, layout)
    with_weight = bool(nodes) and all("occurrences" in g.nodes[n] for n in nodes)
    header = ["id", "label"]
    if descriptions:
        header.append("description")
    if xy is not None:
        header += ["x", "y"]
    if cl is not None:
        header.append("cluster")
    if with_weight:
        header.append("weight<Occurrences>")

    def rows():
        yield "\t".join(header)
        for n in nodes:
            d = g.nodes[n]
            row = [str(ids[n]), vosviewer_text(d.get("label", n))]
            if descriptions:
                row.append(vosviewer_text(d.get("title"), html_escape=True))
            if xy is not None:
                row += [_number(xy[n][0]), _number(xy[n][1])]
            if cl is not None:
                row.append(str(cl[n]))
            if with_weight:
                row.append(_number(d["occurrences"]))
            yield "\t".join(row)

    _write_lines(path, rows())
    return ids


def write_vosviewer_network(obj, path: str | os.PathLike, weight: str | None = "count") -> None:
    """Write a VOSviewer network file: one line ``id1<TAB>id2<TAB>strength`` per edge, no header.

    Ids are those of :func:`write_vosviewer_map` on the same graph. Each undirected edge
    is written once.

    Parameters
    ----------
    weight : str or None
        Edge attribute written as the link strength: ``"count"`` (default: raw
        co-occurrences, which VOSviewer normalises itself, by association strength unless
        told otherwise), ``"strength"`` (our normalised value; then choose "no
        normalization" in VOSviewer to avoid normalising twice), or None for two columns
        (unweighted links). VOSviewer link strengths are positive: edges whose weight is
        not > 0 are skipped.
    """
    g = _graph(obj)
    ids = {n: i for i, n in enumerate(g.nodes(), start=1)}

    def rows():
        for u, v, d in g.edges(data=True):
            if weight is None:
                yield f"{ids[u]}\t{ids[v]}"
                continue
            w = d.get(weight)
            if w is None:
                raise ValueError(f"edge {u!r}-{v!r} has no {weight!r} attribute")
            if not w > 0:
                continue
            yield f"{ids[u]}\t{ids[v]}\t{_number(w)}"

    _write_lines(path, rows())


def write_vosviewer(obj, map_path: str | os.PathLike, network_path: str | os.PathLike,
                    weight: str | None = "count", clusters=None, layout=None, descriptions: bool = False) -> dict:
    """Write both VOSviewer files (map and network); see the two functions. Returns node -> id.

    Open them in VOSviewer with *Create... > Create a map based on network data*.
    """
    g = _graph(obj)
    ids = write_vosviewer_map(g, map_path, clusters=clusters, layout=layout, descriptions=descriptions)
    write_vosviewer_network(g, network_path, weight=weight)
    return ids
