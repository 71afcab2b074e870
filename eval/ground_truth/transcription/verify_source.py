"""Check the hand transcription against the source text (not a parser: it only confirms that what
was typed is on the cited source line, in order, and that no numeric cell on those lines was missed)."""
import collections
import re
from pathlib import Path

from expand import NUM

ROOT = Path(__file__).resolve().parents[3]

def check(tpath):
    lines = tpath.read_text(encoding='utf-8').splitlines()
    doc = next(l.split(' ', 1)[1].strip() for l in lines if l.startswith('#doc '))
    src = (ROOT / 'corpus' / 'seeds' / doc).read_text(encoding='utf-8').splitlines()
    tabbed = sum('\t' in l for l in src) > 50
    problems, per_line, regions, cur = [], collections.defaultdict(list), [], None
    for raw in lines:
        if raw.startswith('#table'):
            cur = [None, None]; regions.append(cur)
        if not raw.startswith('L'):
            continue
        f = raw.split('|'); ref, code, label, vals = f[0], f[1], f[2], f[3:]
        a, _, b = ref[1:].partition('-'); a = int(a); b = int(b or a)
        cur[0] = a if cur[0] is None else min(cur[0], a); cur[1] = max(cur[1] or 0, b)
        text = '\n'.join(src[a-1:b])
        if tabbed:
            toks = [t.strip() for t in re.split(r'\t|\n', text)]
            sub = [s for t in toks for s in t.split()]
        else:
            toks = text.split(); sub = toks
        flat = re.sub(r'\s', '', text)
        if label and label not in flat:
            problems.append(f'{ref}: label {label!r} not on line')
        if code and code not in sub and code not in toks:
            problems.append(f'{ref}: code {code!r} not on line')
        pos = -1
        for v in vals:
            if not v: continue
            idx = [i for i, t in enumerate(toks) if t == v and i > pos]
            if not idx:
                problems.append(f'{ref}: value {v!r} not found (in order) as a whole cell on line'); continue
            pos = idx[0]
        for v in vals:
            if v: per_line[b].append(v)
        if code and NUM.match(code): per_line[b].append(code)
    # every numeric cell on the cited lines is accounted for
    for ln, typed in per_line.items():
        a = ln
        text = src[a-1]
        toks = [t.strip() for t in text.split('\t')] if tabbed else text.split()
        if tabbed:
            toks = toks + [s for t in toks if ' ' in t for s in t.split()[:1]]
        on_line = collections.Counter(t for t in toks if NUM.match(t))
        diff = on_line - collections.Counter(typed)
        if diff:
            problems.append(f'L{ln}: numeric cells on source line not transcribed: {dict(diff)}')
    # lines inside a table's span carrying numbers that no row cites
    cited = set()
    for raw in lines:
        if raw.startswith('L'):
            a, _, b = raw.split('|')[0][1:].partition('-'); cited.update(range(int(a), int(b or a)+1))
    for r in regions:
        if r[0] is None: continue
        for ln in range(r[0], r[1]+1):
            if ln in cited: continue
            toks = re.split(r'\t| ', src[ln-1])
            if any(NUM.match(t.strip()) for t in toks if t.strip()):
                problems.append(f'L{ln}: uncited line with numbers inside a table: {src[ln-1][:80]!r}')
    return doc, problems

if __name__ == '__main__':
    for p in sorted(Path(__file__).parent.glob('*_*.txt')):
        doc, probs = check(p)
        print(f'== {doc}: {len(probs)} findings')
        for x in probs: print('   ', x)
