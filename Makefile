# Two commands for a new user: `make run` and `make test`. Everything else is set up on the way.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip

.PHONY: setup run test lint bench eval eval-xquad eval-arcd chroma llm-server clean-venv

# torch first, from the local CPU wheel: a looser pin pulled in by a dependency would fetch CUDA.
# llama-cpp-python is built from source once; pip's wheel cache makes later installs instant.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet torch==2.13.0
	$(PIP) install --quiet -e '.[dev]'
	touch $@

# Joins and verifies the language model, fetches, verifies and converts EmbeddingGemma (sha256
# of every file), seeds tiktoken's encodings: once (about a minute), then a no-op.
setup: $(VENV)/.installed
	$(PY) -m bot setup

run: setup
	$(PY) app.py

# A Chroma server on loopback, for SANAD_CHROMA_URL=http://127.0.0.1:$(CHROMA_PORT)
CHROMA_PORT ?= 8000
CHROMA_PATH ?= $(HOME)/.local/share/sanad/chroma-server
chroma: $(VENV)/.installed
	@echo "Chroma server: SANAD_CHROMA_URL=http://127.0.0.1:$(CHROMA_PORT) (data in $(CHROMA_PATH))"
	$(VENV)/bin/chroma run --host 127.0.0.1 --port $(CHROMA_PORT) --path $(CHROMA_PATH)

# llama.cpp's OpenAI-compatible server with the packaged model, for
# SANAD_LLM_URL=http://127.0.0.1:$(LLM_PORT)/v1
LLM_PORT ?= 8080
llm-server: setup
	@echo "Model server: SANAD_LLM_URL=http://127.0.0.1:$(LLM_PORT)/v1"
	$(PY) -m bot llm-server --port $(LLM_PORT)

# The browser test drives Debian's Chromium (Playwright downloads no browser of its own).
CHROMIUM := /usr/bin/chromium
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
$(CHROMIUM):
	$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq --no-install-recommends chromium

test: setup $(CHROMIUM)
	$(PY) -m pytest

# Benchmarks (about 25 minutes on 2 cores): results as JSON and Markdown in bench/results/,
# gathered in bench/results/README.md. Each can be run alone: python -m bench.<name> --help
bench: setup
	$(PY) -m bench.ingestion
	$(PY) -m bench.retrieval
	$(PY) -m bench.answers
	$(PY) -m bench.serving
	$(PY) -m bench.summary

# The gold seed questions, answered by the real bot (about 8 minutes on 2 cores).
eval: setup
	$(PY) -m bot eval seeds/questions.jsonl --report reports/seeds

# XQuAD (../shared/data/xquad): Arabic questions, and English questions over the same Arabic
# paragraphs. Retrieval on all 1190 questions with each retriever; answers on 200 questions
# spread over the set, a fifth of them made unanswerable (their paragraph left out of the index).
XQUAD ?= ../shared/data/xquad
ANSWERED ?= --sample 200 --seed 1
eval-xquad: setup
	$(PY) -m bot eval $(XQUAD)/xquad.ar.json --retrieval-only --retriever hybrid,dense,keyword \
		--report reports/xquad-ar-retrieval
	$(PY) -m bot eval $(XQUAD)/xquad.ar.json --questions-from $(XQUAD)/xquad.en.json \
		--retrieval-only --retriever hybrid,dense,keyword --report reports/xquad-en-retrieval
	$(PY) -m bot eval $(XQUAD)/xquad.ar.json $(ANSWERED) --unanswerable-share 0.2 \
		--report reports/xquad-ar-answers
	$(PY) -m bot eval $(XQUAD)/xquad.ar.json --questions-from $(XQUAD)/xquad.en.json \
		$(ANSWERED) --unanswerable-share 0.2 --report reports/xquad-en-answers

# ARCD train (../shared/data/arcd): Arabic questions written by people; retrieval on all 693,
# answers on 200 spread over the set.
ARCD ?= ../shared/data/arcd
eval-arcd: setup
	$(PY) -m bot eval $(ARCD)/arcd-train.json --retrieval-only --retriever hybrid,dense,keyword \
		--report reports/arcd-retrieval
	$(PY) -m bot eval $(ARCD)/arcd-train.json $(ANSWERED) --report reports/arcd-answers

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

clean-venv:
	rm -rf $(VENV)
