#!/usr/bin/env bash
# make test: lint, a fresh test database, every test of the addon, then Odoo's
# own stock test suite with the addon installed compared by test name with the
# same suite on a database without it (the native baseline, cached in
# the user's cache: see native_baseline). Exits non-zero on any failure.
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

# Lint runs beside the database install (two processes for two CPUs); its
# verdict is read before any test runs.
LINT_PID=
if [ "${SI_SKIP_LINT:-}" != 1 ]; then
    say "Linting (log: $OUT/lint.log)..."
    "$ROOT/tools/lint.sh" >"$OUT/lint.log" 2>&1 &
    LINT_PID=$!
    # a failed install must not leave it running on its own
    trap '[ -z "$LINT_PID" ] || kill "$LINT_PID" 2>/dev/null || true' EXIT
fi
wait_lint() {
    [ -n "$LINT_PID" ] || return 0
    local status=0
    wait "$LINT_PID" || status=$?
    LINT_PID=
    [ "$status" = 0 ] || { cat "$OUT/lint.log"; die "Lint failed (above)."; }
    cat "$OUT/lint.log"
}

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

# The native suite's results, reused while nothing they depend on changed:
# the key (tools/baseline_key.py) covers Odoo's release and core source, the
# source of every module of the test database but the addon (stock, its
# dependencies and what they auto-install), the tests, the PostgreSQL and
# Python versions, the installed packages and this harness.
# SI_REFRESH_BASELINE=1 runs it again anyway. The cache is outside the
# checkout (nothing in its key is the checkout's but the harness), so a fresh
# clone on the same machine, as CI makes, reuses it; SI_BASELINE_CACHE moves it.
native_baseline() {  # native_baseline REPORT
    local report=$1 modules server key
    local cache=${SI_BASELINE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/serialized_inventory/native-baseline}
    modules=$(psql -d "$DB" -tAc "SELECT string_agg(name, ',' ORDER BY name) FROM ir_module_module
        WHERE state = 'installed' AND name != '$ADDON'")
    server=$(psql -d "$DB" -tAc "SHOW server_version_num")
    "$PYTHON" "$ROOT/tools/baseline_key.py" --tests "$STOCK_TESTS" --modules "$modules" \
        --server-version "$server" --extra "$ROOT/tools/pytest_test_mode.py" "$ROOT/tools/test.sh" \
        >"$OUT/baseline_key.txt" || die "Computing the native baseline's key failed."
    key=$(head -n 1 "$OUT/baseline_key.txt")
    if [ "${SI_REFRESH_BASELINE:-}" != 1 ] && [ -f "$cache/stock_native.xml" ] \
        && [ "$(head -n 1 "$cache/key.txt" 2>/dev/null)" = "$key" ]; then
        say "Native baseline: cached results reused (key ${key:0:12}, $cache/key.txt says what it covers; SI_REFRESH_BASELINE=1 to run it again)."
        cp "$cache/stock_native.xml" "$report"
        return
    fi
    install_db "$NATIVE_DB" stock "$OUT/install_native.log"
    say "Running Odoo's stock test suite without $ADDON (native baseline)..."
    run_pytest "$NATIVE_DB" "$report" "$OUT/stock_native.log" "$STOCK_TESTS"
    # a run that wrote no test report is not kept (the comparison fails on it)
    if grep -q '<testcase' "$report" 2>/dev/null; then
        mkdir -p "$cache"
        rm -f "$cache/key.txt"
        cp "$report" "$cache/stock_native.xml"
        cp "$OUT/baseline_key.txt" "$cache/key.txt"
        say "Native baseline cached in $cache (key ${key:0:12})."
    fi
}

install_db "$DB" "$ADDON" "$OUT/install.log"
wait_lint

say "Running the addon's tests..."
# SI_ADDON_TESTS: some of the addon's test files instead (to try the harness)
ADDON_TESTS=()
for path in ${SI_ADDON_TESTS:-tests}; do ADDON_TESTS+=("$ADDONS_DIR/$ADDON/$path"); done
run_pytest "$DB" "$OUT/addon.xml" "$OUT/addon.log" "${ADDON_TESTS[@]}"
"$PYTHON" "$ROOT/tools/junit_check.py" addon "$OUT/addon.xml" --log "$OUT/addon.log" \
    --summary "$OUT/summary.txt"

if [ "${SI_SKIP_STOCK:-}" != 1 ]; then
    # SI_STOCK_TESTS: another folder or file of tests (to try the harness on a few)
    STOCK_TESTS=${SI_STOCK_TESTS:-$ODOO_ADDONS/stock/tests}
    [ -e "$STOCK_TESTS" ] || die "Odoo's stock tests not found in $STOCK_TESTS"
    say "Running Odoo's stock test suite with $ADDON installed..."
    run_pytest "$DB" "$OUT/stock_addon.xml" "$OUT/stock_addon.log" "$STOCK_TESTS"
    native_baseline "$OUT/stock_native.xml"
    "$PYTHON" "$ROOT/tools/junit_check.py" stock "$OUT/stock_addon.xml" \
        --baseline "$OUT/stock_native.xml" --summary "$OUT/summary.txt"
fi

say "Done in $(( (SECONDS - START) / 60 )) min $(( (SECONDS - START) % 60 )) s."
"$PYTHON" "$ROOT/tools/junit_check.py" total --summary "$OUT/summary.txt"
