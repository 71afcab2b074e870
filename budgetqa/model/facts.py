"""facts: a ParsedDocument -> one Fact per numeric table cell and per number stated in prose."""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from decimal import Decimal

from budgetqa.model import standard
from budgetqa.model.document import MONEY_UNITS, NIL_MARKS, Cell, ParsedDocument, Section, parse_number, to_yuan
from budgetqa.model.text import normalize

# A number with the unit that follows it in prose: "147.87 万元", "4.58%", "在职人数 9 人".
_PROSE_NUMBER = re.compile(
    r"(?<![0-9.,A-Za-z])(?P<num>[0-9][0-9,，]*(?:\.[0-9]+)?)\s*"
    r"(?P<unit>亿元|万元|元|(?:亿|万)(?![\u4e00-\u9fa5])|%|％|人次|批次|人(?!次)|辆|个|名|台|平方米|张|家|场|枚|件|户|次|项|所)"
)
# "进博会推进专项153.00万，合计2921.00万": a bare 万/亿 after an amount in a budget means 万元/亿元
_UNIT_AS_WRITTEN = {"％": "%", "名": "人", "万": "万元", "亿": "亿元"}
AMOUNT_SAID = re.compile(r"\d[\d,.]*\s*(?:亿元|万元|元|%|％)")  # an amount of money or a rate in a sentence
_CODE_LEVEL = re.compile(r"[(（][0-9]+项[)）]")  # "司法（06款）信息化建设（13项）": a classification's code
_SENTENCE_END = re.compile(r"(?<=[。；;！？\n])")
_EXPLAINS = ("主要用于", "主要原因", "主要是", "用于")  # a sentence that explains the one before
_SAYS_UNCHANGED = re.compile(r"(?:与|较|同)[^，,。；;]{0,16}持平")  # "…0.73万元。与2025年预算数持平": of the one before
# a sentence opening with the comparison it states ("与2023年度相比，减少121.15万元")
COMPARED_OPENING = re.compile(r"\s*(?:与|较|同)(?:上年|去年|上一年度?|20[0-9]{2}年度?)(?:相比|比较|同期)")
_CLAUSE_BREAK = re.compile(r"[，、：:]|,(?![0-9]{3}(?![0-9]))")  # (not the thousands comma of "32,640万元")
_PROJECT_NAME_ROW = re.compile(r"^(?:项目|专项)名称$")
# a table cell that says what its amount is: "年度资金总额(含本级)4.50万元"
_STATED_AMOUNT = re.compile(r"^(?P<label>[^0-9]{2,}?)[:：]?(?P<num>[0-9][0-9,]*(?:\.[0-9]+)?)(?P<unit>亿元|万元|元)$")


def _last_digit(printed: str) -> Decimal:
    """The value of a printed figure's last digit: 0.01 for "7,315.00", 1 for "7315" (or no figure)."""
    number = parse_number(printed)
    return Decimal(1).scaleb(min(number.as_tuple().exponent, 0)) if number is not None else Decimal(1)


@dataclass
class Fact:
    id: str
    doc_id: str
    source: str
    entity: str
    year: int
    doc_kind: str  # 预算 / 决算
    level: str  # 部门 / 单位
    kind: str  # "cell" | "narrative" | "text" (a sentence read for its words, not stored: sentence_facts)
    printed: str  # the number exactly as printed
    value: Decimal  # in `unit` (None for a text fact)
    unit: str  # 元 / 万元 / 亿元 / % / 人 / ...
    table: str = ""
    table_id: str = ""
    part: str = ""
    row_code: str = ""
    row_label: str = ""
    column: str = ""
    page: int | None = None
    line: int | None = None
    quote: str = ""  # the sentence for narrative facts; the row as printed for cells
    item: str = ""  # narrative facts: the words just before the number ("一般公共预算拨款收入"); cells of a
    #                 project's table (绩效目标表): the project ("话务场地租赁费用")
    offset: int = -1  # for narrative facts: where the number starts in `quote`
    lead: str = ""  # for narrative facts: the paragraph's opening words up to its first number, when the
    #                 sentence continues a paragraph ("5、…信息化建设（13项）" for "2025年当年预算执行数为…")
    table_kind: str = ""  # standard table type (budgetqa.model.standard), "other" when none
    measure: str = ""  # canonical measure of the cell's column (本年预算, 基本支出, 决算数 …)
    ocr: bool = False  # read by OCR from a scanned page: the page image is the authority
    under: str = ""  # cells of a row whose name the table prints more than once (行政运行 under 文化和旅游
    #                  and under 体育): the row it is part of

    @property
    def value_yuan(self) -> Decimal | None:
        return to_yuan(self.value, self.unit)

    @property
    def amount(self) -> tuple:
        """What two facts must share to print the same amount: 元 for money, else value and unit."""
        yuan = self.value_yuan
        return (yuan, "元") if yuan is not None else (self.value, self.unit)

    def prints_as(self, other: Fact) -> bool:
        """Whether two money figures are one amount as printed, each rounded to its own last digit
        (7,315.00 元 and 0.73 万元)."""
        mine, theirs = self.value_yuan, other.value_yuan
        if mine is None or theirs is None:
            return self.amount == other.amount
        step = max(to_yuan(_last_digit(f.printed), f.unit) for f in (self, other))
        return abs(mine - theirs) <= step / 2

    def a_digit_apart(self, other: Fact) -> bool:
        """Whether two money figures differ by at most one unit of the coarser last printed digit (4.30 and
        4.29 万元): one amount with a slip of rounding, not two amounts."""
        mine, theirs = self.value_yuan, other.value_yuan
        if mine is None or theirs is None:
            return self.amount == other.amount
        return abs(mine - theirs) <= max(to_yuan(_last_digit(f.printed), f.unit) for f in (self, other))

    @property
    def row_id(self) -> str:
        """The cell's table row (its id without the column): the cells of one printed row share it."""
        return self.id.rsplit(":c", 1)[0] if self.kind == "cell" else self.id

    @property
    def row(self) -> str:
        return f"{self.row_code} {self.row_label}".strip()

    @property
    def said_before(self) -> str:
        """A sentence's words up to its number ("…缴费支出（项）。全年预算为"): what they call it."""
        return self.lead + (self.quote[:self.offset] if self.offset >= 0 else self.item)

    @property
    def own_words(self) -> str:
        """A sentence's words since its previous amount up to this figure ("…执行数为60.41万元，2026年预算安排"
        -> "，2026年预算安排"): what they call this figure, not the one before."""
        if self.offset < 0:
            return self.item
        before = self.quote[:self.offset]
        return before[max((m.end() for m in AMOUNT_SAID.finditer(before)), default=0):]

    @property
    def where(self) -> str:
        """'第7页' / '第123行' — the location a reader can check."""
        if self.page:
            return f"第{self.page}页"
        return f"第{self.line}行" if self.line else ""

    def sentence(self, doc_label: str) -> str:
        """The human sentence stored as the record text and shown in answers."""
        if self.kind == "narrative":
            return f"{doc_label} · {self.quote}"
        table = f"{self.table}（{self.part}）" if self.part else self.table
        return f"{doc_label} · {table} · {self.row} · {self.column} = {self.printed} {self.unit}"

    @property
    def passage_id(self) -> str:
        """The table row or sentence this fact is read from (facts of one row share it)."""
        return self.id.rsplit(":", 1)[0]

    @property
    def next_passage_id(self) -> str:
        """A sentence's next sentence in its section ("…:s1:2" after "…:s1:1"); "" for a cell."""
        section, _, index = self.passage_id.rpartition(":")
        return f"{section}:{int(index) + 1}" if self.kind == "narrative" and index.isdigit() else ""

    def passage(self, doc_label: str) -> str:
        """The text embedded for the fact's passage: the row without its column, or the sentence."""
        if self.kind == "narrative":
            return f"{doc_label} · {self.quote}"
        table = f"{self.table}（{self.part}）" if self.part else self.table
        return f"{doc_label} · {table} · {self.row}"

    def to_dict(self) -> dict:
        data = asdict(self)
        data["value"] = str(self.value)
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "Fact":
        data = dict(data)
        data["value"] = Decimal(data["value"])
        return cls(**data)


def document_facts(doc: ParsedDocument) -> list[Fact]:
    return table_facts(doc) + narrative_facts(doc)


def _base(doc: ParsedDocument) -> dict:
    meta = doc.meta
    return dict(doc_id=meta.doc_id, source=meta.source, entity=meta.entity, year=meta.year or 0,
                doc_kind=meta.kind, level=meta.level)


def table_facts(doc: ParsedDocument) -> list[Fact]:
    base = _base(doc)
    facts = []
    for table in doc.tables:
        form = table.kind == standard.PROJECT_FORM
        project = standard.titled_project(table.title) if form else ""
        parents = _parents_of_repeated(table.rows)
        for row_index, row in enumerate(table.rows):
            if form and _PROJECT_NAME_ROW.match(normalize(row.label)):  # a project's own form names it in a cell
                project = next((c.printed for c in row.cells if c.printed.strip()), project)
            quote = " ".join([row.owner, row.code, row.label] + [c.printed for c in row.cells]).strip()
            period = standard.row_measure(row.label, table.phase, doc.meta.year)
            for cell, column, (printed, value, unit, label) in row_amounts(table, row):
                if unit == "%":  # "-34.75%": the number as printed, its unit said once
                    printed = printed.strip().rstrip("%％").strip()
                facts.append(Fact(
                    id=f"{base['doc_id']}:{table.id}:r{row_index}:c{cell.column}", kind="cell",
                    printed=printed, value=value, unit=unit, table=table.title,
                    table_id=table.id, part=table.part, row_code=row.code, row_label=label,
                    column=column, page=row.page or table.page,
                    line=row.line, quote=quote, table_kind=table.kind, item=project,
                    measure=period or (table.measures[cell.column] if cell.column < len(table.measures) else ""),
                    ocr=(row.page or table.page) in doc.meta.ocr_pages, under=parents.get(row_index, ""), **base))
    return facts


def row_amounts(table, row) -> list[tuple[Cell, str, tuple[str, Decimal, str, str]]]:
    """The amounts the budget model keeps of one table row: (cell, column, (printed, value, unit, label))
    for each number, text cell stating an amount, dash in a money column, or blank 收支总表 line."""
    blank = not row.cells and _is_blank_line(table, row)
    kept = []
    for cell in row.cells or ([Cell(column=0, printed="", value=None)] if blank else []):
        column = table.column_name(cell.column)
        if standard.ORDINAL_COLUMN.search(column):
            continue
        unit = (row.count_unit if standard.QUANTITY_COLUMN.search(column) else  # 40 台, not 40 万元
                _cell_unit(table.unit or table.column_units.get(column, ""), cell.printed, column, row.label))
        amount = _amount(cell, unit, row.label, blank)
        if amount is not None:
            kept.append((cell, column, amount))
    return kept


def _is_blank_line(table, row) -> bool:
    """A line of a 收支总表 half printed with nothing beside its name ("四、事业收入" and a blank):
    its amount is 0. A heading ("按经济分类：") is no line."""
    label = normalize(row.label)
    return (bool(table.part) and len(table.columns) == 1 and bool(label) and not label.endswith((":", "："))
            and any(r.cells for r in table.rows))


def _parents_of_repeated(rows: list) -> dict[int, str]:
    """For each row whose name the table prints more than once, the row it is part of: the nearest
    row above whose code begins its code, or, without codes, the nearest row above that is no
    repeat and prints at least its first figure (行政运行 488.80 under 自然资源事务 2277.70)."""
    names = [normalize(row.label) for row in rows]
    repeated = {n for n in names if n and names.count(n) > 1}
    first = [next((c.value for c in row.cells if c.value is not None), None) for row in rows]
    parents = {}
    for i, row in enumerate(rows):
        if names[i] not in repeated:
            continue
        for j in range(i - 1, -1, -1):
            above = rows[j]
            if row.code and above.code:
                if row.code.startswith(above.code) and len(above.code) < len(row.code):
                    parents[i] = above.label
                    break
            elif (names[j] not in repeated and first[j] is not None and first[i] is not None
                  and first[j] >= first[i] and not standard.GROUP_TOTAL.match(names[j])):
                parents[i] = above.label
                break
    return parents


def _amount(cell, unit: str, label: str, blank: bool = False) -> tuple[str, Decimal, str, str] | None:
    """A cell's amount (printed, value, unit, row label): its number, or the amount a text cell
    states with its own words and unit ("年度资金总额(含本级) 4.50万元"); None for other text."""
    if cell.value is not None:
        return cell.printed, cell.value, unit, label
    if (cell.printed.strip() in NIL_MARKS or (blank and not cell.printed)) and unit in MONEY_UNITS:
        return cell.printed.strip(), Decimal(0), unit, label  # "-" in a money column: nothing, which is 0
    stated = _STATED_AMOUNT.match(normalize(cell.printed))
    if stated is None:
        return None
    return stated["num"], parse_number(stated["num"]), stated["unit"], stated["label"]


def _cell_unit(table_unit: str, printed: str, column: str, label: str) -> str:
    """A cell's unit: % when printed so or under a 增减%/…率 header; in tables without a money unit
    (单位构成, 绩效表) what the header says: 在职人数 counts people, 年度资金总额(万元) is money."""
    if printed.strip().endswith(("%", "％")) or standard.RATE_COLUMN.search(column):
        return "%"
    if standard.SCORE_COLUMN.search(column):  # a performance table's 分值/得分: points, not money
        return ""
    counted = standard.COUNT_COLUMN.search(column)
    if counted:  # "公务用车保有量（辆）" in a table of 万元: the header's own unit
        # "国内公务接待批次（个）": what is counted is 批次, numbered in 个
        noun = re.search(r"(人次|批次)$", column[:counted.start()])
        return noun.group(1) if noun else counted.group(1)
    if table_unit:
        return table_unit
    header = column + label
    if re.search(r"(人数|编制数|人员数)", header):
        return "人"
    if re.search(r"(车辆数|辆)", header):
        return "辆"
    money = standard.MONEY_NOTE.search(header)
    return money.group(1) if money else ""


def narrative_facts(doc: ParsedDocument) -> list[Fact]:
    base = _base(doc)
    facts = []
    for section_index, section in enumerate(doc.sections):
        sentences = list(_sentences(section))
        heading = ""  # "（三）公共安全支出（类）司法（款）普法宣传（项）。": the item the next sentences are about
        for sentence_index, (sentence, line) in enumerate(sentences):
            following = sentences[sentence_index + 1][0] if sentence_index + 1 < len(sentences) else ""
            quote = sentence + following if following.startswith(_EXPLAINS) or _SAYS_UNCHANGED.match(following) else sentence
            # "…支出总计1101.36万元。与2023年度相比，减少121.15万元": the change is of the sentence before
            before = sentences[sentence_index - 1][0] if sentence_index and COMPARED_OPENING.match(sentence) else ""
            quote = before + quote
            if _ITEM_HEADING.search(sentence) and not _PROSE_NUMBER.search(sentence):
                heading = sentence
            lead = heading or (_PROSE_NUMBER.split(sentences[0][0])[0] if sentence_index else "")
            for match in _PROSE_NUMBER.finditer(sentence):
                value = parse_number(match["num"])
                if value is None or _in_name(match["num"], base["entity"]) or _CODE_LEVEL.fullmatch(
                        sentence, max(match.start() - 1, 0), min(match.end() + 1, len(sentence))):
                    continue  # ("信息化建设（13项）": the 项's code, no count of 13)
                unit = _UNIT_AS_WRITTEN.get(match["unit"], match["unit"])
                facts.append(Fact(
                    id=f"{base['doc_id']}:s{section_index}:{sentence_index}:{match.start()}",
                    kind="narrative", printed=match["num"], value=value, unit=unit,
                    table="", page=section.page, line=line, quote=quote,
                    item=_item_before(sentence, match.start()), offset=len(before) + match.start(), lead=lead,
                    row_label=" / ".join(section.heading[-2:]),
                    ocr=section.page is not None and section.page in doc.meta.ocr_pages, **base))
    return facts


def sentence_facts(doc: ParsedDocument) -> list[Fact]:
    """Every sentence of the narrative, read for its words (kind "text", no figure): what documents
    write in words — a unit's kind, a project's implementing unit, its goal."""
    base = _base(doc)
    facts = []
    for si, section in enumerate(doc.sections):
        sentences = list(_sentences(section))
        lead = ""  # the item the sentence is about: the last sentence naming only an item, or the paragraph's opening
        for ti, (sentence, line) in enumerate(sentences):
            facts.append(Fact(id=f"{base['doc_id']}:t{si}:{ti}", kind="text", printed="", value=None, unit="",
                              page=section.page, line=line, quote=sentence, lead=lead or (sentences[0][0] if ti else ""),
                              row_label=" / ".join(section.heading[-2:]), **base))
            lead = sentence if _NAMES_ONLY_ITEM.search(sentence) else lead
    # a table's note says in words what its cells leave blank ("备注：本单位2024年度没有…“三公”经费支出")
    for table in doc.tables:
        for ni, note in enumerate(table.notes):
            facts.append(Fact(id=f"{base['doc_id']}:n{table.id}:{ni}", kind="text", printed="", value=None, unit="",
                              page=table.page, line=table.line, quote=note, lead=table.title, table=table.title,
                              row_label=table.title, **base))
    return facts


# "（1）…支出（类）。", "…行政运行（项）。", "（一）全民阅读推广。": a sentence naming the item the next ones are
# about (for sentences read for their words; figures' sentences are headed by a 项 only, _ITEM_HEADING)
_NAMES_ONLY_ITEM = re.compile(r"[(（][类款项][)）][。.]?\s*$|^[(（][一二三四五六七八九十0-9]+[)）][^，,；;。0-9]{2,20}[。.]?$")


_ITEM_HEADING = re.compile(r"[(（]项[)）][。.]?\s*$")  # a sentence that only names a 项 (its figures follow)


def _sentences(section: Section):
    """Sentences of a section with the line each starts on (text documents)."""
    offset_lines = 0
    for piece in _SENTENCE_END.split(section.text):
        sentence = re.sub(r"\s*\n\s*", "", piece).strip()
        line = section.line + offset_lines if section.line else None
        offset_lines += piece.count("\n")
        if sentence:
            yield sentence, line


def _in_name(number: str, entity: str) -> bool:
    """A number that is part of the unit's own name (a hotline's number) is no figure."""
    return number in re.findall(r"\d{3,}", entity)


def _item_before(sentence: str, position: int) -> str:
    """The clause just before a number: '其中：一般公共预算拨款收入147.87万元' -> '一般公共预算拨款收入'."""
    before = normalize(sentence[:position])
    clause = _CLAUSE_BREAK.split(before)[-1]
    return re.sub(r"(为|是|达|共|计|约|合计|总计)$", "", clause)[-30:]
