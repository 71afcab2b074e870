"""The store takes any number of facts: reading them back must not hit SQLite's variable limit
(one `get` of every record failed past ~32k facts)."""
from __future__ import annotations

from decimal import Decimal

from budgetqa.facts import document_facts
from budgetqa.model import Cell, DocumentMeta, ParsedDocument, Row, Table
from budgetqa.store import FactStore

FACTS = 50_400


def _big_document() -> ParsedDocument:
    columns = [(f"列{c}",) for c in range(12)]
    rows = [Row(code="", label=f"项目{r}", page=1 + r // 40,
                cells=[Cell(column=c, printed=f"{r}.{c:02d}", value=Decimal(f"{r}.{c:02d}")) for c in range(12)])
            for r in range(FACTS // 12)]
    table = Table(id="t01", title="支出总表", unit="万元", columns=columns, rows=rows, page=1)
    meta = DocumentMeta(doc_id="0123456789abcdef", source="synthetic.pdf", entity="测试单位", year=2026,
                        kind="预算", level="单位")
    return ParsedDocument(meta=meta, tables=[table], sections=[])


def test_fifty_thousand_facts_are_stored_read_back_and_cleaned(tmp_path):
    doc = _big_document()
    facts = document_facts(doc)
    assert len(facts) == FACTS
    store = FactStore(tmp_path / "index")
    store.replace_document(doc, facts)
    assert store.facts.count() == FACTS
    assert len(store.load_facts({doc.meta.doc_id})) == FACTS
    store.remove_orphans({doc.meta.doc_id})  # nothing is an orphan: nothing removed
    assert store.facts.count() == FACTS
    store.documents.delete(ids=[doc.meta.doc_id])  # as if a run died before the document record
    store.remove_orphans(set())
    assert store.facts.count() == 0
