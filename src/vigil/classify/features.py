"""Sparse text features: analyzers and a TF-IDF vectoriser stored as plain arrays (no pickles).

Training fits scikit-learn's ``TfidfVectorizer`` with the analyzers defined here (so both sides tokenise the same
way) and then saves only the vocabulary (JSON) and the idf weights (``.npy``); prediction rebuilds the same
vectors with :class:`SparseVectorizer`, which needs only numpy and scipy and loads in milliseconds.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from .arabic_cues import ar_cues
from .arabic_norm import normalize_arabic
from .textprep import clean_text

__all__ = ["ANALYZERS", "SparseVectorizer", "ar_chars", "ar_cues", "ar_words", "en_chars", "en_words",
           "load_vectorizers", "save_vectorizers"]

_WORD = re.compile(r"(?u)\b\w\w+\b")
_SPACE = re.compile(r"\s+")


def en_words(text: str) -> list[str]:
    """Lower-cased word unigrams and bigrams (hashtag ``#`` dropped so ``#flood`` counts as ``flood``)."""
    words = _WORD.findall(clean_text(text).lower())
    return words + [f"{a} {b}" for a, b in pairwise(words)]


def _char_wb(text: str, lo: int, hi: int) -> list[str]:
    out: list[str] = []
    for w in text.split():
        w = f" {w} "
        n = len(w)
        for k in range(lo, min(hi, n) + 1):
            out.extend(w[i:i + k] for i in range(n - k + 1))
    return out


def en_chars(text: str) -> list[str]:
    """Character 2-5-grams within word boundaries, lower-cased (robust to misspellings and hashtags)."""
    return _char_wb(_SPACE.sub(" ", clean_text(text).lower()), 2, 5)


def ar_chars(text: str) -> list[str]:
    """Character 2-5-grams of the normalised Arabic text (dialect spellings share most n-grams)."""
    return _char_wb(normalize_arabic(clean_text(text)).lower(), 2, 5)


def ar_words(text: str) -> list[str]:
    """Word unigrams and bigrams of the normalised Arabic text."""
    words = _WORD.findall(normalize_arabic(clean_text(text)).lower())
    return words + [f"{a} {b}" for a, b in pairwise(words)]


ANALYZERS: dict[str, Callable[[str], list[str]]] = {
    "en_words": en_words, "en_chars": en_chars, "ar_chars": ar_chars, "ar_words": ar_words, "ar_cues": ar_cues}


@dataclass
class SparseVectorizer:
    """Sublinear TF-IDF with L2 normalisation over a fixed vocabulary, matching scikit-learn's output.

    Attributes:
        analyzer: a name in :data:`ANALYZERS`.
        vocab: feature string -> column.
        idf: idf weight per column.
    """

    analyzer: str
    vocab: dict[str, int]
    idf: np.ndarray

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """TF-IDF rows for ``texts`` (unknown features ignored)."""
        analyze = ANALYZERS[self.analyzer]
        vocab = self.vocab
        indptr = [0]
        indices: list[int] = []
        counts: list[float] = []
        for text in texts:
            row: dict[int, int] = {}
            for feat in analyze(text):
                j = vocab.get(feat)
                if j is not None:
                    row[j] = row.get(j, 0) + 1
            indices.extend(row)
            counts.extend(row.values())
            indptr.append(len(indices))
        data = np.asarray(counts, dtype=np.float32)
        cols = np.asarray(indices, dtype=np.int32)
        if len(data):
            data = (1.0 + np.log(data)) * self.idf[cols]
        m = sp.csr_matrix((data, cols, np.asarray(indptr, dtype=np.int64)), shape=(len(texts), len(self.idf)))
        norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return sp.csr_matrix(sp.diags(1.0 / norms) @ m, dtype=np.float32)


def save_vectorizers(vectorizers: Sequence[SparseVectorizer], path: Path) -> None:
    """Write each block as ``<analyzer>.vocab.json`` (terms in column order) and ``<analyzer>.idf.npy``."""
    for v in vectorizers:
        words = [""] * len(v.vocab)
        for w, j in v.vocab.items():
            words[j] = w
        # ASCII-escaped: tweets carry lone surrogates (split emoji) that UTF-8 cannot encode; json.loads restores them
        (path / f"{v.analyzer}.vocab.json").write_text(json.dumps(words), encoding="utf-8")
        np.save(path / f"{v.analyzer}.idf.npy", v.idf.astype(np.float32))


def load_vectorizers(path: Path, analyzers: Sequence[str]) -> list[SparseVectorizer]:
    """Read the blocks :func:`save_vectorizers` wrote (``OSError``/``ValueError`` when a file is missing or bad)."""
    vecs = []
    for name in analyzers:
        words = json.loads((path / f"{name}.vocab.json").read_text(encoding="utf-8"))
        idf = np.load(path / f"{name}.idf.npy", allow_pickle=False)
        vecs.append(SparseVectorizer(name, {w: j for j, w in enumerate(words)}, idf))
    return vecs
