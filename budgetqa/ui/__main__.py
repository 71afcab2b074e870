"""python -m budgetqa.ui [--index-dir DIR] [--corpus DIR ...] [--host H] [--port N]"""
from __future__ import annotations

import argparse
import logging


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m budgetqa.ui", description="Budget Q&A chat UI (Gradio)")
    parser.add_argument("--index-dir", default="index", help="index directory (built from --corpus when empty)")
    parser.add_argument("--corpus", nargs="*", default=["corpus"], help="folders/files to index when the index is empty")
    parser.add_argument("--host", default="127.0.0.1", help="bind address (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=7860)
    parser.add_argument("--uploads-dir", default=None, help="where uploaded files are kept (default INDEX_DIR/uploads)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    from budgetqa.ui.app import launch

    launch(args.index_dir, args.corpus, host=args.host, port=args.port, uploads_dir=args.uploads_dir)


if __name__ == "__main__":
    main()
