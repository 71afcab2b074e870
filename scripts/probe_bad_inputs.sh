#!/usr/bin/env bash
# Bad inputs a careless user or operator gives the CLI: each must end in a one-line error (or a
# per-line JSON error) with a documented exit code. Prints one line per probe: name | rc | stderr lines | tail.
cd "$(dirname "$0")/.."
P="env PYTHONPATH=. ${PYTHON:-.venv/bin/python} app.py"
D=$(mktemp -d); trap 'rm -rf "$D"' EXIT
S=corpus/seeds/三明市12345政务服务便民热线中心_2025年度单位预算.txt
$P ingest $S --index-dir $D/idx >/dev/null 2>&1
printf '' > $D/empty.txt; printf '\x80\x80\xff' > $D/undecodable.txt; printf '%%PDF-1.4 junk' > $D/broken.pdf; printf 'PK' > $D/a.docx
iconv -f utf-8 -t gbk $S > $D/gbk.txt
probe() { name=$1; shift; "$@" >/dev/null 2>$D/err; rc=$?; echo "$name | rc=$rc | stderr lines=$(grep -c . $D/err) | $(tr '\n' ' ' < $D/err)"; }
probe "invalid UTF-8 argument" $P ask $'\xff\xfe' --index-dir $D/idx
probe "empty question" $P ask "" --index-dir $D/idx
probe "unknown command" $P frobnicate
probe "non-numeric --max-pages" $P ingest $S --max-pages abc --index-dir $D/idx
probe "bad limit in the environment" env BUDGETQA_MAX_PAGES=abc $P ingest $S --index-dir $D/idx
probe "missing file" $P ingest $D/nope.pdf --index-dir $D/idx
probe "empty file" $P ingest $D/empty.txt --index-dir $D/idx
probe "undecodable text" $P ingest $D/undecodable.txt --index-dir $D/idx
probe "broken PDF" $P ingest $D/broken.pdf --index-dir $D/idx
probe "unsupported type" $P ingest $D/a.docx --index-dir $D/idx
probe "GBK text (accepted)" $P ingest $D/gbk.txt --index-dir $D/idx2
probe "file over size limit" $P ingest $S --max-file-mb 0.001 --index-dir $D/idx3
probe "PDF over page limit" $P ingest corpus/putuo/上海市普陀区司法局单位26年预算.pdf --max-pages 2 --index-dir $D/idx3
probe "Chroma server down" $P ask "三明热线2025年住房公积金多少？" --chroma-url http://127.0.0.1:9
probe "doctor, no index" $P doctor --index-dir $D/none
cp -r $D/idx $D/bad && head -c 20000 $D/idx/catalog.sqlite > $D/bad/catalog.sqlite
probe "corrupt store: ask" $P ask "三明热线2025年住房公积金多少？" --index-dir $D/bad
probe "corrupt store: doctor" $P doctor --index-dir $D/bad
out=$(printf '三明热线2025年住房公积金多少？\n\xff\xfe\n' | $P ask --jsonl --index-dir $D/idx 2>/dev/null); echo "jsonl with a bad line | $(echo "$out" | wc -l) objects | $(echo "$out" | tail -1 | cut -c1-120)"
