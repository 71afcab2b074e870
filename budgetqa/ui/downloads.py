"""Downloads in the UI: the chosen document's data (cells as CSV, every table as XLSX) and the
rows behind an answer (its cited cells and sentences as CSV), each row with its fact id."""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import gradio as gr

from budgetqa.export.frames import build, rows_of_facts
from budgetqa.export.writers import write_xlsx


def document_files(engine, doc_id: str, out_dir: Path) -> tuple[Path, Path]:
    """(cells CSV, workbook of all tables) of one document."""
    data = build(engine, [doc_id])
    stem = f"{Path(data.documents['source'].iloc[0]).stem}_数据"
    csv_path = out_dir / f"{stem}.csv"
    data.cells.to_csv(csv_path, index=False, encoding="utf-8-sig")
    return csv_path, write_xlsx(data, out_dir / f"{stem}.xlsx")[0]


def answer_file(engine, citations: list[dict], out_dir: Path) -> Path | None:
    """The rows behind an answer as CSV, or None when it cites nothing."""
    ids = [c["fact_id"] for c in citations if c.get("fact_id")]
    if not ids:
        return None
    path = out_dir / "答案数据来源.csv"
    rows_of_facts(engine, ids, list(dict.fromkeys(c["doc_id"] for c in citations if c.get("fact_id"))))\
        .to_csv(path, index=False, encoding="utf-8-sig")
    return path


def document_buttons() -> tuple[gr.DownloadButton, gr.DownloadButton]:
    with gr.Row():
        return (gr.DownloadButton("下载本文件数据 CSV", visible=False, elem_id="doc-data-csv", size="sm"),
                gr.DownloadButton("下载本文件数据 Excel", visible=False, elem_id="doc-data-xlsx", size="sm"))


def answer_button() -> gr.DownloadButton:
    return gr.DownloadButton("下载答案所依据的数据 CSV", visible=False, elem_id="answer-data-csv", size="sm")


def wire(app: Any, doc_select: gr.Dropdown, doc_buttons: tuple[gr.DownloadButton, gr.DownloadButton],
         cites_state: gr.State, answer: gr.DownloadButton) -> None:
    """Fill the buttons when a document is chosen or an answer arrives (app: the BudgetUI)."""
    def on_doc(doc_id):
        if not doc_id or app.engine is None:
            return gr.DownloadButton(visible=False), gr.DownloadButton(visible=False)
        with app.lock:
            csv_path, xlsx_path = document_files(app.engine, doc_id, Path(tempfile.mkdtemp(prefix="budgetqa-data-")))
        return gr.DownloadButton(value=str(csv_path), visible=True), gr.DownloadButton(value=str(xlsx_path), visible=True)

    def on_answer(citations):
        path = None
        if citations and app.engine is not None:
            with app.lock:
                path = answer_file(app.engine, citations, Path(tempfile.mkdtemp(prefix="budgetqa-answer-")))
        return gr.DownloadButton(value=str(path), visible=True) if path else gr.DownloadButton(visible=False)

    doc_select.change(on_doc, [doc_select], list(doc_buttons))
    cites_state.change(on_answer, [cites_state], [answer])
