"""The store takes any number of facts, and a write that dies half-way leaves nothing visible:
reading back must not hit SQLite's variable limit (one `get` of every record failed past ~32k
facts), and vectors of a document whose catalog rows were never committed are removed."""
from __future__ import annotations

from decimal import Decimal

from budgetqa.model.document import Cell, DocumentMeta, ParsedDocument, Row, Table
from budgetqa.model.facts import document_facts
from budgetqa.store.embedding import DIMENSIONS
from budgetqa.store.fact_store import FactStore, passage_texts

FACTS = 50_400
COLUMNS = 12


def _big_document() -> ParsedDocument:
    columns = [(f"列{c}",) for c in range(COLUMNS)]
    rows = [Row(code="", label=f"项目{r}", page=1 + r // 40,
                cells=[Cell(column=c, printed=f"{r}.{c:02d}", value=Decimal(f"{r}.{c:02d}")) for c in range(COLUMNS)])
            for r in range(FACTS // COLUMNS)]
    table = Table(id="t01", title="支出总表", unit="万元", columns=columns, rows=rows, page=1)
    meta = DocumentMeta(doc_id="0123456789abcdef", source="synthetic.pdf", entity="测试单位", year=2026,
                        kind="预算", level="单位")
    return ParsedDocument(meta=meta, tables=[table], sections=[])


def test_fifty_thousand_facts_are_stored_read_back_and_removed(tmp_path):
    doc = _big_document()
    facts = document_facts(doc)
    assert len(facts) == FACTS
    store = FactStore(tmp_path / "index")
    store.replace_document(doc, facts, [""] * len(facts))
    assert store.catalog.fact_count() == FACTS
    back, _ = store.catalog.facts(doc.meta)
    assert [(f.id, f.value, f.printed) for f in back] == [(f.id, f.value, f.printed) for f in facts]
    assert store.passages.count() == FACTS // COLUMNS  # one vector per table row
    store.remove_document(doc.meta.doc_id)
    assert store.catalog.fact_count() == 0 and store.passages.count() == 0


def test_vectors_of_an_interrupted_write_are_removed_by_the_next_writer(tmp_path):
    doc = _big_document()
    store = FactStore(tmp_path / "index")
    # as if the process died after writing the vectors, before committing the catalog rows
    store.catalog.mark_pending(doc.meta.doc_id)
    texts = passage_texts(document_facts(doc)[:COLUMNS * 10], {doc.meta.doc_id: doc.meta})
    store.passages.upsert(ids=list(texts), documents=list(texts.values()), embeddings=[[1.0] * DIMENSIONS] * len(texts),
                          metadatas=[{"doc_id": doc.meta.doc_id}] * len(texts))
    again = FactStore(tmp_path / "index")
    assert again.catalog.count() == 0 and again.passages.count() == 10
    again.remove_pending()
    assert again.passages.count() == 0 and again.catalog.pending() == []
