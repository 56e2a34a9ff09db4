#!/usr/bin/env bash
# make run: Odoo with serialized_inventory and its demo data at http://localhost:8069
source "$(dirname "$0")/common.sh"
setup_all
DB=${SI_DB:-serialized_inventory}
if module_installed "$DB" "$ADDON"; then
    say "Reusing database '$DB'."
    args=()
else
    say "Creating database '$DB' with $ADDON and its demo data..."
    args=(-i "$ADDON")
fi
say "Odoo at http://localhost:${SI_HTTP_PORT:-8069} (login admin / admin). Ctrl-C stops it; 'make stop' stops PostgreSQL."
exec "$PYTHON" -c 'import sys; from odoo.cli.command import main; sys.argv[0] = "odoo"; main()' \
    -c "$CONF" -d "$DB" --db-filter="^$DB\$" "${args[@]}" "$@"
