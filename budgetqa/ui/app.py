"""The Gradio chat UI: cited answers, a sources panel, a documents browser and uploads.

    from budgetqa.ui.app import build_ui, launch
    launch("index", ["corpus"], host="127.0.0.1", port=7860)

or `python -m budgetqa.ui --index-dir index --corpus corpus --port 7860`.

Everything runs offline: analytics off, no CDN fonts (system CJK fonts first, then the fonts
Gradio ships), no SSR node server. The engine (`budgetqa.engine.Engine`, CONTRACTS.md) does
all the work; this module only formats what it returns.
"""
from __future__ import annotations

import os

# Before gradio is imported: no analytics, no version check, no hub calls.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("DO_NOT_TRACK", "1")

import ctypes
import ctypes.util
import glob
import logging
import shutil
import threading
import time
import traceback
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

import gradio as gr
from starlette.middleware import Middleware

from budgetqa.checks.ingest_report import ingest_report
from budgetqa.parse import content_hash
from budgetqa.store.catalog import FILE as CATALOG_FILE
from budgetqa.ui import downloads, render
from budgetqa.ui.server import ChineseLocale, add_api_routes

log = logging.getLogger("budgetqa.ui")

QUESTION_PLACEHOLDER = "写明单位、年份和项目，例如：某某局2026年“三公”经费预算是多少？"
EXAMPLE_QUESTIONS = [
    "泉州12345中心2026年话务外包费用是多少？",
    "三明热线2025年三公经费预算多少？",
    "福建省12345中心2024年住房公积金是多少？",
    "固原市12345便民服务中心2024年卫生健康支出是多少？",
    "三明热线2023年决算的财政拨款支出合计是多少？",
]

UPLOAD_SUFFIXES = (".pdf", ".txt")
PROGRESS_PREFIX = "@@progress "  # protocol of budgetqa.ui.build_index on stdout

CSS = """
body, .gradio-container { font-family: "Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", "Source Sans Pro", sans-serif; }
#index-status { min-height: 1.5em; }
#chat h3 { font-size: 1.6em; color: #b23c00; margin: 0 0 4px 0; }
.bqa-table-wrap { overflow-x: auto; margin: 4px 0 10px 0; }
.bqa-table-title { margin: 4px 0; }
.bqa-muted { color: #666; font-size: 0.9em; }
table.bqa-table { border-collapse: collapse; font-size: 13px; width: auto; }
table.bqa-table th, table.bqa-table td { border: 1px solid #bbb; padding: 2px 6px; white-space: nowrap; }
table.bqa-table th { background: #f1f3f6; font-weight: 600; text-align: center; }
table.bqa-table td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.bqa-table td.label { white-space: normal; min-width: 10em; }
table.bqa-table tr.hl-row td { background: #fff8d6; }
table.bqa-table td.hl { background: #ffd54f !important; outline: 2px solid #e65100; font-weight: 700; }
.bqa-note { color: #8a4b00; font-size: 0.9em; margin: 4px 0; }
dl.bqa-cite { display: grid; grid-template-columns: max-content auto; gap: 2px 10px; margin: 4px 0 8px 0; font-size: 14px; }
dl.bqa-cite dt { color: #666; }
dl.bqa-cite dd { margin: 0; }
blockquote.bqa-quote { border-left: 4px solid #e65100; margin: 6px 0; padding: 4px 10px; background: #fff8d6; }
pre.bqa-excerpt { font-size: 12px; line-height: 1.45; overflow-x: auto; background: #fafafa; padding: 6px; border: 1px solid #ddd; }
pre.bqa-excerpt .hl-line { background: #fff2a8; display: inline-block; min-width: 100%; }
pre.bqa-excerpt mark { background: #ffb300; }
.bqa-excerpt-title { font-weight: 600; margin-top: 8px; }
.bqa-verdict { display: inline-block; padding: 2px 14px; border-radius: 6px; font-weight: 700; color: #fff; }
.bqa-claim-head .bqa-verdict { font-size: 1.8em; }
.bqa-v-supported { background: #2e7d32; } .bqa-v-contradicted { background: #c62828; }
.bqa-v-partly { background: #ef6c00; } .bqa-v-unverifiable { background: #757575; }
.bqa-check { border: 1px solid #ddd; border-radius: 6px; padding: 8px 12px; margin: 10px 0; }
.bqa-check-head { font-size: 1.15em; margin-bottom: 4px; }
.bqa-explain { margin: 6px 0; }
.bqa-conflict { background: #ffebee; border-left: 4px solid #c62828; padding: 4px 10px; margin: 6px 0; font-weight: 600; }
.bqa-sev { display: inline-block; padding: 0 8px; border-radius: 4px; color: #fff; font-weight: 600; }
.bqa-sev-high { background: #c62828; } .bqa-sev-medium { background: #ef6c00; } .bqa-sev-low { background: #9e9e9e; }
.bqa-audit-counts { margin: 4px 0 8px 0; }
table.bqa-findings td.bqa-evidence { font-size: 12px; color: #444; min-width: 24em; }
#page-image .image-container { overflow: auto; max-height: 85vh; display: block; width: 100%; max-width: 100%; }
#page-image .image-container button { display: block; width: 100%; }
#page-image img { cursor: zoom-in; width: 100%; height: auto; max-height: none; object-fit: contain; }
#page-image.bqa-zoom img { cursor: zoom-out; width: 250%; max-width: none; }
"""

# Runs once in the page. (1) A new or updated answer is scrolled so that its first line — the
# figure and its source — is in view, not its end. (2) A click on the PDF page image toggles zoom.
PAGE_JS = """
() => {
  let last = "";
  const showHeadline = () => {
    const bots = document.querySelectorAll('#chat [data-testid="bot"]');
    const bot = bots[bots.length - 1];
    if (!bot) return;
    const key = bots.length + "|" + bot.innerText.slice(0, 80);
    if (key === last) return;
    last = key;
    let box = bot.parentElement;
    while (box && box.scrollHeight <= box.clientHeight + 2) box = box.parentElement;
    if (box && box !== document.documentElement && box !== document.body) {
      const users = document.querySelectorAll('#chat [data-testid="user"]');
      const asked = users[users.length - 1];
      let top = bot.getBoundingClientRect().top;
      if (asked) {  // the question too, when it is short enough to leave the figure in view
        const q = asked.getBoundingClientRect().top;
        if (top - q < box.clientHeight / 3) top = q;
      }
      box.scrollTop += top - box.getBoundingClientRect().top - 8;
    }
  };
  new MutationObserver(() => requestAnimationFrame(showHeadline))
    .observe(document.body, {childList: true, subtree: true, characterData: true});
  document.addEventListener("click", (event) => {
    const img = event.target.closest && event.target.closest("#page-image img");
    if (!img) return;
    const r = img.getBoundingClientRect();
    const fx = (event.clientX - r.left) / r.width, fy = (event.clientY - r.top) / r.height;
    const zoomed = document.querySelector("#page-image").classList.toggle("bqa-zoom");
    const box = img.closest(".image-container");
    if (zoomed && box) {  // keep the clicked spot (the boxed figure) in the middle of the view
      box.scrollLeft = fx * img.clientWidth - box.clientWidth / 2;
      box.scrollTop = fy * img.clientHeight - box.clientHeight / 2;
    }
  });
}
"""

PAGE_DPI = 200  # the PDF page image: sharp enough to read a 9-point figure when zoomed


def make_theme() -> gr.themes.Base:
    """Gradio's default look with system CJK fonts first; no Google Fonts (offline)."""
    return gr.themes.Default(
        font=["Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei",
              gr.themes.LocalFont("Source Sans Pro"), "sans-serif"],
        font_mono=["Noto Sans Mono CJK SC", gr.themes.LocalFont("IBM Plex Mono"), "monospace"],
    )


def launch_kwargs() -> dict[str, Any]:
    """Keyword arguments for `Blocks.launch` that keep the UI offline and styled."""
    return dict(theme=make_theme(), css=CSS, js=PAGE_JS, ssr_mode=False, show_error=True, pwa=False,
                mcp_server=False, footer_links=[], app_kwargs={"middleware": [Middleware(ChineseLocale)]})


# --------------------------------------------------------------------------- index building

class IndexBuilder:
    """Builds the index once, in the background, and reports progress for the status bar.

    Two ways: `engine.ensure_index(corpus_dirs)` in a thread (for an Engine handed to
    build_ui), or, when `child` is given (launch() on a missing index), in a child process
    running `python -m budgetqa.ui.build_index`, after which `child["open"]()` opens the Engine.
    The child process keeps the web server responsive: ingestion holds the GIL for long
    stretches (Chroma writes), which stalls Gradio's event loop when done in-process.
    """

    def __init__(self, app: "BudgetUI", corpus_dirs: Sequence[str | Path] | None, lock: threading.RLock,
                 child: dict | None = None):
        self.app = app
        self.child = child
        self.corpus_dirs = [str(d) for d in (corpus_dirs or [])]
        self.lock = lock
        self.state = "ready" if not self.corpus_dirs else "pending"
        self.done = 0
        self.total = 0
        self.message = ""
        self.error = ""
        self.started = 0.0
        self.finished = 0.0
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self.state != "pending" or self._thread is not None:
            return
        self.state = "building"
        self.started = time.time()
        self._thread = threading.Thread(target=self._run, name="budgetqa-index", daemon=True)
        self._thread.start()

    def _progress(self, done: int, total: int, message: str = "") -> None:
        self.done, self.total, self.message = done, total, message or ""
        log.info("index %s/%s %s", done, total, message)

    def _run(self) -> None:
        try:
            if self.child is not None:
                self._run_child()
            else:
                with self.lock:
                    self.app.engine.ensure_index(self.corpus_dirs, progress=self._progress)
            self.message = "读取索引…"
            with self.lock:  # read once here, so that the first question does not pay for it
                self.app.engine.load()
            self.state = "ready"
        except Exception as error:  # shown in the status bar; the UI stays up
            self.error = f"{type(error).__name__}: {error}"
            self.state = "error"
            log.error("building the index failed:\n%s", traceback.format_exc())
        finally:
            self.finished = time.time()

    def _run_child(self) -> None:
        import json
        import subprocess
        import sys

        cmd = [sys.executable, "-m", "budgetqa.ui.build_index", "--index-dir", str(self.child["index_dir"]),
               "--engine-kwargs", json.dumps(self.child.get("engine_kwargs") or {}), "--corpus", *self.corpus_dirs]
        tail: list[str] = []
        with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              encoding="utf-8", errors="replace") as proc:
            import atexit

            atexit.register(lambda: proc.poll() is None and proc.terminate())
            assert proc.stdout is not None
            for line in proc.stdout:
                if line.startswith(PROGRESS_PREFIX):
                    try:
                        item = json.loads(line[len(PROGRESS_PREFIX):])
                        self._progress(int(item["done"]), int(item["total"]), str(item.get("message", "")))
                        continue
                    except (ValueError, KeyError):
                        pass
                tail = (tail + [line.rstrip()])[-30:]
                log.info("build: %s", line.rstrip())
            rc = proc.wait()
        if rc != 0:
            raise RuntimeError(f"index build exited with {rc}: " + " | ".join(t for t in tail[-3:] if t))
        self.message = "打开索引…"
        with self.lock:
            self.app.engine = self.child["open"]()

    def wait(self, timeout: float | None = None) -> str:
        if self._thread is not None:
            self._thread.join(timeout)
        return self.state

    @property
    def ready(self) -> bool:
        return self.state in ("ready", "error")

    def input_placeholder(self) -> str:
        """What the question box says while the index builds."""
        frac = f"（{self.done}/{self.total}）" if self.total else ""
        return f"索引正在建立{frac}：现在提问也可以，建好后自动回答。"

    def progress_text(self) -> str:
        frac = f"{self.done}/{self.total}" if self.total else "准备中"
        return f"正在建立索引（{frac}）{render.md_escape(self.message)}"

    def status_text(self) -> str:
        if self.state == "building":
            return f"{self.progress_text()} —— 现在提问也可以，建好后自动回答。"
        if self.state == "error":
            return "**建立索引失败**，请联系维护者。" + render.developer_details(self.error)
        return ""


# --------------------------------------------------------------------------- the app

class BudgetUI:
    """State shared by all browser sessions: the engine, a lock around it, document lookups."""

    def __init__(self, engine: Any, corpus_dirs: Sequence[str | Path] | None = None,
                 uploads_dir: str | Path | None = None, examples: Sequence[str] | None = None,
                 child_build: dict | None = None):
        self.engine = engine
        self.lock = threading.RLock()
        self.corpus_dirs = [Path(d) for d in (corpus_dirs or [])]
        if uploads_dir is None:
            base = getattr(engine, "index_dir", None) or "index"
            uploads_dir = Path(base) / "uploads"
        self.uploads_dir = Path(uploads_dir)
        self.examples = list(examples or EXAMPLE_QUESTIONS)
        self.builder = IndexBuilder(self, corpus_dirs, self.lock, child=child_build)

    # ---- documents
    def documents(self) -> list[dict]:
        try:
            with self.lock:
                return list(self.engine.documents() or [])
        except Exception:
            log.error("documents() failed:\n%s", traceback.format_exc())
            return []

    def parsed(self, doc_id: str) -> Any:
        with self.lock:  # the engine keeps the most recent documents' parsed form (bounded)
            return self.engine.parsed(doc_id)

    def doc_for_citation(self, citation: dict, docs: list[dict] | None = None) -> dict | None:
        docs = docs if docs is not None else self.documents()
        name = citation.get("doc") or citation.get("source")
        doc_id = citation.get("doc_id")
        for d in docs:
            if doc_id and d.get("doc_id") == doc_id:
                return d
        for d in docs:
            if name and (d.get("source") == name or Path(str(d.get("path") or "")).name == name):
                return d
        return None

    def source_path(self, doc: dict) -> Path | None:
        path = doc.get("path")
        if path and Path(path).is_file():
            return Path(path)
        name = doc.get("source")
        if not name:
            return None
        for base in [*self.corpus_dirs, self.uploads_dir]:
            if base.is_file() and base.name == name:
                return base
            if base.is_dir():
                hit = next(iter(sorted(base.rglob(name))), None)
                if hit is not None and hit.is_file():
                    return hit
        return None

    # ---- chat
    def ask(self, question: str, context: Any) -> dict:
        question = (question or "").strip()
        if not self.builder.ready:
            return {"question": question, "status": "not_ready",
                    "answer": "索引还在建立中，请稍候再问。" + self.builder.progress_text(),
                    "citations": [], "candidates": [], "context": context}
        try:
            with self.lock:
                result = self.engine.ask(question, context=context).to_json()  # the chat state and the HTTP API keep JSON
        except Exception as error:
            log.error("ask(%r) failed:\n%s", question, traceback.format_exc())
            return {"question": question, "status": "error",
                    "answer": "内部错误，请换个问法或联系维护者。", "detail": f"{type(error).__name__}: {error}",
                    "citations": [], "candidates": [], "context": context}
        return result

    def source_view(self, citation: dict | None) -> tuple[str, Any]:
        """(HTML for the sources panel, page image or None) for one citation."""
        if not citation:
            return "<div class='bqa-muted'>提问后，这里显示答案引用的表格（高亮被引用的单元格）和原文位置。</div>", None
        docs = self.documents()
        doc = self.doc_for_citation(citation, docs)
        parts: list[str] = []
        located: tuple[Any, Any, Any] = (None, None, None)
        parsed = None
        if doc is not None:
            try:
                parsed = self.parsed(doc["doc_id"])
                if citation.get("table") or citation.get("table_id"):
                    located = render.locate_cell(parsed, citation)
            except Exception:
                log.error("rendering the source failed:\n%s", traceback.format_exc())
        parts.append(render.citation_header_html(citation, located))
        table, r_i, c_i = located
        label = getattr(getattr(parsed, "meta", None), "label", "") if parsed is not None else ""
        if table is not None:
            parts.append(render.table_html(table, r_i, c_i, doc_label=label))
            if r_i is None:
                parts.append("<div class='bqa-note'>未能在表中定位被引用的单元格，下表为该表全文。</div>")
        elif citation.get("table"):
            parts.append("<div class='bqa-note'>未能在解析结果中找到该表。</div>")
        image = None
        path = self.source_path(doc) if doc else None
        printed = None
        if table is not None and r_i is not None and c_i is not None:
            cell = table.rows[r_i].cell(c_i)
            printed = cell.printed if cell else None
        row_label = table.rows[r_i].label if table is not None and r_i is not None else None
        if path is not None and path.suffix.lower() == ".pdf":
            page = citation.get("page") or (table.rows[r_i].page if table is not None and r_i is not None else None)
            if page:
                row_code = table.rows[r_i].code if table is not None and r_i is not None else None
                image = page_image(path, int(page), printed or _printed_guess(citation), row_label,
                                   citation.get("quote"), row_code,
                                   table.columns[c_i][-1] if table is not None and c_i is not None
                                   and table.columns[c_i] else None)
        elif path is not None:
            line = citation.get("line") or (table.rows[r_i].line if table is not None and r_i is not None else None)
            if line:
                try:
                    lines = path.read_text(encoding="utf-8-sig").splitlines()
                    parts.append(render.text_excerpt_html(lines, int(line), printed or _printed_guess(citation)))
                except OSError:
                    pass
        return "".join(parts), image

    # ---- claim check and consistency audit
    def check_claim(self, text: str) -> dict | None:
        """check_claim's result, or None while the index is not ready."""
        from budgetqa.checks.claims import check_claim

        if not self.builder.ready or self.engine is None:
            return None
        with self.lock:
            return check_claim(self.engine, text)

    def audit(self, doc_id: str | None, out_dir: str | Path | None = None) -> tuple[list[dict], Path, Path]:
        """run_audit over one document (doc_id) or all (None), with its Markdown and CSV exports written out."""
        import tempfile

        from budgetqa.checks.commands import run_audit, to_markdown, write_csv

        with self.lock:
            report = run_audit(self.engine, [doc_id] if doc_id else None)
        out = Path(out_dir or tempfile.mkdtemp(prefix="budgetqa-audit-"))
        stem = "审查报告_" + (Path(report[0]["doc"]).stem if doc_id and report else "全部文档")
        md_path, csv_path = out / f"{stem}.md", out / f"{stem}.csv"
        md_path.write_text(to_markdown(report), encoding="utf-8")
        write_csv(report, csv_path)
        return report, md_path, csv_path

    # ---- uploads
    def ingest_uploads(self, files: Iterable[Any], progress: Callable[[int, int, str], None]) -> tuple[bool, str]:
        """Copy uploaded files next to the index and ingest them. (ok, Markdown message)."""
        paths: list[Path] = []
        for f in files or []:
            p = Path(getattr(f, "name", None) or getattr(f, "path", None) or str(f))
            paths.append(p)
        if not paths:
            return False, "**未导入**：请先选择一个 PDF 或 .txt 文件。"
        if not self.builder.ready:  # the names already indexed decide where an upload goes
            self.builder.wait()
        messages: list[str] = []
        accepted: list[tuple[Path, Path]] = []  # (uploaded temp file, our copy)
        for p in paths:
            if p.suffix.lower() not in UPLOAD_SUFFIXES:
                messages.append(f"**未导入** {render.md_escape(p.name)}：不支持的文件类型（只接受 PDF 和 .txt）。")
                continue
            try:
                data = p.read_bytes()
            except OSError as error:
                messages.append(f"**未导入** {render.md_escape(p.name)}：无法读取（{render.md_escape(error)}）。")
                continue
            if not data.strip():
                messages.append(f"**未导入** {render.md_escape(p.name)}：文件是空的。")
                continue
            accepted.append((p, self._place_upload(p, data)))
        if not accepted:
            return False, "\n\n".join(messages + ["索引未改变。"])
        targets = [str(dest) for _, dest in accepted]
        try:
            with self.lock:
                result = self.engine.ingest(targets, progress=progress) or {}
        except Exception as error:
            log.error("ingest failed:\n%s", traceback.format_exc())
            for _, dest in accepted:
                self._drop_copy(dest)
            messages.append(f"**导入失败**：{render.md_escape(type(error).__name__)}: {render.md_escape(error)}。索引未改变。")
            return False, "\n\n".join(messages)
        failed = {Path(str(f[0])).name if isinstance(f, (list, tuple)) else Path(str(f)).name:
                  (f[1] if isinstance(f, (list, tuple)) and len(f) > 1 else "")
                  for f in result.get("failed") or []}
        ingested = {_name_of(x) for x in result.get("ingested") or []}
        skipped = {_name_of(x) for x in result.get("skipped") or []}
        unchanged = {_name_of(x) for x in result.get("unchanged") or []}
        ok = False
        docs = None
        for original, dest in accepted:
            name = dest.name
            if name in failed:
                self._drop_copy(dest)
                messages.append(f"**导入失败** {render.md_escape(original.name)}：无法解析——{render.md_escape(failed[name])}。索引未改变。")
            elif name in skipped:
                messages.append(f"**跳过** {render.md_escape(original.name)}：引擎没有处理这个文件。索引未改变。")
            elif name in unchanged:
                messages.append(f"**已在索引中** {render.md_escape(original.name)}：内容未变，无需重新导入。")
                ok = True
            else:
                docs = docs if docs is not None else self.documents()
                doc = next((d for d in docs if d.get("source") == name), None)
                if doc is not None or name in ingested:
                    what = ""
                    if doc is not None:
                        what = (f"：{render.md_escape(doc.get('entity') or '')} {doc.get('year') or ''}年 "
                                f"{doc.get('level') or ''}{doc.get('kind') or ''}，{_count(doc.get('tables'))} 张表")
                    if name != original.name:
                        what += "（与索引中已有的同名文件内容不同，另存为此名，原文件保留）"
                    messages.append(f"**已加入索引** {render.md_escape(name)}{what}。现在可以在“问答”里提问。")
                    ok = True
                else:
                    messages.append(f"**注意** {render.md_escape(name)}：引擎没有报告结果。")
        return ok, "\n\n".join(messages)

    def _place_upload(self, src: Path, data: bytes) -> Path:
        """Our copy of an upload. A name that an indexed document or an earlier upload carries with
        other content gets the content hash and the upload time added, so that both are kept side
        by side: an upload never replaces a document silently."""
        self.uploads_dir.mkdir(parents=True, exist_ok=True)
        dest = self.uploads_dir / src.name
        digest = content_hash(data)
        indexed = {d.get("source"): d.get("doc_id") for d in self.documents()}
        if (dest.exists() and dest.read_bytes() != data) or indexed.get(src.name, digest) != digest:
            earlier = sorted(self.uploads_dir.glob(f"{glob.escape(src.stem)}_{digest[:8]}_*{src.suffix}"))
            dest = earlier[0] if earlier else \
                self.uploads_dir / f"{src.stem}_{digest[:8]}_{time.strftime('%Y%m%d-%H%M%S')}{src.suffix}"
        if not dest.exists():
            shutil.copyfile(src, dest)
        return dest

    def _drop_copy(self, dest: Path) -> None:
        # Keep a copy that an earlier, successful upload placed there (same bytes -> same path).
        try:
            known = {d.get("source") for d in self.documents()}
            if dest.name not in known:
                dest.unlink(missing_ok=True)
        except OSError:
            pass


def _name_of(item: Any) -> str:
    if isinstance(item, dict):
        item = item.get("file") or item.get("source") or item.get("path") or item.get("doc") or ""
    if isinstance(item, (list, tuple)) and item:
        item = item[0]
    return Path(str(item)).name


def _count(value: Any) -> Any:
    if isinstance(value, (list, tuple, dict)):
        return len(value)
    return value if value is not None else ""


def _printed_guess(citation: dict) -> str | None:
    if citation.get("printed"):
        return str(citation["printed"])
    value = citation.get("value")
    if value in (None, ""):
        return None
    return render.format_value(value).replace(",", "") if not isinstance(value, str) else value


def _line_score(page: Any, hit: dict, row_label: str | None, row_code: str | None) -> float:
    """How well the text line of a search hit matches the cited row (label and 类/款/项 code)."""
    try:
        band = page.crop((0, max(0, hit["top"] - 2), page.width, min(page.height, hit["bottom"] + 2)))
        text = "".join((band.extract_text() or "").split())
    except Exception:
        return 0.0
    score = 0.0
    label = "".join((row_label or "").split())
    if label and label in text:
        score += 2 + len(label) / max(1, len(text))
    code = (row_code or "").strip()
    if code and code in text.replace(" ", ""):
        score += 1
    elif code and len(code) >= 3 and text.startswith(code[:3]):
        score += 0.5 + 0.1 * sum(1 for part in (code[3:5], code[5:7]) if part and part in text)
    return score


# A PDF page image needs tens of MB of short-lived buffers, and Gradio answers on many threads.
# glibc's defaults keep such freed memory in each thread's arena: the server's RSS grew by ~200 MB
# over 450 chat answers (bench/soak.py). With big buffers mapped on their own, two arenas and a
# trim after each page, it stays within 50 MB. Without glibc these are no-ops.
_LIBC = ctypes.CDLL(ctypes.util.find_library("c") or None)
M_ARENA_MAX, M_MMAP_THRESHOLD = -8, -3  # mallopt parameters (glibc malloc.h)
MALLOC_ARENAS = 2
MMAP_THRESHOLD_BYTES = 1 << 20


def configure_malloc() -> None:
    """At server start: buffers of 1 MB or more get their own mapping, returned to the OS when freed;
    at most two arenas."""
    if hasattr(_LIBC, "mallopt"):
        _LIBC.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES)
        _LIBC.mallopt(M_ARENA_MAX, MALLOC_ARENAS)


def release_freed_memory() -> None:
    """Hand the heap memory freed by a page rendering back to the OS."""
    if hasattr(_LIBC, "malloc_trim"):
        _LIBC.malloc_trim(0)


def page_image(path: Path, page_no: int, printed: str | None, row_label: str | None = None,
               quote: str | None = None, row_code: str | None = None, column_name: str | None = None) -> Any:
    """The PDF page as an image with the cited number boxed (pdfplumber + pypdfium2)."""
    try:
        import pdfplumber

        with pdfplumber.open(str(path)) as pdf:
            if not 1 <= page_no <= len(pdf.pages):
                return None
            page = pdf.pages[page_no - 1]
            im = page.to_image(resolution=PAGE_DPI)
            boxes = []
            if printed:
                hits = page.search(printed, regex=False)
                if not hits and "," not in printed:
                    d = render.to_decimal(printed)
                    if d is not None:
                        hits = page.search(f"{d:,}", regex=False)
                if len(hits) > 1 and (row_label or row_code):
                    scores = [_line_score(page, h, row_label, row_code) for h in hits]
                    best = max(scores)
                    hits = [h for h, sc in zip(hits, scores) if sc == best]
                if len(hits) > 1 and column_name:
                    heads = page.search(column_name, regex=False)
                    if heads:
                        def dx(h):
                            above = [c for c in heads if c["bottom"] <= h["top"]] or heads
                            return min(abs((c["x0"] + c["x1"]) / 2 - (h["x0"] + h["x1"]) / 2) for c in above)
                        hits = [min(hits, key=dx)]
                boxes.extend(hits[:4])
            elif quote:
                boxes.extend(page.search(quote[:20], regex=False)[:1])
            for b in boxes:
                im.draw_rect((b["x0"] - 2, b["top"] - 2, b["x1"] + 2, b["bottom"] + 2),
                             fill=(255, 200, 0, 70), stroke=(230, 81, 0), stroke_width=2)
            return im.annotated.convert("RGB")
    except Exception:
        log.error("page image of %s p.%s failed:\n%s", path, page_no, traceback.format_exc())
        return None
    finally:
        release_freed_memory()


# --------------------------------------------------------------------------- Gradio wiring

DOC_HEADERS = ["单位", "年度", "预算/决算", "层级", "页数/行数", "表格数", "文件", "doc_id"]


def _docs_rows(docs: list[dict]) -> list[list[Any]]:
    rows = []
    for d in docs:
        size = d.get("pages") or ""
        if not size and d.get("lines"):
            size = f"{d['lines']}行"
        elif size:
            size = f"{size}页"
        rows.append([d.get("entity") or "", d.get("year") or "", d.get("kind") or "", d.get("level") or "",
                     size, _count(d.get("tables")), d.get("source") or "", d.get("doc_id") or ""])
    return rows


def _doc_choices(docs: list[dict]) -> list[tuple[str, str]]:
    return [(f"{d.get('entity') or d.get('source')} {d.get('year') or ''}年 {d.get('level') or ''}{d.get('kind') or ''}"
             f" · {d.get('source') or ''}", d.get("doc_id")) for d in docs]


ALL_DOCS = "__all__"
EXAMPLE_CLAIMS = [
    "三明市12345热线中心2023年花了400多万元",
    "固原市12345便民服务中心2024年卫生健康支出4.24万元",
]


def build_ui(engine: Any, corpus_dirs: Sequence[str | Path] | None = None, uploads_dir: str | Path | None = None,
             examples: Sequence[str] | None = None, *, _child_build: dict | None = None) -> gr.Blocks:
    """The Gradio app over an Engine. With corpus_dirs, an empty index is built on startup with visible progress.

    (`_child_build` is launch()'s: engine is None and the index is built in a child process.)"""
    app = BudgetUI(engine, corpus_dirs=corpus_dirs, uploads_dir=uploads_dir, examples=examples,
                   child_build=_child_build)

    with gr.Blocks(title="预算问答 · Budget Q&A", analytics_enabled=False) as demo:
        demo.budget_ui = app  # for tests and callers
        gr.Markdown("## 预算问答 —— 政府预算/决算公开文件中的数字，附出处\n"
                    "用中文提问：单位、年份、预算还是决算、哪一项。每个数字都标明文件、表、行、列或原句。")
        status = gr.Markdown(elem_id="index-status")
        timer = gr.Timer(1.0, active=True)

        ctx_state = gr.State(None)
        cites_state = gr.State([])

        with gr.Tabs():
            with gr.Tab("问答", id="chat"):
                with gr.Row(equal_height=False):
                    with gr.Column(scale=5, min_width=360):
                        chatbot = gr.Chatbot(elem_id="chat", height=520, show_label=False, latex_delimiters=[],
                                             autoscroll=False,  # PAGE_JS keeps the answer's headline in view
                                             feedback_options=None, buttons=["copy"],
                                             placeholder="在下方输入问题，或点一个示例问题。")
                        with gr.Row():
                            question = gr.Textbox(elem_id="question", show_label=False, scale=6, lines=1,
                                                  placeholder=QUESTION_PLACEHOLDER,
                                                  submit_btn=False)
                            ask_btn = gr.Button("提问", variant="primary", elem_id="ask-btn", scale=1, min_width=80)
                            clear_btn = gr.Button("新对话", elem_id="clear-btn", scale=1, min_width=80)
                        hidden_q = gr.Textbox(visible=False)
                        followups = gr.Dataset(components=[hidden_q], samples=[], label="候选问题（点击即问）",
                                               elem_id="followups", visible=False, samples_per_page=12)
                        example_set = gr.Dataset(components=[hidden_q], samples=[[q] for q in app.examples],
                                                 label="示例问题（点击即问）", elem_id="examples")
                    with gr.Column(scale=4, min_width=320):
                        gr.Markdown("### 出处")
                        cite_choice = gr.Radio(choices=[], label="引用", elem_id="citation-choice",
                                               type="index", visible=False)
                        source_html = gr.HTML(render_source_placeholder(), elem_id="source-view")
                        page_img = gr.Image(label="PDF 原页（被引用的数字已框出；点击图片放大/还原）", type="pil",
                                            visible=False, format="png",
                                            elem_id="page-image", interactive=False,
                                            buttons=["download", "fullscreen"])
                        answer_data = downloads.answer_button()

            with gr.Tab("文档", id="docs"):
                gr.Markdown("索引中的全部文件。选择一个文件和一张表查看解析出的表格。")
                refresh_btn = gr.Button("刷新", elem_id="docs-refresh", size="sm")
                docs_table = gr.Dataframe(headers=DOC_HEADERS, value=[], interactive=False, elem_id="docs-table",
                                          wrap=True)
                with gr.Row():
                    doc_select = gr.Dropdown(choices=[], label="文件", elem_id="doc-select", scale=3)
                    table_select = gr.Dropdown(choices=[], label="表", elem_id="table-select", scale=3)
                doc_info = gr.Markdown(elem_id="doc-info")
                doc_data = downloads.document_buttons()
                doc_table_view = gr.HTML(elem_id="doc-table-view")

            with gr.Tab("上传文档", id="upload"):
                gr.Markdown("上传预算/决算公开文件（PDF 或从 PDF 提取的 .txt），加入索引后即可提问。"
                            "无法解析的文件会被拒绝，索引保持不变。")
                upload = gr.File(label="选择文件", file_types=list(UPLOAD_SUFFIXES), file_count="multiple",
                                 elem_id="upload-file")
                upload_btn = gr.Button("加入索引", variant="primary", elem_id="upload-btn")
                upload_status = gr.Markdown(elem_id="upload-status")

            with gr.Tab("核查", id="check"):
                gr.Markdown("粘贴一句话或一段文字，逐个核对其中的数字（金额、百分比、人数）与公开文件是否一致。")
                claim_text = gr.Textbox(elem_id="claim-text", show_label=False, lines=3,
                                        placeholder="例如：三明市12345热线中心2023年花了400多万元")
                claim_btn = gr.Button("核查这段话", variant="primary", elem_id="claim-btn")
                claim_examples = gr.Dataset(components=[hidden_q], samples=[[c] for c in EXAMPLE_CLAIMS],
                                            label="示例（点击即核查）", elem_id="claim-examples")
                claim_result = gr.HTML(elem_id="claim-result")

            with gr.Tab("审查", id="audit"):
                gr.Markdown("检查一份文件自身是否前后矛盾：表内勾稽、表与表、说明文字与表格、增减率。")
                with gr.Row():
                    audit_select = gr.Dropdown(choices=[("全部文档", ALL_DOCS)], value=ALL_DOCS, label="文档",
                                               elem_id="audit-select", scale=4)
                    audit_btn = gr.Button("开始审查", variant="primary", elem_id="audit-btn", scale=1)
                with gr.Row():
                    audit_md = gr.DownloadButton("下载 Markdown 报告", visible=False, elem_id="audit-md", size="sm")
                    audit_csv = gr.DownloadButton("下载 CSV", visible=False, elem_id="audit-csv", size="sm")
                audit_result = gr.HTML(elem_id="audit-result")

        # ---------------- handlers
        def status_update():
            app.builder.start()
            if app.builder.ready:
                n = len(app.documents())
                text = app.builder.status_text() or f"索引已就绪：{n} 份文档。"
                return text, gr.Timer(active=False), gr.Textbox(placeholder=QUESTION_PLACEHOLDER)
            return (app.builder.status_text(), gr.Timer(active=True),
                    gr.Textbox(placeholder=app.builder.input_placeholder()))

        def docs_update():
            docs = app.documents() if app.builder.ready else []
            return (gr.Dataframe(value=_docs_rows(docs)), gr.Dropdown(choices=_doc_choices(docs)),
                    gr.Dropdown(choices=[("全部文档", ALL_DOCS)] + _doc_choices(docs)))

        def on_tick():
            text, t, q = status_update()
            if app.builder.ready:
                return (text, t, q, *docs_update())
            return text, t, q, gr.skip(), gr.skip(), gr.skip()

        def respond(q, history, ctx):
            q = (q or "").strip()
            history = list(history or [])
            if not q:
                yield (history, gr.skip(), ctx, gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip())
                return
            history.append({"role": "user", "content": q})
            while not app.builder.ready:  # asked while the index builds: answered as soon as it is ready
                waiting = {"role": "assistant", "content": render.waiting_markdown(app.builder.progress_text())}
                yield (history + [waiting], "", ctx, gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip())
                time.sleep(1.0)
            result = app.ask(q, ctx)
            history.append({"role": "assistant", "content": render.answer_markdown(result)})
            new_ctx = result.get("context", ctx) if result.get("status") not in ("error", "not_ready") else ctx
            cites = [c for c in (result.get("citations") or []) if isinstance(c, dict)]
            cands = [render.candidate_label(c) for c in (result.get("candidates") or [])]
            cands = [(label, qq) for label, qq in cands if qq]
            if cands:
                fu = gr.Dataset(samples=[[qq] for _, qq in cands], sample_labels=[label for label, _ in cands],
                                visible=True)
            else:
                fu = gr.Dataset(samples=[], visible=False)
            if cites:
                radio = gr.Radio(choices=[render.citation_short(c, i) for i, c in enumerate(cites, 1)],
                                 value=render.citation_short(cites[0], 1), visible=True)
                html_, img = app.source_view(cites[0])
            else:
                radio = gr.Radio(choices=[], value=None, visible=False)
                html_, img = app.source_view(None)
            img_upd = gr.Image(value=img, visible=img is not None)
            yield history, "", new_ctx, cites, fu, radio, html_, img_upd

        def from_dataset(sample, history, ctx):
            q = sample[0] if isinstance(sample, (list, tuple)) else sample
            yield from respond(q, history, ctx)

        def on_cite(index, cites):
            if index is None or not cites or not (0 <= int(index) < len(cites)):
                return gr.skip(), gr.skip()
            html_, img = app.source_view(cites[int(index)])
            return html_, gr.Image(value=img, visible=img is not None)

        def clear():
            return ([], "", None, [], gr.Dataset(samples=[], visible=False),
                    gr.Radio(choices=[], value=None, visible=False), render_source_placeholder(),
                    gr.Image(value=None, visible=False))

        def on_doc(doc_id):
            if not doc_id:
                return gr.Dropdown(choices=[], value=None), "", ""
            try:
                parsed = app.parsed(doc_id)
            except Exception as error:
                return gr.Dropdown(choices=[], value=None), f"**无法读取**：{render.md_escape(error)}", ""
            m = parsed.meta
            choices = [(f"{t.id} {t.title}{'（' + t.part + '）' if t.part else ''}"
                        f"{' · 第' + str(t.page) + '页' if t.page else (' · 第' + str(t.line) + '行' if t.line else '')}"
                        f"{' · 空表' if t.empty else ''}", t.id) for t in parsed.tables]
            info = [f"**{render.md_escape(m.label)}**", f"文件：{render.md_escape(m.source)}"]
            if m.aliases:
                info.append("别名：" + "、".join(render.md_escape(a) for a in m.aliases))
            if m.region:
                info.append(f"地区：{render.md_escape(m.region)}")
            info.append(f"{'页数：' + str(m.pages) if m.pages else '行数：' + str(m.lines or '')} · "
                        f"表格 {len(parsed.tables)} 张 · 说明段落 {len(parsed.sections)} 段")
            report = ingest_report(parsed)
            info.append("解析报告：" + render.md_escape(report.summary()))
            if report.warnings:  # developer detail, folded away
                info.append("<details><summary>解析警告（按类别计数）</summary>\n\n" + "\n".join(
                    f"- {n} × {render.md_escape(kind)}" for kind, n in report.warnings.items()) + "\n</details>")
            first = parsed.tables[0] if parsed.tables else None
            view = render.table_html(first, doc_label=m.label) if first else "<i>该文件没有解析出表格。</i>"
            return (gr.Dropdown(choices=choices, value=first.id if first else None), "  \n".join(info), view)

        def on_table(doc_id, table_id):
            if not doc_id or not table_id:
                return gr.skip()
            parsed = app.parsed(doc_id)
            table = next((t for t in parsed.tables if t.id == table_id), None)
            return render.table_html(table, doc_label=parsed.meta.label) if table else ""

        def on_upload(files, progress=gr.Progress()):
            progress(0, desc="准备导入…")

            def cb(done, total, message=""):
                progress((done, total) if total else 0, desc=message or "导入中…")

            ok, message = app.ingest_uploads(files, cb)
            docs = app.documents()
            n = len(docs)
            status_text = f"索引已就绪：{n} 份文档。" if app.builder.ready else app.builder.status_text()
            return (message, gr.File(value=None), gr.Dataframe(value=_docs_rows(docs)),
                    gr.Dropdown(choices=_doc_choices(docs)),
                    gr.Dropdown(choices=[("全部文档", ALL_DOCS)] + _doc_choices(docs)), status_text)

        def on_claim(text):
            text = (text or "").strip()
            if not text:
                return "<div class='bqa-muted'>请先粘贴要核查的句子或段落。</div>"
            try:
                result = app.check_claim(text)
            except Exception as error:
                log.error("check_claim(%r) failed:\n%s", text, traceback.format_exc())
                return ("<div class='bqa-note'>内部错误，请换个说法或联系维护者。"
                        f"{render.developer_details(f'{type(error).__name__}: {error}')}</div>")
            if result is None:
                return "<div class='bqa-note'>索引还在建立中，请稍候再核查。</div>"
            return render.claim_html(result)

        def on_claim_example(sample):
            text = sample[0] if isinstance(sample, (list, tuple)) else sample
            return text, on_claim(text)

        def on_audit(choice):
            hidden = gr.DownloadButton(visible=False)
            if not app.builder.ready or app.engine is None:
                return "<div class='bqa-note'>索引还在建立中，请稍候再审查。</div>", hidden, hidden
            try:
                report, md_path, csv_path = app.audit(None if choice in (None, "", ALL_DOCS) else choice)
            except (Exception, SystemExit) as error:
                log.error("audit(%r) failed:\n%s", choice, traceback.format_exc())
                return (f"<div class='bqa-note'>审查失败，请联系维护者。{render.developer_details(error)}</div>",
                        hidden, hidden)
            return (render.audit_html(report), gr.DownloadButton(value=str(md_path), visible=True),
                    gr.DownloadButton(value=str(csv_path), visible=True))

        chat_outputs = [chatbot, question, ctx_state, cites_state, followups, cite_choice, source_html, page_img]
        doc_outputs = [docs_table, doc_select, audit_select]
        # the status refresh bypasses the queue: it never waits, pending, behind a question being answered
        demo.load(status_update, outputs=[status, timer, question], show_progress="hidden", queue=False).then(
            docs_update, outputs=doc_outputs, show_progress="hidden", queue=False)
        timer.tick(on_tick, outputs=[status, timer, question, *doc_outputs], show_progress="hidden", queue=False)
        # one progress indicator per task: on the chat (asking) and on the upload message (ingesting)
        ask_btn.click(respond, [question, chatbot, ctx_state], chat_outputs, show_progress_on=[chatbot],
                      api_name="ask")  # stable name for scripts (bench/soak.py)
        question.submit(respond, [question, chatbot, ctx_state], chat_outputs, show_progress_on=[chatbot])
        followups.click(from_dataset, [followups, chatbot, ctx_state], chat_outputs, show_progress_on=[chatbot])
        example_set.click(from_dataset, [example_set, chatbot, ctx_state], chat_outputs, show_progress_on=[chatbot])
        cite_choice.input(on_cite, [cite_choice, cites_state], [source_html, page_img])
        clear_btn.click(clear, outputs=chat_outputs)
        refresh_btn.click(docs_update, outputs=doc_outputs, show_progress_on=[docs_table])
        doc_select.change(on_doc, [doc_select], [table_select, doc_info, doc_table_view],
                          show_progress_on=[doc_table_view])
        table_select.change(on_table, [doc_select, table_select], [doc_table_view])
        upload_btn.click(lambda: "正在导入…", outputs=[upload_status], show_progress="hidden").then(
            on_upload, [upload], [upload_status, upload, docs_table, doc_select, audit_select, status],
            show_progress_on=[upload_status])
        claim_btn.click(on_claim, [claim_text], [claim_result])
        claim_text.submit(on_claim, [claim_text], [claim_result])
        claim_examples.click(on_claim_example, [claim_examples], [claim_text, claim_result],
                             show_progress_on=[claim_result])
        audit_btn.click(on_audit, [audit_select], [audit_result, audit_md, audit_csv], show_progress_on=[audit_result])
        downloads.wire(app, doc_select, doc_data, cites_state, answer_data)

    app.builder.start()
    return demo


def render_source_placeholder() -> str:
    return "<div class='bqa-muted'>提问后，这里显示答案引用的表格（高亮被引用的单元格）和原文位置。</div>"


def launch(index_dir: str | Path = "index", corpus_dirs: Sequence[str | Path] | None = ("corpus",),
           host: str = "127.0.0.1", port: int = 7860, *, uploads_dir: str | Path | None = None,
           block: bool = True, **engine_kwargs: Any) -> gr.Blocks | None:
    """Open (or build, from corpus_dirs) the index and serve the UI on host:port (127.0.0.1 by default).

    Blocks until interrupted and returns None; with block=False returns the running Blocks
    (stop it with `.close()`). Extra keyword arguments go to Engine (e.g. chroma_url)."""
    from budgetqa.engine import Engine

    configure_malloc()
    uploads = uploads_dir if uploads_dir is not None else Path(index_dir) / "uploads"
    missing = not (Path(index_dir) / CATALOG_FILE).exists()  # the catalog is local with either store
    if corpus_dirs and missing:
        # no index yet: serve the UI at once and build in a child process (see IndexBuilder)
        child = {"index_dir": str(index_dir), "engine_kwargs": engine_kwargs,
                 "open": lambda: Engine(index_dir=str(index_dir), **engine_kwargs)}
        demo = build_ui(None, corpus_dirs=corpus_dirs, uploads_dir=uploads, _child_build=child)
    else:
        engine = Engine(index_dir=str(index_dir), **engine_kwargs)
        demo = build_ui(engine, corpus_dirs=corpus_dirs, uploads_dir=uploads)
    demo.queue(default_concurrency_limit=4)
    print(f"budget Q&A UI: http://{host}:{port}/  (index: {index_dir})", flush=True)
    demo.launch(server_name=host, server_port=int(port), prevent_thread_lock=True, inbrowser=False,
                **launch_kwargs())
    add_api_routes(demo.app, demo.budget_ui)
    if block:
        demo.block_thread()
    return None if block else demo
