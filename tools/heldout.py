#!/usr/bin/env python3
"""Held-out figures of a text model combined with the phrase rules (Python 3, stdlib only).

The `notes` of the model rules in `rules/cn/model.toml` and `rules/us/model.toml` quote
pooled recall / false-positive rates "held out per writer set, with the phrase rules as they
stood before each set was tuned on". This script computes them from two inputs:

1. The model's held-out scores: each set left out of training in turn,
       cargo run --release --example train_text_model -- --lang zh --category coercion \\
           --evaluate --scores scores.txt
   (add `--to third_party --no-bias` for privacy).

2. For each held-out set, what the phrase rules alone said of it before it was tuned on: the
   `MISS`/`FP` lines of `CORPUS_SHOW=1 cargo test --release --test corpus corpus_recall --
   --nocapture`, run at the commit named for the set in the CHANGELOG, with the model rules
   removed (`rm rules/cn/model.toml rules/us/model.toml`; sets older than the models need
   nothing removed) and the set added to `tuning_sets()` in `tests/corpus.rs` if that commit
   did not list it yet (since session 6 the list is `tests/data/corpus/sets.toml`). The
   notes use: fresh3 44ae15b, fresh4 e47b721, fresh5 5c2e895, fresh6 10fa8f8, fresh7 and
   fresh8 97ae5c7, fresh9 2bcd7ba, fresh11 5cbad4c, fresh12 1d6cd83, fresh13 a243281,
   fresh14 4f564a5, fresh15 77f23b5, fresh16 725adcf, fresh17 0bad23a, fresh18 ab6c80f,
   fresh19 4fb55ef (fresh10 has no such
   commit: it was tuned on before it was scored without the models).

    tools/heldout.py --lang zh --category coercion --scores scores.txt \\
        --dump fresh3=dump-44ae15b.txt ... --dump fresh17=dump-0bad23a.txt \\
        --rule "(R&M0.35)|M0.5"

A combination is written with R (a phrase rule of the category fired, after its allow
phrases and contexts), M<t> (the model scored at least t) and C<t> (the confirming model,
`confirm_model`, scored at least t: its held-out scores come from the trainer's `--confirm
--evaluate --scores` and are given with `--confirm-scores`), e.g. `(R&C0.45)|M0.55` (since
session 7: a phrase finding stands if the confirming model scores 0.45; the firing model
fires on its own at 0.55), `R|M0.6` (privacy: the
model fires on its own) or `(R&M0.35)|M0.5` (a phrase finding stands only if the model
confirms it at 0.35; the model fires on its own at 0.5). T is "sent to a third party":
`(R&(M0.35|T))|M0.5` confirms only messages to the borrower (`confirm_parties =
"borrower"`). `--third-party` counts the model only on messages to third parties, as the
privacy rules are scoped. `min_chars` is not applied: the figures are for messages of
every length.
"""
import argparse
import glob
import json
import os
import re

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data", "corpus")


def records(sets):
    out = {}
    for s in sets:
        for f in sorted(glob.glob(os.path.join(ROOT, s, "*.jsonl"))):
            for line in open(f, encoding="utf-8"):
                if line.strip():
                    r = json.loads(line)
                    r["set"] = s
                    out[r["id"]] = r
    return out


def marks(path):
    miss, fp = set(), set()
    for line in open(path, encoding="utf-8"):
        m = re.match(r"^(MISS|FP)\s+(\S+)\s+(\S+)", line)
        if m:
            (miss if m.group(1) == "MISS" else fp).add((m.group(2), m.group(3)))
    return miss, fp


def combination(expr):
    """`(R&C0.45)|M0.5` -> a function of (rules fired, model score, confirming model score,
    to a third party)."""
    py = re.sub(r"M([0-9.]+)", r"(s >= \1)", expr)
    py = re.sub(r"C([0-9.]+)", r"(c >= \1)", py).replace("R", "r").replace("T", "t")
    py = py.replace("&", " and ").replace("|", " or ")
    return eval("lambda r, s, c, t: " + py)  # noqa: S307 (the expression is the user's own)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--lang", required=True, choices=["zh", "en"])
    ap.add_argument("--category", required=True, choices=["coercion", "abuse", "privacy"])
    ap.add_argument("--scores", required=True)
    ap.add_argument("--confirm-scores")
    ap.add_argument("--dump", action="append", required=True, metavar="SET=FILE")
    ap.add_argument("--rule", action="append", default=[], metavar="EXPR")
    ap.add_argument("--third-party", action="store_true")
    a = ap.parse_args()
    dumps = dict(d.split("=", 1) for d in a.dump)
    data = records(dumps)
    def read_scores(path):
        out = {}
        for line in open(path, encoding="utf-8") if path else []:
            k, v = line.split()
            out[k] = float(v)
        return out

    scores = read_scores(a.scores)
    confirm = read_scores(a.confirm_scores)
    cat = a.category
    rows = [("rules", lambda r, s, c, t: r)] + [(e, combination(e)) for e in a.rule]
    total = {name: [0, 0, 0, 0] for name, _ in rows}
    for held, path in dumps.items():
        miss, fp = marks(path)
        ids = [i for i, r in data.items() if r["set"] == held and r["lang"] == a.lang]
        pos = [i for i in ids if data[i]["expect"] != "allow" and cat in data[i]["categories"]]
        neg = [i for i in ids if data[i]["expect"] == "allow"]

        def fired(i):
            return ((i, cat) not in miss) if i in pos else ((i, cat) in fp)

        def score(i, of=scores):
            if a.third_party and data[i]["audience"] != "third_party":
                return 0.0
            return of.get(i, 0.0)

        def third(i):
            return data[i]["audience"] == "third_party"

        for name, f in rows:
            t = total[name]
            t[0] += sum(f(fired(i), score(i), score(i, confirm), third(i)) for i in pos)
            t[1] += len(pos)
            t[2] += sum(f(fired(i), score(i), score(i, confirm), third(i)) for i in neg)
            t[3] += len(neg)
    for name, (c, p, fl, n) in total.items():
        print(f"{a.lang} {cat} {name:>16}: recall {c / max(p, 1):.3f} ({c}/{p}), "
              f"lawful flagged {fl / max(n, 1):.3f} ({fl}/{n})")


if __name__ == "__main__":
    main()
