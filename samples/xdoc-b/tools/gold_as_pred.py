#!/usr/bin/env python3
"""Turn a gold.json into a prediction (one cluster per gold claim) for score_xdoc.py.
Confidence: longest path below the claim in the gold confidence_order graph (so every pair holds)."""
import json, os, sys
gold_path, art_dir, out = sys.argv[1:]
g = json.load(open(gold_path, encoding="utf-8"))
pred = []
for ev in g["events"]:
    below = {c["id"]: set() for c in ev["claims"]}
    for a, op, b in ev["confidence_order"]:
        hi, lo = (a, b) if op == ">" else (b, a)
        below[hi].add(lo)
    memo = {}
    def level(x, seen=()):
        if x in seen:
            raise SystemExit(f"cycle in confidence_order at {x}")
        if x not in memo:
            memo[x] = 1 + max((level(y, seen + (x,)) for y in below[x]), default=0)
        return memo[x]
    for c in ev["claims"]:
        ms = []
        for m in c["mentions"]:
            t = open(os.path.join(art_dir, m["file"]), encoding="utf-8").read()
            s = t.find(m["content_text"])
            ms.append({"article": m["file"], "content": {"start": s, "end": s + len(m["content_text"]), "text": m["content_text"]},
                       "source": m["source_text"], "intermediary": m["intermediary_text"]})
        pred.append({"cluster": f'{ev["id"]}:{c["id"]}', "mentions": ms, "root_sources": c["root_sources"],
                     "independent_root_count": c["independent_root_count"], "circular": c["circular"],
                     "denied_by": c["denied_by"], "confidence": level(c["id"]) / 10})
json.dump(pred, open(out, "w", encoding="utf-8"), ensure_ascii=False, indent=1)
print(len(pred), "clusters")
