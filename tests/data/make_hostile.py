#!/usr/bin/env python3
"""Writes hostile.jsonl: malformed lines mixed with good ones. tests/hostile_input.rs runs
`collectguard check --max-line-bytes 4096 --max-text-bytes 1024` on it and lists, line by
line, what each must produce. Keep the two in step."""

lines = [
    # 1-3: good
    b'{"type":"borrower","id":"g1","time_zones":["America/New_York"],"packs":["us"]}',
    b'{"type":"borrower","id":"g2","time_zones":["Asia/Shanghai"],"packs":["cn"]}',
    b'{"type":"contact","id":"good-1","borrower":"g1","at":"2026-03-02T15:00:00Z","channel":"call","debts":["d1"],"outcome":"no_answer"}',
    # 4: bad JSON (truncated)
    b'{"type":"contact","id":"bad-json","borrower":"t1","outcome":"no_answer","at":"2026-03-02T16:00:00Z"',
    # 5: unknown field
    b'{"type":"consent","borrower":"x1","at":"2026-03-02T16:00:00Z","scope":"workplace","sope":"x"}',
    # 6: unknown type
    b'{"type":"teleport","borrower":"x2"}',
    # 7: unknown time zone
    b'{"type":"borrower","id":"x3","time_zones":["Mars/Olympus"]}',
    # 8: unknown borrower
    b'{"type":"contact","id":"c-unknown","borrower":"nobody","at":"2026-03-02T16:00:00Z","channel":"call"}',
    # 9: unknown pack
    b'{"type":"borrower","id":"x4","time_zones":["UTC"],"packs":["us-mass"]}',
    # 10-13: out of order, and what it leaves behind
    b'{"type":"borrower","id":"o1","time_zones":["Europe/London"],"packs":["uk"]}',
    b'{"type":"contact","id":"good-2","borrower":"o1","at":"2026-03-03T10:00:00Z","channel":"call","outcome":"conversation"}',
    b'{"type":"contact","id":"late","borrower":"o1","at":"2026-03-02T10:00:00Z","channel":"call","outcome":"no_answer"}',
    b'{"type":"contact","id":"after-late","borrower":"o1","at":"2026-03-04T10:00:00Z","channel":"call"}',
    # 14: deep nesting
    b'{"type":"contact","id":"deep","borrower":"x5","at":"2026-03-02T16:00:00Z","channel":"call","text":'
    + b"[" * 300 + b"]" * 300 + b"}",
    # 15: over-long line (limit 4096)
    b'{"type":"contact","id":"long-line","borrower":"g1","at":"2026-03-02T16:00:00Z","channel":"sms","text":"'
    + b"a" * 5000 + b'"}',
    # 16: over-long text (limit 1024), a planned contact
    b'{"type":"contact","id":"long-text","borrower":"g2","at":"2026-03-02T16:00:00Z","channel":"sms","text":"'
    + "还".encode() * 700 + b'"}',
    # 17: invalid UTF-8
    b'{"type":"contact","id":"bad-utf8","borrower":"g1","at":"2026-03-02T16:00:00Z","channel":"sms","text":"\xff\xfe"}',
    # 18: a raw NUL byte inside a string
    b'{"type":"contact","id":"raw-nul","borrower":"g1","at":"2026-03-02T16:00:00Z","channel":"sms","text":"a\x00b"}',
    # 19: good: an escaped NUL in the text
    b'{"type":"contact","id":"good-3","borrower":"g2","at":"2026-03-02T06:00:00Z","channel":"sms","text":"\\u0000\xe4\xbd\xa0\xe5\xa5\xbd\\u0000"}',
    # 20: huge number
    b'{"type":"contact","id":"huge","borrower":"g1","at":"2026-03-02T16:00:00Z","channel":"call","debts":[1e999]}',
    # 21: huge integer where a time belongs
    b'{"type":"contact","id":"huge-at","borrower":"g1","at":123456789012345678901234567890,"channel":"call"}',
    # 22: wrong type
    b'{"type":"borrower","id":"x6","time_zones":"UTC"}',
    # 23: a time outside the supported years (planned)
    b'{"type":"contact","id":"far","borrower":"g1","at":"+262142-12-31T23:59:59Z","channel":"call"}',
    # 24: good: a planned call at 21:30 in New York
    b'{"type":"contact","id":"good-4","borrower":"g1","at":"2026-03-04T02:30:00Z","channel":"call","debts":["d1"],"text":"This is a debt collector calling about your account."}',
    # 25: blank
    b"",
    # 26-29: JSON that is not an object
    b"null",
    b"[]",
    b"42",
    b'"contact"',
    # 30: byte-order mark
    b'\xef\xbb\xbf{"type":"cease","borrower":"x7","at":"2026-03-04T03:00:00Z"}',
    # 31: duplicate key
    b'{"type":"contact","id":"a","id":"b","borrower":"g1","at":"2026-03-04T03:00:00Z","channel":"call"}',
    # 32: good, with a CRLF line end
    b'{"type":"contact","id":"good-5","borrower":"g2","at":"2026-03-04T03:00:00Z","channel":"sms","outcome":"delivered","text":"\xe6\x82\xa8\xe5\xa5\xbd"}\r',
    # 33: missing required field
    b'{"type":"contact","id":"no-channel","borrower":"g1","at":"2026-03-04T03:00:00Z"}',
    # 34: wrong enum in a nested object
    b'{"type":"contact","id":"bad-party","borrower":"g1","at":"2026-03-04T03:00:00Z","channel":"call","to":{"party":"third_party","relation":"cousin"}}',
    # 35: g2 declared again, differently; 36: what it leaves behind
    b'{"type":"borrower","id":"g2","time_zones":["Asia/Tokyo"],"packs":["cn"]}',
    b'{"type":"contact","id":"after-redeclared","borrower":"g2","at":"2026-03-05T03:00:00Z","channel":"sms"}',
    # 37: too many time zones
    b'{"type":"borrower","id":"x8","time_zones":['
    + b",".join(b'"Etc/GMT+%d"' % (i % 12) for i in range(20))
    + b"]}",
    # 38: good, last line, no line break
    b'{"type":"contact","id":"good-last","borrower":"g1","at":"2026-03-05T15:00:00Z","channel":"email","outcome":"delivered"}',
]

with open("hostile.jsonl", "wb") as f:
    f.write(b"\n".join(lines))
