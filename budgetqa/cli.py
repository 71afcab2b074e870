"""The command line (contract in DESIGN.md): ingest, ask, eval, and the chat UI by default."""
from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from tqdm import tqdm

from budgetqa.export import FORMATS as EXPORT_FORMATS

if TYPE_CHECKING:
    from budgetqa.answer.compose import Answer

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT / "corpus"
DEFAULT_INDEX = ROOT / "index"


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line on stderr, exit 2
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python app.py", description="Budget Q&A over Chinese budget disclosures.")
    common = _Parser(add_help=False)
    common.add_argument("--index-dir", default=str(DEFAULT_INDEX), help="index directory (default: index/)")
    common.add_argument("--chroma-url", default=None,
                        help="use a Chroma server, e.g. http://127.0.0.1:8000 (or set BUDGETQA_CHROMA_URL)")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    ingest = sub.add_parser("ingest", parents=[common], help="ingest files or folders (default: corpus/)")
    ingest.add_argument("paths", nargs="*", help="files or folders")
    ingest.add_argument("--rebuild", action="store_true",
                        help="clear the index first (default paths: corpus/ and the index's uploads/)")
    ingest.add_argument("--max-file-mb", type=float, default=None, help="largest file accepted (env BUDGETQA_MAX_FILE_MB)")
    ingest.add_argument("--max-pages", type=int, default=None, help="most PDF pages accepted (env BUDGETQA_MAX_PAGES)")

    sub.add_parser("doctor", parents=[common], help="check that the index is whole and readable")

    ask = sub.add_parser("ask", parents=[common], help="answer a question")
    ask.add_argument("question", nargs="?", help="the question")
    ask.add_argument("--json", action="store_true", help="print the answer as JSON")
    ask.add_argument("--jsonl", action="store_true", help="read one question per stdin line, print one JSON per line")
    ask.add_argument("--session", action="store_true", help="interactive session; follow-ups reuse the last question")

    ev = sub.add_parser("eval", parents=[common], help="run the eval suite and write a report")
    ev.add_argument("--fast", action="store_true", help="a quick subset (CI)")
    ev.add_argument("--report-dir", default=None, help="where to write the report (default: eval/reports/)")

    chk = sub.add_parser("check", parents=[common], help="fact-check a claim against the documents")
    chk.add_argument("claim", nargs="?", help="the claim, e.g. \"三明市12345热线中心2023年花了400多万元\"")
    chk.add_argument("--json", action="store_true", help="print the result as JSON")
    chk.add_argument("--jsonl", action="store_true", help="one claim per stdin line -> one JSON per line")

    aud = sub.add_parser("audit", parents=[common], help="consistency audit of ingested documents")
    aud.add_argument("docs", nargs="*", help="file names, doc ids or name fragments (default: all)")
    aud.add_argument("--json", action="store_true", help="print the findings as JSON")
    aud.add_argument("--markdown", metavar="FILE", help="write the report as Markdown")
    aud.add_argument("--csv", metavar="FILE", help="write the findings as CSV")

    exp = sub.add_parser("export", parents=[common], help="export every figure with its source: "
                         "CSV, Excel, SQLite (datasette), Fiscal Data Package")
    exp.add_argument("docs", nargs="*", help="file names, doc ids or name fragments (default: all)")
    exp.add_argument("--format", required=True, choices=list(EXPORT_FORMATS))
    exp.add_argument("--out", required=True, help="a folder for csv and datapackage, a file for xlsx and sqlite")

    ui = sub.add_parser("ui", parents=[common], help="start the chat UI (the default command)")
    ui.add_argument("--host", default="127.0.0.1")
    ui.add_argument("--port", type=int, default=7860)
    return parser


def progress_bar(description: str):
    # shown after a second: a command that fails at once leaves only its one-line error
    bar = tqdm(total=0, desc=description, unit="file", file=sys.stderr, leave=False, delay=1)

    def update(done: int, total: int, message: str) -> None:
        bar.total = total
        bar.n = done
        bar.set_postfix_str(message[-40:], refresh=False)
        bar.update(0)  # drawn once the delay is over

    return bar, update


def limits_of(args):
    """Per-file limits: the environment, then the `ingest` flags."""
    from budgetqa.ops.limits import Limits

    try:
        return Limits.from_env(max_file_mb=getattr(args, "max_file_mb", None), max_pages=getattr(args, "max_pages", None))
    except ValueError as error:
        raise UsageError(str(error)) from None


def open_engine(args, build: bool = True):
    from budgetqa.engine import Engine
    from budgetqa.ops.doctor import unavailable

    limits = limits_of(args)
    try:
        engine = Engine(args.index_dir, args.chroma_url, limits)
        empty = engine.store.catalog.count() == 0
        engine.store.reach_server()
    except Exception as error:  # a corrupt store, a server that does not answer
        raise unavailable(error, args.index_dir, args.chroma_url) from None
    if build and (empty or engine.build_incomplete()):
        print(f"index is empty: ingesting {DEFAULT_CORPUS} (first use)" if empty else
              f"the first build of the index was interrupted: completing it from {DEFAULT_CORPUS}", file=sys.stderr)
        bar, update = progress_bar("indexing")
        try:
            report = engine.ensure_index([DEFAULT_CORPUS], update)
        finally:
            bar.close()
        _print_failures(report)
    if build:
        try:
            engine.load()
        except Exception as error:  # records that cannot be read back
            raise unavailable(error, args.index_dir, args.chroma_url) from None
    return engine


def _print_failures(report: dict | None) -> int:
    if not report:
        return 0
    for path, reason in report["failed"]:
        print(f"error: {path}: {reason}", file=sys.stderr)
    return len(report["failed"])


def cmd_ingest(args) -> int:
    if not args.rebuild:
        return _ingest(args, args.paths or [str(DEFAULT_CORPUS)])
    from budgetqa.ops.doctor import UPLOADS, clear_store
    from budgetqa.ops.lock import writer_lock

    uploads = Path(args.index_dir) / UPLOADS
    paths = args.paths or [str(DEFAULT_CORPUS), *([str(uploads)] if uploads.is_dir() else [])]
    with writer_lock(args.index_dir):  # held from clearing to refilling
        clear_store(args.index_dir, args.chroma_url)
        return _ingest(args, paths)


def _ingest(args, paths: list[str]) -> int:
    missing = [p for p in paths if not Path(p).exists()]
    engine = open_engine(args, build=False)
    bar, update = progress_bar("ingesting")
    try:
        report = engine.ingest([p for p in paths if Path(p).exists()], update)
    finally:
        bar.close()
    report["failed"] = [[p, "no such file or directory"] for p in missing] + report["failed"]
    for item in report["ingested"]:
        print(f"ingested {item['file']}: {item['summary']}", file=sys.stderr)
        for kind, count in item["report"]["warnings"].items():
            print(f"  {count} × {kind}", file=sys.stderr)
    failures = _print_failures(report)
    print(f"{len(report['ingested'])} ingested, {failures} failed, {len(report['unchanged'])} unchanged (already indexed), "
          f"{len(report['skipped'])} skipped (unsupported type)", file=sys.stderr)
    return 1 if failures else 0


def cmd_ask(args) -> int:
    if args.jsonl and args.question:
        raise UsageError("give either a QUESTION or --jsonl, not both")
    if args.jsonl and args.session:
        raise UsageError("give either --jsonl or --session, not both")
    if args.question is not None and not args.question.strip():
        raise UsageError("the question is empty")
    if not args.jsonl and not args.session and not args.question:
        raise UsageError("ask needs a QUESTION (or --jsonl to read questions from stdin)")
    engine = open_engine(args)
    if args.jsonl:
        for number, question, problem in read_lines(sys.stdin.buffer):
            try:
                answer = engine.ask(question).to_json() if not problem else {"question": None, "status": "error", "error": problem}
            except Exception as error:  # one bad line must not end the batch
                answer = {"question": question, "status": "error", "error": f"{type(error).__name__}: {error}"}
            print(json.dumps({**answer, "line": number}, ensure_ascii=False), flush=True)
        return 0
    if args.session:
        context = None
        if args.question:
            context = _show(engine.ask(args.question), args.json)
        for _, question, problem in read_lines(sys.stdin.buffer):
            if problem:
                print(f"error: {problem}", file=sys.stderr)
            else:
                context = _show(engine.ask(question, context), args.json)
        return 0
    result = engine.ask(args.question.strip())
    _show(result, args.json)
    return 0


def read_lines(stream: BinaryIO) -> Iterator[tuple[int, str, str]]:
    """(line number, text, problem) of every non-blank line; a line that is not UTF-8 comes with
    its problem instead of its text, so that one bad line does not end a batch."""
    for number, raw in enumerate(stream, 1):
        try:
            text = raw.decode("utf-8-sig" if number == 1 else "utf-8").strip()
        except UnicodeDecodeError as error:
            yield number, "", f"第 {number} 行不是有效的 UTF-8 文本（第 {error.start + 1} 个字节）"
            continue
        if text:
            yield number, text, ""


def _show(result: Answer, as_json: bool) -> dict:
    if as_json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        print(result.text)
        for candidate in result.candidates[:8]:
            print(f"  · {candidate.question}")
    return result.context


def cmd_eval(args) -> int:
    from budgetqa.evaluation.run import run_eval

    return run_eval(args)


def cmd_ui(args) -> int:
    from budgetqa.ui.app import launch

    return launch(args.index_dir, [str(DEFAULT_CORPUS)], host=args.host, port=args.port,
                  chroma_url=args.chroma_url) or 0


def cmd_check(args) -> int:
    from budgetqa.checks.commands import cmd_check as run

    if args.jsonl and args.claim:
        raise UsageError("give either a CLAIM or --jsonl, not both")
    if not args.jsonl and not args.claim:
        raise UsageError("check needs a CLAIM (or --jsonl to read claims from stdin)")
    return run(args, open_engine(args))


def cmd_audit(args) -> int:
    from budgetqa.checks.commands import cmd_audit as run

    return run(args, open_engine(args))


def cmd_export(args) -> int:
    from budgetqa.checks.commands import select_documents
    from budgetqa.export import export

    out = Path(args.out)
    if EXPORT_FORMATS[args.format] and out.is_file() or not EXPORT_FORMATS[args.format] and out.is_dir():
        raise UsageError(f"--out for {args.format} must be a {'folder' if EXPORT_FORMATS[args.format] else 'file'}")
    engine = open_engine(args)
    docs = select_documents(engine, args.docs)
    for path in export(engine, [d["doc_id"] for d in docs], args.format, out):
        print(path)
    return 0


def cmd_doctor(args) -> int:
    from budgetqa.ops.doctor import HEALTHY, diagnose

    limits_of(args)  # a bad limit in the environment is a usage error, not a broken index
    health = diagnose(args.index_dir, args.chroma_url)
    print(health.message if health.code == HEALTHY else f"error: {health.message}",
          file=sys.stdout if health.code == HEALTHY else sys.stderr)
    return health.code


COMMANDS = {"ingest": cmd_ingest, "ask": cmd_ask, "eval": cmd_eval, "ui": cmd_ui,
            "check": cmd_check, "audit": cmd_audit, "export": cmd_export, "doctor": cmd_doctor}
EXIT_BUSY, EXIT_UNAVAILABLE, EXIT_UNEXPECTED = 3, 4, 5


def _check_utf8(argv: list[str]) -> None:
    for position, arg in enumerate(argv, 1):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:  # bytes the OS could not decode (kept as surrogates)
            raise UsageError(f"第 {position} 个参数不是有效的 UTF-8 文本") from None


def main(argv: list[str]) -> int:
    from budgetqa.ops.doctor import IndexUnavailable
    from budgetqa.ops.lock import IndexBusy

    for stream in (sys.stdout, sys.stderr):  # whatever a document holds, an output line stays valid UTF-8
        stream.reconfigure(errors="backslashreplace")
    parser = build_parser()
    try:
        _check_utf8(argv)
        if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help"):
            argv = ["ui", *argv]  # "python app.py --index-dir DIR" starts the UI on that index
        args = parser.parse_args(argv)
        return COMMANDS[args.command](args)
    except UsageError as error:
        print(f"usage error: {error}", file=sys.stderr)
        return 2
    except IndexBusy as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BUSY
    except IndexUnavailable as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_UNAVAILABLE
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # one line for the user; BUDGETQA_DEBUG=1 shows the traceback
        if os.environ.get("BUDGETQA_DEBUG"):
            traceback.print_exc()
        first = str(error).strip().splitlines()[0] if str(error).strip() else ""
        print(f"error: 意外错误（{type(error).__name__}: {first}）；可运行 python app.py doctor 检查索引", file=sys.stderr)
        return EXIT_UNEXPECTED
