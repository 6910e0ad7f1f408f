#!/usr/bin/env bash
# `make run`: create the database `complaints` with our addons and demo data on
# the first run, upgrade them on later runs, then serve Odoo.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HOME_DIR=${COMPLAINT_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/complaint-handling}
# shellcheck source=/dev/null
. "$HOME_DIR/env.sh"
ODOO_RC=$REPO/.odoo.conf  # this checkout's config (tools/setup.sh)
DB=${COMPLAINT_DB:-complaints}
PORT=${ODOO_HTTP_PORT:-8069}
addons=$(cd "$REPO" && ls -d */__manifest__.py | cut -d/ -f1 | paste -sd, -)
odoo() { "$VENV/bin/python" -m odoo -c "$ODOO_RC" "$@"; }
# Odoo's log at INFO cut down to one line per addon as it is loaded, its demo
# data, and every warning or error as it is: a first run takes minutes, and a
# newcomer must see it move.
progress() {
    awk '
        / (WARNING|ERROR|CRITICAL) / { print; fflush(); next }
        /odoo\.modules\.loading: loading [0-9]+ modules/ {
            sub(/.*odoo\.modules\.loading: /, "[run] "); print; fflush(); next
        }
        /odoo\.modules\.loading: loading [^ ]+\// {
            sub(/.*odoo\.modules\.loading: loading /, ""); sub(/\/.*/, "")
            if ($0 != last) { last = $0; printf "[run]   %s\n", last; fflush() }
            next
        }
        /: loading demo$/ {
            sub(/.*Module /, "[run]   "); sub(/: loading demo$/, ": demo data"); print; fflush()
        }
        /Modules loaded\./ { print "[run] all addons loaded"; fflush() }
    '
}

# Addons already in the database are upgraded, new ones installed.
installed=$(psql -d "$DB" -Atqc \
    "SELECT string_agg(name, ',') FROM ir_module_module
     WHERE state = 'installed' AND name = ANY(string_to_array('$addons', ','))" \
    2>/dev/null || true)
if [ -n "$installed" ]; then
    missing=$(comm -23 <(tr , '\n' <<<"$addons" | sort) <(tr , '\n' <<<"$installed" | sort) | paste -sd, -)
    echo "[run] upgrading $installed${missing:+, installing $missing} in the database $DB"
    odoo -d "$DB" -u "$installed" ${missing:+-i "$missing"} --stop-after-init --log-level=info 2>&1 | progress
else
    echo "[run] creating the database $DB with $addons, their dependencies, demo data"
    echo "[run] and Chinese (first run: about 5 to 10 minutes; each addon is listed as it loads)"
    odoo -d "$DB" -i "$addons" --stop-after-init --log-level=info --load-language=en_US,zh_CN 2>&1 | progress
fi
cat <<MSG

  Odoo 18 with the complaint-handling addons is starting on http://localhost:$PORT
  Database: $DB    Log in as: admin / admin   (demo staff: see README.md)
  Menu: Helpdesk > Complaints.   Stop with Ctrl+C.

MSG
WORKERS=${WORKERS:-0}
if [ "$WORKERS" -gt 0 ]; then
    # Production mode: WORKERS HTTP worker processes, cron workers, the
    # websocket (gevent) process on GEVENT_PORT, behind a proxy (tools/proxy.sh).
    # Through odoo-bin: the master starts the websocket process as
    # `python <its own script> gevent`, which `python -m odoo` cannot be.
    GEVENT_PORT=${ODOO_GEVENT_PORT:-8072}
    # The bundles users load first, generated on the primary now rather than by
    # a first request that a read replica cannot read back yet.
    "$VENV/bin/python" "$REPO/tools/warm_assets.py" "$ODOO_RC" "$DB" 2>&1 | grep -v " INFO " || true
    echo "[run] workers mode: $WORKERS workers, ${CRON_WORKERS:-2} cron workers, websocket on :$GEVENT_PORT"
    exec "$VENV/bin/python" "$ODOO_BIN" -c "$ODOO_RC" -d "$DB" --db-filter="^$DB\$" \
        --http-port="$PORT" --gevent-port="$GEVENT_PORT" \
        --workers="$WORKERS" --max-cron-threads="${CRON_WORKERS:-2}" --proxy-mode \
        --limit-memory-soft="${LIMIT_MEMORY_SOFT:-2147483648}" \
        --limit-memory-hard="${LIMIT_MEMORY_HARD:-2684354560}" \
        --limit-time-cpu="${LIMIT_TIME_CPU:-300}" --limit-time-real="${LIMIT_TIME_REAL:-600}" \
        --limit-request=8192 ${ODOO_EXTRA_ARGS:-}
fi
exec "$VENV/bin/python" -m odoo -c "$ODOO_RC" -d "$DB" --db-filter="^$DB\$" --http-port="$PORT"
