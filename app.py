"""Budget Q&A — `python app.py` starts the chat UI; `python app.py ask|ingest|eval|…` is the CLI."""
import sys

from budgetqa.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
