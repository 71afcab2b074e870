"""The stored lexicon segments exactly as jieba with its dictionary loaded in memory, and a new
process answers without loading that dictionary."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jieba
import pytest

from budgetqa.query import lexicon, thesaurus

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def in_memory() -> jieba.Tokenizer:
    loaded = jieba.Tokenizer()
    loaded.initialize()
    for word in thesaurus.jieba_words():
        loaded.add_word(word)
    return loaded


def corpus_lines(limit: int = 400) -> list[str]:
    lines = []
    for path in sorted((ROOT / "corpus" / "seeds").glob("*.txt")):
        lines += [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()][:limit // 5]
    return lines


QUESTIONS = ["泉州热线2026年项目支出是多少", "火星市12345热线中心2026年的三公经费是多少？",
             "2080505机关事业单位基本养老保险缴费支出比上年增长了百分之几",
             "三明热线2025年人头经费和办公经费一共花了多少钱", "What is the budget?"]


def test_stored_lexicon_cuts_as_jieba_does(in_memory):
    stored = lexicon.tokenizer()
    texts = QUESTIONS + corpus_lines()
    assert len(texts) > 100
    for text in texts:
        assert stored.lcut(text) == in_memory.lcut(text), text
        assert stored.lcut_for_search(text) == in_memory.lcut_for_search(text), text


def test_budget_terms_are_words():
    stored = lexicon.tokenizer()
    assert "机关事业单位基本养老保险缴费支出" in stored.lcut("2080505机关事业单位基本养老保险缴费支出是多少")
    assert "公务用车运行维护费" in stored.lcut("公务用车运行维护费比上年减少多少")


def test_place_and_organisation_names_are_tagged():
    assert lexicon.names_place_or_organisation("北京")
    assert lexicon.names_place_or_organisation("杭州")
    assert not lexicon.names_place_or_organisation("工资")
    assert not lexicon.names_place_or_organisation("支出")


def test_a_new_process_cuts_without_loading_the_dictionary(tmp_path):
    """After the first build, a process answers from the file: jieba's in-memory dictionary stays empty."""
    env_dir = str(tmp_path / "cache")
    script = ("import json, jieba; from budgetqa.query import lexicon; "
              "words = lexicon.tokenizer().lcut('泉州热线2026年项目支出是多少'); "
              "print(json.dumps([words, len(jieba.dt.FREQ)]))")
    env = {"PYTHONPATH": str(ROOT), "BUDGETQA_CACHE_DIR": env_dir, "PATH": "/usr/bin:/bin"}
    first = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    assert list((tmp_path / "cache").glob("lexicon-*.sqlite")), first.stderr
    second = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    words, global_entries = json.loads(second.stdout)
    assert words == json.loads(first.stdout)[0]
    assert "项目支出" in words
    assert global_entries == 0
    assert not list((tmp_path / "cache").glob("*.part"))


def test_unwritable_cache_falls_back_to_memory(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")
    script = "from budgetqa.query import lexicon; print(lexicon.tokenizer().lcut('项目支出是多少'))"
    env = {"PYTHONPATH": str(ROOT), "BUDGETQA_CACHE_DIR": str(blocked / "cache"), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    assert "项目支出" in done.stdout
