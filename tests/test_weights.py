"""The ranking weights live in one data file, read strictly, written back with their comments, and
are the ones the ranker uses."""
from __future__ import annotations

import re

import pytest

from budgetqa.answer.weights import WEIGHTS, WEIGHTS_FILE, load_weights, write_weights

KEY = re.compile(r"^([a-z0-9_]+) = ", re.M)


def test_every_weight_in_the_file_is_a_field_and_has_its_comment():
    text = WEIGHTS_FILE.read_text(encoding="utf-8")
    keys = KEY.findall(text)
    assert keys == WEIGHTS.names()
    lines = text.splitlines()
    for number, line in enumerate(lines):
        if KEY.match(line):
            assert lines[number - 1].startswith("#"), f"no comment above {line}"


def test_a_missing_or_unknown_weight_is_an_error(tmp_path):
    text = WEIGHTS_FILE.read_text(encoding="utf-8")
    missing = tmp_path / "missing.toml"
    missing.write_text(re.sub(r"(?m)^bm25 = .*$", "", text), encoding="utf-8")
    with pytest.raises(TypeError):
        load_weights(missing)
    unknown = tmp_path / "unknown.toml"
    unknown.write_text(text + "\nbm52 = 1.0\n", encoding="utf-8")
    with pytest.raises(TypeError):
        load_weights(unknown)


def test_written_weights_read_back_and_keep_the_comments(tmp_path):
    copy = tmp_path / "weights.toml"
    copy.write_text(WEIGHTS_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    changed = WEIGHTS.replace(bm25=WEIGHTS.bm25 * 1.5, measure_named=WEIGHTS.measure_named - 1.0)
    write_weights(changed, copy)
    assert load_weights(copy) == changed
    comments = [l for l in WEIGHTS_FILE.read_text(encoding="utf-8").splitlines() if l.startswith("#")]
    assert [l for l in copy.read_text(encoding="utf-8").splitlines() if l.startswith("#")] == comments


def test_the_engine_ranks_with_the_weights_it_is_given(engine):
    question = "福建省12345政务服务便民热线中心2024年收入预算合计是多少？"
    assert engine.finder.weights == WEIGHTS  # the file's weights by default
    default = engine.retrieve(question, k=3)
    try:
        engine.finder.weights = WEIGHTS.replace(bm25=WEIGHTS.bm25 + 100.0)
        boosted = engine.retrieve(question, k=3)
    finally:
        engine.finder.weights = WEIGHTS
    assert boosted[0]["score"] > default[0]["score"] + 50  # the top fact matches the question's words
    assert engine.retrieve(question, k=3) == default
