"""operation: the arithmetic a question asks for — share, sum, per person, item or column difference,
growth, ranking across documents — and the pieces of the question that name its operands. Read once,
when the question is parsed (budgetqa.query.question.parse_query); budgetqa.answer.calculator computes it."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from budgetqa.model.standard import BREAKDOWNS, FUND_WORDS
from budgetqa.model.text import normalize
from budgetqa.query import thesaurus
from budgetqa.query.asking import EXAMPLES, IN_BRACKETS, TABLE_NAMED, TARGET_ASKED

# "占多少" asks a share; "占多少钱" an amount
HOW_MUCH_OF = r"(?:多少(?!钱|万元|元|资金|金额)|几)"
SHARE = re.compile(rf"(?P<a>.+?)占(?!有|用|地)了?(?P<b>.*?)的?(比重|比例|百分之几|百分之多少|百分比|{HOW_MUCH_OF}|几成|%|份额|比(?=[?？。]?$))")
# "水费加电费一共多少": 加 lists the items summed (not 增加, 附加, 加班费, 加强)
PLUS = re.compile(r"(?<=[\u4e00-\u9fff])(?<![增附参追叠])加上?(?![班强快大速在到起总])(?=[\u4e00-\u9fff])")
# where parse_query marks a department's unit named in the question ("§0§"), for the operands to carry it
MEMBER_MARK = re.compile(r"§(\d)§")
# "分别是多少": each figure asked — two documents' are compared (the larger named, both given)
EACH = re.compile(r"分别|各是|各为|各有(?:多少|几)|各自(?:是|有)多少|各(?:安排|花|用|拨|支出)了?多少")
_COMPARED = re.compile(r"比|差(?!旅)|多出|少出|哪个|哪家|谁|更[高多少低大小]|[多少高低大小]多少|[多少高低大小]了?几|倍|占")  # what "分别" asks besides
SUM_WORDS = ("加起来", "加在一起", "加到一起", "加一起", "加一块", "加到一块", "加在一块", "加总", "合起来", "合在一起", "合一起", "之和",
             "总和", "一共", "共计")
# "人均", "按在职人数平摊下来每人": the amount over the unit's staff
PER_PERSON = re.compile(r"人均|生均|(?:按|以)?(?:实有)?(?:在职|在编)?(?:人员|人数|人头)?(?:平摊|分摊|平均)(?:下来|到)?(?:每人|每个人|每名)(?!次)|(?<!平均)(?<!平摊)每人(?!次)"
                        r"|(?:平均)?(?:摊|分|平均)到每(?:个|位|名)?[^，,。？?]{0,6}?(?:人员|职工|员工|人(?!次))(?:身上|头上)?")  # "平均摊到每个实有在职人员身上"
# "平均每台预算多少": the amount over the row's 数量; "平均到每接待一人次": over the 人次 a sentence counts
PER_COUNT = re.compile(r"(?:平均)?(?:到)?(?:每(?:[^\d，,。？?的]{0,3}?)一?|(?<=平均)一|一(?=(?:台|套|件|辆)车?(?:摊|分摊|平均)))"
                       r"(?P<unit>台|套|件|辆|张|项|批次|人次)")  # (平均一台, 一辆车摊下来)
# "哪家最高", "谁的…更高", "哪家在职人员多" (not "是多少"): which of the documents ranks first
RANK_ASKED = re.compile(r"(哪|谁)[^，,。？?]*?(更|最)?(?P<way>高|多(?!少)|大|低|(?<!多)少|小)")
_RANK_FIRST = re.compile(r"最(?P<way>高|多(?!少)|大|低|(?<!多)少|小)的?(?:是|为|属)?(?:哪|谁)"  # "…最少的是哪家"
                         r"|(?:排名?|位居|数)(?:在)?(?:第一|首位|(?P<last>最后|末位))|(?P<bottom>倒数第一)"  # "哪个排第一"
                         # "…排个名", "从高到低怎么排": the whole order, the first named
                         r"|排个?名|排序|排一下|怎么排|从(?:高|大|多)到(?:低|小|少)|(?P<rising>从(?:低|小|少)到(?:高|大|多))")
_MINUS = re.compile(r"减去|减掉")  # "甲的X减去乙的X": the first less the second
_LATTER_FIRST = re.compile(r"后者(?:比|较|相比|对比)")  # "A和B…，后者比前者…": B measured against A
_YEAR_TO_YEAR = re.compile(r"(?:20)?[0-9]{2}年[^，,。？?]{0,12}?到(?:20)?[0-9]{2}年")  # the year named first is the base
_YEARS_SUMMED = re.compile(r"[两二三四五几多]年|历年|各年|每年")  # "两年一共": a unit's years added on purpose
# "甲和乙的三公经费加起来，甲占百分之几": one unit's share of the units' sum
SHARE_OF_SUM = re.compile(rf"(?:{'|'.join(SUM_WORDS)}|合计)(?:里面?|中|当中)?[，,]?(?P<part>[^，,。？?的]{{0,24}}?)(?:一家|自己|单独)?的?占了?"
                          r"(?:其中|合计|总数)?的?(?:百分之几|百分之多少|多少|多大|几成|比重|比例|百分比)"
                          # "甲的机关运行经费占甲加乙两家合计的百分之几": the unit named before 占
                          r"|^(?P<first>[^，,。？?]{2,30}?)占(?:[^，,。？?]{0,30}?加[^，,。？?]{0,30}?|[^，,。？?]{0,30}?(?:两|三|四|几)(?:家|个|镇|局|所|地)的?)"
                          r"(?:合计|总和|之和|加起来|加在一起)"
                          r"的?(?:百分之几|百分之多少|多少|多大|几成|比重|比例|百分比)"
                          # "甲、乙2024年人员经费，甲一家占两家合计的百分之几": the item said first, the unit after
                          r"|[，,](?P<unit>[^，,。？?]{0,30}?)(?:一家|自己|单独)?的?占(?:两|三|四|几)(?:家|个|镇|局|所|地)的?"
                          r"(?:合计|总和|之和|加起来|加在一起)的?(?:百分之几|百分之多少|多少|多大|几成|比重|比例|百分比)"
                          # "甲加乙的机关运行经费里，甲占百分之几": the units joined by 加, the item, then the unit
                          r"|加[^，,。？?]{0,20}?的(?P<summed>[^，,。？?]{2,30}?)(?:里面?|中|当中)[，,]"
                          r"(?P<joined>[^，,。？?]{0,30}?)(?:一家|自己|单独)?的?占了?(?:百分之几|百分之多少|多少|多大|几成|比重|比例|百分比)")
# "A是B的百分之几", "A是B的几倍": A ÷ B (not the change from B to A)
# (b may hold the comma that keeps a unit's number from its year apart: "甲12345，2025年的")
RATIO = re.compile(r"(?P<a>.+?)(?P<verb>是|相当于)(?P<b>(?:[^，,。？?；;比]|[，,](?=20[0-9]{2}年))+?)的?"
                   r"(?P<way>百分之几|百分之多少|百分比|多少倍|几倍)")
GROWTH_WORDS = ("增长率", "增幅", "增长了百分之几", "增长百分之几", "增长多少%", "变化率", "百分之几", "百分之多少", "几成")
STAFF_WORDS = re.compile(r"在职人员|在职|在编人员|职工|员工")
_STAFF_WHO = re.compile(r"实有|在职|在编|编制|工作人员|人员|职工|员工|干部|全体|单位|全部|所有|年末|年底|年初")  # the staff, however said
# "按在职人数算，": how the figure is divided, no words of the figure divided (人数 would read a count)
_BY_HEADCOUNT = re.compile(r"(?:按|以|除以)(?P<who>(?:实有)?[\u4e00-\u9fa5]{0,8}?)的?(?:人数|人头数?|人员)(?:来)?(?:计算|算|计|平摊|分摊|平均)?"
                          r"(?:下来)?[，,、]?")
CHANGE_ASKED = re.compile(r"(增加|减少|增长|下降|压减|压缩|变化|涨|降|多|少|相差|差|高出?|低出?)了?(百分之)?(多少|几)")
_COUNTED_UNITS = "辆台套人名个家项次所"  # "多几辆": a count of things, not of money
# the words that say a figure changed against its base
_CHANGE_WORD = re.compile(r"增长|增加|减少|下降|变化|变动|增减|增幅|降幅|涨幅|涨|降|多|少|高|低|超出|超过|超支|节约|结余|差额|相差|差距")
# "2024年预算比2023年执行数增长了百分之几", "决算比年初预算少了多少", "较上年的增减率": two columns of one row
COLUMN_CHANGE = re.compile(r"(?:比|较)(?P<base>(20[0-9]{2}|[0-9]{2})年(执行数|决算数|决算|预算数|预算)?|上一?年(执行数|预算数|决算数|预算)?|去年|年初预算数?|全年预算数?|预算数?)"
                           rf".*({_CHANGE_WORD.pattern})")
# "决算数和预算数差了多少" (the larger minus the smaller), "实际支出超出年初预算多少": one row's two columns
COLUMN_GAP = re.compile(r"(?:决算数?|实际支出|执行数?)(?:和|与|跟|同)(?P<base>年初预算数?|全年预算数?|预算数?)之?间?(?P<gap>相差|差)"
                        r"|(?:超出|超过|超支)(?P<base2>年初预算数?|全年预算数?|预算数?)"
                        r"|(?P<base3>年初预算数?|全年预算数?|预算数?)(?:和|与|跟|同)(?:实际)?(?:决算数?|支出|执行数?)之?间?(?P<gap3>相差|差)"
                        # "…合计与上年预算数相比增减幅度是多少": the row against a column of the year before
                        r"|(?:和|与|跟|同)(?P<base4>(?:20[0-9]{2}|[0-9]{2})年(?:执行数|决算数|决算|预算数|预算)?|上年(?:执行数|预算数|决算数|预算)?|去年)"
                        r"(?:相比|比较?)[，,]?[^，,。？?]*?(?:增减|增长|增加|减少|下降|变化|变动|幅度|多|少)"
                        # "三公 预算 决算 差额": the two columns typed side by side, then the gap
                        r"|(?:(?P<base5>年初预算数?|全年预算数?|预算数?)(?:决算数?|执行数)|(?:决算数?|执行数)(?P<base6>年初预算数?|全年预算数?|预算数?))"
                        r"(?P<gap5>差额|相差|差)")
# "决算完成了年初预算的百分之多少", "预算执行率": the figure spent ÷ the budget it is measured against
# "预算里有多少没有花出去", "还剩多少没花": a row's budget less what it spent
UNSPENT = re.compile(r"(?:有多少|多少)(?:亿元|万元|元)?(?:钱|预算|资金)?(?:没有?|未)(?:花|用|支出|执行)(?:出去|完|掉)?"
                     r"|(?:还)?剩(?:下|余)?多少(?:亿元|万元|元)?(?:钱)?没(?:有)?(?:花|用)"
                     r"|(?:没有?|未)(?:花|用|执行)完[，,\s]*(?:还)?(?:差|剩)(?:了|下)?多少")  # "没执行完 差多少"
COMPLETION = re.compile(r"完成(?:了)?(?P<base>年初预算|全年预算|调整预算|预算)数?的?(?:百分之|%|多少|几|比例|百分比)|(?:预算)?(?:完成|执行)率"
                        # "…的全年预算执行了百分之几": the row's figure over that budget column
                        r"|(?P<base3>年初预算|全年预算|调整预算|预算)数?的?执行(?:了|到)?(?:百分之|%|多少|几|比例|百分比)"
                        # "…全年决算数是年初预算数的百分之多少": the row's figure over its budget column
                        r"|(?:是|相当于|占)(?P<base2>年初预算|全年预算|调整预算|预算)数?的?(?:百分之|百分比|%|多少|几)")
# "按调整后的全年预算算", "年初预算安排的钱": the base a rate or a remainder is measured against, said
# beside the item — no part of the item
_BASE_SAID = re.compile(r"(?:按照?|以|相对于?)?(?P<base>(?:调整后的)?(?:全年|年初)?预算|调整预算)数?(?:安排的钱|安排的|算的?|来算|计算)?[，,]?"
                        r"(?=[，,]|最后|最终|还|$)")
# "按在职88人算", "就3辆公务用车，", "一共8辆车（含执法执勤车），": a count the question gives to divide by
_GIVEN_COUNT = re.compile(r"(?:按|以|就|共|一共|总共|只有|有)?(?:年末|年底|目前|现在)?(?:在职|在编|实有)?(?P<n>[0-9]+)\s*(?P<unit>人|名|辆|台|套|件)(?!次|均)"
                          r"(?:公务用车|车)?(?:[（(][^）)]*[）)])?(?:计算|来算|算|平均)?[，,]?")
_BY_COUNT = re.compile(r"按[^，,。？?]{0,8}?(?:人次|台|套|件|辆|张|批次)(?:数)?(?:平均|平摊|分摊|算)?")
# "哪个项目预算最多", "哪个项级科目支出最少": the row of one document's table that ranks first
TOP_OF_ONE = re.compile(r"(?:哪个|哪项|哪一项|哪一个|什么)(?P<rows>项级科目|科目|项目|支出项目)?(?:（[^）]*）|\([^)]*\))?"
                        r"(?P<rest>[^，,。？?]{0,16}?)最(?P<way>多|高|大|少|低|小)")
_CODE_LEVELS = (("项级", 7), ("7位", 7), ("款级", 5), ("5位", 5), ("类级", 3), ("3位", 3))
# "普法宣传和信息化建设哪个多": two items of one document, compared — the larger minus the smaller
WHICH_OF_TWO = re.compile(r"(?P<a>.+?)(?:和|与|跟|同)(?P<b>.+?)(?:相比|比较)?[，,]?(?:哪个|哪项|哪一个|哪一项|谁)(?:的)?(?:更|较)?(?:多|高|大)")
# "本级和推广中心的收入合计相差多少": two items (or two units' rows) of one document, the larger first
GAP_OF_TWO = re.compile(r"(?P<a>.+?)(?:和|与|跟|同)(?P<b>.+?)(?:之间)?的?(?:相差|差多少|差额|差距|差了|之差)")
# "授予中小企业的合同中，小微企业以外的部分是多少": the whole less the part named
EXCEPT_PART = re.compile(r"(?P<a>.{2,}?)(?:里面|里|当中|之中|中)[，,]?(?P<cut>除了?|除去|扣除|去掉|扣掉)?(?P<b>.{2,}?)"
                         r"(?:(?:以外|之外)的(?:部分|金额|资金)?|(?(cut)(?:以外|之外)?[，,]?(?:还剩|剩下|剩余|其余)|(?!)))")  # "…除去B，还剩多少"
_REST_PRINTED = re.compile(r"其他(?:资金|收入)")  # the rest named as the tables print it
ITEM_DIFFERENCE = re.compile(r"(?P<a>.+?)比(?P<b>.+?)(多|少|高|低)(?:安排|花|用|支出|拨|给)?(出|了)*(多少|几)")
# asked yes or no, the gap is the answer too ("A是不是比B多", "A比B还多？") — unless a figure is asked
# before it ("X是多少？这一项好像比基本工资还高": a remark after the question)
_YES_NO_GAP = re.compile(r"^(?P<a>[^？?]+?)(?:是不是|是否)?比(?P<b>[^？?]+?)(?:还|更)?(多|少|高|低)(?:安排|花|用|支出|拨|给)?(出|了)*"
                         r"(吗|嘛|呢|[？?]\s*$|$)")


def item_gap(q: str) -> re.Match | None:
    """"A比B多多少", or asked yes or no when the question asks no figure before it."""
    return ITEM_DIFFERENCE.search(q) or (_YES_NO_GAP.search(q) if not re.search(r"多少|几", q) else None)
_VAGUE = re.compile(r"[了是有为的比多大少几成()（）%]")  # "占了多大比例", "占比多少": no whole named after 占
# 中 saying "within", not opening a word (中医, 中小企业, 中学, 中心)
_IN = r"(?:里面|里|当中|之中|中(?![医小学心央等职药级期层]))"
_WITHIN = re.compile(rf"(?P<whole>.{{2,}}?){_IN}的?(?P<part>.{{2,}})")
# a rate of change or of completion, named; the periods each unit's rate is of, in brackets or as 比上年
_RATE_NAMED = re.compile(r"增减率|增长率|变动率|增幅|降幅|(?:预算)?完成率|执行率")
_OWN_PERIODS = re.compile(r"[(（][^()（）]*[)）]|[比较]上年|^[与和、]+")
_SHARES_GAP = re.compile(r"相差|差[多几]|高[多几出]|低[多几]|百分点")  # two units' shares compared
_GAP_ASKED = re.compile(r"相差|差多少|差额|差距|差了|之差|比较|对比")  # "A和B相差多少", "比较一下A和B": the larger minus the smaller
# "X在Y中的占比"; "Y中X所占比重" (the whole first)
_SHARE_WITHIN = re.compile(r"(?P<a>[^，,]{2,}?)在(?P<b>[^，,]{2,}?)(?:中|里|当中|之中)所?的?(?:占了?(?:多大|多少)?的?)?"
                           r"(?:占比|比重|比例|(?<=占)(?:了)?(?:多少|几成)|占了?(?:多少|几成|百分之几|百分之多少))"
                           r"|(?P<b2>[^，,]{2,}?)(?:中|里|当中|之中)(?P<a2>[^，,在]{2,}?)所占的?(?:比重|比例)"
                           # "2025年的钱有多大比例是项目支出": the whole first, the part after 是 (用于, 花在)
                           r"|(?P<b3>[^，,]{2,}?)(?:中|里)?有(?:多大|多少)(?:比例|比重|百分比)(?:是|用于|用在|花在)(?P<a3>[^，,？?。]{2,})")
# "…的比重，2026年比2025年提高了多少个百分点": one document's share in this year's column against the base's
_SHARE_CHANGE = re.compile(r"(?:(?<!占)比|和|与|跟|同)(?P<base>(?:20[0-9]{2}|[0-9]{2})年|上年|去年)(?:相比|比较)?[，,]?"
                           r"[^，,。？?]*?(?:多少|几)个?百分点")
_SHARE_THEN = re.compile(r"^(.+?(?:占比|比重|比例))[，,]?(?:与|和|跟|同|比)")
_DANGLING_BI = re.compile(r"比(?=(?:亿元|万元|元)?[?？]?$)")  # 比 once the other unit and the change are taken out
_QUOTED = re.compile(r"[“\"「『](.+?)[”\"」』]")


def quoted_names(question: str) -> tuple[str, ...]:
    """The names a question sets in quotes (“人民调解员培训”项目): each asked as a whole."""
    return tuple(normalize(w) for w in _QUOTED.findall(question))


def quoted_projects(question: str) -> tuple[str, ...]:
    """The projects a question names in quotes (“非遗保护传承”项目)."""
    return tuple(normalize(m[1]) for m in re.finditer(_QUOTED.pattern + r"(?:这个|这一|这项)?项目", question))
# "三个项目的财政拨款合计", "全部项目的全年预算数加起来": a column summed over the rows of a project table
ROWS_SUMMED = re.compile(r"(?:(?P<n>[两二三四五六七八九十])个|全部|所有|各个?)项目(?:的|加起来|合计|合在一起)?")
_ROWS_COUNTED = re.compile(ROWS_SUMMED.pattern + "$")
# "项目平均每个安排多少", "平均每个项目多少", "列的几个项目，平均每个多少": the mean of a project table's rows
MEAN_OF_ROWS = re.compile(r"(?:平均)?每个项目(?:平均)?|项目[^。？?]{0,8}?平均每个")
QUARTERS = re.compile(r"(?:四个|各个?|每个|全年各?)季度")  # "四个季度的用款计划加起来"
_ROWS_TOGETHER = re.compile(r"(?:(?P<n>[两二三四五六七八九十])个|全部|所有)项目(?:[，,][^，,。？?]{0,10}?)?(?:加在一起|合在一起|合起来|加起来|总体|总的|一起|合计|整体)")


def projects_together(text: str) -> int | None:
    """"三个项目合起来…" asks of a project table's projects taken together: how many (0 for 全部/所有),
    else None."""
    m = _ROWS_TOGETHER.search(text)
    return None if m is None else _CN_COUNT.get(m["n"] or "", 0)
_CN_COUNT = {c: i + 1 for i, c in enumerate("一二三四五六七八九十")} | {"两": 2}
_LIST_TAIL = re.compile(r"(?:(?:这|那)?[两二三四五六七八九十几]+(?:个|项|笔|类|块|样|种)(?:项目|专项|科目|支出|经费|费用)?|有|(?:亿元|万元|元))+$")


@dataclass(frozen=True)
class BasePeriod:
    """The column a row's figure is compared against: a year's ("2023年执行数"), 上年 (去年), 年初预算 or 全年预算."""
    year: int | None = None
    word: str = ""  # 上年 | 年初预算 | 全年预算 when no year is named


@dataclass(frozen=True)
class Operation:
    """What to compute and the texts naming its operands (parse_query parses each into Query.operands,
    which budgetqa.answer.calculator looks up)."""
    kind: str = ""  # per_person | per_count | share | ratio | column_change | item_difference | rank | growth | sum | share_of_sum | difference | rate_gap | ""
    # the texts naming the operands: per_person (item,); share (part, whole); item_difference and a
    # ratio in one document (first, second); a sum in one document, its items; column_change, the
    # row's item; across documents, the item as a level (the change or ratio asked for taken out)
    items: tuple[str, ...] = ()
    times: bool = False  # ratio: "几倍" (A ÷ B), not a percentage
    base: BasePeriod = BasePeriod()  # column_change: the column compared against
    shortfall: bool = False  # "…少多少": the second operand minus the first
    as_rate: bool = False  # column_change: the change in %, not in money
    lowest: bool = False  # rank: the lowest, not the highest
    base_first: bool = False  # "从2023年决算到2025年预算": the document named first is the base
    completion: bool = False  # column_change: the figure as a share of its base (决算 ÷ 年初预算), not the change
    quoted: tuple[str, ...] = ()  # items the question quotes (“其他工资福利支出”): an operand must name them
    larger_first: bool = False  # difference / item_difference: "谁的…更多", "A和B哪个多" — the larger minus the smaller;
    #                              share over two documents: their shares' gap (rate_gap: their rates', always)
    level: int = 0  # top: the code length of the rows ranked ("项级科目" 7), 0 when the table's rows say
    projects: bool = False  # top: "哪个项目" ranks a project table's rows; sum: a column over them
    count: int = 0  # sum over a project table's rows: how many the question counts ("三个项目"), 0 when "全部"
    counted: str = ""  # per_count: what the row's 数量 counts ("平均每台": 台); per_person: the people, when not the staff
    quarters: bool = False  # sum: the four quarters' figures one sentence gives ("第一季度用款计划…")
    mean: bool = False  # sum over a project table's rows: their average ("平均每个项目多少")
    given: str = ""  # per_person / per_count: the count the question states ("按在职88人算": "88"), else ""
    each: bool = False  # difference: "A和B…分别是多少", nothing compared — the first named heads the answer
    part_unit: str = ""  # share_of_sum: the unit whose share of the units' sum is asked ("…加起来，甲占百分之几")
    years_summed: bool = False  # sum: "两年一共", "历年合计" — one unit's years added on purpose


def parse_operation(question: str, item_text: str, several_docs: bool, unit: str) -> Operation:
    """The operation `item_text` (the question without the unit's name, normalized) asks for;
    `question` as asked (its quotes and word order), `unit` the unit asked for."""
    kind = operation_kind(item_text, several_docs)
    if not kind:
        return Operation()
    q = item_text
    if kind == "share_of_sum":  # the item summed, named before the sum word; the unit whose share is asked after it
        said, named = SHARE_OF_SUM.search(q), SHARE_OF_SUM.search(normalize(question))  # (its name taken out of q)
        item = (said["summed"] if said["summed"] is not None
                else q[:said.start()] if said["part"] is not None or said["unit"] is not None
                else re.sub(r"^[^的]*的", "", said["first"]))
        unit = (named["part"] or named["first"] or named["unit"] or named["joined"] or "") if named else ""
        return Operation(kind, (item,), part_unit=unit)
    given = _GIVEN_COUNT.search(q)  # "按在职88人算，人均", "就3辆公务用车，…一辆车摊下来": the divisor said
    if kind in ("per_person", "per_count") and given:
        q = q[:given.start()] + q[given.end():]
    if kind == "per_person":  # (counted: the people named when not the staff, "按参训学员人头算"; 生均: the students)
        by = _BY_HEADCOUNT.search(q)
        who = _STAFF_WHO.sub("", by["who"] or "") if by else "学生" if "生均" in q else ""
        return Operation(kind, (STAFF_WORDS.sub("", PER_PERSON.sub("", _BY_HEADCOUNT.sub("", q))),), counted=who,
                         given=given["n"] if given else "")
    if kind == "per_count":
        per = PER_COUNT.search(q)
        # ("按接待人次平均，每人次多少": the count it is divided by names no part of the item)
        return Operation(kind, (_BY_COUNT.sub("", q[:per.start()] + q[per.end():]),), counted=per["unit"],
                         given=given["n"] if given and given["unit"] == per["unit"] else "")
    if kind == "share":
        gap = several_docs and bool(_SHARES_GAP.search(q))
        one = _SHARE_THEN.match(q) if gap else None
        asked = one.group(1) if one else q  # "A的X占比与B的X占比相差…": the share asked of each, once
        within = _SHARE_WITHIN.search(asked)
        match = SHARE.search(asked)
        part, whole = ((within["a"] or within["a3"] or f"{within['b2']}中{within['a2']}", within["b"] or within["b2"] or within["b3"])
                       if within  # (the part within its whole)
                       else (match["a"], match["b"]) if match
                       else (re.split("占比|比重|比例", asked)[0], ""))  # "A的项目支出占比": no whole named
        inside = _WITHIN.fullmatch(part)
        if within:  # "一般公共服务支出在一般公共预算支出中的占比"
            pass
        elif not _VAGUE.sub("", whole) and inside:  # "三公经费里因公出国费占了多大比例": the whole comes first
            # the part within the whole ("三公经费里因公出国费"); after a comma the part is named in full
            rest = inside["part"]
            whole, part = inside["whole"], rest.lstrip(",，") if rest[:1] in ",，" else inside["whole"] + rest
            if part in FUND_WORDS:  # "X这一项里，财政拨款占": X's 财政拨款 (a fund is a column of the row)
                part = f"{whole}的{part}"
            column = next((m for m in BREAKDOWNS if re.sub(r"[0-9]{2,4}年度?|[的,，]", "", whole) == m), "")
            if column and not any(m in part for m in BREAKDOWNS):  # "项目支出中，X占": X's 项目支出
                part = f"{part}的{column}"
        elif not _VAGUE.sub("", whole) and any(m in part for m in BREAKDOWNS):  # "项目支出占比": of the row's 合计
            whole = "合计"
        else:  # "X项目中，财政拨款占年度资金总额的比例": the clause before the part narrows the whole too
            part, whole = _in_context(part, whole)
            if _MEASURE_ONLY.fullmatch(whole.strip()):  # "事业运行决算占全年预算的比例": the same item's 全年预算
                whole = _MEASURE_ONLY.sub("", part) + whole
        mark = MEMBER_MARK.search(part)
        if mark and whole.startswith("其"):  # "A单位的其他收入占其本年收入合计": A's own whole
            whole = mark.group() + whole[1:]
        # "…的比重，A和B相差几个百分点": each unit's share, then the gap between them; "…的比重，2026年比
        # 2025年提高了多少个百分点": the share in each period, then the change
        change = None if several_docs else _SHARE_CHANGE.search(q)
        return Operation(kind, (part, whole), larger_first=gap, base=base_period(change["base"]) if change else BasePeriod())
    if kind == "rate_gap":  # "…的增减率，A（2026年比2025年）比B（2025年比2024年）高几个百分点"
        rate = _RATE_NAMED.search(q)
        completion = rate.group().endswith(("完成率", "执行率"))
        before = _OWN_PERIODS.sub("", q[:rate.start()])  # the item, named before its rate
        item = next((part for part in reversed(re.split(r"[的，,]", before)) if part), before)
        return Operation("rate_gap", (item,), base=BasePeriod(word="预算" if completion else "上年"),
                         as_rate=not completion, completion=completion, larger_first=True)
    unspent = UNSPENT.search(q) if kind == "column_change" else None
    if unspent:  # the budget column less the row's own figure
        base = "全年预算" if "全年预算" in q else "年初预算" if "年初预算" in q else "预算"
        return Operation(kind, (_BASE_SAID.sub("", q[:unspent.start()]),), base=BasePeriod(word=base), shortfall=True)
    completion = COMPLETION.search(q) if kind == "column_change" else None
    if completion:  # 调整预算 is the 全年预算; a bare 预算, the row's budget column (年初预算数, 预算数)
        base = completion["base"] or completion["base2"] or completion["base3"] or ""
        said = _BASE_SAID.search(q[:completion.start()])  # "按调整后的全年预算算，执行率是多少"
        base = base or (said["base"] if said else "")
        word = {"全年预算": "全年预算", "调整预算": "全年预算", "调整后的全年预算": "全年预算", "调整后的预算": "全年预算",
                "年初预算": "年初预算"}.get(base, "预算")
        return Operation(kind, (_BASE_SAID.sub("", q[:completion.start()]),), base=BasePeriod(word=word), completion=True)
    if kind == "column_change":
        match = COLUMN_CHANGE.search(q) or COLUMN_GAP.search(q)
        as_rate = bool(re.search(r"百分之|百分比|%|增长率|增减率|变动率|变化率|增幅|涨幅|降幅|减幅|增减幅度|变化幅度|变动幅度|变化了?百分", q)) or (
            bool(re.search(r"(增长|下降)了?多少", q)) and not unit)
        groups = match.groupdict()
        base = next(groups[key] for key in ("base", "base2", "base3", "base4", "base5", "base6") if groups.get(key))
        return Operation(kind, (_changed_item(q, match),), base=base_period(base),
                         as_rate=as_rate,
                         shortfall=bool(re.search(r"(少|减少|下降|降|低|降低|压减|压缩|缩减|削减)(花|用|支出|安排)?了?(百分之)?(多少|几)|降幅|(?<!增)减幅", q)),
                         larger_first=bool(groups.get("gap") or groups.get("gap3") or groups.get("gap5")))
    if kind == "ratio" and not RATIO.search(q):  # across documents by 占: the part names the item
        return Operation(kind, (SHARE.search(q)["a"],))
    if kind == "ratio":
        match = RATIO.search(q)
        times = "倍" in match["way"]
        period = _PERIOD_ONLY.fullmatch(match["b"])
        if period and not several_docs:  # "支出预算是2024年预算的几倍": one row, this year's figure over the base's
            return Operation("column_change", (match["a"],), base=base_period(period["base"]), completion=True, times=times)
        if several_docs:  # "A的购房补贴是B的百分之几": the item is named once, for both
            return Operation(kind, (q[:match.start("verb")] + q[match.end():],), times=times)
        return Operation(kind, (match["a"], match["b"]), times=times)
    if kind == "item_difference" and EXCEPT_PART.search(q):
        match = EXCEPT_PART.search(q)
        cut = match["b"].removeprefix("除了").removeprefix("除去").removesuffix("的")
        # "X项目里，除了财政拨款以外": X's own 财政拨款, not the unit's
        return Operation(kind, (match["a"], f"{match['a']}的{cut}" if cut in FUND_WORDS else match["b"]), larger_first=True)
    if kind == "item_difference" and not item_gap(q):  # "A和B哪个多", "A和B相差多少", "A和B分别是多少"
        match = WHICH_OF_TWO.search(q) or GAP_OF_TWO.search(q)
        pair = (match["a"], match["b"]) if match else _each_of_two(q)
        return Operation(kind, _shared_tail(*_in_context(*pair)), larger_first=True)
    if kind == "item_difference":
        match = item_gap(q)
        return Operation(kind, _shared_tail(*_in_context(match["a"], match["b"])), shortfall=match[3] not in "多高")
    if kind == "top":  # "哪个项目预算最多": the rows of one table ranked; the rest of the question names it
        top = TOP_OF_ONE.search(q)
        return Operation(kind, (TOP_OF_ONE.sub(lambda m: m["rest"], q),), lowest=top["way"] in "少低小",
                         level=next((n for word, n in _CODE_LEVELS if word in q), 0),
                         projects=top["rows"] in ("项目", "支出项目") or bool(re.search(r"项目(?:中|里|当中|之中)", q[:top.start()])))
    quarters = QUARTERS.search(q) if kind == "sum" and not several_docs else None
    if quarters:  # "四个季度的用款计划加起来": the quarters a sentence lists
        return Operation(kind, (q[:quarters.start()] + q[quarters.end():],), quarters=True)
    mean = MEAN_OF_ROWS.search(q) if kind == "sum" and not several_docs else None
    if mean:  # "项目平均每个安排多少": the rows' total over their number
        rest = ROWS_SUMMED.sub("", q[:mean.start()] + " " + q[mean.end():])
        return Operation(kind, (rest,), projects=True, mean=True)
    rows = ROWS_SUMMED.search(q) if kind == "sum" and not several_docs and not split_items(q) else None
    if rows:  # "三个项目的财政拨款合计": a column over a project table's rows
        return Operation(kind, (q[:rows.start()] + q[rows.end():],), projects=True, count=_CN_COUNT.get(rows["n"] or "", 0))
    if kind == "sum" and not several_docs:
        return Operation(kind, tuple(split_items(q)))
    # "A比B少多少" is answered with the shortfall B − A, unless the question spells out "A减B"
    # (the units' names are out of q: "甲比乙少多少" is "比少多少")
    shortfall = (bool(re.search(r"比(?!较).*?(?:少|低)(花|用|支出|安排)?了?(百分之)?(多少|几)", q))
                 and not re.search(r"[0-9]{2,4}年?减", question))
    # "A的收入总计比B多多少元" -> "的收入总计"; "哪家车多？多几辆" keeps the count asked ("几辆")
    level = _DANGLING_BI.sub("", CHANGE_ASKED.sub(lambda m: m[3] if q[m.end():m.end() + 1] in _COUNTED_UNITS else "", q))
    return Operation(kind, (level,),  # each operand is a level, not the change asked for
                     shortfall=shortfall, lowest=_ranks_lowest(q),
                     base_first=bool(re.search(r"从.+?(?<![拿收得用花拨领提])到", question)  # (not "从财政拿到")
                                     or _YEAR_TO_YEAR.search(question)  # "2023年决算数到2025年预算数"
                                     or _LATTER_FIRST.search(question)),  # "后者比前者高出百分之几"
                     larger_first=kind == "difference" and (bool(RANK_ASKED.search(q)) or bool(EACH.search(q))
                                                            or bool(_GAP_ASKED.search(q)))
                     and not _ranks_lowest(q),
                     each=kind == "difference" and bool(EACH.search(q)) and not _COMPARED.search(q),
                     years_summed=kind == "sum" and bool(_YEARS_SUMMED.search(q)),
                     quoted=tuple(name for name in quoted_names(question) if name in q))  # (a glossed one is replaced)


def _each_of_two(q: str) -> tuple[str, str] | None:
    """"基本支出和项目支出分别是多少": the two items of one document asked each (a 和 inside a
    classification name, 社会保障和就业支出, splits nothing)."""
    each = EACH.search(q)
    if not each:
        return None
    parts = [p for p in _split_on_and(q[:each.start()]) if p]
    return (parts[0], parts[1]) if len(parts) == 2 else None


# a measure said alone, of the item the other operand names ("全年预算", "年初预算数", "决算")
_MEASURE_ONLY = re.compile(r"(?:20[0-9]{2}年度?)?的?(?:年初预算|全年预算|调整后?预算|支出决算|决算|预算|执行|实际支出)数?$")


def _glossing_items(m: re.Match, q: str) -> str:
    """A bracket naming budget items glosses the words before it (dropped); one listing plain things
    ("（A4纸和电脑）"), or after a count ("两个主要项目（校舍维修改造、学生资助）"), lists what is added up (kept)."""
    counted = re.search(r"[两二三四五六七八九十几]+(?:个|项|笔|类|块|样|种)[^，,。？?]{0,6}$", q[:m.start()])
    return m[0] if counted or not any(e.kind == "item" for e in thesaurus.expand(m[0])) else ""


def _in_context(first: str, second: str) -> tuple[str, str]:
    """"基本支出里，工资福利支出比商品和服务支出多多少": the clause right before 比 (or 和) names the
    first item; the clauses before it (基本支出里, 2010399科目里) narrow down both operands."""
    *context, first_item = re.split(r"[，,：:]", first)
    return "".join(context) + first_item, "".join(context) + second


def _shared_tail(first: str, second: str) -> tuple[str, str]:
    """"§1§和§0§的收入合计", "§1§的拨款比§0§多多少": a unit named alone shares the item named after
    the other unit."""
    def item_after_mark(text: str) -> str:
        mark = MEMBER_MARK.search(text)
        return text[mark.end():] if mark else ""
    if MEMBER_MARK.fullmatch(first.strip()) and item_after_mark(second).strip():
        return first.strip() + item_after_mark(second), second
    if MEMBER_MARK.fullmatch(second.strip()) and item_after_mark(first).strip():
        return first, second.strip() + item_after_mark(first)
    return first, second


def _names_no_other_item(part: str, whole: str) -> bool:
    """Across documents, "占" compares one item when the whole names nothing the part does not."""
    rest = re.sub(r"(20[0-9]{2}|[0-9]{2})年度?|的|[?？]", "", whole)
    return not rest or rest in part


def _ranks_lowest(q: str) -> bool:
    asked = _RANK_FIRST.search(q) or RANK_ASKED.search(q)
    if asked and asked.re is _RANK_FIRST and not asked["way"]:  # "排第一" / "排最后", "倒数第一"
        return bool(asked["last"] or asked["bottom"] or asked["rising"])
    return bool(asked) and asked["way"] in "低少小"


def base_period(text: str) -> BasePeriod:
    """'2023年执行数' -> year 2023; '23年决算' -> 2023; '去年' -> 上年; '年初预算数' -> 年初预算."""
    year = re.match(r"(20[0-9]{2}|[0-9]{2})年", text)
    if year:
        number = year.group(1)
        return BasePeriod(year=int(number if len(number) == 4 else "20" + number))
    if text.startswith(("上年", "去年", "上一年")):
        return BasePeriod(word="上年")
    return BasePeriod(word=text[:4].rstrip("数"))  # 年初预算 / 全年预算 / 预算 (COLUMN_CHANGE and COLUMN_GAP admit nothing else)


# a base period named alone ("2024年预算", "上年", "去年决算数"): no item of its own
_PERIOD_ONLY = re.compile(r"(?P<base>(?:20[0-9]{2}|[0-9]{2})年度?|上年|去年|上一年)的?(?:预算数?|决算数?|执行数|实际执行数?)?")


def _changed_item(q: str, match: re.Match) -> str:
    """What changed: named before the comparison ("群众体育比上年增加多少"), or, when nothing but a
    year is, between its base and the change ("2025年比2024年群众体育增加多少"), or typed after the
    change ("2026比2025 增幅 公务接待费")."""
    before = q[:match.start()]
    if match.re is COLUMN_CHANGE and not re.sub(r"(?:20)?[0-9]{2}年度?|的|[，,\s]", "", before):
        between = _CHANGE_WORD.split(q[match.end("base"):match.end()], maxsplit=1)[0]
        return before + (between if re.sub(r"[，,\s的]", "", between) else q[match.end():])
    return before


def operation_kind(text: str, several_docs: bool) -> str:
    q = normalize(text)
    if TARGET_ASKED.search(q):  # "人均训练保障经费指标定的是多少": a target as printed, nothing to work out
        return ""
    if PER_PERSON.search(q):
        return "per_person"
    if several_docs and SHARE_OF_SUM.search(q):
        return "share_of_sum"
    if not several_docs and MEAN_OF_ROWS.search(q):
        return "sum"
    if not several_docs and PER_COUNT.search(q):
        return "per_count"
    completion = COMPLETION.search(q)
    if (not several_docs and completion and completion["base2"]
            and re.search(r"(?:决算数?|执行数|实际支出)$", q[:completion.start()])):  # "…的全年决算数占全年预算数的百分比": one row's two columns
        return "column_change"  # (before the share its 占 would otherwise read)
    share = SHARE.search(q)
    if share and several_docs and _names_no_other_item(share["a"], share["b"]) and not _SHARES_GAP.search(q):
        return "ratio"  # "A的收入总计占B的收入总计的百分之多少": one item, A's over B's
    if share or (not several_docs and _SHARE_WITHIN.search(q)):
        return "share"
    if several_docs and _RATE_NAMED.search(q) and "百分点" in q:  # two units' rates, each of its own year
        return "rate_gap"
    if not several_docs and completion and completion["base2"]:  # "决算数是年初预算数的百分之几": one row's two columns
        return "column_change"
    if RATIO.search(q):
        return "ratio"
    if not several_docs and (COLUMN_CHANGE.search(q) or completion or COLUMN_GAP.search(q) or UNSPENT.search(q)):
        return "column_change"
    cut = EXCEPT_PART.search(q) if not several_docs else None
    if cut and not _REST_PRINTED.match(q, cut.end()):  # ("财政拨款以外的其他资金": the column asked, no subtraction)
        return "item_difference"
    if not several_docs and item_gap(q) and not re.search(r"比(上年|去年|上一年|20[0-9]{2}年|[0-9]{2}年)", q):
        return "item_difference"
    if not several_docs and (WHICH_OF_TWO.search(q) or GAP_OF_TWO.search(q) or _each_of_two(q)):
        return "item_difference"
    if not several_docs and TOP_OF_ONE.search(q):
        return "top"
    if several_docs and (RANK_ASKED.search(q) or _RANK_FIRST.search(q)) and not re.search(r"(多|少|差|高|低|大)(?:出|额|距)?了?(多少|几)", q):
        return "rank"
    if several_docs and any(w in q for w in GROWTH_WORDS):
        return "growth"
    if several_docs and (_GAP_ASKED.search(q) or RANK_ASKED.search(q)):  # "…相差多少", "哪家高、高多少": not a sum
        return "difference"
    # "基本工资、津贴补贴、奖金合计多少", "A与B的政府采购预算合计" (not "发工资、交社保这些人头上的开支",
    # examples of one item)
    q = EXAMPLES.sub(lambda m: m["item"], q)
    listed = (re.search(r"[、和与及]" if several_docs else r"[、和]", q) or PLUS.search(q)) and re.search(r"合计|总计|总共", q)
    each = EACH.search(q)  # "A和B的支出合计分别是多少": each figure, compared — never their sum
    said = IN_BRACKETS.sub(lambda m: _glossing_items(m, q), q)  # "公车上的钱（买车加用车）一共多少": one item
    if (any(w in q for w in SUM_WORDS) or (listed and not each)) and (several_docs or re.search(r"[、和]", said)
                                                                       or PLUS.search(said) or side_by_side(said)):
        return "sum"
    if not several_docs and joined_names(q):  # "水电费是多少": 水费 and 电费, added (a 水电费 row, where printed, else)
        return "sum"
    if not several_docs and QUARTERS.search(q) and re.search("|".join(SUM_WORDS) + "|合计|总计|总共", q):
        return "sum"
    if not several_docs and ROWS_SUMMED.search(q) and re.search("|".join(SUM_WORDS) + "|合计|总计|总共|总额|(?:全部|所有)项目", q):
        return "sum"
    if several_docs and (each or _MINUS.search(q)
                         or re.search(r"(比|和|与|跟|相比|较|从).*(多(?!少)|(?<!多)少|差|高|低|变化|增加|减少|增长|下降|涨|降)", q)):
        return "difference"
    return ""


# "A加上B，实际花了多少": a clause that asks, naming no item
_ASKING_ONLY = re.compile(r"(?:实际上?|一共|总共|共|花了|花掉了?|用了|支出了|要|是|为|有|的|亿元|万元|元|[（()）]"
                          r"|(?:四舍五入)?(?:到|保留)?[一二两三四0-9]位小数|精确到[^，,、]*|四舍五入)+")  # (the answer's unit and rounding)
# "2025年部门预算中，A和B两项…": where the items are, no item
_SCOPE = re.compile(r".{2,}?(?:里面|里|当中|之中|中)")
_WHERE_ONLY = re.compile(r"(?:20[0-9]{2}年度?)?(?:本|该)?(?:部门|单位)?(?:预算|决算)(?:表|说明)?(?:中|里|内|当中|之中)?")


_YEAR_ONLY = re.compile(r"\s*(?:20[0-9]{2}|[0-9]{2})年度?\s*")


def split_items(text: str) -> list[str]:
    """'基本工资、津贴补贴、奖金和绩效工资加起来多少' -> ['基本工资', '津贴补贴', '奖金', '绩效工资'];
    '社会保障和就业、卫生健康、住房保障三类支出加起来' keeps 社会保障和就业 whole."""
    counted = re.search(r"[两二三四五六七八九十]+(?:项|个|类|笔|块|样|种)", text)
    most = 0
    if counted and re.search(r"[、和]", text[:counted.start()]):  # "A、B、C三项加总，本年收入是多少": the list ends there
        text = text[:counted.end()]
        most = _CN_COUNT.get(counted[0][:-1], 0)
    for word in SUM_WORDS + ("合计", "总计", "总共", "是多少", "多少", "？", "?"):
        text = text.replace(word, "")
    text = PLUS.sub("、", text)
    text = _LIST_TAIL.sub("", text)  # "…平台两个项目有多少万元": the count and the unit name no item
    parts = [p for p in re.split(r"[、，,]", text)  # "(2026年)项目表里，…", "…的两个项目，" name no item
             if p and not TABLE_NAMED.fullmatch(re.sub(r"^(?:20[0-9]{2}|[0-9]{2})年度?", "", p))
             and not _ROWS_COUNTED.search(p) and not _ASKING_ONLY.fullmatch(p) and not _WHERE_ONLY.fullmatch(p)
             and not _YEAR_ONLY.fullmatch(p)]  # "商务委 25 甲+乙": the year typed before the items
    if len(parts) > 2 and _SCOPE.fullmatch(parts[0]):  # "基本支出里，A、B和C加起来": where the items are, no item
        parts = parts[1:]
    if len(parts) == 1:  # "及" and "与" stay: they occur inside names (…及相关机构事务); "A和B和C两项": one cut
        parts = _split_on_and(parts[0], most - 1 if most > 1 else 0)
    if len(parts) == 1:  # "水费电费加起来": names of the classification side by side
        parts = side_by_side(parts[0]) or parts
    elif "和" in parts[-1]:
        parts = parts[:-1] + _split_on_and(parts[-1], 1)
    if len(parts) > 2 and _SCOPE.fullmatch(parts[0]):  # "甲专项中，A和B加起来": where the items are, no item
        parts = parts[1:]
    parts = [p for p in parts if p]
    return parts if len(parts) >= 2 else []


def joined_names(text: str) -> list[str]:
    """"水电费": two classification names sharing their 费 (水费, 电费), no name of its own -> both; else []."""
    joined = re.search(r"(.)(.)费", text)
    if joined and not thesaurus.code_for_name(joined[0]) and all(thesaurus.code_for_name(c + "费") for c in joined.groups()):
        return [joined[1] + "费", joined[2] + "费"]
    return []


def side_by_side(text: str) -> list[str]:
    """Classification names written one after another with nothing between ("水费电费" -> [水费, 电费]);
    [] unless two or more stand together."""
    joined = joined_names(text)
    if joined:
        return joined
    found: list[tuple[int, str]] = []
    i = 0
    while i < len(text):
        name = next((text[i:i + n] for n in range(min(24, len(text) - i), 1, -1)  # (the longest name: 其他社会保障和就业支出)
                     if thesaurus.code_for_name(text[i:i + n])), "")
        if name:
            found.append((i, name))
        i += len(name) or 1
    run: list[str] = []
    for k, (at, name) in enumerate(found):
        run = run + [name] if k and found[k - 1][0] + len(found[k - 1][1]) == at else [name]
        if len(run) >= 2 and (k + 1 == len(found) or found[k + 1][0] != at + len(name)):
            return run
    return []


def _split_on_and(text: str, most: int = 0) -> list[str]:
    """Split at 和, but not inside a classification name that has one (商品和服务支出, 社会保障和就业)."""
    inside = {i for start, end in _and_names(text) for i in range(start, end)}
    cuts = [m.start() for m in re.finditer("和", text) if m.start() not in inside]
    cuts = cuts[:most] if most else cuts
    bounds = [-1, *cuts, len(text)]
    return [text[a + 1:b] for a, b in zip(bounds, bounds[1:])]


def _and_names(text: str) -> list[tuple[int, int]]:
    """Where the text names a classification whose name has 和 (also without its closing 支出)."""
    return [(m.start(), m.end()) for name in _names_with_and() for m in re.finditer(re.escape(name), text)]


@cache
def _names_with_and() -> tuple[str, ...]:
    names = {n for n in thesaurus.classification_names() if "和" in n}
    names |= {n.removesuffix("支出") for n in names if "和" in n.removesuffix("支出")}
    names |= {n[1:] for n in names if n.startswith("对")}  # "给个人和家庭的补助" says 对个人和家庭的补助
    return tuple(sorted(names, key=len, reverse=True))
