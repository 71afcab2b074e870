"""Tab-separated sources only: check that every typed value sits in the same tab-column position
relative to its row label as the other rows of its table/part (catches values typed under the wrong column)."""
import collections
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

for tp in sorted(Path(__file__).parent.glob('*_*.txt')):
    lines = tp.read_text(encoding='utf-8').splitlines()
    doc = next(l.split(' ', 1)[1].strip() for l in lines if l.startswith('#doc '))
    src = (ROOT / 'corpus' / 'seeds' / doc).read_text(encoding='utf-8').splitlines()
    if sum('\t' in l for l in src) < 50:
        print(f'== {doc}: not tab-separated, skipped'); continue
    table = part = None; groups = collections.defaultdict(list); n = 0; cols = []
    for raw in lines:
        if raw.startswith('#table'): n += 1; table = f'{n}:{raw[7:]}'; part = ''
        if raw.startswith('#part'): part = raw[6:]
        if raw.startswith('#cols'): cols = raw[6:].split('|')
        if not raw.startswith('L'): continue
        f = raw.split('|'); ref, code, label, vals = f[0], f[1], f[2], f[3:]
        ln = int(ref[1:].split('-')[0])
        toks = [re.sub(r'\s', '', t) for t in src[ln-1].split('\t')]
        cand = [i for i, t in enumerate(toks) if label and (t == label or t == code + label)]
        if not cand and not label:
            cand = [0]
        if not cand:
            print('   no label field', doc, ref, label); continue
        li = cand[0] if part != '支出' else cand[-1]
        for k, v in enumerate(vals):
            if not v: continue
            hits = [i - li - k for i, t in enumerate(toks) if t == v and i > li]
            groups[(table, part, tuple(cols))].append((ref, label, v, hits))
    bad = 0
    for key, items in groups.items():
        cnt = collections.Counter(h for *_, hits in items for h in set(hits))
        best = cnt.most_common(1)[0][0]
        for ref, label, v, hits in items:
            if best not in hits:
                bad += 1; print(f'   {key[0]} {key[1]} {ref} {label} {v}: offsets {hits}, table offset {best}')
    print(f'== {doc}: {bad} positional deviations')
