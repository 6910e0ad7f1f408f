"""Benchmark: the complaint SLA engine (complaint_sla) against OCA's
helpdesk_mgmt_sla 18.0, and its deadline job at scale.

1. Creation: 2,000 tickets under three OCA SLA rules (helpdesk_mgmt_sla, in a
   database of its own that this script builds from the test template and drops
   at the end), then 2,000 complaints under one policy of five milestones on a
   working calendar (Shanghai office hours, public holidays, a make-up day) in
   the database given. Batch for batch, in the same database: as many plain
   tickets and, in ours, complaints that no policy matches, for reference. All
   through the ORM, as a Helpdesk user, committing per batch. Target: our rate
   >= 2x OCA's. Also the queries of one deadline computation for 10 and for
   2,000 starts (target: equal).
2. The job: 200,000 open complaints written with SQL, 1 % of their clocks due
   (nine in ten for a warning, one in ten a breach); one call of
   ``complaint.sla.line._cron_check_deadlines(batch=5000)``, rolled back.
   Targets: < 2 s, and its selection query uses the partial index
   complaint_sla_line_due_idx. When the job misses its target, its cProfile (top
   15, cumulative) is printed.

Run by ``make bench`` on a database of its own (helpdesk_mgmt, complaint_handling
and complaint_sla installed); it adds its records and leaves them there.
"""

import argparse
import ast
import configparser
import cProfile
import io
import json
import os
import pstats
import random
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytz
from bench_common import (
    alternate,
    arg_parser,
    load_registry,
    make_user,
    ticket_factories,
)

from odoo import SUPERUSER_ID, api, fields
from odoo.tools import SQL

TOTAL = 2_000
BATCH = 500
OPEN_COMPLAINTS = 200_000
JOB_BATCH = 5_000
RATE_TARGET = 2.0
JOB_TARGET = 2.0
PLAN_STARTS = (10, 2_000)
TZ = pytz.timezone("Asia/Shanghai")
OCA_SPEC = "odoo-addon-helpdesk_mgmt_sla==18.0.*"
OCA_MODULES = "helpdesk_mgmt,helpdesk_mgmt_sla"
RESULT_TAG = "OCA-RESULT "
TEMPLATE_QUERY = (
    "SELECT datname FROM pg_database WHERE datname LIKE 'complaints_tpl_%' "
    "AND datname NOT LIKE '%_part' LIMIT 1"
)
DUE_INDEX = "complaint_sla_line_due_idx"
# The selection query of complaint.sla.line._cron_check_deadlines().
JOB_SELECT = (
    "SELECT id FROM complaint_sla_line "
    "WHERE next_check IS NOT NULL AND status IN ('running', 'breached') "
    "AND next_check <= %s ORDER BY next_check LIMIT %s "
    "FOR UPDATE SKIP LOCKED"
)


def parse():
    parser = arg_parser(__doc__, TOTAL, BATCH)
    parser.add_argument("--open", type=int, default=OPEN_COMPLAINTS)
    parser.add_argument(
        "--oca-database", help="default: <database>_oca (dropped at the end)"
    )
    parser.add_argument(
        "--profile", action="store_true", help="profile the job even if on time"
    )
    # Internal: the OCA half, run in a process of its own (other addons path).
    parser.add_argument("--oca-worker", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args()


def env_home():
    """The environment home, as tools/bench.sh finds it."""
    if os.environ.get("COMPLAINT_HOME"):
        return Path(os.environ["COMPLAINT_HOME"])
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    return Path(cache) / "complaint-handling"


# ----------------------------------------------------------------------
# Shared set-up
# ----------------------------------------------------------------------


def _local_day_utc(day, hour=0.0):
    """Naive UTC datetime of ``hour`` o'clock of ``day`` in Shanghai."""
    local = TZ.localize(datetime(day.year, day.month, day.day)) + timedelta(hours=hour)
    return local.astimezone(pytz.utc).replace(tzinfo=None)


def _next_weekday(day, weekday):
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def make_calendar(env):
    """Mon-Fri 9-12 and 13-18 in Shanghai, two public holidays (global leaves)
    in the next fortnight and, where complaint_sla is installed, a make-up
    working Saturday."""
    calendar = env["resource.calendar"].create(
        {
            "name": "SLA bench: Guangzhou office hours",
            "tz": "Asia/Shanghai",
            "attendance_ids": [
                (
                    0,
                    0,
                    {
                        "name": f"{day} {period}",
                        "dayofweek": str(day),
                        "hour_from": start,
                        "hour_to": end,
                        "day_period": period,
                    },
                )
                for day in range(5)
                for period, start, end in (("morning", 9, 12), ("afternoon", 13, 18))
            ],
        }
    )
    today = datetime.now(TZ).date()
    holidays = [
        _next_weekday(today + timedelta(days=2), 2),  # a Wednesday
        _next_weekday(today + timedelta(days=9), 4),  # a Friday
    ]
    env["resource.calendar.leaves"].create(
        [
            {
                "name": f"Public holiday {day}",
                "calendar_id": calendar.id,
                "date_from": _local_day_utc(day),
                "date_to": _local_day_utc(day, 24) - timedelta(seconds=1),
            }
            for day in holidays
        ]
    )
    if "complaint.sla.makeup.day" in env:
        env["complaint.sla.makeup.day"].create(
            {
                "calendar_id": calendar.id,
                "date": _next_weekday(holidays[0], 5),
                "name": "Make-up working day",
            }
        )
    return calendar


def make_partners(env):
    return env["res.partner"].create(
        [{"name": f"Customer {i}", "phone": f"139{i:08d}"} for i in range(2000)]
    )


# ----------------------------------------------------------------------
# OCA helpdesk_mgmt_sla, in a process and a database of its own
# ----------------------------------------------------------------------


def prepare_oca(env, tag):
    integration = make_user(
        env,
        "Transfer integration (SLA bench)",
        f"bench_sla_oca_{tag}",
        ["helpdesk_mgmt.group_helpdesk_user"],
    )
    calendar = make_calendar(env)
    teams = env["helpdesk.ticket.team"].create(
        [
            {"name": "Plain helpdesk", "user_ids": [(4, integration.id)]},
            {
                "name": "Helpdesk with SLA",
                "user_ids": [(4, integration.id)],
                "use_sla": True,
                "resource_calendar_id": calendar.id,
            },
        ]
    )
    categories = env["helpdesk.ticket.category"].search([])
    if len(categories) < 5:
        categories |= env["helpdesk.ticket.category"].create(
            [{"name": f"Bench category {i}"} for i in range(5)]
        )
    in_progress = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_in_progress")
    done = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
    sla_team = teams[1]
    # Three rules that all apply to the tickets of the SLA team: three clocks
    # a ticket, as our policy starts three of its five on reception.
    env["helpdesk.sla"].create(
        [
            {
                "name": "First response within 4 working hours",
                "team_ids": [(6, 0, sla_team.ids)],
                "hours": 4,
                "stage_id": in_progress.id,
            },
            {
                "name": "Known problems solved within 2 working days",
                "team_ids": [(6, 0, sla_team.ids)],
                "category_ids": [(6, 0, categories.ids)],
                "days": 2,
                "stage_id": done.id,
            },
            {
                "name": "Closed within 7 working days",
                "team_ids": [(6, 0, sla_team.ids)],
                "days": 7,
                "stage_id": done.id,
            },
        ]
    )
    return integration, teams, make_partners(env), categories


def oca_worker(args):
    """The OCA half: prints kind -> [seconds, queries, count] as JSON."""
    registry = load_registry(args.config, args.database)
    rng = random.Random(42)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        integration, teams, partners, categories = prepare_oca(env, int(time.time()))
        uid, team_ids = integration.id, teams.ids
        partner_ids, cat_ids = partners.ids, categories.ids
        channel_ids = env["helpdesk.ticket.channel"].search([]).ids
        cr.commit()

    def vals(i, team_id):
        return {
            "name": f"Ticket {i}",
            "description": "<p>Customer question forwarded by the hotline.</p>",
            "partner_id": rng.choice(partner_ids),
            "team_id": team_id,
            "category_id": rng.choice(cat_ids),
            "channel_id": rng.choice(channel_ids),
        }

    stats = alternate(
        registry,
        uid,
        {
            "plain": lambda i: vals(i, team_ids[0]),
            "sla": lambda i: vals(i, team_ids[1]),
        },
        args.total,
        args.batch,
    )
    with registry.cursor() as cr:
        cr.execute("SELECT count(*) FROM helpdesk_ticket_sla")
        stats["sla_lines"] = cr.fetchone()[0]
    print(RESULT_TAG + json.dumps(stats), flush=True)


def _run(cmd, what):
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"[bench_sla] {what} failed (exit {proc.returncode})")
    return proc.stdout


def oca_addons():
    """The folder of OCA's helpdesk_mgmt_sla wheel, installed once."""
    target = env_home() / "bench-oca"
    addons = target / "odoo" / "addons"
    manifest = addons / "helpdesk_mgmt_sla" / "__manifest__.py"
    if not manifest.exists():
        target.mkdir(parents=True, exist_ok=True)
        _run(
            [sys.executable, "-m", "pip", "install", "-q", "--no-deps"]
            + ["--target", str(target), OCA_SPEC],
            "pip install " + OCA_SPEC,
        )
    version = ast.literal_eval(manifest.read_text())["version"]
    return addons, version


def oca_config(config, addons):
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(config)
    paths = parser.get("options", "addons_path", fallback="")
    parser.set("options", "addons_path", f"{paths},{addons}" if paths else str(addons))
    path = addons.parent.parent / "odoo-oca.conf"
    with open(path, "w") as handle:
        parser.write(handle)
    return path


def create_from_template(database):
    template = _run(
        ["psql", "-d", "postgres", "-Atqc", TEMPLATE_QUERY], "template lookup"
    ).strip()
    if not template:
        raise SystemExit("[bench_sla] no template database: run 'make test' first")
    _run(["dropdb", "--if-exists", database], "dropdb")
    for attempt in range(5):
        # The template may be in use by a test run that is copying it.
        proc = subprocess.run(
            ["createdb", "-T", template, database],
            capture_output=True,
            text=True,
            check=False,
        )
        if not proc.returncode:
            return template
        time.sleep(2 + attempt * 2)
    raise SystemExit(f"[bench_sla] createdb -T {template} failed: {proc.stderr}")


def run_oca(args):
    """Build OCA's database, run the OCA half in a subprocess, drop it."""
    addons, version = oca_addons()
    config = oca_config(args.config, addons)
    database = args.oca_database or f"{args.database}_oca"
    template = create_from_template(database)
    try:
        start = time.perf_counter()
        _run(
            [sys.executable, "-m", "odoo", "-c", str(config), "-d", database]
            + ["-i", OCA_MODULES, "--without-demo=all", "--stop-after-init"]
            + ["--log-level=warn"],
            f"installing {OCA_MODULES} in {database}",
        )
        print(
            f"OCA helpdesk_mgmt_sla {version}: database {database} from {template}, "
            f"installed in {time.perf_counter() - start:.0f} s"
        )
        output = _run(
            [sys.executable, os.path.abspath(__file__), "--oca-worker"]
            + ["--config", str(config), "--database", database]
            + ["--total", str(args.total), "--batch", str(args.batch)],
            "the OCA benchmark",
        )
    finally:
        subprocess.run(["dropdb", "--if-exists", database], check=False)
    for line in output.splitlines():
        if line.startswith(RESULT_TAG):
            return json.loads(line[len(RESULT_TAG) :])
    raise SystemExit("[bench_sla] the OCA benchmark printed no result")


# ----------------------------------------------------------------------
# Ours
# ----------------------------------------------------------------------

MILESTONES = [
    # name, target, unit, start event, fulfil event
    ("Accept within 30 working minutes", 30, "minutes", "received", "accepted"),
    ("Contact within 4 working hours", 4, "hours", "received", "first_contact"),
    (
        "Result within 4 working hours",
        4,
        "hours",
        "solution_confirmed",
        "result_reported",
    ),
    (
        "Call back within 2 working days",
        2,
        "working_days",
        "result_reported",
        "callback_done",
    ),
    ("Close within 7 working days", 7, "working_days", "received", "closed"),
]


def prepare_ours(env, tag):
    helpdesk_user = "helpdesk_mgmt.group_helpdesk_user"
    integration = make_user(
        env, "Transfer integration (SLA bench)", f"bench_sla_{tag}", [helpdesk_user]
    )
    handler = make_user(
        env,
        "Complaint handler (SLA bench)",
        f"bench_sla_handler_{tag}",
        [helpdesk_user],
    )
    supervisor = make_user(
        env,
        "Complaint supervisor (SLA bench)",
        f"bench_sla_supervisor_{tag}",
        ["complaint_handling.complaint_handling_group_supervisor"],
    )
    env.company.complaint_escalation_l2_user_id = supervisor
    plain_team = env["helpdesk.ticket.team"].create(
        {"name": "Plain helpdesk (SLA bench)", "user_ids": [(4, integration.id)]}
    )
    complaint_team = env.ref("complaint_handling.helpdesk_ticket_team_complaint")
    complaint_team.user_ids = [(4, integration.id), (4, handler.id)]
    calendar = make_calendar(env)
    env["complaint.sla.policy"].search([]).active = False
    policy = env["complaint.sla.policy"].create(
        {
            "name": "SLA bench: five milestones on office hours",
            "kind": "complaint",
            "milestone_ids": [
                (
                    0,
                    0,
                    {
                        "name": name,
                        "sequence": seq,
                        "target": target,
                        "unit": unit,
                        "calendar_id": calendar.id,
                        "start_event": start,
                        "fulfil_event": fulfil,
                    },
                )
                for seq, (name, target, unit, start, fulfil) in enumerate(MILESTONES)
            ],
        }
    )
    categories = env["helpdesk.ticket.category"].search(
        [("parent_id", "!=", False), ("child_id", "=", False)]
    )
    return {
        "integration": integration,
        "handler": handler,
        "plain_team": plain_team,
        "complaint_team": complaint_team,
        "calendar": calendar,
        "policy": policy,
        "partners": make_partners(env),
        "categories": categories,
        "channels": env["helpdesk.ticket.channel"].search([]),
    }


def bench_ours(registry, ctx, args):
    rng = random.Random(42)
    partner_ids, cat_ids = ctx["partners"].ids, ctx["categories"].ids
    channel_ids = ctx["channels"].ids

    plain_vals, complaint_vals = ticket_factories(
        rng,
        {
            "partner_ids": partner_ids,
            "category_ids": cat_ids,
            "channel_ids": channel_ids,
            "plain_team_id": ctx["plain_team"].id,
            "complaint_team_id": ctx["complaint_team"].id,
        },
        account_prefix="GS",
    )

    def policy_active(active):
        def setup(cr):
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["complaint.sla.policy"].browse(ctx["policy"].id).active = active
            # Now: committing flushes the environments still alive only.
            env.flush_all()

        return setup

    # Complaints without a policy separate the SLA engine's cost from the
    # complaint process's.
    return alternate(
        registry,
        ctx["integration"].id,
        {
            "plain": plain_vals,
            "complaint_no_sla": complaint_vals,
            "complaint": complaint_vals,
        },
        args.total,
        args.batch,
        before={
            "complaint_no_sla": policy_active(False),
            "complaint": policy_active(True),
        },
    )


def bench_plan_queries(env, calendar):
    """Queries and seconds of one 7-working-day computation for few and many
    starts (spread over a fortnight, nights and the weekend included)."""
    now = fields.Datetime.now().replace(microsecond=0)
    starts = [now + timedelta(minutes=7 * i) for i in range(max(PLAN_STARTS))]
    calendar._complaint_sla_plan(starts[:2], 7, "working_days")  # warm the caches
    result = {}
    for count in PLAN_STARTS:
        env.invalidate_all()
        start_queries = env.cr.sql_log_count
        start = time.perf_counter()
        deadlines = calendar._complaint_sla_plan(starts[:count], 7, "working_days")
        elapsed = time.perf_counter() - start
        assert len(deadlines) == count and all(deadlines)
        result[count] = (env.cr.sql_log_count - start_queries, elapsed)
    return result


# ----------------------------------------------------------------------
# The job at scale
# ----------------------------------------------------------------------


def _not_null_columns(cr, table):
    cr.execute(
        "SELECT column_name, is_nullable = 'NO' AND column_default IS NULL "
        "FROM information_schema.columns WHERE table_name = %s",
        [table],
    )
    return dict(cr.fetchall())


def _insert(cr, table, values, source, *params):
    """INSERT INTO ``table`` the columns of ``values`` (column -> SQL expression
    over ``source``) that the table has; every NOT NULL column without a
    default must be among them."""
    columns = _not_null_columns(cr, table)
    missing = sorted(
        c for c, required in columns.items() if required and c not in values
    )
    if missing:
        raise SystemExit(f"[bench_sla] {table}: no value for NOT NULL {missing}")
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


def insert_open_complaints(env, ctx, count):
    """``count`` open complaints, received up to 100 minutes ago, each with a
    running clock of the 'Contact within 4 working hours' milestone. Every
    100th clock is due (50 % warning passed); every 1,000th is past its
    deadline (breach). Returns (complaints, clocks, due, breaches)."""
    cr = env.cr
    now = fields.Datetime.now().replace(microsecond=0)
    milestone = ctx["policy"].milestone_ids.filtered(
        lambda m: m.name.startswith("Contact")
    )
    stage = env.ref("complaint_handling.helpdesk_ticket_stage_complaint_received")
    uid, handler = SUPERUSER_ID, ctx["handler"].id
    categories = ctx["categories"].ids
    ticket_values = {
        "company_id": SQL("%s", env.company.id),
        "name": SQL("'Open complaint ' || g"),
        "description": SQL("'<p>Bulk-loaded open complaint.</p>'"),
        "number": SQL("'SLAJOB-' || g"),
        "kind": SQL("'complaint'"),
        "escalation_level": SQL("'1'"),
        "handling_round": SQL("1"),
        "active": SQL("true"),
        "team_id": SQL("%s", ctx["complaint_team"].id),
        "stage_id": SQL("%s", stage.id),
        "complaint_state": SQL("'received'"),
        "user_id": SQL("%s", handler),
        "first_responder_id": SQL("%s", handler),
        "category_id": SQL("(%s::int[])[1 + mod(g, %s)]", categories, len(categories)),
        "channel_id": SQL("%s", ctx["channels"][:1].id),
        "partner_name": SQL("'Customer ' || g"),
        "service_number": SQL("'137' || lpad(g::text, 8, '0')"),
        "contact_phone": SQL("'137' || lpad(g::text, 8, '0')"),
        "business_line": SQL("'mobile'"),
        "severity": SQL("'general'"),
        "urgency": SQL("'normal'"),
        "priority": SQL("'1'"),
        "kanban_state": SQL("'normal'"),
        "id_document_type": SQL("'resident_id'"),
        "received_date": SQL("%s - make_interval(mins => mod(g, 100))", now),
        "last_stage_update": SQL("%s - make_interval(mins => mod(g, 100))", now),
        "sla_policy_id": SQL("%s", ctx["policy"].id),
        "sla_state": SQL("'on_time'"),
        "sla_deadline": SQL("%s + interval '4 hours'", now),
        "create_uid": SQL("%s", uid),
        "write_uid": SQL("%s", uid),
        "create_date": SQL("%s", now),
        "write_date": SQL("%s", now),
    }
    tickets = _insert(
        cr, "helpdesk_ticket", ticket_values, "generate_series(1, %s) AS g", count
    )
    # helpdesk_mgmt subscribes the assigned user to the tickets it creates.
    cr.execute(
        "INSERT INTO mail_followers (res_model, res_id, partner_id) "
        "SELECT 'helpdesk.ticket', id, %s FROM helpdesk_ticket "
        "WHERE starts_with(number, 'SLAJOB-')",
        [ctx["handler"].partner_id.id],
    )
    # s: start of the clock; due: mod(g, 100) = 0; breach: mod(g, 1000) = 0.
    source = (
        "(SELECT t.id, t.company_id, t.category_id, t.team_id, g, "
        "CASE WHEN mod(g, 1000) = 0 THEN %s - interval '300 minutes' "
        "WHEN mod(g, 100) = 0 THEN %s - interval '150 minutes' "
        "ELSE %s - make_interval(mins => mod(g, 100)) END AS s "
        "FROM (SELECT id, company_id, category_id, team_id, "
        "split_part(number, '-', 2)::int AS g FROM helpdesk_ticket "
        "WHERE starts_with(number, 'SLAJOB-')) AS t) AS x"
    )
    schedule = (
        "'[\"' || to_char(s + interval '120 minutes', 'YYYY-MM-DD HH24:MI:SS') || "
        "'\", \"' || to_char(s + interval '192 minutes', 'YYYY-MM-DD HH24:MI:SS') "
        "|| '\"]'"
    )
    line_values = {
        "ticket_id": SQL("id"),
        "milestone_id": SQL("%s", milestone.id),
        "sequence": SQL("%s", milestone.sequence),
        "policy_id": SQL("%s", ctx["policy"].id),
        "company_id": SQL("company_id"),
        "category_id": SQL("category_id"),
        "team_id": SQL("team_id"),
        "status": SQL("'running'"),
        "start_date": SQL("s"),
        "deadline": SQL("s + interval '240 minutes'"),
        "warning_schedule": SQL(schedule),
        "warned_count": SQL("CASE WHEN mod(g, 1000) = 0 THEN 2 ELSE 0 END"),
        "breach_done": SQL("false"),
        "next_check": SQL(
            "CASE WHEN mod(g, 1000) = 0 THEN s + interval '240 minutes' "
            "ELSE s + interval '120 minutes' END"
        ),
        "paused_minutes": SQL("0"),
        "remaining_minutes": SQL("0"),
        "late_minutes": SQL("0"),
        "create_uid": SQL("%s", uid),
        "write_uid": SQL("%s", uid),
        "create_date": SQL("%s", now),
        "write_date": SQL("%s", now),
    }
    clocks = _insert(cr, "complaint_sla_line", line_values, source, now, now, now)
    cr.execute(
        "SELECT count(*) FILTER (WHERE l.next_check <= %s), "
        "count(*) FILTER (WHERE l.next_check <= %s AND l.deadline <= %s) "
        "FROM complaint_sla_line l JOIN helpdesk_ticket t ON t.id = l.ticket_id "
        "WHERE starts_with(t.number, 'SLAJOB-')",
        [now, now, now],
    )
    due, breaches = cr.fetchone()
    return tickets, clocks, due, breaches


def due_lines(cr, now):
    """Warned count of every line that the job selects at ``now``."""
    cr.execute(
        "SELECT id, warned_count FROM complaint_sla_line "
        "WHERE next_check IS NOT NULL AND status IN ('running', 'breached') "
        "AND next_check <= %s",
        [now],
    )
    return dict(cr.fetchall())


def explain_selection(cr):
    cr.execute(
        SQL(
            "EXPLAIN (ANALYZE, BUFFERS) " + JOB_SELECT,
            fields.Datetime.now(),
            JOB_BATCH,
        )
    )
    plan = [row[0] for row in cr.fetchall()]
    cr.rollback()  # ANALYZE ran it: release the row locks
    return plan


def run_job(registry):
    """One call of the job, in a transaction that is rolled back: seconds,
    queries, lines processed, and of them lines due beforehand, warned and
    breached."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        before = due_lines(cr, fields.Datetime.now())
        start_queries = cr.sql_log_count
        start = time.perf_counter()
        lines = env["complaint.sla.line"]._cron_check_deadlines(batch=JOB_BATCH)
        env.flush_all()
        elapsed = time.perf_counter() - start
        queries = cr.sql_log_count - start_queries
        breached = lines.filtered(lambda line: line.status == "breached")
        warned = (lines - breached).filtered(
            lambda line: line.warned_count > (before.get(line.id) or 0)
        )
        cr.rollback()
    return {
        "seconds": elapsed,
        "queries": queries,
        "processed": len(lines),
        "due": len(before),
        "warned": len(warned),
        "breached": len(breached),
    }


def profile_job(registry):
    profiler = cProfile.Profile()
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        profiler.enable()
        env["complaint.sla.line"]._cron_check_deadlines(batch=JOB_BATCH)
        env.flush_all()
        profiler.disable()
        cr.rollback()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(15)
    return out.getvalue()


# ----------------------------------------------------------------------
# Main
# ----------------------------------------------------------------------


def bench_job(registry, ctx, args):
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        ctx = {key: value.with_env(env) for key, value in ctx.items()}
        start = time.perf_counter()
        tickets, clocks, due, breaches = insert_open_complaints(env, ctx, args.open)
        cr.commit()
        cr.execute("ANALYZE helpdesk_ticket")
        cr.execute("ANALYZE complaint_sla_line")
        cr.commit()
        print(
            f"job data: {tickets} open complaints, {clocks} running clocks, "
            f"written with SQL in {time.perf_counter() - start:.1f} s; of them "
            f"{due} due ({due - breaches} for a warning, {breaches} breaches)"
        )
        plan_lines = explain_selection(cr)
    uses_index = any(DUE_INDEX in line for line in plan_lines)
    print("job selection query plan:")
    for line in plan_lines:
        print(f"    {line}")
    print(f"selection uses {DUE_INDEX}: {'yes' if uses_index else 'NO'}")
    job = run_job(registry)
    print(
        f"job: _cron_check_deadlines(batch={JOB_BATCH}) {job['seconds']:.2f} s, "
        f"{job['processed']} lines processed of {job['due']} due in the database "
        f"({job['warned']} warned, {job['breached']} breached), "
        f"{job['queries']} queries (target < {JOB_TARGET:.0f} s)"
    )
    if args.profile or job["seconds"] >= JOB_TARGET:
        print("job profile (cProfile, top 15 cumulative):")
        print(profile_job(registry))
    return uses_index, job


def print_creation(oca, ours):
    """The creation table; returns our rate / OCA's (None without OCA)."""
    rows = {
        "plain": ("our db: plain ticket", ours["plain"]),
        "no_sla": ("our db: complaint, no policy", ours["complaint_no_sla"]),
        "sla": ("our db: complaint, 5 milestones", ours["complaint"]),
    }
    if oca:
        rows = {
            "oca_plain": ("OCA db: plain ticket", oca["plain"]),
            "oca_sla": ("OCA db: ticket, 3 SLA rules", oca["sla"]),
            **rows,
        }
    print(f"{'':33}{'records':>9}{'seconds':>9}{'rec/s':>9}{'queries/rec':>13}")
    ms = {}
    for key, (label, (elapsed, queries, count)) in rows.items():
        ms[key] = 1000 * elapsed / count
        print(
            f"{label:33}{count:>9}{elapsed:>9.1f}{count / elapsed:>9.0f}"
            f"{queries / count:>13.2f}"
        )
    print(
        f"SLA cost per ticket, ours: {ms['sla'] - ms['no_sla']:+.1f} ms over a "
        f"complaint without policy, which costs {ms['no_sla'] - ms['plain']:+.1f} "
        "ms over a plain ticket"
    )
    if not oca:
        return None
    print(
        f"SLA cost per ticket, OCA: {ms['oca_sla'] - ms['oca_plain']:+.1f} ms over "
        f"its plain ticket ({oca['sla_lines']} SLA lines)"
    )
    ratio = ms["oca_sla"] / ms["sla"]
    print(
        f"rate: ours {1000 / ms['sla']:.0f}/s, OCA {1000 / ms['oca_sla']:.0f}/s, "
        f"ours/OCA {ratio:.2f}x (target >= {RATE_TARGET:.0f}x)"
    )
    return ratio


def main():
    args = parse()
    if args.oca_worker:
        oca_worker(args)
        return
    try:
        oca = run_oca(args)
    except (SystemExit, OSError, subprocess.SubprocessError) as error:
        # Our own figures are still worth having.
        print(f"[bench_sla] OCA comparison skipped: {error}")
        oca = None

    registry = load_registry(args.config, args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        ctx = prepare_ours(env, int(time.time()))
        cr.commit()
    ours = bench_ours(registry, ctx, args)
    ratio = print_creation(oca, ours)

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        plan = bench_plan_queries(env, ctx["calendar"].with_env(env))
        cr.rollback()
    (few_q, few_s), (many_q, many_s) = plan[PLAN_STARTS[0]], plan[PLAN_STARTS[1]]
    print(
        f"deadline computation, 7 working days: {PLAN_STARTS[0]} starts "
        f"{few_q} queries ({few_s * 1000:.1f} ms), {PLAN_STARTS[1]} starts "
        f"{many_q} queries ({many_s * 1000:.1f} ms) (target: equal queries)"
    )

    uses_index, job = bench_job(registry, ctx, args)
    checks = {
        f"rate >= {RATE_TARGET:.0f}x OCA": ratio is not None and ratio >= RATE_TARGET,
        "plan queries equal": few_q == many_q,
        f"job < {JOB_TARGET:.0f} s": job["seconds"] < JOB_TARGET,
        "job uses due index": uses_index,
        "job processed every due line": job["processed"] == job["due"],
    }
    missed = [name for name, ok in checks.items() if not ok]
    print("targets:", "met" if not missed else "MISSED (" + ", ".join(missed) + ")")


if __name__ == "__main__":
    main()
