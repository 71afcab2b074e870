"""Offline Chinese-aware embeddings: hashed character n-grams (1–3), L2-normalised.

Needs no model download (Chroma's default embedding function would fetch one and fails
offline). Characters and short n-grams carry most of the meaning of budget labels, so cosine
similarity of these vectors is a fair dense signal next to BM25.
"""
from __future__ import annotations

import zlib
from functools import lru_cache

import numpy as np

from budgetqa.model.text import normalize

DIMENSIONS = 256  # 1 KB per vector: the index stays small; budget labels are short


def ngram_vector(text: str) -> list[float]:
    return ngram_matrix([text])[0].tolist()


def ngram_matrix(texts: list[str]) -> np.ndarray:
    """One L2-normalised row per text (float32): the vectors of many texts at once."""
    cells, values = [], []  # cell = row * DIMENSIONS + slot
    for row, text in enumerate(texts):
        text, base = normalize(text), row * DIMENSIONS
        for size, weight in ((1, 0.5), (2, 1.0), (3, 0.7)):
            for i in range(len(text) - size + 1):
                slot, sign = _slot(text[i:i + size])
                cells.append(base + slot)
                values.append(sign * weight)
    sums = np.bincount(np.array(cells, dtype=np.intp), weights=np.array(values), minlength=len(texts) * DIMENSIONS)
    matrix = sums.reshape(len(texts), DIMENSIONS)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return (matrix / np.where(norms == 0, 1, norms)).astype(np.float32)


@lru_cache(maxsize=1 << 18)
def _slot(gram: str) -> tuple[int, float]:
    """The dimension an n-gram is hashed to and its sign (cached: labels repeat the same n-grams)."""
    digest = zlib.crc32(gram.encode("utf-8"))
    return (digest >> 1) % DIMENSIONS, 1.0 if digest & 1 else -1.0
