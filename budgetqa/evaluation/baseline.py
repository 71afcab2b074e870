"""The naive "chat with your PDF" baseline we compare against.

Document text as a generic tool would see it — the .txt extractions as they are, the PDFs through
pdfplumber's page.extract_text() — chunked with llama-index's SentenceSplitter(chunk_size=512,
chunk_overlap=50), ranked with BM25 (bm25s) over jieba tokens of the whole corpus (no metadata
filters). The measure: does the gold figure, as printed, even appear in the top-k chunks? That
is an upper bound of what an LLM reading those chunks could answer.
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np

BASELINE_KS = (3, 5, 10)


def document_text(path: Path) -> str:
    if path.suffix.lower() == ".pdf":
        import pdfplumber

        with pdfplumber.open(path) as pdf:
            return "\n".join(page.extract_text() or "" for page in pdf.pages)
    return path.read_text(encoding="utf-8-sig", errors="replace")


def _tokens(text: str) -> list[str]:
    import jieba

    return [t for t in jieba.lcut(text.lower()) if t.strip() and not re.fullmatch(r"[\W_]+", t)]


class NaiveRetriever:
    def __init__(self, files: list[Path], chunk_size: int = 512, chunk_overlap: int = 50):
        import bm25s
        import jieba
        from llama_index.core import Document
        from llama_index.core.node_parser import SentenceSplitter

        jieba.setLogLevel(60)
        splitter = SentenceSplitter(chunk_size=chunk_size, chunk_overlap=chunk_overlap)
        documents = [Document(text=document_text(f), metadata={"file": f.name}) for f in files]
        nodes = splitter.get_nodes_from_documents(documents)
        self.chunks = [(n.metadata.get("file", ""), n.get_content()) for n in nodes]
        corpus = [_tokens(text) for _, text in self.chunks]
        vocab: dict[str, int] = {}
        ids = [[vocab.setdefault(t, len(vocab)) for t in doc] for doc in corpus]
        self.vocab = vocab
        self.bm25 = bm25s.BM25()
        self.bm25.index(bm25s.tokenization.Tokenized(ids=ids, vocab=vocab), show_progress=False)

    def top(self, question: str, k: int) -> list[tuple[str, str]]:
        query = [t for t in _tokens(question) if t in self.vocab]
        if not query or not self.chunks:
            return self.chunks[:0]
        scores = self.bm25.get_scores(query)
        order = np.argsort(-scores, kind="stable")[:k]
        return [self.chunks[i] for i in order]


def corpus_files(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.rglob("*") if p.is_file() and p.suffix.lower() in (".pdf", ".txt"))
