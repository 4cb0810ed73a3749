#!/usr/bin/env python3
"""Mutation test for ontology/shapes.ttl.

    python test_mutations.py DATA.trig

Asserts that DATA conforms, then breaks a fresh copy of it in one way at a
time (DATA-MODEL.md §8) and asserts that validation fails and that the report
names the expected shape on the mutated node. Targets are picked generically
(the first attribution in IRI order, the first direct quote, the first span
whose text would change...), so any dataset that follows the model works, not
only seed-example.trig: run it on real `claimtrace` output as well.

Every mutation is made inside the named graph that holds the target, so a
caught mutation also shows that the named graphs are validated. The last one
moves the article text out of its article graph into another named graph: the
per-graph validation in validate.py must catch it, where validating the union
of all graphs (pySHACL's own handling of a Dataset) would not.

Exit 0 if every mutation is caught, 1 if any is not (listed), 2 on bad input.
"""

from __future__ import annotations

import sys
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

warnings.filterwarnings("ignore", category=DeprecationWarning)

sys.dont_write_bytecode = True  # no __pycache__ in the repository
sys.path.insert(0, str(Path(__file__).resolve().parent))

import rdflib  # noqa: E402
from rdflib import RDF, XSD, Literal, URIRef  # noqa: E402
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID  # noqa: E402

import validate  # noqa: E402

CT = rdflib.Namespace("https://w3id.org/claimtrace#")
CTS = rdflib.Namespace("https://w3id.org/claimtrace/shapes#")
OA = rdflib.Namespace("http://www.w3.org/ns/oa#")
PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")
SCHEMA = rdflib.Namespace("http://schema.org/")

SPAN_LINKS = (CT.span, CT.cue, CT.sourceSpan, CT.fragment)


class NoTarget(Exception):
    """The dataset has nothing this mutation can be applied to."""


@dataclass
class Expect:
    """A result the report must contain: this shape, on this focus node."""

    shape: URIRef
    focus: URIRef
    path: str | None = None  # as rendered by validate.py, e.g. "ct:confidence"

    def found_in(self, results: list[validate.Result]) -> bool:
        return any(
            r.shape == str(self.shape)
            and r.focus == str(self.focus)
            and (self.path is None or r.path == self.path)
            for r in results
        )

    def __str__(self) -> str:
        path = f" path {self.path}" if self.path else ""
        return f"{self.shape.rsplit('#', 1)[-1]} on <{self.focus}>{path}"


# ---------------------------------------------------------------- helpers


def graph_of(ds: rdflib.Dataset, s, p=None, o=None) -> rdflib.Graph:
    """The graph that holds the first (s, p, o) quad; named graphs first."""
    ids = sorted({c for _, _, _, c in ds.quads((s, p, o, None))}, key=lambda c: (c == DATASET_DEFAULT_GRAPH_ID, str(c)))
    if not ids:
        raise NoTarget(f"no triple ({s}, {p}, {o})")
    return ds.graph(ids[0])


def objects(ds, s, p):
    return sorted({o for _, _, o, _ in ds.quads((s, p, None, None))}, key=str)


def value(ds, s, p):
    vals = objects(ds, s, p)
    return vals[0] if vals else None


def remove_everywhere(ds, s, p, o=None):
    for g in list(ds.graphs()):
        g.remove((s, p, o))


def remove_everywhere_but(ds, s, p, keep):
    for g in list(ds.graphs()):
        for o in list(g.objects(s, p)):
            if o != keep:
                g.remove((s, p, o))


def attributions(ds) -> list[URIRef]:
    return sorted({s for s, _, _, _ in ds.quads((None, RDF.type, CT.Attribution, None))}, key=str)


def first_attribution(ds) -> URIRef:
    attrs = attributions(ds)
    if not attrs:
        raise NoTarget("no ct:Attribution")
    return attrs[0]


def spans(ds) -> list[URIRef]:
    found = {s for s, _, _, _ in ds.quads((None, RDF.type, CT.Span, None))}
    for p in SPAN_LINKS:
        found |= {o for _, _, o, _ in ds.quads((None, p, None, None)) if isinstance(o, URIRef)}
    return sorted(found, key=str)


def offsets(ds, span):
    s, e = value(ds, span, OA.start), value(ds, span, OA.end)
    if s is None or e is None:
        return None
    return int(s.toPython()), int(e.toPython())


def source_text(ds, span) -> str | None:
    src = value(ds, span, OA.hasSource)
    t = value(ds, src, SCHEMA.text) if src is not None else None
    return None if t is None else str(t)


def set_one(g: rdflib.Graph, s, p, o):
    g.remove((s, p, None))
    g.add((s, p, o))


# ---------------------------------------------------------------- mutations
# Each takes a fresh Dataset, mutates it in place and returns what the report
# must contain.


def swap_start_end(ds):
    for span in spans(ds):
        off = offsets(ds, span)
        if off and off[0] < off[1]:
            g = graph_of(ds, span, OA.start)
            set_one(g, span, OA.start, Literal(off[1]))
            set_one(g, span, OA.end, Literal(off[0]))
            return [Expect(CTS["Span-start-before-end"], span, "oa:start")]
    raise NoTarget("no span with start < end")


def shift_offsets(ds):
    for span in spans(ds):
        off, text, exact = offsets(ds, span), source_text(ds, span), value(ds, span, OA.exact)
        if off and text is not None and exact is not None and text[off[0] + 1 : off[1] + 1] != str(exact):
            g = graph_of(ds, span, OA.start)
            set_one(g, span, OA.start, Literal(off[0] + 1))
            set_one(g, span, OA.end, Literal(off[1] + 1))
            return [Expect(CTS.SpanTextMatchShape, span)]
    raise NoTarget("no span whose text changes when shifted by one")


def end_past_text(ds):
    """oa:end beyond the text, oa:exact the tail that SUBSTR's truncation returns."""
    for span in spans(ds):
        off, text = offsets(ds, span), source_text(ds, span)
        if off and text is not None and off[1] <= len(text):
            g = graph_of(ds, span, OA.start)
            set_one(g, span, OA.end, Literal(len(text) + 1))
            set_one(g, span, OA.exact, Literal(text[off[0] :]))
            return [Expect(CTS.SpanTextMatchShape, span)]
    raise NoTarget("no span with its source text")


def confidence_above_one(ds):
    a = first_attribution(ds)
    set_one(graph_of(ds, a, RDF.type, CT.Attribution), a, CT.confidence, Literal("1.2", datatype=XSD.decimal))
    remove_everywhere_but(ds, a, CT.confidence, Literal("1.2", datatype=XSD.decimal))
    return [Expect(CTS["Attribution-confidence"], a, "ct:confidence")]


def missing_cue(ds):
    a = first_attribution(ds)
    if not objects(ds, a, CT.cue):
        raise NoTarget(f"{a} has no ct:cue to remove")
    remove_everywhere(ds, a, CT.cue)
    return [Expect(CTS["Attribution-cue-count"], a, "ct:cue")]


def two_contents(ds):
    a = first_attribution(ds)
    g = graph_of(ds, a, RDF.type, CT.Attribution)
    current = set(objects(ds, a, CT.content))
    claims = sorted({s for s in g.subjects(RDF.type, CT.Claim)} - current, key=str)
    if claims:
        other = claims[0]
    else:  # a lone attribution: invent a second claim
        other = URIRef(str(a) + "-extra-claim")
        g.add((other, RDF.type, CT.Claim))
    g.add((a, CT.content, other))
    return [Expect(CTS["Attribution-content-count"], a, "ct:content")]


def agentless_direct_quote(ds):
    quotes = sorted(
        {s for s, _, _, _ in ds.quads((None, CT.attributionKind, CT.DirectQuote, None))} & set(attributions(ds)),
        key=str,
    )
    if quotes:
        a = quotes[0]
    else:  # no direct quote in the data: make the first attribution one
        a = first_attribution(ds)
        set_one(graph_of(ds, a, RDF.type, CT.Attribution), a, CT.attributionKind, CT.DirectQuote)
        remove_everywhere_but(ds, a, CT.attributionKind, CT.DirectQuote)
    remove_everywhere(ds, a, PROV.agent)
    return [Expect(CTS.AttributionAgentShape, a)]


def broken_inverse(ds):
    a = first_attribution(ds)
    claims = objects(ds, a, CT.content)
    if not claims or not any(True for _ in ds.quads((claims[0], PROV.qualifiedAttribution, a, None))):
        raise NoTarget(f"{a} has no content claim pointing back")
    remove_everywhere(ds, claims[0], PROV.qualifiedAttribution, a)
    return [Expect(CTS["Attribution-content-inverse"], a, "^prov:qualifiedAttribution")]


def source_count_zero(ds):
    a = first_attribution(ds)
    zero = Literal(0)
    set_one(graph_of(ds, a, RDF.type, CT.Attribution), a, CT.sourceCount, zero)
    remove_everywhere_but(ds, a, CT.sourceCount, zero)
    return [Expect(CTS["Attribution-sourceCount"], a, "ct:sourceCount")]


def attribution_count_removed(ds):
    """Drop an article graph's kept attribution count from the catalogue."""
    graphs = sorted({s for s, _, _, _ in ds.quads((None, RDF.type, CT.ArticleGraph, None))}, key=str)
    if not graphs:
        raise NoTarget("no ct:ArticleGraph")
    g = graphs[0]
    for _, p, o, c in list(ds.quads((g, CT.attributionCount, None, None))):
        ds.graph(c).remove((g, p, o))
    return [Expect(CTS["ArticleGraph-attributionCount"], g, "ct:attributionCount")]


def text_outside_article_graph(ds):
    """Move an article's text into another named graph (per-graph isolation)."""
    for s, p, o, c in sorted(ds.quads((None, SCHEMA.text, None, None)), key=lambda q: str(q[0])):
        if c == DATASET_DEFAULT_GRAPH_ID:
            continue
        span = next((sp for sp in spans(ds) if value(ds, sp, OA.hasSource) == s), None)
        if span is None:
            continue
        ds.graph(c).remove((s, p, o))
        ds.graph(URIRef(str(c) + "-elsewhere")).add((s, p, o))
        return [Expect(CTS.SpanSourceTextShape, span)]
    raise NoTarget("no article text in a named graph with a span on it")


MUTATIONS: list[tuple[str, Callable[[rdflib.Dataset], list[Expect]]]] = [
    ("swapped start/end", swap_start_end),
    ("offsets shifted by one", shift_offsets),
    ("end past the text, exact = truncated tail", end_past_text),
    ("confidence 1.2", confidence_above_one),
    ("missing cue", missing_cue),
    ("two contents", two_contents),
    ("agentless direct quote", agentless_direct_quote),
    ("broken inverse (claim's prov:qualifiedAttribution removed)", broken_inverse),
    ("sourceCount 0", source_count_zero),
    ("attribution count missing", attribution_count_removed),
    ("article text outside its article graph", text_outside_article_graph),
]


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: test_mutations.py DATA.trig", file=sys.stderr)
        return 2
    path = argv[0]
    try:
        shapes = validate.load_graph(validate.SHAPES)
        ontology = validate.load_graph(validate.ONTOLOGY)
        base = validate.validate_dataset(validate.load_dataset(path), shapes, ontology)
    except validate.BadInput as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    if not base.conforms:
        print(f"FAIL: {path} does not conform before any mutation:")
        print(validate.format_report(base))
        return 1
    print(f"ok    {path} conforms ({base.graphs} graph(s), {base.attributions} attribution(s), {base.spans} span(s))")

    failed = []
    for name, mutate in MUTATIONS:
        ds = validate.load_dataset(path)
        try:
            expects = mutate(ds)
        except NoTarget as e:
            failed.append(name)
            print(f"FAIL  {name}: not applied: {e}")
            continue
        out = validate.validate_dataset(ds, shapes, ontology)
        missing = [x for x in expects if not x.found_in(out.results)]
        if out.conforms or missing:
            failed.append(name)
            why = "still conforms" if out.conforms else "report lacks " + "; ".join(map(str, missing))
            print(f"FAIL  {name}: {why}")
            if not out.conforms:
                print("      " + validate.format_report(out).replace("\n", "\n      "))
        else:
            print(f"ok    {name}: caught by {'; '.join(map(str, expects))} ({len(out.results)} result(s))")

    passed = len(MUTATIONS) - len(failed)
    if failed:
        print("mutations not caught: " + ", ".join(failed))
    print(f"{passed} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
