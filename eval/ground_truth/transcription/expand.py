"""Expand a hand-typed compact transcription (transcription/<stem>.txt) into the long
ground-truth CSV (../<stem>.csv).  This script reads ONLY the hand-typed transcription,
never the corpus documents.  Compact format:
  #doc <file name>        #table <title>   #unit <unit>   #part <收入|支出|>
  #cols col1|col2@unit|...          (column header paths; '@u' overrides the unit)
  L<line>[-<line>]|<row_code>|<row_label>|v1|v2|...   (empty = blank cell; fewer values = trailing blanks)
"""
import csv
import json
import re
import sys
from pathlib import Path

NUM = re.compile(r'^-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?%?$')

def expand(path):
    doc = table = part = unit = None
    cols = []
    out, tables = [], []
    for n, raw in enumerate(Path(path).read_text(encoding='utf-8').splitlines(), 1):
        line = raw.rstrip('\n')
        if not line.strip() or line.startswith('//'):
            continue
        if line.startswith('#'):
            key, _, val = line[1:].partition(' ')
            if key == 'doc': doc = val.strip()
            elif key == 'table':
                table, part, cols = val.strip(), '', []
                tables.append({'table': table, 'parts': {}})
            elif key == 'unit': unit = val.strip()
            elif key == 'part': part = val.strip()
            elif key == 'cols': cols = [c.strip() for c in val.split('|')]
            else: raise SystemExit(f'{path}:{n}: bad directive {key}')
            continue
        f = line.split('|')
        assert re.match(r'^L\d+(-\d+)?$', f[0]), (path, n, line)
        code, label, vals = f[1], f[2], f[3:]
        assert len(vals) <= len(cols), (path, n, 'too many values', line)
        assert not re.search(r'\s', label + code), (path, n, 'whitespace in label/code')
        t = tables[-1]
        p = t['parts'].setdefault(part, {'rows': 0, 'cells': 0})
        p['rows'] += 1
        for c, v in zip(cols, vals):
            if v == '':
                continue
            assert NUM.match(v), (path, n, 'not numeric', v)
            cname, _, cu = c.partition('@')
            out.append({'doc': doc, 'table': table, 'part': part, 'row_code': code,
                        'row_label': label, 'column': cname, 'printed': v,
                        'unit': cu or unit, '_line': f[0]})
            p['cells'] += 1
    return out, tables

if __name__ == '__main__':
    src = Path(sys.argv[1]).resolve()
    rows, tables = expand(src)
    dst = src.parent.parent / (src.stem + '.csv')
    with open(dst, 'w', encoding='utf-8', newline='') as fh:
        w = csv.DictWriter(fh, fieldnames=['doc','table','part','row_code','row_label','column','printed','unit'],
                           extrasaction='ignore', lineterminator='\n')
        w.writeheader(); w.writerows(rows)
    print(dst.name, len(rows), 'cells')
    for t in tables:
        print(' ', t['table'] or '(untitled)', json.dumps(t['parts'], ensure_ascii=False))
