"""asking: what a text asks for, read once into an Ask — the unit counted, money, a change, the
document kind, the measures and budget terms it names, its item words — which ranking
(answer/retrieve.py) and lookups (answer/finder.py) read instead of the string. question.py parses whole
questions; the word lists here are the ones both need."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from budgetqa.model import standard
from budgetqa.model.text import bigrams, normalize
from budgetqa.query import lexicon, thesaurus

ASKED_UNIT = re.compile(r"(?:多少|几|以|按|用|折合成?|换算成?|合|单位为?|单位是|计)\s*(亿元|万元|元)|(亿元|万元|元)(?:为单位|计)"
                        r"|(?:几个|多少个?)(亿)(?!元)")
# "这四家中心…加起来"; "几辆车" (the count asked, not an item)
# "两家", "两镇" (the units counted, no item); "各有": each of them
_COUNTING = re.compile(r"(这|那)?[几两三四五六七八九十]+(家|个|项|镇|乡|局|所|地)|起来|加起来|(?:几|多少)(?:辆|台|套)车?|多少(?:人|名)"
                       r"|各有|各自有|分别有")
_PERIOD = re.compile(r"[一二三四1-4]季度|上半年|下半年|(?<![0-9])(?:1[0-2]|[1-9])月(?!底)")
_YEAR_WORD = re.compile(r"(20[0-9]{2}|[0-9]{2})年度?(?![初末])")  # "2026年", "26年度"; not 年初/年末 (a measure)
QUESTION_WORDS = {"本级", "方面", "这方面", "领域", "多少", "是多少", "有多少", "多少钱", "哪儿", "哪里", "钱花", "文件", "文档", "各自", "最新", "披露", "一家", "属于", "承担", "承担的", "负责实施", "实施的", "那个项目", "请人", "请人来", "请人来做", "请人做", "缩水", "主要", "没花完", "没用完", "这一项", "一项", "这一块", "最后", "最终", "预算", "决算", "年度", "单位", "部门", "一共",
                  "总共", "明年", "以外", "之外", "别的", "还能", "花了", "花多少", "安排", "什么", "哪些", "几个", "百分之几", "大概", "大约", "情况", "数据",
                  "是", "的", "了", "年", "给", "有", "吗", "呢", "为", "多", "百分之", "增长", "增加", "减少",
                  "下降", "压减", "压缩", "增长率", "增幅", "降幅", "涨幅", "减幅", "同比", "环比", "变化", "变动", "完成",
                  # a fact-checker's asides ("核对一下…的数字", "听说…，真的吗", "文件里是这么写的吗")
                  "核对", "核实", "核查", "一下", "数字", "听说", "有人", "有人说", "据说", "真的", "是真的", "这样", "这么", "对不对",
                  "超过", "不到", "是否", "是不是", "有没有",
                  "一共花了", "总共花了", "共花了", "一共花", "总共花", "两年", "三年", "历年", "各年", "排第一", "第一", "排名", "排名第一", "排首位", "首位", "排最后", "最后一名", "倒数第一", "末位", "第一名", "比一比", "比比", "比一下", "比较", "比较一下", "对比", "对比一下", "比例", "占比", "比重", "上年", "比上年", "多少万元", "万元", "元", "加起来", "加一起", "合一起", "一起",
                  "加总", "合计", "相比", "哪个", "哪家", "多多少", "少多少", "差多少", "最高", "最多", "最低",
                  "最少", "涨了", "分别", "各", "谁", "亿元", "部门预算", "单位预算", "部门决算", "单位决算", "按元", "按元算", "折合", "换算", "计算", "算", "以元", "以万元", "实际", "执行", "花了多少钱", "花了多少", "花多少钱", "要花", "花费", "多了", "少了", "多出", "多出来", "花在", "用在", "上的钱", "的钱",
                  "安排了", "安排的", "保留两位小数", "两位小数", "几个亿", "换算成", "换成", "折算",
                  "里面", "当中", "之中", "其中", "保留", "两位", "小数",
                  "四舍五入", "精确", "决算数", "预算数", "执行数", "算是", "算下来", "算起来",
                  "这个", "这项", "这一项", "这笔", "该项", "准备", "打算", "现在", "目前", "大幅", "明显", "大大", "当年",
                  "应是", "应为", "应该是", "应当是", "根据", "依据", "共用", "用了", "拿出来", "出来", "拿出", "一大", "大类", "一大类", "截至", "截止", "截至到", "截止到", "月底", "月末", "月初", "预算安排", "安排的",
                  "为什么", "为何", "怎么", "怎样", "如何", "什么原因", "今年", "今年度", "剩下", "还剩", "还剩下",
                  "给了", "拿到", "拿了", "下属", "所属", "下辖", "直属", "旗下", "安排了多少", "安排多少", "口径",
                  # plain speech that names no item ("底下那个…", "专门用来…", "这一大块")
                  "底下", "通过", "已经", "不少", "很多", "拿来", "用来", "专门", "这块", "这一块", "这一大块", "这部分",
                  "连同", "在内", "下属单位", "所属单位", "包括", "比较", "比较一下", "对比", "对比一下", "一下",
                  # what is left of "A比B多多少" once the units' names are taken out
                  "比多", "比少", "比高", "比低", "相当于", "相差", "还是", "几台", "几套", "多少台", "多少套", "添置", "准备添置", "一年", "手里", "手上", "名下", "那块", "这些", "那些", "用了多少钱", "用了多少", "开年", "开年时", "下来", "一年下来", "搞", "花出去", "实际花出去", "出去", "多还是少", "高还是低", "差额", "差距", "之差",
                  # the units compared, pointed at ("前者比后者高出百分之几")
                  "前者", "后者", "高出", "低出", "多出", "减去", "减掉",
                  "实际花了", "实际花", "实际用了", "实际花掉", "花掉",
                  # a ranking's words ("谁的…更高")
                  "更高", "更多", "更少", "更低", "更大", "更小", "较高", "较多", "较少", "较低", "那家", "这家", "那个",
                  # the source a figure is worked out from ("按2026年预算说明推算")
                  "根据", "按照", "依据", "推算", "倒推", "推出", "说明", "预算说明", "情况说明",
                  # the document and the unit as the speaker points at them ("预算材料里说", "局里", "谁家")
                  "材料", "预算材料", "真正", "预计", "那边", "那里", "那儿", "下面", "能有", "整个", "本身", "一大块", "大块", "盘子", "预算盘子", "一点", "官方", "公开", "披露", "里说", "报的", "局里", "单位里", "谁家", "哪一家"}
_FUND_TERMS = re.compile(r"一般公共预算|政府性基金预算|国有资本经营预算|年初预算|全年预算|调整预算|预算执行|预算数|预算拨款|预算单位|预算编制")
COUNT_WORDS = {"张": ("多少张", "几张", "床位"), "平方米": ("多少平方米", "几平方米", "面积"), "人次": ("多少人次", "几人次", "人次"), "批次": ("多少批次", "几批次", "批次", "多少批", "几批"), "人": ("几个人", "几人", "几名", "多少人", "多少名", "人数", "在职人员", "编制"), "辆": ("几辆", "多少辆", "车辆数"),
               "个": ("几个项目", "多少个项目", "有几个", "多少个", "项目个数", "项目数"), "家": ("有几家", "共几家", "多少家", "由几家", "几家单位"),
               "台": ("几台", "多少台"), "套": ("几套", "多少套"), "亩": ("多少亩", "几亩"), "公里": ("多少公里", "几公里"), "吨": ("多少吨", "几吨"),
               "次": ("多少次", "几次"),  # 批次 or 人次: a count, never an amount
               "场": ("多少场", "几场"), "枚": ("多少枚", "几枚"), "件": ("多少件", "几件"), "户": ("多少户", "几户"),
               "所": ("多少所", "几所"), "分": ("多少分", "几分", "得分")}  # (a self-evaluation's score)

_PEOPLES_MONEY = re.compile(r"人员(?:经费|支出|开支|费用)"  # "在职人员的工资福利支出": whose money, no count
                            r"|(?:在职|在编)?人员的(?=[^，,。？?多几]{0,10}(?:工资|福利|经费|支出|费|保险|公积金|补贴|奖金))")
# "有多少已经离退休的人员", "保障多少个青少年运动员的训练": people, however described (not "多少人的工资")
_PEOPLE_COUNTED = re.compile(r"(?:多少|几)(?!批|辆|台|套|张|次|人次)(?:个|名|位)?[^，,。？?钱元费]{0,8}(?:人员|人|运动员|学生|学员|职工|员工|队员|教师|老人|儿童|同志|干部)"
                             r"(?:的[^，,。？?钱元费经资补]{1,6})?[？?]?$")
_NOT_STAFF = re.compile(r"(?:预算|规划|方案|计划|标准|报告|清单)编制|编制(?:范围|单位|说明|部门|工作|了|绩效)")  # the act of drawing up: no staff
_ASKS_CHANGE = re.compile(r"(新增|增长|增加|减少|下降|压减|压缩|增幅|降幅|增减|变化)(了|率)?(百分之|是|为|有)?(多少|几)"
                          r"|比[^，,。？?]{0,12}(?:少了|多了)(?:多少|几)"  # "比2023年度少了多少"
                          # "比上年多出多少", "比2023年多出来多少" (a year and 多出 without 来 compares units: "比乙2025年的多出多少")
                          r"|比(?:上年|去年|上一年)[^，,。？?]{0,6}(?:多出|少出)来?了?(?:多少|几)|比(?:20)?[0-9]{2}年度?(?:多出|少出)来了?(?:多少|几)")
_ASKS_RATE = re.compile(r"(增长|下降)了?多少(?!万|元|亿)")  # "增长了多少" without a money unit: a rate
_RATE_NOUN = re.compile(r"[\u4e00-\u9fa5]{2}率(?:是|为|有|达到?)?(?:多少|几)?[？?]?$")  # "床位使用率", "执行率是多少"
_ASKS_MONEY = re.compile(r"资金|钱|经费|金额|万元|(?<!单)元|拨款")
_ASKS_ACTUAL = re.compile(r"实际|决算(?!表|说明|报告)|执行|花了")  # "决算表里的预算数": a table named, not a figure
_ASKS_PLANNED = re.compile(r"年初|预算数|预算是|预算多少|预算安排")
# a measure the question names -> what the cited column must say (年初预算 is not 决算数)
_MEASURES = [("年初预算", r"(年初预算|年初|预算数)$|年初预算"), ("全年预算", r"全年预算|调整预算"),
             ("执行数", r"执行|决算"), (r"实际|花了|决算数", r"决算|执行|实际")]
_TOTAL_ONLY = re.compile(r"(预算|决算|总额|总数|总|支出|收入|合计|总计|全部|全年|[/、])+")  # "预算/决算总支出", "支出总额"
TOTAL_VOCABULARY = {"支出", "收入", "总支出", "总收入", "总额", "合计", "总计", "花了", "多少钱", "经费", "资金",
                    "全年", "整体", "预算总额", "决算", "预算", "花", "钱", "总", "一般公共预算", "财政拨款",
                    "支出合计", "收入合计", "支出总计", "收入总计", "总额是", "总盘子", "盘子", "开支", "全部", "所有",
                    "总预算", "全部支出", "全部收入", "收支", "收支总计", "收支总额", "决算支出", "预算支出", "专项", "来源"}
# words that say "all of it" without naming a row ("人员经费总额" asks the 人员经费 total)
TOTAL_QUALIFIERS = ("总额", "总数", "全部", "所有", "整体", "全年")
TOTAL_END = re.compile(r"(?:总额|总数|总计|合计)$")  # "项目支出总额": the measure's total
NARRATIVE_CUES = ("增加", "减少", "增长", "下降", "上年", "上一年", "去年", "原因", "为什么", "主要用于", "用于",
                  "人数", "在职", "编制", "多少人", "退休", "车辆", "几辆", "持平", "变动", "比重")
INCOME_WORDS = ("收入", "来源", "拨款收入", "拨了", "拨款多少", "上年结转", "年初结转", "结转过来", "带进", "带过来")
PERCENT_WORDS = ("百分之", "百分比", "%", "％", "增长率", "增幅", "降幅", "涨幅", "减幅", "比例", "占比", "比重", "率是", "率为", "率多少", "率有", "率达", "几成")
CHANGE_WORDS = ("比上年", "较上年", "比去年", "上年多", "上年少", "缩水", "增加了多少", "增加多少", "减少了多少", "减少多少", "增长多少", "增长了多少",
                "增减", "下降了多少", "降了多少", "涨了多少", "减了多少", "增了多少")
_PER_PROSE = re.compile(r"(?:据|根据|按照?)[^，,。]{0,20}?(?:说明|文字)[，,]")  # "据…决算说明，…多少人次": what the prose says
NARRATIVE_ONLY = ("说明里", "说明中", "文中", "写的", "提到", "原文", "文字", "说的", "表述", "目标值", "指标值")
# why / what for ("为什么增加", "主要用于什么"): only the document's own sentence answers
WHY = re.compile(r"为什么|为何|为啥|咋回事|怎么回事|(?:咋|怎么)(?:又|会|就|还)?(?=[涨降少多增减变高低缩])|追加了?(?:什么|哪些)"
                 r"|(?:^|\s)原因[？?]?$|(?:新增|增加|多|减少|少)了?哪(?:项|笔|些|一项|一笔)|什么原因|啥原因|什么缘故|原因是|理由|(?:拿来|用来|拿去|用去)[修买搞办干做]?(?:些)?什么|怎么解释|如何解释|主要用于|用于什么|用途|用在哪些地方|用在哪|用在什么|花在哪些地方|花(?:在|到|去)?哪|在哪些地方|哪些地方|花在什么|哪些方面|(?<!负责)(?<!负责干)(?:干什么|做什么)")
# what the money is for ("用来干什么", "主要用于什么"), not why a figure changed: a reason sentence (…的原因是…)
# does not answer it
PURPOSE = re.compile(r"用来|(?:拿来|拿去|用去)[修买搞办干做]?(?:些)?什么|用于什么|用途|用在|花在|花(?:到|去)?哪|(?<!负责)(?<!负责干)(?:干什么|做什么)")
# a name or a description asked, not a figure ("实施单位是哪个", "是什么性质的单位", "绩效目标是什么")
TEXT_ASK = re.compile(r"是什么(?!原因)|负责(?:干|做)(?:些)?什么|是干什么的|什么目标|哪些目标|达到什么|实现什么|是哪个|是哪家|是哪一个|哪个单位|哪些单位|包括哪些|有哪些|什么性质|性质是|是谁")
TARGET_ASKED = re.compile(r"目标值|指标值|指标(?:定的|定为|设定为?|设的|是多少)")  # a target as printed ("指标定的是多少")
_FIGURE_ASK = re.compile(r"多少|几|百分|比例|比重|占|金额|数额|预算数|决算数|钱")
TABLE_NAMED = re.compile(r"([\u4e00-\u9fa5]{2,16}?)表(?:里|中|内|上|的)")  # "在经济分类表里": the table is named
TABLE_WORDS = ("三公", "基本支出", "项目支出", "财政拨款", "政府性基金", "经济分类", "一般公共预算", "机关运行")


@dataclass(frozen=True)
class Ask:
    """What a text asks for, as the ranking reads it (everything that does not depend on the facts)."""
    text: str  # normalised
    count: str  # the unit of a count asked for (人, 辆, 个), else ""
    money: bool  # an amount ("资金", "万元"), never a count
    change: bool  # a change ("比上年", "增加了多少"), stated in prose rather than printed in a cell
    kind: str  # 预算 / 决算 when the text says which
    measures: frozenset[str]  # canonical measures named (上年预算 not, when 比上年 names the base)
    expansions: tuple[thesaurus.Expansion, ...]  # the budget terms and codes it names
    narrative: bool  # words a sentence answers (原因, 上年, 人数 …)
    income: bool  # asks about income (收入, 来源)
    percent: bool  # a percentage ("百分之几", "增长了多少" without a unit)
    narrative_only: bool  # only a sentence answers (a change, or "说明里写的")
    columns: tuple[str, ...]  # patterns the cited column must match (年初预算 is not 决算数)
    content: tuple[str, ...]  # the words naming the item (content_terms)
    specific: tuple[str, ...]  # those of them that are not words of a total (支出, 预算 …)
    grams: frozenset[str]  # character bigrams
    actual: bool  # asks for the actual figure (实际, 决算, 执行)
    planned: bool  # asks for the planned figure (年初, 预算数)
    spending: bool  # names money going out (支出, 用于, 花在 …)
    fund: bool  # names one fund (财政拨款, 政府性基金 …), not all of the unit's
    table_words: tuple[str, ...]  # words of a table title it names (三公, 基本支出 …)
    table_named: str = ""  # the words before "表里/表中" ("在经济分类"): a table the cited cell must be in
    period: str = ""  # a part of the year named ("第一季度", "上半年"): only a figure for it answers
    numbers: frozenset[str] = frozenset()  # its digit runs: a code is named whole ("2140101" names no "214")
    member: str = ""  # a department's unit named: only the facts of its rows answer
    excluded: tuple[str, ...] = ()  # items said not to be asked ("（不是安装费）"): no row naming one answers
    rate_named: bool = False  # a rate is what is asked ("床位使用率"): only a percentage answers
    direction: str = ""  # the way a change is asked ("比上年少了多少": "down", "增加了多少": "up"), else ""
    classified: tuple[str, ...] = ()  # the national classification's names the text says
    parent: tuple[str, str] = ("", "")  # the code and name of a 类/款 named as the place of the item ("社会保障和就业支出里的")
    within: Ask | None = None  # what is asked within that parent, ranked without its name
    projects: tuple[str, ...] = ()  # projects named in quotes (“非遗保护传承”项目): a figure of another is no answer


# everyday words for what the documents print (budgetqa/data/plain_words.csv: 进账 -> 收入, 原本打算花 -> 预算
# …), and three whose printed words depend on what they say: the units a department comprises, the fund
# money is got from, what land sales pay for
_UNITS_ASKED = r"(?P<units>(?:包括|包含|有|由)(?:哪些|哪几家|几家|几个)(?:单位|部门)(?:组成|构成)?)(?![（(]单位构成)"
_GRANT = (r"(?P<grant>(?:从|由)(?P<source>财政|政府性基金|国有资本经营)(?:预算)?(?:那里|那儿|那边)?(?:能|可以)?"
          r"(?:一共|总共)?(?:拿到|拿了|得到|获得)|(?:的钱)?来自(?P<source2>财政|政府性基金|国有资本经营)(?:预算)?)")  # "有多少钱来自政府性基金"
_GAVE = r"(?P<gave>(?<!非)财政(?:部门)?(?:一共|总共|共|总计)?(?:新|另外|又)?给(?:了|的)?)"  # "财政一共给了多少钱": its grant
_LAND = r"(?P<land>卖地(?:收来|得来|来|挣来|换来)?的钱)(?P<spent>(?=搞|用于|用来|拿去|安排|花))?"
_PLAIN_WORDS = re.compile("|".join([_UNITS_ASKED, _GRANT, _GAVE, _LAND] + [
    f"(?P<plain{i}>{said})" for i, (said, _) in enumerate(thesaurus.plain_words())]))


# a list of examples before what they exemplify ("发工资、交社保这些人头上的开支"): no items to add
EXAMPLES = re.compile(r"[^，,。？?、\d（）()加]{1,8}(?:(?:、|加上?)[^，,。？?、\d（）()加]{1,8})+(?:这些|这类|之类的?|等等|这(?![些类个项笔]|[几一二两三四五六七八九十]+[个项笔类块])(?=[“\"]?[\u4e00-\u9fa5]))"
                      r"(?!加|合|一共|总|共|是|有)(?P<item>[^，,。？?]*)")


# examples said as things done, one after another without 、 ("修路修管网这类基础设施", "发工资交社保这些开支")
_DOING = "修建买搞办盖做发交请租养种补装换扫收治造"
_DONE_EXAMPLES = re.compile(rf"(?:[{_DOING}][^，,。？?、\d{_DOING}这]{{1,3}}){{2,}}(?:这些|这类|之类的?|等等)"
                            r"(?!加|合|一共|总|共|是|有)(?P<item>[^，,。？?]*)")


def _examples_dropped(text: str) -> str:
    """The examples go when the words after them name a budget item ("人头上的开支": 人员经费); they
    stay when those words say only "开销" (then the examples name it: "出差的路费、住宿这些开销")."""
    def dropped(m: re.Match) -> str:
        # ("扫马路、收垃圾这些环境卫生的钱": examples, then what they are examples of, in words of its own)
        marked = m[0][:m.start("item") - m.start()].endswith(("这些", "这类", "之类", "之类的", "等等"))
        named = any(e.kind == "item" for e in thesaurus.expand(m["item"])) or (
            marked and re.match(r"[\u4e00-\u9fa5]{2}", m["item"]) is not None and not _ONLY_MONEY.match(m["item"]))
        return m["item"] if named else m[0]
    return _DONE_EXAMPLES.sub(dropped, EXAMPLES.sub(dropped, text))


# the words after examples that name nothing but money ("…这些开销", "…之类的钱"): the examples name it
_ONLY_MONEY = re.compile(r"(?:的|上的|方面的|相关的)?(?:钱|费用|开销|开支|花销|支出|经费|东西|事情?)")


def _left_out_names(excluded: tuple[str, ...]) -> tuple[str, ...]:
    """The names rows and columns print for what a question leaves out: the words as said and as printed
    ("买车" -> 公务用车购置费), and the whole the part is printed with ("（不算买车）": no 公务用车购置及运行费)."""
    said = {word for term in excluded for word in (term, printed_words(normalize(term))) if len(word) >= 2}
    wholes = {whole.term for whole in thesaurus.terms() if len(whole.parts) > 1 and said & set(whole.parts)}
    return tuple(sorted(said | wholes, key=len, reverse=True))


def printed_words(text: str) -> str:
    """`text` with everyday words put as the documents print them ("进账" -> 收入, "原本打算花" -> 预算,
    "包括哪些单位" -> the 单位构成 the templates print, "纳入…编制范围的单位", "安全体检" -> 安全检测)."""
    def printed(m: re.Match) -> str:
        if m["units"]:
            return m["units"].replace("组成", "").replace("构成", "") + "（单位构成，纳入范围）"
        if m["grant"]:  # "从财政那里拿到了多少钱", "从政府性基金那边能拿到多少钱"
            source = m["source"] or m["source2"]
            return "财政拨款收入" if source == "财政" else f"{source}预算拨款收入"
        if m["gave"]:
            return "财政拨款收入"
        if m["land"]:  # "拿卖地收来的钱搞…": what the land sales pay for, not the sales themselves
            return "国有土地使用权出让收入" + ("安排的支出" if m["spent"] is not None else "")
        return thesaurus.plain_words()[int(m.lastgroup.removeprefix("plain"))][1]
    return _examples_dropped(_PLAIN_WORDS.sub(printed, text))


def ask_of(text: str, names: str = "", member: str = "", quoted: tuple[str, ...] = (),
           excluded: tuple[str, ...] = (), projects: tuple[str, ...] = ()) -> Ask:
    """What `text` (a question's item text, or an operand of a computation) asks for; `names`, the
    units' names, whose words in it name no item; `quoted`, names the question sets in quotes, whose
    parts name no budget term of their own (培训 of “人民调解员培训”项目 is no 培训费); `excluded`,
    items the question says it does not ask ("（不是安装费）"); `projects`, projects it names in quotes."""
    # the documents print 上年 (上年结转, 上年预算数) and 拨款 ("财政拨了多少" asks the 拨款)
    q = normalize(text).replace("去年", "上年").replace("上一年", "上年").replace("拨了", "拨款").replace("拨给", "拨款")
    q = printed_words(q)
    change = any(w in q for w in CHANGE_WORDS) or bool(_ASKS_CHANGE.search(q))
    content = tuple(content_terms(q, names))
    measures = asked_measures(q) - ({"上年预算"} if change else set())
    specific = tuple(w for w in content if w not in TOTAL_VOCABULARY and not _TOTAL_ONLY.fullmatch(w)
                     and not (len(w) > 2 and w.endswith("表")))  # "绩效自评表中": a table, not the item
    # "奖金人员经费": 人员经费 names the column, 奖金 the row — unless the measure is all it names (a
    # breakdown is also a row's name, 人员经费合计; 年初预算 never is)
    specific = tuple(w for w in specific if w not in measures & standard.BREAKDOWN_MEASURES) or specific
    if member:  # "局本级自己的收入": the unit's own row, 自己 names no item
        specific = tuple(w for w in specific if w != "自己")
    count = asked_count(q)
    parent = _parent_named(text)
    if count:  # "到2024年底有几辆车": the date a stock is counted at, no item; "多少人次": the unit counted
        specific = tuple(w for w in specific if w not in ("年末", "年初", count))
    return Ask(
        text=q, count=count, money=bool(_ASKS_MONEY.search(q)), change=change, kind=asked_kind(q),
        measures=frozenset(measures),
        expansions=_narrowest(tuple(e for e in thesaurus.expand(q) if not _inside_quoted(e, q, quoted)), q),
        narrative=any(cue in q for cue in NARRATIVE_CUES), income=any(w in q for w in INCOME_WORDS),
        percent=any(w in q for w in PERCENT_WORDS) or bool(_ASKS_RATE.search(q) or _RATE_NOUN.search(q)),
        narrative_only=change or any(w in q for w in NARRATIVE_ONLY) or bool(WHY.search(q) or _PER_PROSE.search(q)),
        columns=tuple(column for asked, column in _MEASURES if re.search(asked, q)),
        content=content,
        specific=specific,
        excluded=_left_out_names(excluded),
        grams=frozenset(bigrams(q)), actual=bool(_ASKS_ACTUAL.search(q)), planned=bool(_ASKS_PLANNED.search(q)),
        spending=bool(_SPENT.search(q)), fund=any(w in q for w in standard.FUND_WORDS),
        table_words=tuple(w for w in TABLE_WORDS if w in q),
        table_named=next(iter(TABLE_NAMED.findall(q)), ""), numbers=frozenset(re.findall(r"\d+", q)), member=member,
        rate_named=bool(_RATE_NOUN.search(q)), direction=_direction_asked(q) if change else "",
        period=next(iter(_PERIOD.findall(q)), ""),
        classified=tuple(thesaurus.classification_names_in(text)), parent=parent,
        within=ask_of(normalize(text).replace(parent[1], " "), names, member) if parent[0] else None,
        projects=projects)


IN_BRACKETS = re.compile(r"[（(][^（）()]*[)）]")  # an aside or gloss in brackets


@dataclass(frozen=True)
class Reason:
    """What a why / what-for question asks the reason of, read once (answer/explain.py finds the sentence)."""
    ask: Ask  # the item, the why-words set aside
    changes: tuple[str, ...]  # the change whose reason is asked ("为啥比上年少了": 减少, 下降)
    above: tuple[bool, bool]  # more / less said ("决算超过年初预算"): the sentence must say the same
    purpose: bool  # what the money is for ("用来干什么"), not why it changed
    which_item: bool  # "主要是新增了哪项费用": the amount the reason names
    rate: bool  # "执行率只有多少？为啥这么低": the rate stated before the reason
    how_much: bool  # "比上年多出来多少？为什么？": an amount asked beside the reason


MORE = re.compile(r"大于|超过|超出|高于|多于")
LESS = re.compile(r"小于|低于|少于|偏低|未完成|没有?(?:全部)?(?:完成|执行完)")
# a change said in everyday words ("为什么比上年少了", "为啥涨了")
_FEWER_NOW = re.compile(r"少(?:安排|花|拿|给|拨)?了|降了|[大下]降|低了|减了|小了|缩水|缩减|没花完|没用完")
_MORE_NOW = re.compile(r"多(?:安排|花|拿|给|拨)?了|多出|涨了|[大上猛暴]涨|高了|增了|大了")
_WHICH_ITEM = re.compile(r"(?:新增|增加|多|减少|少)了?哪(?:项|笔|些|一项|一笔)")
_RATE_ASKED = re.compile(r"率[^，,。？?]{0,4}(?:多少|几)")


def _direction_asked(q: str) -> str:
    """"down" when the question says its figure fell ("少了多少", "下降"), "up" when it rose, else ""."""
    down = bool(_FEWER_NOW.search(q)) or any(w in q for w in ("减少", "下降"))
    up = bool(_MORE_NOW.search(q)) or any(w in q for w in ("增加", "增长"))
    return "down" if down and not up else "up" if up and not down else ""


def _changes_asked(q: str) -> tuple[str, ...]:
    """The words of the change a question asks the reason of ("为什么增加", "为啥比上年少了": 减少, 下降)."""
    changes = [w for w in ("增加", "减少", "增长", "下降") if w in q]
    return tuple(changes + (["减少", "下降"] if _FEWER_NOW.search(q) else ["增加", "增长"] if _MORE_NOW.search(q) else []))


def reason_of(text: str, names: str = "") -> Reason:
    """What a why / what-for question (its item text) asks about."""
    ask = ask_of(WHY.sub("", text), names)
    changes = _changes_asked(ask.text)
    return Reason(ask=ask, changes=changes, above=(MORE.search(ask.text) is not None, LESS.search(ask.text) is not None),
                  purpose=PURPOSE.search(text) is not None and not re.search(r"为什么|为何|为啥|原因", text) and not changes,
                  which_item=_WHICH_ITEM.search(text) is not None, rate=_RATE_ASKED.search(normalize(text)) is not None,
                  how_much=re.search(r"多少|几", text) is not None)


_COLUMN_WORDS = (*standard.BREAKDOWN_MEASURES, *standard.FUND_WORDS, "预算", "决算", "年初", "全年", "上年", "合计", "小计",
                 "总计", "支出", "经费", "资金", "安排", "多少", "是多少", "一共", "共")
_WITHIN = re.compile(r"(?:当中|之中|中|里面?|下面?|项下)的?(?:属于)?(?=[\u4e00-\u9fff]{2})")  # ("…中属于公用经费的")


def _parent_named(text: str) -> tuple[str, str]:
    """The code and name of a 类 or 款 the question names as the place of what it asks ("社会保障和就业
    支出里的养老保险": 208), else ("", "")."""
    q = normalize(text)
    for name in thesaurus.classification_names_in(q):
        at = q.find(name)
        codes = [code for code in thesaurus.code_for_name(name) if len(code) in (3, 5)]
        within = _WITHIN.match(q, at + len(name)) if at >= 0 else None
        # "财政事务行政运行": a 项 of the 款 named right after it
        after = thesaurus.classification_at(q, at + len(name)) if at >= 0 and len(codes) == 1 else ""
        child = any(code.startswith(codes[0]) and code != codes[0] for code in thesaurus.code_for_name(after)) if after else False
        # (what follows may be a column of the 类's own row: "…支出中的项目支出", "…里一般公共预算安排了多少")
        if len(codes) == 1 and (child or (within and not q[within.end():].startswith(_COLUMN_WORDS))):
            return codes[0], name
    return "", ""


def _narrowest(expansions: tuple, q: str) -> tuple:
    """"添一辆新公车，买车的预算": a part named (买车, 公务用车购置费) is what is asked, not the whole
    it belongs to (公车) — unless the whole names a table of its own (三公经费里的接待费), or the part
    only glosses it in brackets ("公车上的钱（买车加用车）")."""
    glosses = [m.span() for m in IN_BRACKETS.finditer(q)]
    named = {e.term for e in expansions  # (two parts named are the whole again: "买车加用车")
             if not any(start < e.start and e.end < end for start, end in glosses)}
    return tuple(e for e in expansions if not (len(e.parts) > 1 and len(named & set(e.parts) - {e.term}) == 1
                                               and not standard.named_topics(e.text, by_key=True)))


def of_document_kind(ask: Ask, kind: str) -> Ask:
    """The ask as a document of `kind` can answer it: "甲局的预算和乙局的实际支出比" asks a 预算
    document for its budget; the 决算 the question says binds only the documents that have one."""
    if not (ask.kind == "决算" and kind == "预算" and "预算" in ask.text):
        return ask
    return replace(ask, kind="", actual=False, columns=(), measures=ask.measures - {"决算数", "执行数"})


_SPENDING = re.compile(r"(?:支出|经费|开支|开销|的钱)$")
_SPENT = re.compile(r"支出|用于|用在|花在|花了|花的|花费|开支|花出去|花掉")  # money going out ("用于治理水污染的钱"), not coming in


def asked_measures(text: str) -> set[str]:
    """The canonical measures a text names, by their printed names or another name of the spending
    the thesaurus knows ("项目开支" is 项目支出, "日常公用开支" 公用经费); looser words ("日常运行"
    of 公车日常运行, "项目资金") name an item, not a column."""
    for expansion in thesaurus.expand(text):
        if expansion.term in standard.BREAKDOWN_MEASURES and _SPENDING.search(expansion.text):
            text = text.replace(expansion.text, expansion.term)
    return standard.named_measures(text)


def content_terms(q: str, names: str = "") -> list[str]:
    """The words of a question that name the item: not its year or question words, nor words of the
    units' `names` a short form of a name leaves (服务 of 政务服务中心) — unless the word is a national
    classification's whole name (司法 of 司法局 is 20406 司法, 交通运输 of 交通局 names 214 交通运输支出)."""
    words = []
    q = ASKED_UNIT.sub(" ", _YEAR_WORD.sub(" ", q.replace("年底", "年末")))  # "2026年花在…" must not yield "年花", nor "换算成元" "成元"
    q = _ADDED_UP.sub(" ", q)  # "的钱加起来": not a word 钱加
    q = _MEASURE_TOTAL.sub(" ", q)  # "基本支出合计": 基本支出 and its total, not 基本 and 支出合计
    q = q.replace("的话", "的 话")  # "…中心的话费": no particle 的话 (jieba would cut 的话|费)
    tokens = lexicon.tokenizer().lcut(q)
    for at, token in enumerate(tokens):
        if token[-1:] in ("有", "是", "为") and (token[:-1] in TOTAL_VOCABULARY or token[:-1] in QUESTION_WORDS):
            token = token[:-1]  # "总计有多少", "按元算为多少": jieba glues the verb to the word
        if len(token) > 2 and token.endswith("多少"):
            token = token[:-2]  # "收入多少" (a word it does not know before 多少)
        if len(token) == 2 and token[1] in "多少高低" and _RANKED.search(q):
            continue  # "哪家车多": the thing ranked (车) and the comparison, no item word
        if (len(token) >= 2 and token not in QUESTION_WORDS and not re.fullmatch(r"[0-9.%年度]+", token)
                and not _COUNTING.fullmatch(token)
                and not (token in names and not _names_class(token) and _in_a_name(tokens, at, names))):
            words.append(token)
    return words


_ORG_WORD = re.compile(r"(?:中心|街道|[局委办院所站队馆处社部厅署会])$")


def _in_a_name(tokens: list[str], at: int, names: str) -> bool:
    """Whether a word of a unit's name is said as part of a name: an organisation's word (中心), beside
    another word of the names ("甲市民政"), or the question's first word ("乙街道2024年…") — not an
    item that shares a word with the name ("政府采购买服务" of 政务服务中心, "城乡医疗救助" of 医疗保障局)."""
    words = [(i, t) for i, t in enumerate(tokens) if t not in _LISTING or i == at]  # "甲、乙两个镇": 乙 is beside 甲
    k = words.index((at, tokens[at]))
    beside = [t for _, t in words[max(k - 1, 0):k] + words[k + 1:k + 2]]
    return at == 0 or bool(_ORG_WORD.search(tokens[at])) or any(len(t) >= 2 and t in names for t in beside)


_LISTING = frozenset("、，,和与及跟")


_ADDED_UP = re.compile(r"加起来|加在一起|合起来")
_MEASURE_TOTAL = re.compile(rf"(?<={'|'.join(sorted(standard.BREAKDOWNS))})(?=合计|总计|小计|总额)")
_RANKED = re.compile(r"哪家|哪个|谁")


def _inside_quoted(expansion: thesaurus.Expansion, q: str, quoted: tuple[str, ...]) -> bool:
    return any(len(name) > len(expansion.text) and at <= expansion.start and expansion.end <= at + len(name)
               for name in quoted for at in (q.find(name),) if at >= 0)


def _names_class(word: str) -> bool:
    """A national classification's name, or its 类's without 支出 ("交通运输" of 交通运输支出)."""
    return thesaurus.is_classification_name(word) or thesaurus.is_classification_name(word + "支出")


_POINTED = re.compile(r"[那这](?:[几两二三四五六七八九十]+)(?=[辆台张个位名])")


_MONEY_ASKED = re.compile(r"多少钱|花多少|要花|花了|多少万|多少元|几万|金额")  # an amount asked in so many words


def asked_count(question: str) -> str:
    """The unit of a count asked for ("几辆" -> "辆"), else ""."""
    question = _NOT_STAFF.sub("", _PEOPLES_MONEY.sub("", question))  # "预算编制范围", "多少人员经费" count no staff
    question = _POINTED.sub("", question)  # "那几辆车的油费": the cars pointed at, no count asked
    if _PEOPLE_COUNTED.search(question):  # "有多少已经离退休的人员": people, however described
        return "人"
    said = [(unit, w) for unit, words in COUNT_WORDS.items() for w in words if w in question]
    if said and all(not re.search(r"多少|几", w) for _, w in said) and _MONEY_ASKED.search(question):
        return ""  # "给在职人员交养老保险要花多少钱": the people named, money asked
    return next((unit for unit, _ in said), "")


def asked_kind(question: str) -> str:
    q = _FUND_TERMS.sub("", normalize(question))  # "一般公共预算拨款" does not say which kind of document
    if "决算" in q and "预算" in q:
        return ""  # compares the two
    if "决算" in q or "实际支出" in q:
        return "决算"
    if "预算" in q:
        return "预算"
    return ""


def asks_text(question: str) -> bool:
    """The question asks a name or a description that the documents write in words, not a figure."""
    q = normalize(question)
    # an indicator's target is printed as words (≥95%, 明显提升) even when asked "是多少"
    return ((bool(TEXT_ASK.search(q)) and not _FIGURE_ASK.search(q) and not WHY.search(q)) or bool(TARGET_ASKED.search(q))
            or bool(described_topic(q)))


# what a unit is, as its document's opening describes it: its nature, its duties, the units it is made of
# ("是什么性质的单位", "主要负责什么工作", "下属有什么事业单位", "包含哪几家单位"); standard.TOPIC_SAID says
# how documents write each
UNIT_TOPICS = (("性质", re.compile(r"性质|什么(?:类型|类别|样)的单位|哪(?:类|种)单位")),
               ("职责", re.compile(r"职责|职能|负责(?:什么|哪些|干什么|做什么)|主要负责|是干什么的|是做什么的")),
               ("构成", re.compile(r"下属(?:有|的|单位)|所属(?:有|的)?(?:哪|什么)|(?:包括|包含|由)哪(?:几|些)?(?:家|个)?(?:单位|部门|机构)"
                                 r"|哪几家|几家单位|哪些单位|单位构成")))


def described_topic(question: str) -> str:
    """Which of the UNIT_TOPICS the question asks about, else ""."""
    q = normalize(question)
    if _FIGURE_ASK.search(q) and not re.search(r"哪几家", q):
        return ""  # "下属单位的支出是多少": a figure
    return next((topic for topic, asked in UNIT_TOPICS if asked.search(q)), "")
