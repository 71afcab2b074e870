"""Arithmetic checks on the ground-truth CSVs: parent codes = sum of children, totals = sum of
top-level rows, 合计/小计 = 基本支出 + 项目支出, 总计 = sum of source columns, side-by-side totals."""
import collections
import csv
import re
from decimal import Decimal as D
from pathlib import Path

GT = Path(__file__).resolve().parents[1]

def num(s): return D(s.replace(',', '').rstrip('%'))

SEEDS = {p.stem for p in (GT.parents[1] / 'corpus' / 'seeds').glob('*.txt')}
for f in sorted(p for p in GT.glob('*.csv') if p.stem in SEEDS):
    rows = list(csv.DictReader(open(f, encoding='utf-8')))
    tabs = collections.OrderedDict()
    for r in rows:   # table instances in order; a new instance starts when the title repeats after another
        key = r['table']
        tabs.setdefault(key, []).append(r)
    out = []
    for title, cells in tabs.items():
        if '绩效' in title: continue
        grid = collections.OrderedDict()
        for r in cells:
            grid.setdefault((r['part'], r['row_code'], r['row_label']), {})[r['column']] = num(r['printed'])
        cols = sorted({r['column'] for r in cells if not r['column'].endswith('%')})
        for part in sorted({p for p, _, _ in grid}):
            prow = {(c, l): v for (p, c, l), v in grid.items() if p == part}
            coded = {c: v for (c, l), v in prow.items() if re.fullmatch(r'\d{3,7}', c)}
            # hierarchy
            for c, v in coded.items():
                kids = [k for k in coded if k != c and k.startswith(c) and
                        len(k) == min((len(x) for x in coded if x != c and x.startswith(c)), default=0)]
                if not kids: continue
                for col in v:
                    s = sum(coded[k].get(col, D(0)) for k in kids)
                    if s != v[col]:
                        out.append(f'{title} {part} {c} [{col}] printed {v[col]} vs children {"+".join(kids)} = {s}')
            # total row = sum of top-level codes
            if coded:
                top = min(len(c) for c in coded)
                tops = [c for c in coded if len(c) == top]
                for (c, l), v in prow.items():
                    if c == '' and l in ('合计', '总计', '类'):
                        for col in v:
                            s = sum(coded[t].get(col, D(0)) for t in tops)
                            if s != v[col]:
                                out.append(f'{title} {part} {l} [{col}] printed {v[col]} vs sum of {top}-digit rows = {s}')
            # row identities
            for (c, l), v in prow.items():
                ks = {k.split(' / ')[-1]: k for k in v}
                for tot in ('合计', '小计', '本年支出合计'):
                    if tot in ks and '基本支出' in ks:
                        s = v[ks['基本支出']] + v.get(ks.get('项目支出', ''), D(0))
                        if s != v[ks[tot]]:
                            out.append(f'{title} {part} {c} {l}: {tot} {v[ks[tot]]} vs 基本支出+项目支出 = {s}')
                        break
                for tot in ('总计', '本年收入合计'):
                    if tot in v and len(v) > 2:
                        s = sum(x for k, x in v.items() if k != tot)
                        if s != v[tot]:
                            out.append(f'{title} {part} {c} {l}: {tot} {v[tot]} vs sum of other columns = {s}')
                if '基本支出预算 / 合计' in v:
                    s = v['基本支出预算 / 人员支出'] + v['基本支出预算 / 日常公用支出']
                    if s != v['基本支出预算 / 合计']:
                        out.append(f'{title} {c} {l}: 合计 {v["基本支出预算 / 合计"]} vs 人员+日常公用 = {s}')
        # side-by-side: categories (一、..二十六、) sum to 本年/合计; totals equal across halves
        if {'收入', '支出'} <= {p for p, _, _ in grid}:
            def first(part, labels):
                for (p, c, l), v in grid.items():
                    if p == part and l in labels: return next(iter(v.values()))
            ti = first('收入', ('收入总计', '总计', '收入合计')); te = first('支出', ('支出总计', '总计', '支出合计'))
            if ti != te: out.append(f'{title}: 收入 total {ti} vs 支出 total {te}')
            cats = [next(iter(v.values())) for (p, c, l), v in grid.items() if p == '支出' and
                    re.match(r'^[（(]?[一二三四五六七八九十]+[、）)]', l) and not re.search('年末|结转|本年支出|行政支出|事业支出|经营支出|上缴|对附属|投资支出|债务还本支出$|其他支出$', l) or
                    (p == '支出' and l in ('二十四、债务还本支出', '二十三、其他支出', '二十一、其他支出', '(二十一)其他支出'))]
            ty = first('支出', ('本年支出合计', '一、本年支出', '支出合计'))
            if cats and ty is not None and sum(cats) != ty:
                out.append(f'{title}: 支出 categories sum {sum(cats)} vs {ty}')
    print(f'== {f.name}: {len(out)} findings')
    for o in out: print('   ', o)
