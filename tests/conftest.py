"""Shared fixtures: one engine over the whole bundled corpus, built once per test session."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


@pytest.fixture(scope="session")
def engine(tmp_path_factory):
    from budgetqa.engine import Engine

    engine = Engine(tmp_path_factory.mktemp("index"))
    report = engine.ingest([CORPUS])
    assert not report["failed"], report["failed"]
    return engine
