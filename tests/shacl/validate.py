#!/usr/bin/env python3
"""Validate a claimtrace RDF dataset against ontology/shapes.ttl.

    python validate.py DATA.trig [--union] [--verbose]

Each named graph (one article) is validated together with the default graph
(the catalogue), as its own data graph, with ontology/claimtrace.ttl mixed in
as the ontology graph. A dataset without named graphs is validated as one
graph. Exit codes: 0 conforms, 1 violation, 2 bad input (unreadable or
unparsable file, empty dataset, broken shapes or ontology).

Why not hand pySHACL the rdflib Dataset directly: pySHACL 0.40 sets
default_union on a Dataset or ConjunctiveGraph and validates the union of
all its graphs as one data graph. That does see the named graphs, but it
lets one graph satisfy another's constraints (an article's text found in some
other graph passes the span check). Per graph, each article graph has to
stand on its own with the catalogue, as DATA-MODEL.md §4 requires. --union
gives pySHACL's behaviour, which is faster on large datasets.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

warnings.filterwarnings("ignore", category=DeprecationWarning)

import pyshacl  # noqa: E402
import rdflib  # noqa: E402
from rdflib import RDF, BNode, Graph, URIRef  # noqa: E402
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID  # noqa: E402

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
SHAPES = REPO / "ontology" / "shapes.ttl"
ONTOLOGY = REPO / "ontology" / "claimtrace.ttl"

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
CT = rdflib.Namespace("https://w3id.org/claimtrace#")
OA = rdflib.Namespace("http://www.w3.org/ns/oa#")

FORMATS = {".trig": "trig", ".nq": "nquads", ".nquads": "nquads", ".ttl": "turtle", ".nt": "nt"}


class BadInput(Exception):
    """The data, shapes or ontology could not be read."""


@dataclass(frozen=True)
class Result:
    """One sh:ValidationResult, with the graph it was found in."""

    graph: str
    severity: str
    shape: str
    component: str
    focus: str
    path: str
    value: str
    message: str


@dataclass
class Outcome:
    conforms: bool
    results: list[Result]
    graphs: int  # data graphs validated
    attributions: int
    spans: int
    texts: list[str]  # pySHACL's own text report for each failing graph


def load_dataset(path: str | Path, rdf_format: str | None = None) -> rdflib.Dataset:
    path = Path(path)
    if not path.is_file():
        raise BadInput(f"{path}: no such file")
    fmt = rdf_format or FORMATS.get(path.suffix.lower(), "trig")
    ds = rdflib.Dataset()
    try:
        ds.parse(str(path), format=fmt)
    except Exception as e:  # rdflib raises many unrelated types for bad syntax
        raise BadInput(f"{path}: cannot parse as {fmt}: {e}") from e
    if len(ds) == 0 and not any(len(g) for g in ds.graphs()):
        raise BadInput(f"{path}: no triples")
    return ds


def load_graph(path: Path) -> Graph:
    try:
        return Graph().parse(str(path), format="turtle")
    except Exception as e:
        raise BadInput(f"{path}: cannot parse: {e}") from e


def data_graphs(ds: rdflib.Dataset) -> list[tuple[str, Graph]]:
    """(label, graph) for each named graph merged with the default graph."""
    default = ds.graph(DATASET_DEFAULT_GRAPH_ID)
    named = sorted(
        (g for g in ds.graphs() if g.identifier != DATASET_DEFAULT_GRAPH_ID and len(g) > 0),
        key=lambda g: str(g.identifier),
    )
    if not named:
        merged = Graph()
        for t in default:
            merged.add(t)
        return [("(default graph)", merged)]
    out = []
    for g in named:
        merged = Graph()
        for t in default:
            merged.add(t)
        for t in g:
            merged.add(t)
        out.append((str(g.identifier), merged))
    return out


def _qname(g: Graph, node) -> str:
    if node is None:
        return ""
    if isinstance(node, URIRef):
        try:
            return g.namespace_manager.normalizeUri(node)
        except Exception:
            return f"<{node}>"
    return str(node)


def _path(rg: Graph, node) -> str:
    if node is None:
        return ""
    if isinstance(node, BNode):
        inv = rg.value(node, SH.inversePath)
        if inv is not None:
            return "^" + _qname(rg, inv)
        return "(complex path)"
    return _qname(rg, node)


def parse_report(rg: Graph, label: str) -> list[Result]:
    out = []
    for r in rg.subjects(RDF.type, SH.ValidationResult):
        value = rg.value(r, SH.value)
        out.append(
            Result(
                graph=label,
                severity=_qname(rg, rg.value(r, SH.resultSeverity)),
                shape=str(rg.value(r, SH.sourceShape) or ""),
                component=_qname(rg, rg.value(r, SH.sourceConstraintComponent)),
                focus=str(rg.value(r, SH.focusNode) or ""),
                path=_path(rg, rg.value(r, SH.resultPath)),
                value="" if value is None else str(value),
                message=" / ".join(str(m) for m in rg.objects(r, SH.resultMessage)),
            )
        )
    return sorted(out, key=lambda x: (x.graph, x.focus, x.shape, x.path, x.value))


def validate_dataset(
    ds: rdflib.Dataset,
    shapes: Graph | None = None,
    ontology: Graph | None = None,
    union: bool = False,
) -> Outcome:
    shapes = shapes if shapes is not None else load_graph(SHAPES)
    ontology = ontology if ontology is not None else load_graph(ONTOLOGY)
    if union:
        ds.default_union = True
        graphs = [("(union of all graphs)", ds)]
    else:
        graphs = data_graphs(ds)
    outcome = Outcome(True, [], 0, 0, 0, [])
    for label, g in graphs:
        outcome.graphs += 1
        outcome.attributions += len(set(g.subjects(RDF.type, CT.Attribution)))
        outcome.spans += len(set(g.subjects(OA.start, None)))
        try:
            conforms, rg, text = pyshacl.validate(
                g,
                shacl_graph=shapes,
                ont_graph=ontology,
                inference="none",
                abort_on_first=False,
                allow_warnings=False,
            )
        except Exception as e:
            raise BadInput(f"pySHACL failed on {label}: {e}") from e
        if not conforms:
            outcome.conforms = False
            outcome.results.extend(parse_report(rg, label))
            outcome.texts.append(f"# {label}\n{text}")
    return outcome


def format_report(outcome: Outcome) -> str:
    lines = []
    graph = None
    for r in outcome.results:
        if r.graph != graph:
            graph = r.graph
            lines.append(f"graph {graph}")
        shape = r.shape.rsplit("#", 1)[-1] if r.shape.startswith("https://w3id.org/claimtrace/shapes#") else r.shape
        lines.append(f"  {r.severity} {shape} ({r.component})")
        lines.append(f"    focus: {r.focus}")
        if r.path:
            lines.append(f"    path:  {r.path}")
        if r.value:
            lines.append(f"    value: {r.value!r}")
        lines.append(f"    {r.message}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data", help="TriG (or N-Quads, Turtle, N-Triples) file to validate")
    ap.add_argument("--format", help="rdflib format name; default from the file extension, else trig")
    ap.add_argument("--union", action="store_true", help="validate the union of all graphs at once")
    ap.add_argument("--shapes", default=str(SHAPES), help="SHACL shapes (Turtle)")
    ap.add_argument("--ontology", default=str(ONTOLOGY), help="ontology graph (Turtle)")
    ap.add_argument("-v", "--verbose", action="store_true", help="also print pySHACL's own report")
    args = ap.parse_args(argv)
    try:
        ds = load_dataset(args.data, args.format)
        outcome = validate_dataset(
            ds, load_graph(Path(args.shapes)), load_graph(Path(args.ontology)), union=args.union
        )
    except BadInput as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    summary = (
        f"{args.data}: {outcome.graphs} data graph(s), {outcome.attributions} attribution(s), "
        f"{outcome.spans} span(s)"
    )
    if outcome.conforms:
        print(f"{summary}: conforms")
        return 0
    print(f"{summary}: {len(outcome.results)} violation(s)")
    print(format_report(outcome))
    if args.verbose:
        print("\n".join(outcome.texts))
    return 1


if __name__ == "__main__":
    sys.exit(main())
