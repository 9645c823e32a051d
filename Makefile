# make test works on a fresh machine: system libraries (as root), the venv, the project, the suite.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
export QT_QPA_PLATFORM := offscreen
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: test demo lint typecheck pytest bench bundle system-deps clean translations

test: $(STAMP) translations lint typecheck pytest

pytest: $(STAMP) translations
	$(PY) -m pytest -q $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check fieldapp sync ui tests bench resources
	$(VENV)/bin/ruff format --check fieldapp sync ui tests bench resources
	$(VENV)/bin/lint-imports --no-cache

typecheck: $(STAMP)
	$(VENV)/bin/mypy

# The desktop app's Qt translations: each translations/<lang>/<area>.ts compiled to the .qm beside
# it. The .qm are committed (a wheel built from any checkout carries them); a test fails when one
# does not match its .ts (docs/adr/0031-desktop-translations.md).
TS_FILES := $(wildcard translations/*/*.ts)
QM_FILES := $(TS_FILES:.ts=.qm)

translations: $(QM_FILES)

translations/%.qm: translations/%.ts | $(STAMP)
	$(VENV)/bin/pyside6-lrelease -silent $< -qm $@

system-deps:
	@bash tools/system-deps.sh

$(STAMP): pyproject.toml | system-deps
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

# The app on a local demo server with generated records; without a screen it writes the screens
# as PNG files to demo-screenshots/ instead (the offscreen platform exported above is dropped, so
# a desktop session gets a real window).
demo: $(STAMP) translations
	env -u QT_QPA_PLATFORM $(PY) -m ui --demo

bench: $(STAMP)
	$(PY) -m bench.run_all

# dist/fieldapp-cli/: fieldapp-cli as a folder that runs without Python (build.spec).
bundle: $(STAMP)
	$(VENV)/bin/pyinstaller --noconfirm build.spec

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build dist *.egg-info
