"""store: the catalog (SQLite, budgetqa.store.catalog) and the passage vectors (Chroma), written together.

- The catalog holds documents and facts; it always lives under the index directory.
- Chroma holds one record per passage — a table row or a sentence, the text its facts are read
  from — with our offline n-gram embedding and the document id as metadata, for semantic search
  filtered by document. Embedded under the index directory, or on a Chroma server
  (`--chroma-url`, BUDGETQA_CHROMA_URL). chromadb is imported on first use: a lookup in one
  document never needs it.

Write order: a document is marked pending, its vectors are written, then its catalog rows are
committed in one transaction and the mark cleared. A crash in between leaves vectors of a
pending document, which the next writer deletes; readers only ever see committed documents.
"""
from __future__ import annotations

import json
import os
import urllib.request
from pathlib import Path
from typing import Iterable
from urllib.parse import urlparse

from budgetqa.model.document import DocumentMeta, ParsedDocument
from budgetqa.model.facts import Fact
from budgetqa.store.catalog import Catalog
from budgetqa.store.embedding import ngram_vector

# records per Chroma call: far below SQLite's variable limit and Chroma's batch limit
PAGE = 2000
PASSAGES = "budget_passages"
OLD_COLLECTIONS = {"budget_facts", "budget_documents"}
CHROMA_URL_ENV = "BUDGETQA_CHROMA_URL"  # e.g. http://127.0.0.1:8000 — use a Chroma server


def open_client(index_dir: str | Path = "index", chroma_url: str | None = None):
    import chromadb
    from chromadb.config import Settings

    settings = Settings(anonymized_telemetry=False)
    if chroma_url:
        scheme, host, port = server_address(chroma_url)
        return chromadb.HttpClient(host=host, port=port, ssl=scheme == "https", settings=settings)
    Path(index_dir).mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(index_dir), settings=settings)


def server_address(chroma_url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of a Chroma server URL; "host:port" alone means http."""
    url = urlparse(chroma_url if "://" in chroma_url else f"http://{chroma_url}")
    return url.scheme, url.hostname or "", url.port or 8000


class FactStore:
    def __init__(self, index_dir: str | Path = "index", chroma_url: str | None = None):
        self.index_dir = Path(index_dir)
        self.chroma_url = chroma_url or os.environ.get(CHROMA_URL_ENV)
        self.catalog = Catalog(self.index_dir)
        self._client = None
        self._passages = None

    def client(self):
        """The Chroma client (opened on first use: a lookup in one document never needs it)."""
        if self._client is None:
            self._client = open_client(self.index_dir, self.chroma_url)
        return self._client

    @property
    def passages(self):
        """The Chroma collection of passage vectors."""
        if self._passages is None:
            # embedding_function=None: we always pass our own vectors; never Chroma's downloading default
            self._passages = self.client().get_or_create_collection(
                PASSAGES, embedding_function=None, metadata={"hnsw:space": "cosine"})
        return self._passages

    def reach_server(self) -> None:
        """With a Chroma server configured, reach it now: a server that is down is one clear error
        at start, not a failure in the middle of an answer (the embedded store opens on first use).
        Chroma's heartbeat over plain HTTP: starting need not import chromadb (about 0.7 s)."""
        if self.chroma_url:
            scheme, host, port = server_address(self.chroma_url)
            with urllib.request.urlopen(f"{scheme}://{host}:{port}/api/v2/heartbeat", timeout=10) as reply:
                json.load(reply)

    # -- writing ---------------------------------------------------------------------------
    def replace_document(self, doc: ParsedDocument, facts: list[Fact], tokens: list[str],
                         report: dict | None = None, findings: list[dict] | None = None) -> None:
        """Store a document, replacing any earlier version of it (same content hash or same file
        name) in the same catalog transaction: a failed write leaves the earlier version in place."""
        doc_id = doc.meta.doc_id
        older = set(self.catalog.doc_ids_of(doc.meta.source)) - {doc_id}
        fresh = not self.catalog.has(doc_id)  # else its vectors are already there, the same
        if fresh:
            self.catalog.mark_pending(doc_id)
        passages = passage_texts(facts, {doc_id: doc.meta})
        ids = list(passages)
        for start in range(0, len(ids), PAGE):
            batch = ids[start:start + PAGE]
            texts = [passages[i] for i in batch]
            self.passages.upsert(ids=batch, documents=texts, embeddings=[ngram_vector(t) for t in texts],
                                 metadatas=[{"doc_id": doc_id}] * len(batch))
        self.catalog.put(doc, facts, tokens, report or {}, findings or [], replacing=older)
        self.catalog.clear_pending(doc_id)
        for old in older:  # their rows are gone; their vectors next (again on the next run if cut short)
            self.catalog.mark_pending(old)
            self._remove_vectors(old)
            self.catalog.clear_pending(old)

    def remove_document(self, doc_id: str, source: str | None = None) -> None:
        old = {doc_id, *(self.catalog.doc_ids_of(source) if source else [])}
        self.catalog.remove(old)  # first: the document disappears as a whole
        for doc in old:
            self._remove_vectors(doc)

    def remove_pending(self) -> None:
        """Vectors of documents whose write was interrupted."""
        for doc_id in self.catalog.pending():
            self._remove_vectors(doc_id)
            self.catalog.clear_pending(doc_id)

    def drop_old_layout(self) -> None:
        """Collections of the layout before the catalog (facts as Chroma metadata): rebuilt, not kept."""
        client = self.client()
        for name in OLD_COLLECTIONS & {getattr(c, "name", c) for c in client.list_collections()}:
            client.delete_collection(name)

    def _remove_vectors(self, doc_id: str) -> None:
        self.passages.delete(where={"doc_id": doc_id})

    # -- reading ---------------------------------------------------------------------------
    def vector_search(self, text: str, k: int, doc_ids: list[str] | None = None) -> list[tuple[str, float]]:
        """(passage id, cosine similarity) of the k passages nearest the text, within doc_ids if given."""
        where = None
        if doc_ids:
            where = {"doc_id": doc_ids[0]} if len(doc_ids) == 1 else {"doc_id": {"$in": list(doc_ids)}}
        if not self.passages.count():
            return []
        got = self.passages.query(query_embeddings=[ngram_vector(text)], n_results=k, where=where,
                                  include=["distances"])
        return [(i, 1.0 - d) for i, d in zip(got["ids"][0], got["distances"][0])]


def passage_texts(facts: Iterable[Fact], metas: dict[str, DocumentMeta]) -> dict[str, str]:
    """passage id -> the text embedded for it (one per table row, one per sentence)."""
    out: dict[str, str] = {}
    for fact in facts:
        if fact.passage_id not in out:
            out[fact.passage_id] = fact.passage(metas[fact.doc_id].label)
    return out
