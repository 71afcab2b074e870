"""store: facts and parsed documents in Chroma (embedded under index/ or a Chroma server).

Two collections:
- `budget_facts`: one record per fact, written through llama-index's ChromaVectorStore with our
  offline n-gram embeddings; metadata carries the whole fact for filtering and reloading.
- `budget_documents`: one record per document holding its parsed form (JSON). It is written
  last, so a document whose facts were interrupted mid-write is never visible: facts without
  a document record are ignored on load and removed on the next ingest.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import chromadb
from chromadb.config import Settings
from llama_index.core.schema import NodeRelationship, RelatedNodeInfo, TextNode
from llama_index.core.vector_stores.types import (
    FilterOperator,
    MetadataFilter,
    MetadataFilters,
    VectorStoreQuery,
)
from llama_index.vector_stores.chroma import ChromaVectorStore

from budgetqa.embedding import ngram_vector
from budgetqa.facts import Fact
from budgetqa.model import ParsedDocument, document_from_dict, document_to_dict

# records per store call: far below SQLite's variable limit and Chroma's batch limit
PAGE = 5000
FACTS = "budget_facts"
DOCUMENTS = "budget_documents"
CHROMA_URL_ENV = "BUDGETQA_CHROMA_URL"  # e.g. http://127.0.0.1:8000 — use a Chroma server


def open_client(index_dir: str | Path = "index", chroma_url: str | None = None):
    chroma_url = chroma_url or os.environ.get(CHROMA_URL_ENV)
    settings = Settings(anonymized_telemetry=False)
    if chroma_url:
        from urllib.parse import urlparse

        url = urlparse(chroma_url if "://" in chroma_url else f"http://{chroma_url}")
        return chromadb.HttpClient(host=url.hostname, port=url.port or 8000, ssl=url.scheme == "https",
                                   settings=settings)
    Path(index_dir).mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(index_dir), settings=settings)


class FactStore:
    def __init__(self, index_dir: str | Path = "index", chroma_url: str | None = None):
        self.client = open_client(index_dir, chroma_url)
        # embedding_function=None: we always pass our own vectors; never Chroma's downloading default.
        self.facts = self.client.get_or_create_collection(
            FACTS, embedding_function=None, metadata={"hnsw:space": "cosine"})
        self.documents = self.client.get_or_create_collection(DOCUMENTS, embedding_function=None)
        self.vectors = ChromaVectorStore(chroma_collection=self.facts)

    # -- writing ---------------------------------------------------------------------------
    def replace_document(self, doc: ParsedDocument, facts: list[Fact], report: dict | None = None) -> None:
        """Replace every record of this document (same content hash or same file name)."""
        self.remove_document(doc.meta.doc_id, doc.meta.source)
        label = doc.meta.label
        nodes = []
        for fact in facts:
            text = fact.sentence(label)
            nodes.append(TextNode(
                id_=fact.id, text=text, embedding=ngram_vector(text),
                metadata={"doc_id": fact.doc_id, "source": fact.source, "entity": fact.entity,
                          "year": fact.year, "doc_kind": fact.doc_kind, "level": fact.level,
                          "kind": fact.kind, "fact": json.dumps(fact.to_dict(), ensure_ascii=False)},
                excluded_embed_metadata_keys=["fact"], excluded_llm_metadata_keys=["fact"],
                relationships={NodeRelationship.SOURCE: RelatedNodeInfo(node_id=fact.doc_id)},
            ))
        for start in range(0, len(nodes), PAGE):
            self.vectors.add(nodes[start:start + PAGE])
        self.documents.upsert(
            ids=[doc.meta.doc_id], documents=[json.dumps(document_to_dict(doc), ensure_ascii=False)],
            metadatas=[{"source": doc.meta.source, "entity": doc.meta.entity,
                        "report": json.dumps(report or {}, ensure_ascii=False)}], embeddings=[[0.0]])

    def remove_document(self, doc_id: str, source: str | None = None) -> None:
        old_ids = {doc_id}
        if source:
            old_ids.update(self.documents.get(where={"source": source}, include=[])["ids"])
        for old in old_ids:
            self.documents.delete(ids=[old])  # first: the document disappears as a whole
            self.facts.delete(where={"doc_id": old})

    def remove_orphans(self, known_doc_ids: set[str]) -> None:
        stored = {m["doc_id"] for _, _, m in _pages(self.facts, ["metadatas"])}
        for orphan in stored - known_doc_ids:
            self.facts.delete(where={"doc_id": orphan})

    # -- reading ---------------------------------------------------------------------------
    def load_documents(self) -> dict[str, ParsedDocument]:
        return {doc_id: document_from_dict(json.loads(text))
                for doc_id, text, _ in _pages(self.documents, ["documents"], page=200)}

    def stored_sources(self) -> dict[str, str]:
        """doc_id (content hash) -> file name of every stored document."""
        return {doc_id: (meta or {}).get("source", "") for doc_id, _, meta in _pages(self.documents, ["metadatas"], page=200)}

    def load_reports(self) -> dict[str, dict]:
        """The ingest report stored beside each document (budgetqa.checks.ingest_report)."""
        return {doc_id: json.loads((meta or {}).get("report") or "{}")
                for doc_id, _, meta in _pages(self.documents, ["metadatas"], page=200)}

    def load_facts(self, doc_ids: set[str]) -> list[Fact]:
        return [Fact.from_dict(json.loads(m["fact"])) for _, _, m in _pages(self.facts, ["metadatas"])
                if m["doc_id"] in doc_ids]

    def vector_search(self, text: str, k: int, doc_ids: list[str] | None = None) -> list[tuple[str, float]]:
        filters = None
        if doc_ids:
            filters = MetadataFilters(filters=[MetadataFilter(key="doc_id", value=list(doc_ids),
                                                              operator=FilterOperator.IN)])
        result = self.vectors.query(VectorStoreQuery(query_embedding=ngram_vector(text),
                                                     similarity_top_k=k, filters=filters))
        return list(zip(result.ids or [], result.similarities or []))


def _pages(collection, include: list[str], page: int = PAGE):
    """(id, document, metadata) of every record, read `page` records per call: one call for
    all records hits SQLite's variable limit past ~32k records."""
    offset = 0
    while True:
        got = collection.get(include=include, limit=page, offset=offset)
        ids = got["ids"]
        documents = got.get("documents") or [None] * len(ids)
        metadatas = got.get("metadatas") or [None] * len(ids)
        yield from zip(ids, documents, metadatas)
        if len(ids) < page:
            return
        offset += page
