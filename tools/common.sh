# Shared set-up for `make run`, `make test` and `make bench`: sourced, not run.
# Finds an Odoo 18.0 importable from $PYTHON, installs the project's Python
# dependencies without touching Odoo's pins, starts a project-local PostgreSQL
# cluster unless PG* variables point at a server, and writes an Odoo config.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LOCAL=${SI_LOCAL:-$ROOT/.local}
PYTHON=${PYTHON:-python3}
ADDON=serialized_inventory
CONF=$LOCAL/odoo.conf
# Odoo loads an addon by its folder name, so the checkout is linked as
# serialized_inventory in a folder outside the tree (a link inside it would
# make a loop for anything that walks the addon's files).
ADDONS_DIR=${TMPDIR:-/tmp}/serialized_inventory-addons-$(printf %s "$ROOT" | sha1sum | cut -c1-10)
mkdir -p "$LOCAL"

say() { printf '\033[1m[serialized_inventory]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[serialized_inventory] %s\033[0m\n' "$*" >&2; exit 1; }

odoo_version() {
    "$PYTHON" - <<'PY' 2>/dev/null
import odoo.release as r
print("%d.%d" % r.version_info[:2])
PY
}

ensure_odoo() {
    command -v "$PYTHON" >/dev/null || die "No '$PYTHON' found: install Python 3.11 or set PYTHON=/path/to/python3."
    "$PYTHON" -c 'import sys; sys.exit(0 if (3, 10) <= sys.version_info[:2] <= (3, 12) else 1)' \
        || die "Odoo 18.0 needs Python 3.10 to 3.12; '$PYTHON' is $("$PYTHON" -V 2>&1)."
    local version
    version=$(odoo_version || true)
    if [ "$version" = "18.0" ]; then
        return
    fi
    [ -z "$version" ] || die "'$PYTHON' imports Odoo $version, not 18.0: use a Python with Odoo 18.0 (PYTHON=...)."
    say "Odoo is not importable from $PYTHON: trying the official 18.0 release..."
    local src=$LOCAL/odoo-18.0
    if [ ! -f "$src/setup.py" ]; then
        local tarball=$LOCAL/odoo_18.0.latest.tar.gz
        curl -fsSL --connect-timeout 15 --max-time 900 -o "$tarball" \
            https://nightly.odoo.com/18.0/nightly/src/odoo_18.0.latest.tar.gz \
            || die "Odoo 18.0 is not importable from '$PYTHON' and the official release could not be \
downloaded (no internet access?). Install Odoo 18.0 into this Python first (its requirements.txt \
with 'setuptools<70', then 'pip install -e <odoo source>'), or point PYTHON at one that has it."
        mkdir -p "$src"
        tar -xzf "$tarball" -C "$src" --strip-components=1
    fi
    local pins=$LOCAL/odoo-build-constraints.txt
    echo 'setuptools<70' >"$pins"
    PIP_CONSTRAINT=$pins "$PYTHON" -m pip install -q -r "$src/requirements.txt" \
        || die "Installing Odoo 18.0's requirements failed (see above)."
    PIP_CONSTRAINT=$pins "$PYTHON" -m pip install -q --no-deps -e "$src" \
        || die "Installing Odoo 18.0 failed (see above)."
    [ "$(odoo_version)" = "18.0" ] || die "Odoo 18.0 still not importable after installing it."
}

# Constraints that keep every package already installed at its version, plus
# Odoo's own requirement pins when its requirements.txt is at hand.
write_constraints() {
    local out=$1
    "$PYTHON" - "$out" <<'PY'
import os, re, subprocess, sys
import odoo
lines = ["setuptools<70"]
req = os.path.join(os.path.dirname(os.path.dirname(odoo.__file__)), "requirements.txt")
if os.path.exists(req):
    for line in open(req):
        line = line.split("#")[0].strip()
        if line:
            lines.append(line)
freeze = subprocess.run([sys.executable, "-m", "pip", "freeze", "--all"],
                        capture_output=True, text=True, check=True).stdout
for line in freeze.splitlines():
    if re.match(r"^[A-Za-z0-9_.\-]+==[^ ;@]+$", line) and not line.lower().startswith(("pip==", "setuptools==")):
        lines.append(line)
open(sys.argv[1], "w").write("\n".join(lines) + "\n")
PY
}

ensure_python_deps() {
    ensure_odoo
    local stamp=$LOCAL/deps.stamp want
    want=$(cat "$ROOT/requirements.txt" "$ROOT/requirements-dev.txt" | sha1sum | cut -c1-12)-$("$PYTHON" -c 'import sys; print(sys.executable)')
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        return
    fi
    say "Installing Python dependencies (Odoo's pins are kept as they are)..."
    write_constraints "$LOCAL/constraints.txt"
    PIP_CONSTRAINT=$LOCAL/constraints.txt "$PYTHON" -m pip install -q \
        -r "$ROOT/requirements.txt" -r "$ROOT/requirements-dev.txt" \
        || die "Installing requirements.txt / requirements-dev.txt failed: a package would need another \
version of one already installed (Odoo's pins are never changed). See pip's message above."
    echo "$want" >"$stamp"
}

pg_bindir() {
    if command -v pg_config >/dev/null && [ -x "$(pg_config --bindir)/initdb" ]; then
        pg_config --bindir
        return
    fi
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -n "$dir" ] && [ -x "$dir/initdb" ] || die "No PostgreSQL server binaries (initdb) found: install PostgreSQL 15 or set PGHOST/PGPORT/PGUSER to a server."
    echo "$dir"
}

# Run a PostgreSQL server command as the `postgres` OS user when we are root
# (the server refuses to run as root).
as_pg_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

pg_use_local() { [ -z "${PGHOST:-}${PGPORT:-}${PGUSER:-}" ]; }

# The cluster lives in .local/pgdata, unless the postgres OS user cannot reach
# the checkout (a clone in a private folder): then in a folder of its own in /tmp.
pg_datadir() {
    if [ "$(id -u)" != 0 ] || runuser -u postgres -- test -x "$LOCAL" 2>/dev/null; then
        echo "$LOCAL/pgdata"
    else
        echo "${TMPDIR:-/tmp}/serialized_inventory-pg-$(printf %s "$ROOT" | sha1sum | cut -c1-10)"
    fi
}

ensure_pg() {
    if pg_use_local; then
        DB_HOST=127.0.0.1
        DB_USER=odoo
        DB_PASSWORD=
        local bindir data
        bindir=$(pg_bindir)
        data=$(pg_datadir)
        if [ ! -f "$data/PG_VERSION" ]; then
            say "Creating a local PostgreSQL cluster in $data..."
            mkdir -p "$data"
            if [ "$(id -u)" = 0 ]; then chown postgres "$data"; chmod 700 "$data"; fi
            as_pg_owner "$bindir/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$LOCAL/initdb.log" 2>&1 \
                || die "initdb failed: see $LOCAL/initdb.log (as root, the folder must be reachable by the postgres user)."
        fi
        if as_pg_owner "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; then
            DB_PORT=$(sed -n 4p "$data/postmaster.pid")
        else
            # 54329 unless SI_PGPORT says otherwise or another server has it
            DB_PORT=${SI_PGPORT:-54329}
            if [ -z "${SI_PGPORT:-}" ]; then
                while (: </dev/tcp/127.0.0.1/"$DB_PORT") 2>/dev/null; do DB_PORT=$((DB_PORT + 1)); done
            fi
            say "Starting PostgreSQL on 127.0.0.1:$DB_PORT..."
            as_pg_owner "$bindir/pg_ctl" -D "$data" -w -l "$data/server.log" \
                -o "-p $DB_PORT -c listen_addresses=127.0.0.1 -k $data -c fsync=off -c full_page_writes=off" start >/dev/null \
                || die "PostgreSQL did not start: see $data/server.log"
        fi
        "$bindir/psql" -h 127.0.0.1 -p "$DB_PORT" -U postgres -d postgres -tAc \
            "SELECT 1 FROM pg_roles WHERE rolname = 'odoo'" | grep -q 1 \
            || "$bindir/psql" -h 127.0.0.1 -p "$DB_PORT" -U postgres -d postgres -qc \
                "CREATE ROLE odoo LOGIN SUPERUSER"
        # Every database made from template1 has pg_trgm, so Odoo creates its
        # trigram indexes (stock_lot.name for name_search) on install.
        PGOPTIONS="-c client_min_messages=warning" "$bindir/psql" -h 127.0.0.1 -p "$DB_PORT" -U postgres -d template1 -qc \
            "CREATE EXTENSION IF NOT EXISTS pg_trgm" \
            || die "Creating the pg_trgm extension in template1 failed (PostgreSQL's contrib modules missing?)."
    else
        DB_HOST=${PGHOST:-127.0.0.1}
        DB_PORT=${PGPORT:-5432}
        DB_USER=${PGUSER:-odoo}
        DB_PASSWORD=${PGPASSWORD:-}
        [ "$DB_USER" != postgres ] || die "Odoo refuses the 'postgres' role: set PGUSER to another role."
    fi
    export PGHOST=$DB_HOST PGPORT=$DB_PORT PGUSER=$DB_USER PGPASSWORD=$DB_PASSWORD
}

stop_pg() {
    local data
    data=$(pg_datadir)
    if pg_use_local && [ -f "$data/PG_VERSION" ]; then
        as_pg_owner "$(pg_bindir)/pg_ctl" -D "$data" -m fast stop || true
    fi
}

odoo_addons_path() {
    "$PYTHON" - <<'PY'
import os, odoo
top = os.path.dirname(os.path.dirname(odoo.__file__))
extra = os.path.join(top, "addons")
print(extra if os.path.isdir(os.path.join(extra, "stock")) else "")
PY
}

link_addon() {
    mkdir -p "$ADDONS_DIR"
    ln -sfn "$ROOT" "$ADDONS_DIR/$ADDON"
}

write_conf() {
    mkdir -p "$LOCAL/data"
    link_addon
    local core
    core=$(odoo_addons_path)
    ODOO_ADDONS=${core:-$("$PYTHON" -c 'import os, odoo.addons; print(os.path.dirname(odoo.addons.__file__))')}
    cat >"$CONF" <<CONF
[options]
db_host = $DB_HOST
db_port = $DB_PORT
db_user = $DB_USER
db_password = ${DB_PASSWORD:-False}
addons_path = ${core:+$core,}$ADDONS_DIR
data_dir = $LOCAL/data
http_port = ${SI_HTTP_PORT:-8069}
admin_passwd = admin
CONF
}

odoo_cli() {
    "$PYTHON" -c 'import sys; from odoo.cli.command import main; sys.argv[0] = "odoo"; main()' -c "$CONF" "$@"
}

db_exists() {
    psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$1'" | grep -q 1
}

module_installed() {
    db_exists "$1" && psql -d "$1" -tAc \
        "SELECT 1 FROM ir_module_module WHERE name = '$2' AND state = 'installed'" 2>/dev/null | grep -q 1
}

setup_all() {
    ensure_python_deps
    ensure_pg
    write_conf
}
