#!/usr/bin/env bash
# `make bench`: run the benchmark scripts of tests/ (bench_*.py), each against a
# fresh copy of one database where the addons are installed once (itself built
# from the test template). Prints figures.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HOME_DIR=${COMPLAINT_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/complaint-handling}
# shellcheck source=/dev/null
. "$HOME_DIR/env.sh"
ODOO_RC=$REPO/.odoo.conf  # this checkout's config (tools/setup.sh)
DB=${COMPLAINT_BENCH_DB:-complaints_bench}
BASE=${DB}_base
tpl=$(psql -d postgres -Atqc "SELECT datname FROM pg_database WHERE datname LIKE 'complaints_tpl_%' AND datname NOT LIKE '%_part' LIMIT 1")
if [ -z "$tpl" ]; then
    echo "[bench] no template database yet: run 'make test' once first" >&2
    exit 1
fi
copy() {  # copy DB $1 to $2; the source may be briefly in use by a test run
    dropdb --if-exists "$2"
    for attempt in 1 2 3 4 5; do
        createdb -T "$1" "$2" && return 0
        sleep $((attempt * 2))
    done
    return 1
}
addons=$(cd "$REPO" && ls -d */__manifest__.py | cut -d/ -f1 | paste -sd, -)
copy "$tpl" "$BASE"
trap 'dropdb --if-exists "$BASE"' EXIT
echo "[bench] installing helpdesk_mgmt,$addons in $BASE"
"$VENV/bin/python" -m odoo -c "$ODOO_RC" -d "$BASE" -i "helpdesk_mgmt,$addons" \
    --without-demo=all --stop-after-init --log-level=warn
for script in "$REPO"/tests/bench_*.py; do
    [ "$(basename "$script")" = bench_common.py ] && continue
    # A fresh database per benchmark: none measures on another one's data.
    copy "$BASE" "$DB"
    echo "[bench] $(basename "$script") on $DB"
    "$VENV/bin/python" "$script" --config "$ODOO_RC" --database "$DB"
done
