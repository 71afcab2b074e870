"""The command line (contract in DESIGN.md): ingest, ask, eval, and the chat UI by default."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from tqdm import tqdm

from budgetqa.export import FORMATS as EXPORT_FORMATS

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
    bar = tqdm(total=0, desc=description, unit="file", file=sys.stderr, leave=False)

    def update(done: int, total: int, message: str) -> None:
        bar.total = total
        bar.n = done
        bar.set_postfix_str(message[-40:])
        bar.refresh()

    return bar, update


def open_engine(args, build: bool = True):
    from budgetqa.engine import Engine

    engine = Engine(args.index_dir, args.chroma_url)
    if build and engine.store.catalog.count() == 0:
        print(f"index is empty: ingesting {DEFAULT_CORPUS} (first use)", file=sys.stderr)
        bar, update = progress_bar("indexing")
        report = engine.ensure_index([DEFAULT_CORPUS], update)
        bar.close()
        _print_failures(report)
    return engine


def _print_failures(report: dict | None) -> int:
    if not report:
        return 0
    for path, reason in report["failed"]:
        print(f"error: {path}: {reason}", file=sys.stderr)
    return len(report["failed"])


def cmd_ingest(args) -> int:
    paths = args.paths or [str(DEFAULT_CORPUS)]
    missing = [p for p in paths if not Path(p).exists()]
    engine = open_engine(args, build=False)
    bar, update = progress_bar("ingesting")
    report = engine.ingest([p for p in paths if Path(p).exists()], update)
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
        for line in sys.stdin:
            question = line.strip()
            if not question:
                continue
            try:
                answer = engine.ask(question)
            except Exception as error:  # one bad line must not end the batch
                answer = {"question": question, "status": "error", "error": f"{type(error).__name__}: {error}"}
            print(json.dumps(answer, ensure_ascii=False), flush=True)
        return 0
    if args.session:
        context = None
        if args.question:
            context = _show(engine.ask(args.question), args.json)
        for line in sys.stdin:
            if line.strip():
                context = _show(engine.ask(line.strip(), context), args.json)
        return 0
    result = engine.ask(args.question.strip())
    _show(result, args.json)
    return 0


def _show(result: dict, as_json: bool) -> dict:
    if as_json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(result["answer"])
        for candidate in result.get("candidates", [])[:8]:
            print(f"  · {candidate['question']}")
    return result.get("context")


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


COMMANDS = {"ingest": cmd_ingest, "ask": cmd_ask, "eval": cmd_eval, "ui": cmd_ui,
            "check": cmd_check, "audit": cmd_audit, "export": cmd_export}


def main(argv: list[str]) -> int:
    parser = build_parser()
    try:
        if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help"):
            argv = ["ui", *argv]  # "python app.py --index-dir DIR" starts the UI on that index
        args = parser.parse_args(argv)
        return COMMANDS[args.command](args)
    except UsageError as error:
        print(f"usage error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
