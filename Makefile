# The two commands a new machine needs: `make run` and `make test`.
# Everything else below is what those two call, or tools for maintainers.
VENV      ?= .venv
PY        := $(VENV)/bin/python
PYTHON    ?= python3
STAMP     := $(VENV)/.installed
QM_FILES  := resources/translations/counter_app_zh_CN.qm resources/translations/counter_app_en.qm
# Debian packages the app and its tests need: a CJK TrueType font that Qt and
# reportlab can embed, Xvfb for real-window tests, poppler for reading PDFs back,
# PostgreSQL 15 server binaries for the throwaway head office of tests/pg.py.
DEB_PKGS  := fonts-wqy-microhei xvfb xauth poppler-utils espeak-ng chromium postgresql-15 libegl1 libgl1 libdbus-1-3 libfontconfig1 \
             libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 \
             libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxcb-xfixes0

.PHONY: run test setup system-deps translations lint typecheck unit bench clean

run: setup
	$(VENV)/bin/counter-app --demo

test: setup
	$(VENV)/bin/ruff check counter_app tests bench migrations scripts
	$(VENV)/bin/ruff format --check counter_app tests bench migrations scripts
	$(VENV)/bin/mypy
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

setup: system-deps $(STAMP) translations

system-deps:
	@missing=""; for p in $(DEB_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if ! command -v apt-get >/dev/null 2>&1; then echo "Please install:$$missing"; \
	  elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "Installing Debian packages:$$missing (sudo)"; sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; fi; \
	fi

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c constraints.txt -e '.[dev]'
	touch $(STAMP)

translations: $(QM_FILES)

resources/translations/%.qm: resources/translations/%.ts $(STAMP)
	$(VENV)/bin/pyside6-lrelease -silent $< -qm $@

# Maintainers: refresh the .ts files from the sources after changing UI text.
update-translations: $(STAMP)
	$(PY) scripts/update_translations.py

bench: setup
	QT_QPA_PLATFORM=offscreen $(PY) -m bench

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache resources/translations/*.qm
