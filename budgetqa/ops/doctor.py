"""`python app.py doctor`: is the index whole and readable? One line saying what is wrong and how
to repair it; and the repair itself (`ingest --rebuild` clears the store before ingesting).

Exit codes (also those of every command that cannot open its index): 0 healthy, 1 the index is
readable but incomplete or inconsistent, 3 another ingest is writing it, 4 it cannot be read (a
corrupt store, a Chroma server that does not answer).
"""
from __future__ import annotations

import multiprocessing
import os
import shutil
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from budgetqa.ops.lock import LOCK_NAME, writer_running

HEALTHY, INCONSISTENT, BUSY, UNREADABLE = 0, 1, 3, 4
UPLOADS = "uploads"  # uploaded files kept inside the index directory (budgetqa/ui)


@dataclass(frozen=True)
class Health:
    code: int  # one of HEALTHY, INCONSISTENT, BUSY, UNREADABLE: the exit code
    message: str  # one line for the user, Chinese


class IndexUnavailable(Exception):
    """The index cannot be opened or read; the message is one line with the way out."""


def server_url(chroma_url: str | None) -> str | None:
    from budgetqa.store.fact_store import CHROMA_URL_ENV

    return chroma_url or os.environ.get(CHROMA_URL_ENV)


def repair_hint(index_dir: str | Path, chroma_url: str | None) -> str:
    where = f" --chroma-url {server_url(chroma_url)}" if server_url(chroma_url) else f" --index-dir {index_dir}"
    return f"修复：python app.py ingest --rebuild{where}"


def unavailable(error: BaseException, index_dir: str | Path, chroma_url: str | None) -> IndexUnavailable:
    """The one-line error for a store that cannot be opened or read."""
    reason = f"{type(error).__name__}: {str(error).strip().splitlines()[0] if str(error).strip() else ''}"
    url = server_url(chroma_url)
    if url and _unreachable(error):
        return IndexUnavailable(f"无法连接 Chroma 服务器 {url}（{reason}）；请确认服务器已启动、地址无误")
    where = f"Chroma 服务器 {url} 上的索引" if url else f"索引 {index_dir}"
    return IndexUnavailable(f"{where} 无法读取（{reason}）；{repair_hint(index_dir, chroma_url)}")


def _unreachable(error: BaseException) -> bool:
    text = f"{type(error).__name__} {error}".lower()
    return any(word in text for word in ("connect", "timeout", "timed out", "refused", "unreachable"))


def diagnose(index_dir: str | Path, chroma_url: str | None = None) -> Health:
    """Check the index in a child process: a corrupt store can crash the process that reads it."""
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork")) as pool:
        try:
            return pool.submit(_probe, str(index_dir), chroma_url).result()
        except BrokenProcessPool:
            return Health(UNREADABLE, f"索引 {index_dir} 的文件已损坏（读取时进程崩溃）；{repair_hint(index_dir, chroma_url)}")


def _probe(index_dir: str, chroma_url: str | None) -> Health:
    from budgetqa.engine import Engine
    from budgetqa.store.catalog import FILE

    local = not server_url(chroma_url)
    if not (Path(index_dir) / FILE).exists():
        return Health(INCONSISTENT, f"索引 {index_dir} 还没有建立；修复：python app.py ingest --index-dir {index_dir}")
    if local and writer_running(index_dir):
        return Health(BUSY, f"另一个导入正在写入索引 {index_dir}，请等它结束后再检查")
    try:
        engine = Engine(index_dir, chroma_url)
        documents = engine.documents()
        counts = engine.store.catalog.fact_counts()
        pending = engine.store.catalog.pending()
        engine.store.vector_search("合计", 1)  # reads the vector index files too
    except Exception as error:
        return Health(UNREADABLE, str(unavailable(error, index_dir, chroma_url)))
    return _consistency(documents, counts, pending, index_dir, chroma_url)


def _consistency(documents: list[dict], counts: dict[str, int], pending: list[str], index_dir: str,
                 chroma_url: str | None) -> Health:
    """`counts`: doc_id -> facts stored under it (documents without facts absent)."""
    if not documents:
        return Health(INCONSISTENT, f"索引是空的（0 个文档）；{repair_hint(index_dir, chroma_url)}")
    empty = [d["source"] for d in documents if not counts.get(d["doc_id"])]
    if empty:
        names = "、".join(empty[:3]) + ("等" if len(empty) > 3 else "")
        return Health(INCONSISTENT, f"{len(empty)} 个文档没有任何数据项（{names}）；{repair_hint(index_dir, chroma_url)}")
    known = {d["doc_id"] for d in documents}
    stray = sum(n for doc_id, n in counts.items() if doc_id not in known)
    if stray or pending:
        return Health(INCONSISTENT, f"有 {stray} 条数据项、{len(pending)} 个文档的向量不属于任何完整导入的文档"
                                    f"（中断的导入留下的）；{repair_hint(index_dir, chroma_url)}")
    return Health(HEALTHY, f"索引正常：{len(documents)} 个文档，{sum(counts.values())} 条数据项")


def clear_store(index_dir: str | Path, chroma_url: str | None = None) -> None:
    """Remove every record of the index (even one too damaged to open); uploaded files and the
    lock stay. The caller holds the writer lock."""
    url = server_url(chroma_url)
    if url:  # the vectors on the server; the catalog below, in the index folder
        from budgetqa.store.fact_store import OLD_COLLECTIONS, PASSAGES, open_client

        client = open_client(index_dir, url)
        existing = {getattr(c, "name", c) for c in client.list_collections()}
        for name in ({PASSAGES} | OLD_COLLECTIONS) & existing:
            client.delete_collection(name)
    for child in Path(index_dir).iterdir():
        if child.name in (LOCK_NAME, UPLOADS):
            continue
        shutil.rmtree(child) if child.is_dir() else child.unlink()
