# The two commands: `make demo` starts the whole product, `make test` runs every test.
PYTHON ?= python3.11
VENV := .venv
SAMVAD := $(VENV)/bin/samvad

.PHONY: demo test test-fast messages makemessages lint bench clean screenshots

$(VENV)/.installed: pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e '.[dev]'
	touch $@

# The Hindi catalogue is compiled by the build; .mo files are never committed.
messages: $(VENV)/.installed
	cd samvad && ../$(SAMVAD) compilemessages -v 0

demo: messages
	$(SAMVAD) demo

# Every test, spread over the machine's cores (pytest-xdist), each process on its own database;
# with worksteal an idle process takes queued tests from a busy one, so no core waits at the end.
test: messages node_modules/.installed
	$(VENV)/bin/pytest -n auto --dist worksteal

# The inner loop: everything but the few tests that start real processes or a browser.
test-fast: messages
	$(VENV)/bin/pytest -n auto --dist worksteal -m "not slow and not browser"

# axe-core (package.json) for the browser tests' accessibility checks; they skip without it.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund && touch $@; \
	else echo "npm is missing: the accessibility checks will be skipped"; fi

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports  # the layers of docs/architecture.md

# Refresh the catalogue after adding strings, then translate the new entries in samvad/locale/hi.
makemessages: $(VENV)/.installed
	cd samvad && ../$(SAMVAD) makemessages -l hi --no-obsolete --no-location

# Every benchmark, each writing bench/results/NAME.json; `make bench NAME=publish` runs one.
bench: $(VENV)/.installed
	$(VENV)/bin/python -m bench.runner $(NAME)

clean:
	rm -rf $(VENV) var node_modules

# The screenshots in docs/ are taken by the browser tests: the homes from the demo data, the
# composer and a published post from the tests' own.
screenshots: messages
	SAMVAD_SCREENSHOTS=docs/screenshots $(VENV)/bin/pytest samvad/org/tests/test_browser.py \
		samvad/content/tests/test_browser.py
