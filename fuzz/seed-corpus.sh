#!/bin/sh
# Fills fuzz/corpus/<target> with seeds: fuzz/seeds/<target>, and for the rule-file target
# every embedded rule file rewritten as a rule file of the fuzz pack `f` (the target reads
# `pack.toml` 0xFF `rules.toml` 0xFF `lexicon`).
set -eu
cd "$(dirname "$0")"
for t in text json_line rule_file; do
    mkdir -p "corpus/$t"
    cp seeds/$t/* "corpus/$t/"
done
header='[pack]
id = "f"
name = "F"
jurisdiction = "X"
'
for f in ../rules/*/*.toml; do
    pack=$(basename "$(dirname "$f")")
    [ "$pack" = lexicons ] && continue
    [ "$(basename "$f")" = pack.toml ] && continue
    out="corpus/rule_file/$pack-$(basename "$f" .toml)"
    {
        printf '%s\377' "$header"
        sed "s/^id = \"$pack\\./id = \"f./" "$f"
    } > "$out"
done
# JSON Lines seeds: the repository's own example logs and test data, line-split.
for f in ../tests/data/*.jsonl ../examples/*.jsonl; do
    [ -f "$f" ] || continue
    { printf '\001'; cat "$f"; } > "corpus/json_line/$(basename "$f")"
done
