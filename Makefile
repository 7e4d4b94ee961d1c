# Every target installs what it needs first, so any of them works on a fresh clone.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
MODEL := models/aftersales.tar.gz
TRAINING_FILES := config.yml domain.yml $(shell find data -name '*.yml' 2>/dev/null)
export PYTHONPATH := $(CURDIR)
export TF_CPP_MIN_LOG_LEVEL := 2
export RASA_TELEMETRY_ENABLED := false

# Python 3.10 (Rasa 3.6 needs < 3.11): on PATH, else under pyenv.  Each candidate must really
# run (a pyenv shim can exist for a version that is not selected).
PYTHON310 := $(shell for c in $$(command -v python3.10) $$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.10*/bin/python 2>/dev/null); do \
  $$c -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null && echo $$c && break; done)

.PHONY: install chromium train test lint validate test-stories run seed eval bench scenarios clean

install: $(VENV)/.installed widget/node_modules/.installed chromium

$(VENV)/.installed: requirements.txt requirements.lock
	@if [ -z "$(PYTHON310)" ]; then \
	  echo "Python 3.10 is required (Rasa 3.6 does not run on 3.11+)."; \
	  echo "Install it, e.g. 'pyenv install 3.10' or your system's python3.10 package, then re-run."; \
	  exit 1; fi
	test -x $(PY) || $(PYTHON310) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip<24.1" wheel
	$(PY) -m pip install --quiet -r requirements.txt -c requirements.lock
	touch $@

# The web widget's one dependency, the Socket.IO client, served from node_modules (widget/).
widget/node_modules/.installed: widget/package.json widget/package-lock.json
	cd widget && npm ci --no-audit --no-fund
	touch $@

# Debian's Chromium, for the browser tests (Playwright drives it; it downloads no browser), and a
# Chinese font: without one, screenshots of the console and widget show Chinese as boxes.
chromium:
	@{ command -v chromium >/dev/null && fc-list :lang=zh 2>/dev/null | grep -q . ; } || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-zenhei; \
	  else echo "The browser tests need Chromium and a Chinese font: sudo apt-get install chromium fonts-wqy-zenhei"; exit 1; fi; }

$(MODEL): $(VENV)/.installed $(TRAINING_FILES) $(addprefix bot/rasa/,tokenizer.py tfidf_classifier.py language_detector.py message_guard.py phrase_entities.py escalation_detector.py escalation_policy.py)
	time $(RASA) train --fixed-model-name aftersales --out models --quiet

train: $(MODEL)

lint: install
	$(VENV)/bin/ruff check bot actions tests scripts

validate: install
	$(RASA) data validate --quiet

test-stories: $(MODEL)
	$(RASA) test core --stories tests/test_stories.yml --model $(MODEL) \
	  --fail-on-prediction-errors --out results/core

test: lint validate test-stories
	$(VENV)/bin/pytest -q

seed: install
	$(PY) -m bot seed-demo

run: $(MODEL) seed
	scripts/run.sh

eval: $(MODEL)
	$(PY) scripts/eval_langid.py
	$(PY) scripts/eval_nlu.py
	$(PY) scripts/eval_escalation.py

bench: $(MODEL)
	$(PY) scripts/bench.py

scenarios: $(MODEL)
	$(PY) scripts/scenarios.py

clean:
	rm -rf models results .rasa var/test-*
