"""Offline Chinese-aware embeddings: hashed character n-grams (1–3), L2-normalised.

Needs no model download (Chroma's default embedding function would fetch one and fails
offline). Characters and short n-grams carry most of the meaning of budget labels, so cosine
similarity of these vectors is a fair dense signal next to BM25.
"""
from __future__ import annotations

import zlib

import numpy as np

from budgetqa.text import normalize

DIMENSIONS = 256  # 1 KB per vector: the index stays small; budget labels are short


def ngram_vector(text: str, dimensions: int = DIMENSIONS) -> list[float]:
    text = normalize(text)
    vector = np.zeros(dimensions, dtype=np.float32)
    for size, weight in ((1, 0.5), (2, 1.0), (3, 0.7)):
        for i in range(len(text) - size + 1):
            digest = zlib.crc32(text[i:i + size].encode("utf-8"))
            sign = 1.0 if digest & 1 else -1.0
            vector[(digest >> 1) % dimensions] += sign * weight
    norm = float(np.linalg.norm(vector))
    return (vector / norm if norm else vector).tolist()
