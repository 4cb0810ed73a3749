#!/usr/bin/env python3
"""Check an xdoc gold.json against its articles.

usage: check_gold.py [DIR]   (DIR holds gold.json and the articles; default: this script's parent dir)

Checks: the JSON loads and has the schema of samples/xdoc/gold.json; every article starts with
`Outlet:`, `Published:` (ISO 8601 UTC), a headline and a blank line; every content_text, source_text and
intermediary_text (mentions and denials) is an exact substring of its file; a mention's content occurs
once in its file and lies in the body (not the header); mentions of one file do not overlap;
independent_root_count matches root_sources (as in the seed gold), denied_by and denials agree; the
confidence order names known claims and has no cycle.
"""
import datetime, json, os, re, sys

d = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
gold = json.load(open(os.path.join(d, "gold.json"), encoding="utf-8"))
errs = []
CLAIM_KEYS = ["id", "gist", "mentions", "root_sources", "independent_root_count", "circular", "denied_by", "denials"]
MENTION_KEYS = ["file", "content_text", "source_text", "intermediary_text"]
assert set(gold) == {"description", "events"}, set(gold)
texts = {}
def text(f):
    if f not in texts:
        texts[f] = open(os.path.join(d, f), encoding="utf-8").read()
    return texts[f]
n_m = n_c = 0
for ev in gold["events"]:
    assert list(ev) == ["id", "articles", "claims", "confidence_order"], list(ev)
    for f in ev["articles"]:
        lines = text(f).split("\n")
        if not (lines[0].startswith("Outlet: ") and lines[1].startswith("Published: ") and lines[2] and lines[3] == ""):
            errs.append(f"{f}: header is not Outlet/Published/headline/blank line")
        try:
            datetime.datetime.strptime(lines[1][len("Published: "):], "%Y-%m-%dT%H:%M:%SZ")
        except ValueError:
            errs.append(f"{f}: Published is not ISO 8601 UTC")
    ids = [c["id"] for c in ev["claims"]]
    if len(ids) != len(set(ids)):
        errs.append(f"{ev['id']}: duplicate claim ids")
    spans = {}
    for c in ev["claims"]:
        n_c += 1
        if list(c) != CLAIM_KEYS:
            errs.append(f"{c['id']}: keys {list(c)}")
        if not isinstance(c["circular"], bool) or not isinstance(c["independent_root_count"], int):
            errs.append(f"{c['id']}: circular must be a boolean, independent_root_count an integer")
        if c["independent_root_count"] != len(c["root_sources"]):
            errs.append(f"{c['id']}: {c['independent_root_count']} independent roots but {len(c['root_sources'])} root_sources")
        if bool(c["denied_by"]) != bool(c["denials"]):
            errs.append(f"{c['id']}: denied_by and denials disagree")
        for kind, items in (("mention", c["mentions"]), ("denial", c["denials"])):
            for x in items:
                want = MENTION_KEYS if kind == "mention" else MENTION_KEYS[:3]
                if list(x) != want:
                    errs.append(f"{c['id']} {kind}: keys {list(x)}")
                if x["file"] not in ev["articles"]:
                    errs.append(f"{c['id']}: {x['file']} is not an article of {ev['id']}")
                    continue
                t = text(x["file"]); body_at = t.index("\n\n") + 2
                for k in want[1:]:
                    v = x.get(k)
                    if v is None:
                        continue
                    if t.find(v) < 0:
                        errs.append(f"{c['id']} {kind} {x['file']}: {k} not in file: {v!r}")
                    elif k == "content_text" and kind == "mention":
                        if t.count(v) != 1:
                            errs.append(f"{c['id']} {x['file']}: content occurs {t.count(v)} times: {v!r}")
                        if t.find(v) < body_at:
                            errs.append(f"{c['id']} {x['file']}: content in the header: {v!r}")
                if kind == "mention" and t.find(x["content_text"]) >= 0:
                    n_m += 1
                    s = t.find(x["content_text"])
                    spans.setdefault(x["file"], []).append((s, s + len(x["content_text"]), c["id"]))
    for f, L in spans.items():
        L.sort()
        for a, b in zip(L, L[1:]):
            if b[0] < a[1]:
                errs.append(f"{f}: mentions overlap: {a} {b}")
    below = {i: set() for i in ids}
    for p in ev["confidence_order"]:
        if len(p) != 3 or p[1] not in (">", "<") or p[0] not in below or p[2] not in below:
            errs.append(f"{ev['id']}: bad order pair {p}")
            continue
        hi, lo = (p[0], p[2]) if p[1] == ">" else (p[2], p[0])
        below[hi].add(lo)
    def reach(x, seen):
        for y in below[x]:
            if y in seen:
                return True
            if reach(y, seen | {y}):
                return True
        return False
    for i in ids:
        if reach(i, {i}):
            errs.append(f"{ev['id']}: confidence order has a cycle through {i}")
for e in errs:
    print("ERROR", e)
print(f"{'FAIL' if errs else 'ok'}: {len(gold['events'])} events, {n_c} claims, {n_m} mentions, {len(errs)} errors")
sys.exit(1 if errs else 0)
