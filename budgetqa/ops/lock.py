"""One writer at a time on an index: `ingest` holds an OS file lock in the index directory.

The lock is `flock`-based (filelock), so the kernel releases it when the holder dies, even by
kill -9: a crashed ingest never leaves a stale lock behind.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

LOCK_NAME = ".ingest.lock"


class IndexBusy(Exception):
    """Another process is writing this index; the message is one line for the user."""


@contextmanager
def writer_lock(index_dir: str | Path, wait: float = 0) -> Iterator[None]:
    """Hold the index's writer lock; IndexBusy when another writer keeps it longer than `wait` seconds."""
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    # one lock object per path in this process, reentrant: `ingest --rebuild` holds it around
    # clearing the store and the ingest that refills it
    lock = FileLock(index_dir / LOCK_NAME, is_singleton=True)
    try:
        lock.acquire(timeout=wait)
    except Timeout:
        raise IndexBusy(f"另一个导入正在写入索引 {index_dir}，请等它结束后再试") from None
    try:
        yield
    finally:
        lock.release()


def writer_running(index_dir: str | Path) -> bool:
    """Whether an ingest holds the index's writer lock right now."""
    try:
        with writer_lock(index_dir):
            return False
    except IndexBusy:
        return True
