#!/usr/bin/env bash
# A local PostgreSQL streaming replica of this machine's server, for the read
# replica tests and benchmark (README, "Production"): a second cluster on
# another port, copied with pg_basebackup and kept up to date by streaming
# replication. Odoo then sends its read-only routes there with
#   --db_replica_host=127.0.0.1 --db_replica_port=$REPLICA_PORT
#
#   tools/replica.sh start    copy the primary and start the replica (a
#                             running one is kept)
#   tools/replica.sh stop     stop it
#   tools/replica.sh status   say whether it runs and how far behind it is
#   tools/replica.sh destroy  stop it and remove its files
#
# REPLICA_PORT (5433), REPLICA_DIR ($COMPLAINT_HOME/replica; run as root:
# /var/lib/postgresql/complaint-handling-replica), PRIMARY_HOST
# (127.0.0.1), PRIMARY_PORT (5432). The primary must allow replication
# connections from 127.0.0.1: on a Debian server of this machine the script
# adds that line to its pg_hba.conf (marked, once) and reloads it; elsewhere
# it tells what to add. Production replicas are set up by the DBA the same way
# (wal_level=replica, a replication role, pg_basebackup -R).
set -euo pipefail
HOME_DIR=${COMPLAINT_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/complaint-handling}
REPLICA_PORT=${REPLICA_PORT:-5433}
if [ "$(id -u)" = 0 ]; then
    # Run as root, the replica belongs to the postgres user, who cannot enter
    # root's home: its files go beside the server's.
    REPLICA_DIR=${REPLICA_DIR:-/var/lib/postgresql/complaint-handling-replica}
else
    REPLICA_DIR=${REPLICA_DIR:-$HOME_DIR/replica}
fi
PRIMARY_HOST=${PRIMARY_HOST:-127.0.0.1}
PRIMARY_PORT=${PRIMARY_PORT:-5432}
DATA=$REPLICA_DIR/data
MARK="# complaint-handling: local streaming replica (tools/replica.sh)"

log() { echo "[replica] $*" >&2; }
die() { log "$*"; exit 1; }

pg_bin() {  # the server binaries of the primary's major version
    local version
    version=$(psql -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -d postgres -Atqc \
        "SELECT current_setting('server_version_num')::int / 10000")
    for dir in "/usr/lib/postgresql/$version/bin" "$(pg_config --bindir 2>/dev/null)"; do
        [ -x "$dir/pg_ctl" ] && { echo "$dir"; return; }
    done
    die "PostgreSQL $version server binaries (pg_ctl, pg_basebackup) not found"
}

# PostgreSQL refuses to run as root: the replica's files belong to the
# primary's system user then.
RUN_AS=()
if [ "$(id -u)" = 0 ]; then
    RUN_AS=(runuser -u postgres --)
fi
as_owner() { "${RUN_AS[@]}" "$@"; }

allow_replication() {
    local hba role
    hba=$(psql -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -d postgres -Atqc "SHOW hba_file")
    role=$(psql -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -d postgres -Atqc "SELECT current_user")
    if [ "$(psql -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -d postgres -Atqc \
        "SELECT rolreplication OR rolsuper FROM pg_roles WHERE rolname = current_user")" != t ]; then
        die "the role $role may not replicate: ALTER ROLE $role REPLICATION"
    fi
    if [ -w "$hba" ]; then
        if ! grep -qF "$MARK" "$hba"; then
            log "allowing replication connections from 127.0.0.1 in $hba"
            printf '%s\nhost replication %s 127.0.0.1/32 trust\n' "$MARK" "$role" >> "$hba"
            psql -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -d postgres -Atqc "SELECT pg_reload_conf()" >/dev/null
        fi
    else
        log "if the copy is refused, add to $hba: host replication $role 127.0.0.1/32 trust"
    fi
    echo "$role"
}

running() {
    [ -f "$DATA/postmaster.pid" ] && as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

start() {
    local role
    if running; then
        log "running on port $REPLICA_PORT"
        return 0
    fi
    # A copy made earlier may have fallen behind for good (the primary
    # recycles its WAL): a stopped replica is copied afresh.
    role=$(allow_replication)
    log "copying the primary ($PRIMARY_HOST:$PRIMARY_PORT) into $DATA"
    rm -rf "$DATA"
    mkdir -p "$REPLICA_DIR"
    [ ${#RUN_AS[@]} -gt 0 ] && chown postgres: "$REPLICA_DIR"
    as_owner "$BIN/pg_basebackup" -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U "$role" \
        -D "$DATA" -R -X stream -c fast
    # Debian keeps the configuration outside the data folder: the replica
    # gets its own.
    as_owner tee "$DATA/postgresql.conf" >/dev/null <<CONF
port = $REPLICA_PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$REPLICA_DIR'
hot_standby = on
hba_file = '$DATA/pg_hba.conf'
ident_file = '$DATA/pg_ident.conf'
max_connections = 200
shared_buffers = 128MB
logging_collector = off
CONF
    as_owner tee "$DATA/pg_hba.conf" >/dev/null <<HBA
local all all trust
host all all 127.0.0.1/32 trust
HBA
    as_owner touch "$DATA/pg_ident.conf"
    log "starting on port $REPLICA_PORT"
    as_owner "$BIN/pg_ctl" -D "$DATA" -l "$REPLICA_DIR/replica.log" -w -t 60 start >/dev/null
    local i
    for i in $(seq 1 60); do
        [ "$(psql -h 127.0.0.1 -p "$REPLICA_PORT" -d postgres -Atqc 'SELECT pg_is_in_recovery()' 2>/dev/null)" = t ] \
            && { log "replica ready on 127.0.0.1:$REPLICA_PORT"; return 0; }
        sleep 1
    done
    die "the replica did not come up: see $REPLICA_DIR/replica.log"
}

stop() {
    if running; then
        as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null
        log "stopped"
    fi
}

status() {
    if running; then
        psql -h 127.0.0.1 -p "$REPLICA_PORT" -d postgres -Atqc \
            "SELECT 'replica on port $REPLICA_PORT, in recovery: ' || pg_is_in_recovery()
             || ', replay lag: ' || COALESCE(now() - pg_last_xact_replay_timestamp(), '0')"
    else
        echo "replica not running"
        return 1
    fi
}

BIN=$(pg_bin)
case "${1:-start}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    destroy) stop; rm -rf "$REPLICA_DIR"; log "removed $REPLICA_DIR" ;;
    *) die "usage: $0 start|stop|status|destroy" ;;
esac
