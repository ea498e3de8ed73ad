#!/usr/bin/env python3
"""Validate a corpus file: schema, mix and every personal number.

usage: check.py FILE...        check files
       check.py --gen id|card|ssn [N]   print N valid synthetic numbers
"""
import json, os, random, re, sys, unicodedata, datetime

CHANNELS = {"sms", "im", "email", "letter", "call", "visit"}
RELATIONS = {"family", "employer", "colleague", "friend", "emergency_contact", "neighbor", "other"}
CATS = {"coercion", "abuse", "privacy"}
PROV = set(range(11, 16)) | set(range(21, 24)) | set(range(31, 38)) | set(range(41, 47)) | \
    set(range(50, 55)) | set(range(61, 66)) | {71, 81, 82}
W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHK = "10X98765432"
ZH = {c: str(i) for i, c in enumerate("零一二三四五六七八九")}
ZH["〇"] = "0"; ZH["幺"] = "1"; ZH["两"] = "2"


def id_check(body):
    return CHK[sum(int(a) * w for a, w in zip(body, W)) % 11]


def valid_id(s):
    if len(s) != 18 or not s[:17].isdigit():
        return False
    if int(s[:2]) not in PROV:
        return False
    try:
        datetime.date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        return False
    if not 1900 <= int(s[6:10]) <= 2099:
        return False
    return id_check(s[:17]) == s[17].upper()


def luhn(s):
    t = 0
    for i, c in enumerate(reversed(s)):
        x = int(c)
        if i % 2:
            x *= 2
            x = x - 9 if x > 9 else x
        t += x
    return t % 10 == 0


def valid_card(s):
    if not 13 <= len(s) <= 19 or not s.isdigit():
        return False
    p2, p4 = int(s[:2]), int(s[:4])
    net = s[0] in "46" or 51 <= p2 <= 55 or 2221 <= p4 <= 2720 or p2 == 30 or 34 <= p2 <= 39
    return net and luhn(s)


def valid_ssn(s):
    if len(s) != 9 or not s.isdigit():
        return False
    a, g, r = int(s[:3]), int(s[3:5]), int(s[5:])
    return a not in (0, 666) and a < 900 and g != 0 and r != 0


def runs(text):
    """Digit runs (ASCII, full-width, Chinese numerals) joined across separators."""
    t = unicodedata.normalize("NFKC", text)
    t = "".join(ZH.get(c, c) for c in t)
    for m in re.finditer(r"[0-9Xx](?:[ \-./·丨]?[0-9Xx])*", t):
        s = re.sub(r"[^0-9Xx]", "", m.group())
        yield s


def findings(text):
    out = []
    for s in runs(text):
        d = s.upper()
        if len(d) == 18 and valid_id(d):
            out.append(("id", d, True))
        elif d.isdigit() and valid_card(d):
            out.append(("card", d, True))
        elif d.isdigit() and len(d) == 9 and valid_ssn(d):
            out.append(("ssn", d, True))
        elif len(d) == 18 or (d.isdigit() and 13 <= len(d) <= 19):
            out.append(("long-invalid", d, False))
    return out


def gen(kind):
    if kind == "id":
        while True:
            prov = random.choice(sorted(PROV - {71, 81, 82}))
            d = datetime.date(1960, 1, 1) + datetime.timedelta(days=random.randrange(16000))
            body = f"{prov}{random.randrange(10000):04d}{d:%Y%m%d}{random.randrange(1000):03d}"
            s = body + id_check(body)
            if valid_id(s):
                return s
    if kind == "card":
        pre = random.choice(["6222", "6217", "6228", "6225", "4392", "5187", "6212", "4581"])
        n = random.choice([16, 16, 16, 19])
        while True:
            s = pre + "".join(random.choice("0123456789") for _ in range(n - len(pre)))
            if valid_card(s):
                return s
    if kind == "ssn":
        while True:
            s = f"{random.randrange(1, 900):03d}{random.randrange(1, 100):02d}{random.randrange(1, 10000):04d}"
            if valid_ssn(s):
                return s
    raise SystemExit("kind: id, card or ssn")


def check(path):
    errs, warns = [], []
    items, ids = [], set()
    lang_file = "zh" if "/zh_" in path or path.startswith("zh_") else "en" if "/en_" in path or path.startswith("en_") else None
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                errs.append(f"line {n}: empty line"); continue
            try:
                o = json.loads(line)
            except json.JSONDecodeError as e:
                errs.append(f"line {n}: bad JSON: {e}"); continue
            where = f"line {n} ({o.get('id')})"
            need = ["id", "lang", "channel", "audience", "text", "expect", "categories", "hard_negative", "evasion", "pattern"]
            for k in need:
                if k not in o:
                    errs.append(f"{where}: missing {k}")
            extra = set(o) - set(need) - {"relation"}
            if extra:
                errs.append(f"{where}: unknown fields {sorted(extra)}")
            if o.get("id") in ids:
                errs.append(f"{where}: duplicate id")
            ids.add(o.get("id"))
            setname = os.path.basename(os.path.dirname(os.path.abspath(path)))
            if not re.fullmatch(rf"(zh|en)-{setname}-[a-z]+-\d{{3}}", str(o.get("id"))):
                errs.append(f"{where}: id must be {{lang}}-{setname}-{{writer}}-NNN")
            if o.get("lang") not in ("zh", "en") or (lang_file and o.get("lang") != lang_file):
                errs.append(f"{where}: lang")
            if o.get("channel") not in CHANNELS:
                errs.append(f"{where}: channel")
            aud = o.get("audience")
            if aud == "third_party":
                if o.get("relation") not in RELATIONS:
                    errs.append(f"{where}: third_party needs a relation")
            elif aud == "borrower":
                if "relation" in o:
                    errs.append(f"{where}: relation only for third_party")
            else:
                errs.append(f"{where}: audience")
            ex, cats = o.get("expect"), o.get("categories")
            if ex not in ("deny", "review", "allow"):
                errs.append(f"{where}: expect")
            if not isinstance(cats, list) or set(cats) - CATS or len(set(cats)) != len(cats or []):
                errs.append(f"{where}: categories")
            elif ex in ("deny", "review") and not cats:
                errs.append(f"{where}: deny/review need categories")
            elif ex == "allow" and cats:
                errs.append(f"{where}: allow has no categories")
            if o.get("hard_negative") is True and ex != "allow":
                errs.append(f"{where}: hard_negative only on allow")
            if o.get("evasion") is True and ex != "deny":
                errs.append(f"{where}: evasion only on deny")
            if not isinstance(o.get("hard_negative"), bool) or not isinstance(o.get("evasion"), bool):
                errs.append(f"{where}: hard_negative/evasion must be bools")
            if not str(o.get("pattern", "")).strip() or not str(o.get("text", "")).strip():
                errs.append(f"{where}: empty text or pattern")
            for kind, d, ok in findings(str(o.get("text", ""))):
                if ok and ex == "allow":
                    errs.append(f"{where}: allow item holds a valid full {kind} number …{d[-4:]}")
                if ok and ex == "deny" and "privacy" not in (cats or []):
                    errs.append(f"{where}: a valid full {kind} number …{d[-4:]} makes it privacy: add the category")
                if not ok and ex == "deny" and "privacy" in (cats or []):
                    warns.append(f"{where}: a long digit string …{d[-4:]} fails validation; if it is meant as a full ID/card/SSN, fix it")
            items.append(o)
    N = len(items)
    deny = [o for o in items if o.get("expect") == "deny"]
    rev = sum(o.get("expect") == "review" for o in items)
    hn = sum(o.get("hard_negative") is True for o in items)
    ev = sum(o.get("evasion") is True for o in items)
    tp = sum(o.get("audience") == "third_party" for o in items)
    cat = {c: sum(c in (o.get("categories") or []) for o in deny) for c in sorted(CATS)}
    ch = {}
    for o in items:
        ch[o.get("channel")] = ch.get(o.get("channel"), 0) + 1
    long_ = sum(len(str(o.get("text", ""))) >= 500 for o in items)
    print(f"{path}: {N} items, deny {len(deny)}, review {rev}, allow {N - len(deny) - rev}, hard_negative {hn}, "
          f"evasion {ev}, third_party {tp}, deny by category {cat}, channels {ch}, 500+ chars {long_}")
    if N != 100: errs.append(f"{N} items, want 100")
    if not 45 <= len(deny) <= 55: errs.append(f"deny {len(deny)}, want 45-55")
    if rev > 4: errs.append(f"review {rev}, want at most 4")
    if hn * 3 < N: errs.append(f"hard_negative {hn}, want at least a third")
    if ev * 4 < len(deny): errs.append(f"evasion {ev}, want at least a quarter of deny")
    for c, k in cat.items():
        if k < 18: errs.append(f"{c}: {k} deny items, want at least 18")
    if tp < 20: errs.append(f"third_party {tp}, want at least 20")
    for w in warns: print("warning:", w)
    for e in errs: print("ERROR:", e)
    return not errs


if __name__ == "__main__":
    a = sys.argv[1:]
    if not a:
        raise SystemExit(__doc__)
    if a[0] == "--gen":
        for _ in range(int(a[2]) if len(a) > 2 else 5):
            print(gen(a[1]))
        raise SystemExit(0)
    ok = all([check(p) for p in a])
    print("OK" if ok else "FAILED")
    raise SystemExit(0 if ok else 1)
