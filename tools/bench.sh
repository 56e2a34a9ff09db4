#!/usr/bin/env bash
# make bench: receipt and delivery of N serials, native stock vs the addon, in
# the same run (see bench/README.md). Extra arguments go to the script, e.g.
#   make bench BENCH_ARGS="--sizes 1000"
source "$(dirname "$0")/common.sh"
setup_all
args=(--config "$CONF")
if ! module_installed bench_native stock || ! module_installed bench_addon "$ADDON" \
        || [ "${SI_BENCH_CREATE:-}" = 1 ]; then
    args+=(--create)
fi
mkdir -p "$ROOT/bench/results"
exec "$PYTHON" "$ROOT/bench/bench_serial_flows.py" "${args[@]}" \
    --output "$ROOT/bench/results/serial_flows.md" ${BENCH_ARGS:-}
