"""The export tables and their columns, described once: the datasette metadata, the data package
schemas and docs/CONTRACTS.md all say what is written here.

A column's `type` is its Table Schema type; "number" columns hold exact decimal text (the
figure as parsed, never a float), so every writer keeps them as text. `column_type` is the
Fiscal Data Package ColumnType of the column, when it has one.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # Table Schema type: string | integer | number | boolean
    description: str
    column_type: str = ""  # Fiscal Data Package ColumnType


@dataclass(frozen=True)
class ExportTable:
    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    primary_key: str
    facets: tuple[str, ...] = ()
    indexes: tuple[str, ...] = ()

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


_DOC = Column("doc_id", "string", "文档编号（文件内容 SHA-256 的前 16 位），对应 documents 表")
_SOURCE = Column("source", "string", "文件名")
_ENTITY = Column("entity", "string", "单位名称（文件所公开的部门或单位）",
                 "administrative-classification:generic:level1:label")
_YEAR = Column("year", "integer", "预算/决算年度", "date:fiscal-year")
_DOC_KIND = Column("doc_kind", "string", "文件类型：预算 / 决算")
_LEVEL = Column("level", "string", "部门 / 单位")
_VALUE = Column("value", "number", "数值（精确十进制文本，单位见 unit；与 printed 为同一个数）", "value")
_UNIT = Column("unit", "string", "value 的单位：元 / 万元 / 亿元 / % / 人 / 辆 / 个 …", "value-unit:label")
_CURRENCY = Column("currency", "string", "货币：金额为 CNY，百分比、人数等为空", "value-currency:code")
_VALUE_YUAN = Column("value_yuan", "number", "金额折算为元（精确十进制文本；非金额为空）")
_PRINTED = Column("printed", "string", "文件中印出的原样数字（如 21,601,733.00）")
_PAGE = Column("page", "integer", "所在页码（PDF，从 1 起）")
_LINE = Column("line", "integer", "所在行号（文本提取件，从 1 起）")
_OCR = Column("ocr", "boolean", "是否由 OCR 从扫描页识别（是则请核对页面图像）")


def _code_columns() -> tuple[Column, ...]:
    levels = (("functional", "功能分类", "functional-classification", ("类", "款", "项")),
              ("economic", "经济分类", "economic-classification", ("类", "款")))
    columns = []
    for prefix, scheme, fiscal, names in levels:
        for depth, level in enumerate(names, 1):
            kind = f"{fiscal}:generic:level{depth}"
            columns.append(Column(f"{prefix}_l{depth}_code", "string", f"{scheme}{level}级编码（由行编码截取）",
                                  f"{kind}:code"))
            columns.append(Column(f"{prefix}_l{depth}_name", "string", f"{scheme}{level}级的国家标准科目名称",
                                  f"{kind}:label"))
    return tuple(columns)


DOCUMENTS = ExportTable(
    "documents", "文档目录", "每份已入库的公开文件一行：单位、年度、类型，以及解析和勾稽情况。",
    (_DOC, _SOURCE, _ENTITY,
     Column("aliases", "string", "文件中出现的单位其他名称（以“；”分隔）"),
     _YEAR, Column("kind", "string", "文件类型：预算 / 决算", "phase:id"), _LEVEL,
     Column("scope", "string", "本级（单位自身）/ 汇总（部门含所属单位）"),
     Column("region", "string", "地区"),
     Column("pages", "integer", "页数（PDF）"), Column("lines", "integer", "行数（文本提取件）"),
     Column("tables", "integer", "解析出的表格数"),
     Column("cells", "integer", "导出的表格数值单元格数（cells 表中本文档的行数）"),
     Column("narrative", "integer", "导出的说明文字数字数（narrative 表中本文档的行数）"),
     Column("warnings", "integer", "解析警告数"),
     Column("closure", "number", "勾稽闭合比例（0–1）：文件自身的加总关系中成立的比例"),
     Column("doubtful", "boolean", "勾稽比例低于 90%，解析存疑"),
     Column("missing_tables", "string", "未找到的标准公开表（以“；”分隔）"),
     Column("ocr_pages", "string", "OCR 识别的页码（以“，”分隔）")),
    primary_key="doc_id", facets=("year", "kind", "level", "region"))

CELLS = ExportTable(
    "cells", "表格数值", "预算模型中的每个数值单元格一行：所在文件、表、行、列，数值及其原样印刷形式。"
    "fact_id 与 `ask --json` 引用中的 fact_id 相同。",
    (Column("fact_id", "string", "数据编号（文档:表:行:列），与问答引用中的 fact_id 相同", "budget-line-id"),
     _DOC, _SOURCE, _ENTITY, _YEAR, _DOC_KIND, _LEVEL,
     Column("table_id", "string", "表编号（文件内按顺序 t01、t02 …）"),
     Column("table_kind", "string", "标准表类型（收支总表、支出总表、三公经费表 … 无法归类为 other）"),
     Column("table_title", "string", "印出的表名（去掉开头的年度）"),
     Column("part", "string", "左右并排表的一半：收入 / 支出"),
     Column("phase", "string", "该表的阶段：预算 / 决算", "phase:id"),
     Column("row_code", "string", "行的功能/经济分类编码（类/款/项拆开印的已拼接）"),
     Column("row_label", "string", "印出的行名称（科目名称 / 项目）"),
     Column("project", "string", "项目表（绩效目标表 / 绩效自评表）所属的项目名称"),
     Column("code_scheme", "string", "编码所属分类：功能 / 经济"),
     Column("code_level", "string", "编码层级：类 / 款 / 项"),
     *_code_columns(),
     Column("measure", "string", "列的规范口径（本年预算、基本支出、项目支出、决算数 … 无法归类为 other）"),
     Column("column", "string", "印出的列标题路径（多层表头以“ / ”连接）"),
     _VALUE, _UNIT, _CURRENCY, _VALUE_YUAN, _PRINTED, _PAGE, _LINE, _OCR,
     Column("row_text", "string", "该行原样：编码、名称和各列数字")),
    primary_key="fact_id",
    facets=("entity", "year", "doc_kind", "table_kind", "measure", "code_scheme", "code_level", "unit"),
    indexes=("doc_id", "row_code", "measure", "table_kind"))

NARRATIVE = ExportTable(
    "narrative", "说明文字中的数字", "说明文字（部门预算/决算情况说明）中写出的每个数字一行，附所在句子。",
    (Column("fact_id", "string", "数据编号（文档:段:句:位置），与问答引用中的 fact_id 相同", "budget-line-id"),
     _DOC, _SOURCE, _ENTITY, _YEAR, _DOC_KIND, _LEVEL,
     Column("section", "string", "所在段落的标题路径"),
     Column("item", "string", "数字前面的词语（如“一般公共预算拨款收入”）"),
     _VALUE, _UNIT, _CURRENCY, _VALUE_YUAN, _PRINTED, _PAGE, _LINE, _OCR,
     Column("sentence", "string", "数字所在的句子（原文）")),
    primary_key="fact_id", facets=("entity", "year", "doc_kind", "unit"), indexes=("doc_id",))

FINDINGS = ExportTable(
    "findings", "审查发现", "一致性审查（python app.py audit）发现的文件自相矛盾之处，每条一行。",
    (Column("finding_id", "string", "发现编号（文档编号:序号）"), _DOC, _SOURCE,
     Column("kind", "string", "类型：cross-foot（表内加总不符）/ table-vs-table / narrative-vs-table / "
                              "stated-change / table-set / placeholder / year / wording / code-name / "
                              "mixed-units / narrative-total / parser-doubt"),
     Column("severity", "string", "严重度：high / medium / low"),
     Column("size", "string", "差异大小：rounding（在印刷位数的舍入之内）/ small / large"),
     Column("origin", "string", "来源：document（文件本身的问题）/ parser（对表格解读存疑，非文件错误）"),
     Column("difference", "string", "差额（以 unit 计，精确十进制文本）"),
     Column("unit", "string", "差额的单位（文件表格自身的单位）"),
     _PAGE, _LINE,
     Column("message", "string", "说明"),
     Column("evidence", "string", "依据：涉及的单元格和句子"),
     Column("fact_ids", "string", "依据中能对应到 cells/narrative 的数据编号（以空格分隔）")),
    primary_key="finding_id", facets=("kind", "severity", "origin", "source"), indexes=("doc_id",))

TABLES: tuple[ExportTable, ...] = (DOCUMENTS, CELLS, NARRATIVE, FINDINGS)
