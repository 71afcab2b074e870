"""The ranking weights of budgetqa/answer/retrieve.py, kept in one data file (budgetqa/data/ranking_weights.toml)
so that they are read, fitted (eval/fit_weights.py) and reviewed in one place."""
from __future__ import annotations

import dataclasses
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

WEIGHTS_FILE = Path(__file__).parents[1] / "data" / "ranking_weights.toml"
THRESHOLDS = ("min_label_score", "firm_label_score", "dense_k")  # read by engine/calculator: not fitted


@dataclass(frozen=True)
class RankingWeights:
    min_label_score: float
    firm_label_score: float
    dense_k: int
    label_code_in_question: float
    label_named: float
    label_thesaurus: float
    label_thesaurus_code_and_label: float
    label_all_words: float
    label_all_words_length_divisor: float
    label_all_words_precision: float
    part_under_named_heading: float
    change_direction_mismatch: float
    label_total_row: float
    label_total_word: float
    fund_table_total_penalty: float
    part_total_penalty: float
    label_overlap_min_share: float
    label_overlap_scale: float
    weak_label_score: float
    weak_label_penalty: float
    coverage_min_share: float
    coverage_scale: float
    narrative_label_floor: float
    narrative_label_coverage_divisor: float
    narrative_item_named: float
    percent_unit: float
    count_unit: float
    non_money_unit_penalty: float
    narrative_only: float
    narrative_cue: float
    narrative_unwanted_penalty: float
    change_sentence: float
    change_cell_penalty: float
    narrative_only_cell_penalty: float
    bm25: float
    dense: float
    total_row_in_summary: float
    total_row_this_year: float
    expenditure_table: float
    zero_value_penalty: float
    other_measure_column_penalty: float
    column_kind_named: float
    column_named: float
    column_actual: float
    column_budget: float
    column_thesaurus: float
    column_total_default: float
    column_final_default: float
    table_thesaurus: float
    income_table_spending_penalty: float
    income_table_penalty: float
    income_table: float
    table_word: float
    all_funds_summary: float
    one_fund_row_penalty: float
    measure_named: float
    measure_other_penalty: float
    measure_breakdown_penalty: float

    def names(self) -> list[str]:
        return [f.name for f in dataclasses.fields(self)]

    def replace(self, **changes) -> RankingWeights:
        return dataclasses.replace(self, **changes)


def load_weights(path: Path = WEIGHTS_FILE) -> RankingWeights:
    """The weights of the file; a key missing or unknown is an error (TypeError), not a silent default."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return RankingWeights(**{k: int(v) if k == "dense_k" else float(v) for k, v in data.items()})


def write_weights(weights: RankingWeights, path: Path = WEIGHTS_FILE) -> None:
    """Write these values into the file, keeping its comments and order."""
    text = path.read_text(encoding="utf-8")
    for name in weights.names():
        value = getattr(weights, name)
        text = re.sub(rf"(?m)^{name} = .*$", f"{name} = {value!r}", text)
    path.write_text(text, encoding="utf-8")


WEIGHTS = load_weights()
