"""lexicon: the dictionary jieba segments with — its own 350,000 words plus the budget vocabulary —
kept in a SQLite file so that a new process segments a question by looking up the few strings the
question contains, instead of loading 500,000 entries (about 1 s at every start).

The file is built once per jieba version and vocabulary (in the user's cache directory) from a
tokenizer loaded the ordinary way, so segmentation is exactly jieba's. It also keeps which words
jieba's dictionary tags as place (ns) or organisation (nt) names, so questions need no part-of-speech
tagger."""
from __future__ import annotations

import hashlib
import os
import sqlite3
import tempfile
from functools import cache, lru_cache
from pathlib import Path

import jieba

from budgetqa.query import thesaurus

jieba.setLogLevel(60)

CACHE_ENV = "BUDGETQA_CACHE_DIR"
NAME_TAGS = ("ns", "nt")  # jieba's tags for place and organisation names
_FORMAT = 1  # bump when the file's tables change


class _StoredFrequencies:
    """word -> frequency (0 for a prefix of a word) as jieba's Tokenizer.FREQ, read on demand."""

    def __init__(self, connection: sqlite3.Connection):
        self._connection = connection
        self._lookup = lru_cache(maxsize=1 << 16)(self._read)

    def _read(self, word: str) -> int | None:
        row = self._connection.execute("SELECT freq FROM words WHERE word = ?", (word,)).fetchone()
        return None if row is None else row[0]

    def get(self, word: str, default=None):
        found = self._lookup(word)
        return default if found is None else found

    def __contains__(self, word: str) -> bool:
        return self._lookup(word) is not None

    def __getitem__(self, word: str) -> int:
        found = self._lookup(word)
        if found is None:
            raise KeyError(word)
        return found


@cache
def tokenizer() -> jieba.Tokenizer:
    """The tokenizer every question and passage is cut with (one per process)."""
    try:
        connection = _open(_path())
    except (OSError, sqlite3.Error):  # no writable cache: load the dictionary into memory instead
        return _loaded_tokenizer()
    stored = jieba.Tokenizer()
    stored.FREQ = _StoredFrequencies(connection)
    stored.total = int(connection.execute("SELECT value FROM about WHERE key = 'total'").fetchone()[0])
    stored.initialized = True  # FREQ and total are set: jieba must not load its dictionary
    return stored


def is_word(text: str) -> bool:
    """Whether jieba's dictionary holds the text as one word ("公共服务"; not "交通综合")."""
    return bool(tokenizer().FREQ.get(text))


# words jieba's dictionary tags as places that a question says in their everyday sense: "吃的东西"
# (things), "上街执法" (out on the street), "上门来办事" (to the door)
_EVERYDAY_WORDS = frozenset({"东西", "上街", "上门", "上门来", "新建"})


def names_place_or_organisation(word: str) -> bool:
    """jieba's dictionary tags the word as a place or organisation name (not a word of everyday speech)."""
    if word in _EVERYDAY_WORDS:
        return False
    try:
        connection = _open(_path())
    except (OSError, sqlite3.Error):
        return False
    return connection.execute("SELECT 1 FROM names WHERE word = ?", (word,)).fetchone() is not None


def _loaded_tokenizer() -> jieba.Tokenizer:
    loaded = jieba.Tokenizer()
    loaded.initialize()
    for word in thesaurus.jieba_words():  # budget terms stay whole (frequencies as jieba suggests)
        loaded.add_word(word)
    return loaded


def _cache_dir() -> Path:
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "budgetqa"


@cache
def _path() -> Path:
    key = hashlib.sha256("\n".join([str(_FORMAT), jieba.__version__, *thesaurus.jieba_words()]).encode())
    return _cache_dir() / f"lexicon-{key.hexdigest()[:16]}.sqlite"


@cache
def _open(path: Path) -> sqlite3.Connection:
    if not path.exists():
        _build(path)
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)


def _build(path: Path) -> None:
    """Write the file beside its final name, then rename it: readers never see half a lexicon."""
    path.parent.mkdir(parents=True, exist_ok=True)
    loaded = _loaded_tokenizer()
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
    os.close(handle)
    try:
        with sqlite3.connect(temporary) as connection:
            connection.execute("CREATE TABLE words (word TEXT PRIMARY KEY, freq INTEGER) WITHOUT ROWID")
            connection.execute("CREATE TABLE names (word TEXT PRIMARY KEY) WITHOUT ROWID")
            connection.execute("CREATE TABLE about (key TEXT PRIMARY KEY, value TEXT)")
            connection.executemany("INSERT INTO words VALUES (?, ?)", loaded.FREQ.items())
            connection.executemany("INSERT OR IGNORE INTO names VALUES (?)", ((w,) for w in _tagged_names(loaded)))
            connection.execute("INSERT INTO about VALUES ('total', ?)", (str(loaded.total),))
        connection.close()
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


def _tagged_names(loaded: jieba.Tokenizer):
    """Words of jieba's dictionary file tagged ns or nt (lines: word frequency tag)."""
    with loaded.get_dict_file() as handle:
        for line in handle:
            parts = line.decode("utf-8").split()
            if len(parts) == 3 and parts[2] in NAME_TAGS:
                yield parts[0]
