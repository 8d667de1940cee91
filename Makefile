# lnm: set-up, demo and tests. Every target is safe to run again; finished steps are skipped.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
APT_PACKAGES := chromium fonts-noto-cjk fonts-noto-core fonts-noto-color-emoji

.PHONY: setup system venv demo test test-install fuzz previews flex-sheet bench messages clean

setup: system venv

# Debian packages the previews need (Chromium and the Noto fonts). Installs them when run as root
# with apt; otherwise prints the one command to run.
system:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -z "$$missing" ]; then echo "system packages: already installed"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	else echo "missing Debian packages:$$missing"; \
	  echo "run: sudo apt-get install -y --no-install-recommends$$missing"; fi

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip uninstall -q -y lnm 2>/dev/null || true   # the distribution's name before lnm-toolkit
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

demo: setup
	$(BIN)/lnm demo

previews: setup
	$(BIN)/lnm gallery --out previews

# A contact sheet of the real-world Flex samples, for a person to look at (not committed): written
# to ./flex-sheet.png in the current folder. FLEX_SAMPLES names another folder of containers.
FLEX_SAMPLES ?= $(CURDIR)/../shared/testdata/flex
flex-sheet: setup
	$(BIN)/python -m tests.flex_samples --samples "$(FLEX_SAMPLES)" --out flex-sheet.png

# The whole suite, including tests/test_install.py (LNM_TEST_INSTALL=1): the wheel installed into a
# new venv outside the checkout, every command run from an unrelated folder (about 2 minutes).
test: setup
	LNM_TEST_INSTALL=1 $(BIN)/python -m pytest -q

# Only the install test.
test-install: setup
	LNM_TEST_INSTALL=1 $(BIN)/python -m pytest -q tests/test_install.py

# The fuzz test with a long budget (make test runs 10 fixed cases per target). Another draw:
# make fuzz LNM_FUZZ_SEED=7; more cases: make fuzz LNM_FUZZ_EXAMPLES=5000.
LNM_FUZZ_EXAMPLES ?= 500
fuzz: setup
	LNM_FUZZ_EXAMPLES=$(LNM_FUZZ_EXAMPLES) LNM_FUZZ_SEED=$${LNM_FUZZ_SEED:-0} $(BIN)/python -m pytest -q -p no:cacheprovider tests/test_fuzz.py

# The UI's message catalogues (toolkit/locale): extract the strings marked in code, templates and
# scripts (babel.cfg) and the rule documentation, merge them into each language's .po, compile .mo.
messages: setup
	$(BIN)/python scripts/catalogues.py update
	$(BIN)/lnm rules --format markdown --ui-lang en > docs/rules.md
	for lang in ja th zh-Hant; do $(BIN)/lnm rules --format markdown --ui-lang $$lang > docs/rules.$$lang.md; done

bench: setup
	$(BIN)/python bench/lint_bench.py
	$(BIN)/python bench/preview_bench.py

clean:
	rm -rf $(VENV) build dist *.egg-info
