#!/usr/bin/env bash
# `make bench`: run the benchmark scripts of tests/ (bench_*.py) against a
# database of their own, built from the test template. Prints figures.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HOME_DIR=${COMPLAINT_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/complaint-handling}
# shellcheck source=/dev/null
. "$HOME_DIR/env.sh"
ODOO_RC=$REPO/.odoo.conf  # this checkout's config (tools/setup.sh)
DB=${COMPLAINT_BENCH_DB:-complaints_bench}
tpl=$(psql -d postgres -Atqc "SELECT datname FROM pg_database WHERE datname LIKE 'complaints_tpl_%' AND datname NOT LIKE '%_part' LIMIT 1")
if [ -z "$tpl" ]; then
    echo "[bench] no template database yet: run 'make test' once first" >&2
    exit 1
fi
addons=$(cd "$REPO" && ls -d */__manifest__.py | cut -d/ -f1 | paste -sd, -)
for script in "$REPO"/tests/bench_*.py; do
    [ "$(basename "$script")" = bench_common.py ] && continue
    # A fresh database per benchmark: none measures on another one's data.
    dropdb --if-exists "$DB"
    createdb -T "$tpl" "$DB"
    echo "[bench] installing helpdesk_mgmt,$addons in $DB"
    "$VENV/bin/python" -m odoo -c "$ODOO_RC" -d "$DB" -i "helpdesk_mgmt,$addons" \
        --without-demo=all --stop-after-init --log-level=warn
    echo "[bench] $(basename "$script")"
    "$VENV/bin/python" "$script" --config "$ODOO_RC" --database "$DB"
done
