#!/usr/bin/env bash
# make lint: ruff (lint + format check) and pylint-odoo's mandatory checks.
source "$(dirname "$0")/common.sh"
ensure_python_deps
cd "$ROOT"
say "ruff..."
"$PYTHON" -m ruff check . || die "ruff check failed"
"$PYTHON" -m ruff format --check . || die "ruff format: files need formatting (ruff format .)"
say "pylint-odoo..."
link_addon
(cd "$ADDONS_DIR" && "$PYTHON" -m pylint --rcfile="$ROOT/.pylintrc" "$ADDON") \
    || die "pylint-odoo failed"
