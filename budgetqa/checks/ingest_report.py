"""What ingest made of one document: standard tables found and missing, closure share, OCR'd
pages, and the parser's warnings grouped by kind (not thousands of raw lines)."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass, field

from budgetqa.checks.closure import closure_checks
from budgetqa.model import standard
from budgetqa.model.document import ParsedDocument

DOUBT_BELOW = 0.90  # closure share under which a document is "parsed with doubts"


@dataclass
class IngestReport:
    label: str
    tables_by_type: dict[str, int]
    missing_tables: list[str]  # standard tables a complete 预算 disclosure prints, not found
    checks: int
    closing: int
    ocr_pages: list[int]
    warnings: dict[str, int] = field(default_factory=dict)  # kind of warning -> how many
    encoding: str = ""  # of a text file, as detected (budgetqa.parse.decode_text)

    @property
    def closure(self) -> float | None:
        return self.closing / self.checks if self.checks else None

    @property
    def doubtful(self) -> bool:
        return self.closure is not None and self.closure < DOUBT_BELOW

    def to_json(self) -> dict:
        return {**asdict(self), "closure": self.closure, "doubtful": self.doubtful}

    def summary(self) -> str:
        """One line for the CLI and the documents tab."""
        share = f"勾稽 {self.closing}/{self.checks} ({self.closure:.1%})" if self.checks else "勾稽 无可核对项"
        parts = [self.label, f"{sum(self.tables_by_type.values())} 张表", share]
        if self.missing_tables:
            parts.append("缺少标准表：" + "、".join(self.missing_tables))
        if self.encoding and self.encoding != "UTF-8":
            parts.append(f"编码 {self.encoding}")
        if self.ocr_pages:
            parts.append(f"OCR 页 {len(self.ocr_pages)}")
        if self.warnings:
            parts.append(f"警告 {sum(self.warnings.values())} 条（{len(self.warnings)} 类）")
        if self.doubtful:
            parts.append("解析存疑")
        return "；".join(parts)


def warning_kind(warning: str) -> str:
    """'page 7: no unit printed for table '三公'; assumed 万元' -> "no unit printed for table '…'; assumed 万元"."""
    text = re.sub(r"^page \d+:\s*", "", warning)
    text = re.sub(r"'[^']*'", "'…'", text)
    return re.sub(r"\d+(?:\.\d+)?", "#", text)


def ingest_report(doc: ParsedDocument) -> IngestReport:
    checks = closure_checks(doc)
    kinds = Counter(t.kind for t in doc.tables)
    missing = [] if doc.meta.kind == "决算" else [k for k in standard.EXPECTED_BUDGET_TABLES if k not in kinds]
    return IngestReport(
        label=doc.meta.label, tables_by_type=dict(kinds), missing_tables=missing,
        checks=len(checks), closing=sum(c.closes for c in checks), ocr_pages=list(doc.meta.ocr_pages),
        warnings=dict(Counter(warning_kind(w) for w in doc.warnings).most_common()),
        encoding=doc.meta.encoding,
    )
