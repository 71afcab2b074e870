"""explain: why / what-for questions are answered with the document's own sentence."""
from __future__ import annotations

import re

from budgetqa.model.document import MONEY_UNITS
from budgetqa.model.facts import Fact
from budgetqa.model.text import normalize
from budgetqa.query import thesaurus
from budgetqa.query.asking import LESS, MORE, Reason

EXPLAINS = re.compile(r"原因|主要用于|主要是|用于")
_USE_SAID = re.compile(r"用于|用途|用在|花在")
_ONLY_A_CHANGE = re.compile(r"(?:同比|与上年相比,?)?(?:较|比)(?:上年|上一年|20[0-9]{2}年)")
_EXPLAINS_AFTER = re.compile(r"(?<=[。；;])(?=主要原因|原因是|主要是|主要用于)")


_TOTALS_SAID = ("收支预算总计", "收支总计", "预算总计", "支出预算", "收入预算")
_WHOLE = ("支出合计", "收入合计")  # the thesaurus terms for a unit's whole budget (总预算)
_NAMES_ITEM = re.compile(r"[(（]项[)）]")
_MEASURE_WORD = re.compile(r"预算|决算|支出$|收入$|^支出|^收入")


def _says(text: str, word: str) -> bool:
    """A sentence says a question word, "收支" also as the sentence writes it out (收入支出, 收入和支出)."""
    word = normalize(word)
    return any(form in text for form in (word, *(word.replace("收支", f"收入{joint}支出") for joint in ("", "和", "及", "与")
                                                 if "收支" in word)))


def _said_together(words: tuple[str, ...], q: str) -> list[str]:
    """Words the question says one right after another, as one ("灾害|防治" -> 灾害防治)."""
    joined: list[str] = []
    for word in words:
        if joined and joined[-1] + word in q:
            joined[-1] += word
        else:
            joined.append(word)
    return joined


def _opens_a_classification(word: str) -> bool:
    return any(name.startswith(word) for name in thesaurus.classification_names())


def _names_item(word: str) -> bool:
    """A word naming the item asked, not a measure of it (支出决算, 年初预算) — 住房保障支出 names one."""
    return not _MEASURE_WORD.search(word) or thesaurus.is_classification_name(word)


def _about(fact: Fact, ask, items: list[str], names: str) -> bool:
    """A sentence with no figure is about what the question asks when the item it names, or its
    paragraph's heading, says the question's item words and the heading says one of its words."""
    lead, said = normalize(fact.lead), normalize(fact.lead + fact.quote)
    if not items:  # "财政拨款收入支出为什么增加": a measure asked about, which the sentence must name as its
        # subject, before its reason ("财政拨款收入支出增加的主要原因是…")
        measures = [w for w in ask.specific if len(w) >= 2 and w not in names]
        quote = normalize(fact.quote)
        cue = EXPLAINS.search(quote)
        if cue is None:
            return False
        # no item named asks about the budget as a whole: a sentence whose subject is the totals answers it
        return all(_says(quote[:cue.start()], w) for w in measures) if measures else bool(
            _TOTALS_SUBJECT.fullmatch(quote[:cue.start()]))
    words = [w for w in ask.specific if len(w) >= 2 and w not in names and _names_item(w)]
    quote = normalize(fact.quote)
    cue = EXPLAINS.search(quote)
    subject = quote[:cue.start()] if cue else ""  # "财政拨款收入支出减少的主要原因是…": the sentence names it
    return all(_says(said, w) for w in items) and (any(_says(lead, w) for w in words)
                                                   or all(_says(subject, w) for w in items))


# "财政拨款收入支出减少的主要原因是…", "收支预算总计增加主要是…": a reason whose subject is the budget as a whole
_TOTALS_SUBJECT = re.compile(r"(?:本年|年度|部门|单位|财政拨款|一般公共预算)*(?:收入支出|收支|收入|支出)(?:预算)?(?:总计|总额|合计)?"
                             r"(?:增加|减少|增长|下降|增减|变化|变动)?(?:的)?(?:主要)?")


_ORDINAL = re.compile(r"^[（(][一二三四五六七八九十]+[)）]|^[0-9]+[.、]")


def _subheading(fact: Fact) -> str:
    """The numbered heading a sentence stands under ("（二）公务接待费"), which names what it is about."""
    last = fact.row_label.rsplit(" / ", 1)[-1].strip()
    return last if _ORDINAL.match(last) else ""


def _names_of(word: str, ask) -> list[str]:
    """The names the thesaurus gives the term a question word stands for ("三公" -> “三公”经费 …)."""
    return [name for e in ask.expansions if word in e.text or e.text in word for name in (e.term, *e.labels)]


def _said(word: str, quote: str, ask) -> bool:
    """A sentence says a question word, or a name of its term; a word for the whole budget (总预算)
    is said by a sentence on the totals (收支预算总计)."""
    totals = any(e.kind == "total" and e.term in _WHOLE for e in ask.expansions if word in e.text or e.text in word)
    return _says(quote, word) or any(len(n) >= 3 and normalize(n) in quote
                                for n in (*_names_of(word, ask), *(_TOTALS_SAID if totals else ())))


def explaining_sentence(reason: Reason, facts: list[Fact], names: str = "") -> Fact | None:
    """The sentence of one document's facts that explains what the question asks about (原因 / 主要用于)."""
    ask = reason.ask  # what it asks about, the why-words set aside
    q = ask.text
    words = [w for w in ask.content if w not in ("科目", "钱", "资金", "主要")]
    words += re.findall(r"(?<![0-9])(?!20[0-9]{2}(?![0-9]))[0-9]{3,7}(?![0-9])", q) + [w for w in ("支出", "收入", "增加", "减少", "增长", "下降") if w in q]
    if not ask.specific:  # "预算为啥涨了": no item named asks about the budget as a whole, said by its totals
        sides = [side for side in ("收入", "支出") if side in q] or ["收入", "支出"]  # "支出为什么…": not the 收入 sentence
        words += [w for w in _TOTALS_SAID if w[:2] not in ("收入", "支出") or w[:2] in sides]
    changes = reason.changes
    # the item asked about must be the sentence's: "公务接待费为什么增加" is not explained by the car's reason
    # every word naming the item, not a measure of it (支出决算, 年初预算), must be the sentence's
    items = ([w for w in ask.specific if len(w) >= 3 and w not in names and _names_item(w)]
             # ("灾害防治…为什么": two short words said together open a classification's name, 灾害防治及应急管理支出)
             or [w for w in _said_together(tuple(w for w in ask.specific if len(w) == 2), q)
                 if len(w) == 4 and w not in names and _opens_a_classification(w)])
    if items:  # (the sentence must name them): "信息化建设…大涨" is said by the sentence's 增加
        words += [w for w in changes if w not in words]
    above = reason.above  # "决算超过年初预算": the sentence must say so
    # ("多了多少，钱花哪儿了": where the extra money went is the reason of the change)
    purpose = reason.purpose
    best, best_score = None, 1
    for fact in facts:
        if fact.kind not in ("narrative", "text") or not EXPLAINS.search(fact.quote):
            continue
        if purpose and not _USE_SAID.search(fact.quote):
            continue  # "钱用来干什么" is not answered by why its execution rate was low
        if fact.kind == "text" and not (_about(fact, ask, items, names) and (
                not any(above) or (MORE.search(fact.quote) is not None, LESS.search(fact.quote) is not None) == above)):
            continue  # a sentence with no figure: its paragraph's item is the one asked, its direction the one asked
        heading = fact.lead if _NAMES_ITEM.search(fact.lead) else ""  # "…普法宣传（项）。": the 项 the sentence is about
        quote = normalize(heading + fact.quote)
        if changes and not any(w in quote for w in changes) and not (MORE if changes[0] in ("增加", "增长") else LESS).search(quote):
            continue  # "为什么减少" is answered by a sentence about a decrease ("决算比年初预算多": 大于)
        said = normalize(fact.lead + _subheading(fact)) + quote
        if not all(_says(said, w) or any(normalize(n) in said for n in _names_of(w, ask)) for w in items):
            continue
        # a sentence with no figure says its item in its paragraph's heading ("（二）甲项目。…的原因是…")
        # (a clause that only states a change, "较上年减少1.01万元…", says its subject in its lead)
        own = said if fact.kind == "text" or _ONLY_A_CHANGE.match(quote) else quote + normalize(_subheading(fact))
        score = sum(len(w) for w in set(words) if _said(w, own, ask))
        if score > best_score:
            best, best_score = fact, score
    if best is not None and reason.which_item:  # "主要是新增了哪项费用、多少钱": the amount its reason names
        said = [f for f in facts if f.doc_id == best.doc_id and f is not best and f.unit in MONEY_UNITS
                and best.quote.endswith(f.quote) and EXPLAINS.search(normalize(f.quote)[:6])]
        return min(said, key=lambda f: f.offset, default=best)
    if best is not None and changes:  # the figure that answers "为什么增加" is the increase itself,
        # in money when the sentence gives it ("减少 1.01 万元，下降 90.99%")
        same = [f for f in facts if f.doc_id == best.doc_id and f.quote == best.quote
                and re.search(r"(增加|减少|增长|下降)$", f.item)]
        best = min(same, key=lambda f: ((f.unit == "%") != ask.percent, f.unit not in MONEY_UNITS, f.offset), default=best)
    return best


def change_said_before(fact: Fact, facts: list[Fact], reason: Reason) -> Fact | None:
    """The change a reason without a figure explains, as the sentence before it states it ("…财政拨款收入
    …比2024年预算执行数增加24,558.18万元；" before "…增加的主要原因是…"): in money when given; None
    when the question asks no change or that sentence states none."""
    changes = reason.changes
    if fact.kind != "text" or not fact.lead or not changes:
        return None
    lead = normalize(fact.lead)
    # (a sentence's quote carries the reason after it: its own words are what the lead says)
    stated = [f for f in facts if f.kind == "narrative" and f.doc_id == fact.doc_id
              and normalize(_EXPLAINS_AFTER.split(f.quote)[0]) in lead
              and f.item.endswith(tuple(changes))]
    return min(stated, key=lambda f: (f.unit not in MONEY_UNITS, f.offset), default=None)


def rate_said_before(fact: Fact, facts: list[Fact], sentences: list[Fact], reason: Reason) -> Fact | None:
    """The rate a reason without a figure explains, stated in the sentence right before it ("…执行率81.00%。"
    before "执行率偏低的原因是…"), when the question asks that rate ("执行率只有多少？为啥这么低")."""
    if fact.kind != "text" or not reason.rate or fact not in sentences:
        return None
    at = sentences.index(fact)
    if at == 0:
        return None
    before = normalize(sentences[at - 1].quote)
    return next((f for f in facts if f.kind == "narrative" and f.doc_id == fact.doc_id and f.unit == "%"
                 and normalize(f.quote).startswith(before) and f.item.endswith("率")), None)

