#!/usr/bin/env bash
# make bench: a bench/ script, native stock vs the addon in the same run (see
# bench/README.md). BENCH picks the script (flows, generation, format); extra
# arguments go to it, e.g.
#   make bench BENCH=generation BENCH_ARGS="--sizes 1000"
source "$(dirname "$0")/common.sh"
bench=${BENCH:-flows}
script="$ROOT/bench/bench_serial_$bench.py"
[ -f "$script" ] || die "No bench script $script (BENCH=flows, generation or format)."
mkdir -p "$ROOT/bench/results"
if [ "$bench" = format ]; then  # the engine alone, no database
    exec "$PYTHON" "$script" --output "$ROOT/bench/results/serial_$bench.md" ${BENCH_ARGS:-}
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
exec "$PYTHON" "$script" "${args[@]}" --output "$ROOT/bench/results/serial_$bench.md" \
    ${BENCH_ARGS:-}
