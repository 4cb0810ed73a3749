#!/usr/bin/env python3
"""Static checker for the extraction fixtures in this directory (see README.md).

Parses every ``*.txt`` file with the README's grammar and checks, without running claimtrace:

* tags are well formed and balanced; tags never nest or overlap (every character belongs to at
  most one tag, so a ``<via>`` can never overlap a ``<src>`` and an attribution never overlaps
  another one);
* every non-``!none`` line has at least one attribution, numbered 1..k without gaps, and each
  attribution has exactly one ``<cue>``, at least one ``<content>``, at most one ``<src>`` and at
  most one ``<via>``; ``!none`` lines carry no tags;
* attribute names and values come from the allowed set (every ``<cue>`` has a ``kind=``;
  ``aff=`` values are declared in the ``# affiliations:`` comment of features.txt, or ``none``;
  ``name=`` is the name read, spaces as dashes);
* a few span conventions: no surrounding whitespace or commas (a cue that is a speaker label's
  colon alone excepted), direct content is quoted (a quotation may run on into the next
  paragraph when that paragraph opens with a quotation mark),
  indirect content does not end with sentence punctuation, unattributed and continuation
  attributions have no source, ``ref=`` points back to an earlier attribution;
* counts per file, and the totals (>= 75 cases, >= 18 negatives, >= 15 cases with features).

Usage: python3 tests/data/extract/lint.py [DIR]   (exit status 1 on any error)
"""

import re
import sys
from pathlib import Path

TAG_NAMES = ("src", "cue", "content", "via")
TAG_RE = re.compile(r"<(/?)(src|cue|content|via)(?:@([1-9][0-9]*))?((?:[ ][^<>\s]+)*)>")
KINDS = {"direct", "indirect", "mixed", "according-to", "unattributed"}
FLAG_ATTRS = {"src": {"anon", "named"}}
VALUE_ATTRS = {"cue": {"kind"}, "src": {"n", "aff", "ref", "name"}}
FEATURE_ATTRS = {"n", "anon", "named", "aff", "name"}
DEFAULT_AFFILIATIONS = [
    "U.S.", "Iran", "Israel", "Russia", "China", "Ukraine", "United Kingdom", "France",
    "Germany", "European Union", "United Nations", "Turkey", "Oman",
]
OPEN_QUOTES = "\"“‘'`"
CLOSE_QUOTES = "\"”’'"
CONTINUATION_CUES = {"saying", "adding"}
MIN_CASES, MIN_NEGATIVES, MIN_FEATURE_CASES = 75, 18, 15


def affiliations(directory):
    """Canonical affiliation names declared in features.txt (``# affiliations: A; B; ...``)."""
    path = directory / "features.txt"
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            m = re.match(r"#\s*affiliations:\s*(.*)$", line)
            if m:
                return {a.strip() for a in m.group(1).split(";") if a.strip()}
    return set(DEFAULT_AFFILIATIONS)


def parse_line(text, affs):
    """Return (plain_text, attributions, errors). attributions: {n: {tag: [(start, end, attrs)]}}."""
    errors = []
    plain = []
    pos = 0
    open_tag = None  # (name, n, attrs, plain_start)
    attributions = {}
    for m in TAG_RE.finditer(text):
        between = text[pos:m.start()]
        if "<" in between or ">" in between:
            errors.append(f"malformed tag or stray '<'/'>' in {between!r}")
        plain.append(between)
        pos = m.end()
        offset = sum(len(p) for p in plain)
        closing, name, num, raw_attrs = m.group(1) == "/", m.group(2), m.group(3), m.group(4)
        if closing:
            if raw_attrs:
                errors.append(f"closing tag </{name}> carries attributes")
            if open_tag is None:
                errors.append(f"</{name}> without an open tag")
                continue
            oname, onum, oattrs, ostart = open_tag
            if name != oname or (num is not None and int(num) != onum):
                errors.append(f"<{oname}@{onum}> closed by {m.group(0)}")
            open_tag = None
            span = "".join(plain)[ostart:offset]
            attributions.setdefault(onum, {}).setdefault(oname, []).append((ostart, offset, oattrs, span))
            continue
        if open_tag is not None:
            errors.append(f"{m.group(0)} opened inside <{open_tag[0]}@{open_tag[1]}> (tags may not nest or overlap)")
            continue
        attrs = {}
        for item in raw_attrs.split():
            key, eq, value = item.partition("=")
            if key in attrs:
                errors.append(f"duplicate attribute {key} on <{name}>")
            if eq:
                if key not in VALUE_ATTRS.get(name, set()):
                    errors.append(f"attribute {key}= not allowed on <{name}>")
                attrs[key] = value
            else:
                if key not in FLAG_ATTRS.get(name, set()):
                    errors.append(f"flag {key} not allowed on <{name}>")
                attrs[key] = True
        if "kind" in attrs and attrs["kind"] not in KINDS:
            errors.append(f"kind={attrs['kind']} not one of {sorted(KINDS)}")
        if "n" in attrs and not re.fullmatch(r"[1-9][0-9]*|\?", attrs["n"]):
            errors.append(f"n={attrs['n']} is not a positive count or ?")
        if "aff" in attrs and attrs["aff"] not in affs and attrs["aff"] != "none":
            errors.append(f"aff={attrs['aff']} not declared in features.txt '# affiliations:'")
        if "ref" in attrs and not re.fullmatch(r"[1-9][0-9]*", attrs["ref"]):
            errors.append(f"ref={attrs['ref']} is not an attribution number")
        if attrs.get("anon") and attrs.get("named"):
            errors.append("a source cannot be both anon and named")
        if name == "cue" and "kind" not in attrs:
            errors.append("<cue> without kind=")
        open_tag = (name, int(num) if num else 1, attrs, offset)
    tail = text[pos:]
    if "<" in tail or ">" in tail:
        errors.append(f"malformed tag or stray '<'/'>' in {tail!r}")
    plain.append(tail)
    if open_tag is not None:
        errors.append(f"<{open_tag[0]}@{open_tag[1]}> never closed")
    return "".join(plain), attributions, errors


def check_attribution(num, tags, attributions, plain):
    errors = []
    where = f"attribution {num}"
    cues = tags.get("cue", [])
    contents = tags.get("content", [])
    srcs = tags.get("src", [])
    vias = tags.get("via", [])
    if len(cues) != 1:
        errors.append(f"{where}: {len(cues)} <cue> tags (need exactly 1)")
    if not contents:
        errors.append(f"{where}: no <content>")
    if len(srcs) > 1:
        errors.append(f"{where}: {len(srcs)} <src> tags")
    if len(vias) > 1:
        errors.append(f"{where}: {len(vias)} <via> tags")
    for name, spans in tags.items():
        for _, _, _, span in spans:
            if not span:
                errors.append(f"{where}: empty <{name}>")
            elif span == ":" and name == "cue":
                pass  # a transcript's speaker label: the colon is the whole cue
            elif span != span.strip() or span[0] in ",;" or span[-1] in ",;:" and name != "content":
                errors.append(f"{where}: <{name}> {span!r} has surrounding whitespace or punctuation")
    for _, _, attrs, span in srcs:
        if re.search(r"\b(also|too|however)$", span):
            errors.append(f"{where}: source {span!r} includes a trailing adverb")
        ref = attrs.get("ref")
        if ref is not None and (int(ref) >= num or int(ref) not in attributions):
            errors.append(f"{where}: ref={ref} does not point to an earlier attribution")
    if len(cues) != 1:
        return errors
    _, _, cattrs, cue = cues[0]
    kind = cattrs.get("kind")
    if cue.lower() in CONTINUATION_CUES and srcs and num != 1:
        # A first attribution has nothing to continue: its source is the sentence's subject.
        errors.append(f"{where}: continuation cue {cue!r} must not have its own <src>")
    if kind == "unattributed" and srcs:
        errors.append(f"{where}: unattributed attribution has a <src>")
    if kind != "unattributed" and not srcs and cue.lower() not in CONTINUATION_CUES:
        errors.append(f"{where}: kind={kind} without <src> (only continuations may omit it)")
    if kind == "according-to" and cue.lower() not in ("according to", "per"):
        errors.append(f"{where}: according-to cue is {cue!r}")
    if kind != "according-to" and cue.lower() in ("according to", "per"):
        errors.append(f"{where}: cue {cue!r} must have kind=according-to")
    for _, end, _, span in contents:
        if not span:
            continue
        quoted = span[0] in OPEN_QUOTES and (span[-1] in CLOSE_QUOTES or continued(plain, end))
        has_quote = any(c in span for c in "\"“”")
        if kind == "direct" and not quoted:
            errors.append(f"{where}: direct content {span!r} is not a quotation with its marks")
        if kind == "mixed" and (not has_quote or span[0] in "\"“"):
            errors.append(f"{where}: mixed content {span!r} should paraphrase part and quote part")
        if kind in ("indirect", "according-to", "unattributed") and has_quote:
            errors.append(f"{where}: {kind} content {span!r} contains a quotation (use mixed)")
        if kind != "direct" and span[-1] in ".,;:!?":
            errors.append(f"{where}: content {span!r} ends with sentence punctuation")
    return errors


def continued(plain, end):
    """Whether a quotation left open at ``end`` goes on in the next paragraph: news leaves a
    paragraph's quotation open when the next paragraph opens with a quotation mark."""
    return plain[end:end + 1] == "¶" and plain[end + 1:end + 2] in "\"“"


def check_quotes(plain):
    errors = []
    paragraphs = plain.split("¶")
    for i, paragraph in enumerate(paragraphs):
        runs_on = i + 1 < len(paragraphs) and paragraphs[i + 1][:1] in "\"“"
        straight_open = paragraph.count('"') % 2
        curly_open = paragraph.count("“") - paragraph.count("”")
        if straight_open and not (runs_on and paragraphs[i + 1][:1] == '"'):
            errors.append('odd number of straight double quotes')
        if curly_open and not (curly_open == 1 and runs_on and paragraphs[i + 1][:1] == "“"):
            errors.append("unbalanced curly double quotes")
    return errors


def main(argv):
    directory = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent
    affs = affiliations(directory)
    files = sorted(directory.glob("*.txt"))
    if not files:
        print(f"no *.txt fixtures in {directory}")
        return 1
    total_cases = total_neg = total_feat = total_attr = 0
    n_errors = 0
    seen = {}
    rows = []
    for path in files:
        cases = neg = feat = attrs_in_file = 0
        lines = path.read_text(encoding="utf-8").splitlines()
        if not lines or not lines[0].startswith("#"):
            print(f"{path.name}:1: file must start with a '#' comment saying what it covers")
            n_errors += 1
        for lineno, line in enumerate(lines, 1):
            if not line.strip() or line.startswith("#"):
                continue
            cases += 1
            errors = []
            if line != line.rstrip() or line != line.lstrip():
                errors.append("leading or trailing whitespace")
            if line.startswith("!none"):
                neg += 1
                body = line[len("!none "):]
                if not line.startswith("!none ") or not body.strip():
                    errors.append("'!none' must be followed by a space and a sentence")
                if "<" in body or ">" in body:
                    errors.append("!none line contains tags")
                plain = body
            else:
                plain, attributions, errors = parse_line(line, affs)
                if not attributions:
                    errors.append("untagged line (not !none) has no attribution")
                if sorted(attributions) != list(range(1, len(attributions) + 1)):
                    errors.append(f"attribution numbers {sorted(attributions)} are not 1..k")
                for num in sorted(attributions):
                    errors += check_attribution(num, attributions[num], attributions, plain)
                attrs_in_file += len(attributions)
                if any(FEATURE_ATTRS & set(a) for t in attributions.values()
                       for _, _, a, _ in t.get("src", [])):
                    feat += 1
            errors += check_quotes(plain)
            key = plain.strip()
            if key in seen:
                errors.append(f"duplicate of {seen[key]}")
            seen.setdefault(key, f"{path.name}:{lineno}")
            for e in errors:
                print(f"{path.name}:{lineno}: {e}")
            n_errors += len(errors)
        rows.append((path.name, cases, neg, attrs_in_file, feat))
        total_cases += cases
        total_neg += neg
        total_feat += feat
        total_attr += attrs_in_file
    print(f"{'file':<20}{'cases':>7}{'!none':>7}{'attrs':>7}{'feat':>6}")
    for name, cases, neg, attrs_in_file, feat in rows:
        print(f"{name:<20}{cases:>7}{neg:>7}{attrs_in_file:>7}{feat:>6}")
    print(f"{'total':<20}{total_cases:>7}{total_neg:>7}{total_attr:>7}{total_feat:>6}")
    for label, value, minimum in (("cases", total_cases, MIN_CASES),
                                  ("!none negatives", total_neg, MIN_NEGATIVES),
                                  ("cases with source features", total_feat, MIN_FEATURE_CASES)):
        if value < minimum:
            print(f"too few {label}: {value} < {minimum}")
            n_errors += 1
    print("OK" if n_errors == 0 else f"{n_errors} error(s)")
    return 1 if n_errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
