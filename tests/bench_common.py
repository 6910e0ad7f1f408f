"""What the benchmark scripts share: their command line, the registry, their
users, and the values of the tickets and complaints they create, as the
carrier's transfer integration sends them."""

import argparse
import os
import re
import signal
import socket
import subprocess
import sys
import time

import requests

import odoo
from odoo import api
from odoo.modules.registry import Registry
from odoo.tools import SQL


def arg_parser(description, total=None, batch=None):
    """--config and --database; --total and --batch when given defaults.
    Scripts add their own options to it."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", required=True)
    if total is not None:
        parser.add_argument("--total", type=int, default=total)
    if batch is not None:
        parser.add_argument("--batch", type=int, default=batch)
    return parser


def parse_args(description, total, batch):
    """--config, --database, --total and --batch."""
    return arg_parser(description, total, batch).parse_args()


def load_registry(config, database):
    odoo.tools.config.parse_config(["-c", config, "-d", database])
    return Registry(database)


def make_user(env, name, login, groups, password=None):
    """A user of ``groups`` (xmlids), without the password-reset e-mail."""
    vals = {
        "name": name,
        "login": login,
        "groups_id": [(6, 0, [env.ref(group).id for group in groups])],
    }
    if password:
        vals["password"] = password
    return env["res.users"].with_context(no_reset_password=True).create(vals)


def timed_create(registry, uid, vals_list):
    """Create ``vals_list`` as ``uid`` in a transaction of its own: seconds and
    queries (flush included, commit not)."""
    with registry.cursor() as cr:
        env = api.Environment(cr, uid, {})
        start_queries = cr.sql_log_count
        start = time.perf_counter()
        env["helpdesk.ticket"].create(vals_list)
        env.flush_all()
        elapsed = time.perf_counter() - start
        queries = cr.sql_log_count - start_queries
        cr.commit()
    return elapsed, queries


def alternate(registry, uid, makers, total, batch, before=None):
    """Create ``total`` tickets of each kind of ``makers`` (kind -> vals
    function), alternating batch by batch so that all kinds see the same
    database size and cache state; ``before`` (kind -> function of a cursor) sets
    the stage for a kind's batch, untimed. Returns kind -> [seconds, queries,
    count]."""
    stats = {kind: [0.0, 0, 0] for kind in makers}
    done = 0
    while done < total:
        size = min(batch, total - done)
        for kind, make in makers.items():
            if before and kind in before:
                with registry.cursor() as cr:
                    before[kind](cr)
            elapsed, queries = timed_create(
                registry, uid, [make(done + i) for i in range(size)]
            )
            stats[kind][0] += elapsed
            stats[kind][1] += queries
            stats[kind][2] += size
        done += size
    return stats


def ticket_factories(rng, ids, account_prefix="GD"):
    """Return (plain_vals, complaint_vals), two functions of a record number.

    ``ids``: partner_ids, category_ids, channel_ids (lists of ids),
    plain_team_id and complaint_team_id.
    """

    def plain_vals(i):
        return {
            "name": f"Ticket {i}",
            "description": "<p>Customer question forwarded by the hotline.</p>",
            "partner_id": rng.choice(ids["partner_ids"]),
            "team_id": ids["plain_team_id"],
            "category_id": rng.choice(ids["category_ids"]),
            "channel_id": rng.choice(ids["channel_ids"]),
        }

    def complaint_vals(i):
        vals = plain_vals(i)
        number = f"138{rng.randrange(10**8):08d}"
        vals.update(
            {
                "kind": "complaint",
                "team_id": ids["complaint_team_id"],
                "partner_name": f"Customer {vals['partner_id']}",
                "contact_phone": number,
                "service_number": number,
                "account_number": f"{account_prefix}{i:08d}",
                "business_line": rng.choice(["mobile", "broadband", "fixed"]),
                "severity": rng.choice(["minor", "general", "serious", "major"]),
                "urgency": rng.choice(["low", "normal", "urgent"]),
                "customer_demand": "Refund and apology.",
            }
        )
        return vals

    return plain_vals, complaint_vals


def not_null_columns(cr, table):
    """Column -> whether it is NOT NULL without a default, of ``table``."""
    cr.execute(
        "SELECT column_name, is_nullable = 'NO' AND column_default IS NULL "
        "FROM information_schema.columns WHERE table_name = %s",
        [table],
    )
    return dict(cr.fetchall())


def insert_select(cr, table, values, source, *params):
    """INSERT INTO ``table`` ... SELECT the columns of ``values`` (column -> SQL
    expression over ``source``, a FROM clause with ``params``) that the table
    has; every NOT NULL column without a default must be among them. Returns
    the number of rows written."""
    columns = not_null_columns(cr, table)
    missing = sorted(
        c for c, required in columns.items() if required and c not in values
    )
    if missing:
        raise SystemExit(f"[bench] {table}: no value for NOT NULL {missing}")
    names = [name for name in values if name in columns]
    cr.execute(
        SQL(
            "INSERT INTO %s (%s) SELECT %s FROM %s",
            SQL.identifier(table),
            SQL(", ").join(SQL.identifier(name) for name in names),
            SQL(", ").join(values[name] for name in names),
            SQL(source, *params),
        )
    )
    return cr.rowcount


# ----------------------------------------------------------------------
# A real Odoo server for the HTTP benchmarks
# ----------------------------------------------------------------------


def port_free(port):
    with socket.socket() as sock:
        # As the server does: a port in TIME_WAIT is free.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port():
    """A free port whose successor is free too (the gevent port)."""
    for _attempt in range(50):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        if port < 65535 and port_free(port) and port_free(port + 1):
            return port
    raise SystemExit("[bench] no free pair of ports")


def odoo_program():
    """How to start Odoo: its odoo-bin when there is one. With workers, the
    server starts its gevent process as ``python sys.argv[0] gevent ...``,
    which fails when it was started as ``python -m odoo`` (odoo/__main__.py
    has a relative import) and is then started again and again."""
    odoo_bin = os.path.join(os.path.dirname(os.path.dirname(odoo.__file__)), "odoo-bin")
    return [odoo_bin] if os.path.isfile(odoo_bin) else ["-m", "odoo"]


class OdooServer:
    """An Odoo server in a subprocess of its own process group, on loopback,
    logging to a file (``--log-level=warn`` and ``extra_args``); ``workers=0``
    for the threaded server."""

    def __init__(self, config, database, port, logfile, workers=0, extra_args=()):
        self.base = f"http://127.0.0.1:{port}"
        self.logfile = logfile
        cmd = [sys.executable, *odoo_program(), "-c", config, "-d", database]
        cmd += [f"--db-filter=^{re.escape(database)}$", f"--http-port={port}"]
        cmd += [f"--gevent-port={port + 1}", "--http-interface=127.0.0.1"]
        cmd += [f"--workers={workers}", "--max-cron-threads=0", "--log-level=warn"]
        cmd += [f"--logfile={logfile}", *extra_args]
        # What is written before logging is set up (a failed start) goes there.
        with open(logfile + ".err", "wb") as err:
            self.proc = subprocess.Popen(
                cmd, stdout=subprocess.DEVNULL, stderr=err, start_new_session=True
            )

    def wait_ready(self, timeout=120):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.proc.poll() is None:
            try:
                if requests.get(self.base + "/web/health", timeout=5).ok:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.5)
        self.stop()
        raise SystemExit(f"[bench] the server did not answer:\n{self.log_tail()}")

    def _read(self, *paths):
        text = ""
        for path in paths:
            try:
                with open(path, encoding="utf-8", errors="replace") as handle:
                    text += handle.read()
            except OSError:
                pass
        return text

    def log_text(self):
        return self._read(self.logfile)

    def log_tail(self, lines=40):
        text = self._read(self.logfile + ".err", self.logfile)
        return "\n".join(text.splitlines()[-lines:]) or "(no log)"

    def log_problems(self):
        """The warnings and errors of the server (--log-level=warn: its log
        has nothing else; what its processes wrote on stderr, but the warning
        about running as root)."""
        lines = self._read(self.logfile + ".err", self.logfile).splitlines()
        return "\n".join(
            line for line in lines if line.strip() and "security risk" not in line
        )

    def stop(self):
        """Terminate the server, then whatever of its process group is left
        (its workers, its gevent process)."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
