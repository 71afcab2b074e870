"""Bounded work for every file: size and page limits checked before parsing, and parse workers
whose memory is capped and who die with the ingest that started them.

Defaults fit a 2-core, 24 GiB machine with two parse workers; each can be set by environment
variable (or the `ingest` flags of the CLI).
"""
from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from budgetqa.parse import ParseError

MAX_FILE_MB_ENV = "BUDGETQA_MAX_FILE_MB"
MAX_PAGES_ENV = "BUDGETQA_MAX_PAGES"
MAX_WORKER_MB_ENV = "BUDGETQA_MAX_WORKER_MB"
MAX_FACTS_ENV = "BUDGETQA_MAX_FACTS"

T = TypeVar("T")


class TooLarge(ParseError):
    """A file over the configured size or page limit."""


@dataclass(frozen=True)
class Limits:
    max_file_mb: float = 20.0  # the largest bundled disclosure is 3.7 MB
    max_pages: int = 400  # the longest bundled disclosure has 57 pages
    max_worker_mb: int = 4096  # memory one parse worker may add for one file (two run at a time)
    # facts of one file held in memory while it is written: ~60 KB each at peak (a 0.9 MB text
    # of 14,480 facts peaked at 0.9 GB), so 60,000 stay under 4 GB
    max_facts: int = 60_000

    @classmethod
    def from_env(cls, **overrides: float | int | None) -> "Limits":
        """Defaults, then the environment, then explicit overrides (None = not given)."""
        values = {"max_file_mb": _env(MAX_FILE_MB_ENV, float, cls.max_file_mb),
                  "max_pages": _env(MAX_PAGES_ENV, int, cls.max_pages),
                  "max_worker_mb": _env(MAX_WORKER_MB_ENV, int, cls.max_worker_mb),
                  "max_facts": _env(MAX_FACTS_ENV, int, cls.max_facts)}
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def check(self, path: Path) -> None:
        """TooLarge when the file is over a limit; run before any parsing."""
        size_mb = path.stat().st_size / 2**20
        if size_mb > self.max_file_mb:
            raise TooLarge(f"文件过大（{size_mb:.1f} MB，上限 {self.max_file_mb:g} MB；"
                           f"可用 --max-file-mb 或 {MAX_FILE_MB_ENV} 调整）")
        if path.suffix.lower() == ".pdf":
            pages = _pdf_pages(path)
            if pages > self.max_pages:
                raise TooLarge(f"页数过多（{pages} 页，上限 {self.max_pages} 页；"
                               f"可用 --max-pages 或 {MAX_PAGES_ENV} 调整）")


    def facts_problem(self, count: int) -> str:
        """The reason a parsed file with `count` facts is refused, or ""."""
        if count <= self.max_facts:
            return ""
        return f"数据项过多（{count} 条，上限 {self.max_facts} 条；可用 {MAX_FACTS_ENV} 调整）"


def _env(name: str, kind: type, default: float | int) -> float | int:
    """A limit from the environment; ValueError (one line) when it is not a positive number."""
    text = os.environ.get(name)
    if text is None:
        return default
    try:
        value = kind(text)
    except ValueError:
        value = 0
    if value <= 0:
        raise ValueError(f"环境变量 {name} 应是正数，现为 {text!r}")
    return value


def _pdf_pages(path: Path) -> int:
    import pdfplumber

    try:
        with pdfplumber.open(path) as pdf:
            return len(pdf.pages)
    except Exception:
        return 0  # not readable as a PDF: the parser says why


def _bounded_worker(parent_pid: int, max_worker_mb: int) -> None:
    """Pool initializer: cap this worker's memory and make it die with its parent."""
    import ctypes
    import resource

    # the parsers' libraries are loaded before the cap: it bounds the work on a file, and a
    # library that cannot be mapped would fail with a misleading ImportError
    import budgetqa.parse.pdf_layout  # noqa: F401
    import budgetqa.parse.text_layout  # noqa: F401
    import pdfplumber  # noqa: F401

    # on top of what the worker maps already (inherited from its parent): the cap is for one file's work
    mapped = int(Path("/proc/self/statm").read_text().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    limit = mapped + max_worker_mb * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(1)


def bounded_map(function: Callable[[Path], T], paths: Iterable[Path], workers: int,
                crashed: Callable[[Path], T], max_worker_mb: int) -> Iterator[T]:
    """function(path) for every path, in order, in capped worker processes. A worker that dies
    (killed by the OS, a crash in a native library) costs only the file it was on — crashed(path):
    the files that were in flight are run again one at a time, which tells the culprit."""
    pending, serial = list(paths), False
    while pending:
        size = 1 if serial else max(1, min(workers, len(pending)))
        pool = ProcessPoolExecutor(max_workers=size, initializer=_bounded_worker,
                                   initargs=(os.getpid(), max_worker_mb))
        try:
            futures = [pool.submit(function, path) for path in pending]
            for done, (path, future) in enumerate(zip(pending, futures)):
                try:
                    result = future.result()
                except BrokenProcessPool:
                    if size == 1:  # alone in its pool: this file killed the worker
                        yield crashed(path)
                        pending, serial = pending[done + 1:], False
                    else:
                        pending, serial = pending[done:], True
                    break
                except MemoryError:  # raised while the worker sent its result back
                    result = crashed(path)
                yield result
            else:
                pending = []
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
