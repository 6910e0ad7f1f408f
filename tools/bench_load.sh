#!/usr/bin/env bash
# `make bench-load`: the load benchmark (tests/bench_load.py, issue 17) on a
# fresh database where all our addons are installed without demo data, built
# from the test template as tools/bench.sh does. Three passes of Odoo in
# workers mode (odoo-bin, loopback): 60 s without a read replica, 60 s with
# one (tools/replica.sh, when there is one; skipped otherwise), then 30 s with
# faults. About 5 minutes on 2 cores. Prints figures and OK/FAIL checks; fails
# when a check does.
#   COMPLAINT_BENCH_LOAD_DB (complaints_bench_load): the database (replaced)
#   REPLICA_PORT (5433): where the replica listens (started and stopped by
#     tools/replica.sh unless one already answers there)
#   BENCH_LOAD_ARGS: more options of tests/bench_load.py (e.g. --duration 30)
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HOME_DIR=${COMPLAINT_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/complaint-handling}
# shellcheck source=/dev/null
. "$HOME_DIR/env.sh"
ODOO_RC=$REPO/.odoo.conf  # this checkout's config (tools/setup.sh)
DB=${COMPLAINT_BENCH_LOAD_DB:-complaints_bench_load}
tpl=$(psql -d postgres -Atqc "SELECT datname FROM pg_database WHERE datname LIKE 'complaints_tpl_%' AND datname NOT LIKE '%_part' LIMIT 1")
if [ -z "$tpl" ]; then
    echo "[bench-load] no template database yet: run 'make test' once first" >&2
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
copy "$tpl" "$DB"
echo "[bench-load] installing helpdesk_mgmt,$addons in $DB (without demo data)"
"$VENV/bin/python" -m odoo -c "$ODOO_RC" -d "$DB" -i "helpdesk_mgmt,$addons" \
    --without-demo=all --stop-after-init --log-level=warn
replica=()
if [ -f "$REPO/tools/replica.sh" ]; then
    replica=(--replica-script "$REPO/tools/replica.sh")
fi
# shellcheck disable=SC2086 # BENCH_LOAD_ARGS: options, split on purpose
"$VENV/bin/python" "$REPO/tests/bench_load.py" --config "$ODOO_RC" --database "$DB" \
    --passes plain,replica,faults --replica-port "${REPLICA_PORT:-5433}" \
    "${replica[@]}" ${BENCH_LOAD_ARGS:-}
