#!/usr/bin/env bash
# make bench: one bench/ script (see bench/README.md). BENCH picks it: flows
# (default), generation, reports, sscc (native Odoo vs the addon, in the same run, on
# two databases), scan (serial lookups, native vs addon), or format, labels (pure Python, no database). Extra arguments
# go to the script, e.g.
#   make bench BENCH=generation BENCH_ARGS="--sizes 1000"
source "$(dirname "$0")/common.sh"
bench=${BENCH:-flows}
case "$bench" in
    flows | generation | format) script="$ROOT/bench/bench_serial_$bench.py" ;;
    labels | reports | sscc | warranty | recall | scan) script="$ROOT/bench/bench_$bench.py" ;;
    *) die "Unknown BENCH=$bench (flows, generation, reports, sscc, warranty, recall, scan, format or labels)." ;;
esac
mkdir -p "$ROOT/bench/results"
output="$ROOT/bench/results/$bench.md"
if [ "$bench" = format ] || [ "$bench" = labels ]; then  # lib/ alone
    "$PYTHON" "$script" ${BENCH_ARGS:-} | tee "$output"
    exit "${PIPESTATUS[0]}"
fi
setup_all
args=(--config "$CONF")
if ! module_installed bench_native stock || ! module_installed bench_addon "$ADDON" \
        || [ "${SI_BENCH_CREATE:-}" = 1 ]; then
    args+=(--create)
else
    say "Updating $ADDON in bench_addon..."
    odoo_cli -d bench_addon -u "$ADDON" --stop-after-init --log-level=warn \
        || die "Updating $ADDON in bench_addon failed."
fi
if [ "$bench" = reports ]; then
    command -v wkhtmltopdf >/dev/null \
        || die "wkhtmltopdf is not on PATH: Odoo's native label report needs it (apt-get install wkhtmltopdf)."
fi
exec "$PYTHON" "$script" "${args[@]}" --output "$output" ${BENCH_ARGS:-}
