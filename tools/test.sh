#!/usr/bin/env bash
# make test: lint, a fresh test database, every test of the addon, then Odoo's
# own stock test suite with the addon installed compared by test name with the
# same suite on a database without it. Exits non-zero on any failure.
source "$(dirname "$0")/common.sh"
START=$SECONDS
setup_all
DB=${SI_TEST_DB:-si_test}
NATIVE_DB=${DB}_native
OUT=$LOCAL/test-results
rm -rf "$OUT" && mkdir -p "$OUT"

# Browser tests are skipped silently by Odoo without these: refuse instead.
"$PYTHON" -c 'import websocket' 2>/dev/null \
    || die "websocket-client is not importable from $PYTHON: browser tests would be skipped."
CHROME=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$CHROME" ] || die "No Chromium on PATH (chromium, chromium-browser or google-chrome): browser tests would be skipped. On Debian: apt-get install chromium"

# Label and report tests read PDFs back with poppler and zxing-cpp.
command -v pdftoppm >/dev/null && command -v pdftotext >/dev/null \
    || die "pdftoppm/pdftotext not on PATH: the PDF tests need them. On Debian: apt-get install poppler-utils"
"$PYTHON" -c 'import zxingcpp' 2>/dev/null \
    || die "zxing-cpp is not importable from $PYTHON: the barcode tests need it (requirements-dev.txt)."

if [ "${SI_SKIP_LINT:-}" != 1 ]; then
    "$ROOT/tools/lint.sh"
fi

install_db() {  # install_db DB MODULES LOG
    if db_exists "$1"; then
        dropdb "$1"
    fi
    say "Installing $2 in a fresh database '$1'..."
    odoo_cli -d "$1" -i "$2" --stop-after-init --log-level=warn >"$3" 2>&1 \
        || { cat "$3"; die "Installing $2 in '$1' failed."; }
    if grep -E '^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) ' "$3"; then
        die "Installing $2 logged errors (above); full log: $3"
    fi
}

run_pytest() {  # run_pytest DB JUNIT LOG PATH... (never fails by itself)
    local db=$1 junit=$2 log=$3
    shift 3
    # Paths go through the link so that pytest-odoo names the addon
    # serialized_inventory whatever the checkout's folder is called.
    (cd "$ADDONS_DIR" && PYTHONPATH="$ROOT/tools${PYTHONPATH:+:$PYTHONPATH}" \
        "$PYTHON" -m pytest -p no:cacheprovider -p pytest_test_mode -s -q -rfEs \
        --odoo-config="$CONF" --odoo-database="$db" --odoo-http --odoo-log-level=warn \
        --junitxml="$junit" "$@") 2>&1 | tee "$log" || true
}

install_db "$DB" "$ADDON" "$OUT/install.log"

say "Running the addon's tests..."
run_pytest "$DB" "$OUT/addon.xml" "$OUT/addon.log" "$ADDONS_DIR/$ADDON/tests"
"$PYTHON" "$ROOT/tools/junit_check.py" addon "$OUT/addon.xml" --log "$OUT/addon.log" \
    --summary "$OUT/summary.txt"

if [ "${SI_SKIP_STOCK:-}" != 1 ]; then
    STOCK_TESTS=$ODOO_ADDONS/stock/tests
    [ -d "$STOCK_TESTS" ] || die "Odoo's stock tests not found in $STOCK_TESTS"
    say "Running Odoo's stock test suite with $ADDON installed..."
    run_pytest "$DB" "$OUT/stock_addon.xml" "$OUT/stock_addon.log" "$STOCK_TESTS"
    install_db "$NATIVE_DB" stock "$OUT/install_native.log"
    say "Running Odoo's stock test suite without $ADDON (native baseline)..."
    run_pytest "$NATIVE_DB" "$OUT/stock_native.xml" "$OUT/stock_native.log" "$STOCK_TESTS"
    "$PYTHON" "$ROOT/tools/junit_check.py" stock "$OUT/stock_addon.xml" \
        --baseline "$OUT/stock_native.xml" --summary "$OUT/summary.txt"
fi

say "Done in $(( (SECONDS - START) / 60 )) min $(( (SECONDS - START) % 60 )) s."
"$PYTHON" "$ROOT/tools/junit_check.py" total --summary "$OUT/summary.txt"
