# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Benchmark: the partner agent's portal pages with many complaints handed to
one organisation.

Target (issue): with 50,000 complaints handed to one organisation, the agent's
list page (/my/complaints) and a case page (/my/complaints/<id>) answer in
under 150 ms server time (median of repeated requests), and the number of
queries does not grow with the number of complaints.

1. Data, through the ORM, committed per batch of 1,000, up to 5,000 handed
   complaints (``--orm``), then with SQL: one organisation under
   an agreement, one partner agent (portal user), a carrier handler. The
   complaints are created, accepted (``_complaint_move_to_step``) and handed
   over (``complaint.transfer._hand_off``) batch by batch, as the handler, with
   ``tracking_disable`` (no creation message, followers or tracking values: a
   bulk load; the hand-off still logs its note on each complaint). Each has its
   own customer name and service number (no repeat links). The measured case is
   made without that context: created, accepted, handed over, then
   acknowledged, taken and given three handling logs by the agent. Before each
   measurement the ten newest complaints are acknowledged by the agent, five of
   them taken, so that the first list page always shows the same mix.
   Beyond the first 5,000, complaints are handed over with SQL
   (``copy_complaints``: ``INSERT ... SELECT`` copies of the ORM's, column for
   column, each with its hand-off, received before them), then ``VACUUM
   ANALYZE``: 500,000 through the ORM would take about 40 minutes here.
2. For each size (5,000, 50,000, then 500,000 handed complaints by default;
   issue 17: the list page costs the same at 500,000 as at 5,000): a real Odoo
   server in a subprocess (threaded, no workers, no cron; HTTP port 8190-8199),
   a login as the agent, then per page a few warm-up requests and 30 measured
   ones. Server time, SQL time and queries per request come from the server's
   request log line (werkzeug logger: "<queries> <sql s> <other s>", measured
   by odoo.http from the start of the request until its response is sent);
   the wall time is the client's, loopback transport included. Medians.

Run by ``make bench`` on a database of its own (helpdesk_mgmt, complaint_handling
and complaint_sla installed; with complaint_training, the agent is granted a
qualification for every type); it adds its records and leaves them there.
"""

import math
import os
import re
import shutil
import statistics
import tempfile
import time
from datetime import date, timedelta

import requests
from bench_common import (
    OdooServer,
    arg_parser,
    free_port,
    insert_select,
    load_registry,
    make_user,
)
from bench_reports import vacuum_analyze

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

SIZES = (5_000, 50_000, 500_000)
BATCH = 1_000
ORM = 5_000  # complaints handed through the ORM; the others are SQL copies
REPEAT = 30
WARMUP = 3
TARGET_MS = 150.0
PER_PAGE = 20  # ComplaintPortal._complaints_per_page
DECORATED = 10  # newest complaints acknowledged before each measurement
PASSWORD = "bench-portal-agent-2026"  # a throw-away bench user
AGENT_GROUP = "complaint_handling.complaint_handling_group_partner_agent"
# The werkzeug request line, then the figures odoo.netsvc.PerfFilter adds to it:
# '"GET /my/complaints?bench=50000list-3 HTTP/1.1" 200 - 25 0.033 0.018'.
REQUEST_LOG = re.compile(
    r'"GET (?P<path>\S+) HTTP/[\d.]+" (?P<status>\d{3}) \S+\s+'
    r"(?P<queries>\d+) (?P<sql>[\d.]+) (?P<other>[\d.]+)"
)


def parse():
    parser = arg_parser(__doc__, batch=BATCH)
    parser.add_argument(
        "--sizes",
        default=",".join(str(size) for size in SIZES),
        help="handed complaints at each measurement, increasing (default: %(default)s)",
    )
    parser.add_argument(
        "--orm",
        type=int,
        default=ORM,
        help="complaints handed through the ORM; those beyond are SQL copies of "
        "them (default: %(default)s)",
    )
    parser.add_argument("--repeat", type=int, default=REPEAT)
    parser.add_argument("--warmup", type=int, default=WARMUP)
    parser.add_argument(
        "--port", type=int, help="HTTP port (default: the first free of 8190-8199)"
    )
    args = parser.parse_args()
    args.sizes = [int(size) for size in args.sizes.split(",")]
    if args.sizes != sorted(args.sizes) or args.sizes[0] < DECORATED + 1:
        parser.error(f"--sizes: increasing, each at least {DECORATED + 1}")
    return args


# ----------------------------------------------------------------------
# Data
# ----------------------------------------------------------------------


def prepare(env, tag):
    """The organisation, its agreement and agent, a handler; returns ids."""
    handler = make_user(
        env,
        "Complaint handler (portal bench)",
        f"bench_portal_handler_{tag}",
        ["helpdesk_mgmt.group_helpdesk_user"],
    )
    team = env.ref("complaint_handling.helpdesk_ticket_team_complaint")
    team.user_ids = [(4, handler.id)]
    org = env["res.partner"].create(
        {
            "name": f"Portal bench service Co. {tag}",
            "is_company": True,
            "complaint_partner_org": True,
        }
    )
    agreement = env["complaint.partner.agreement"].create(
        {
            "name": f"SA-BENCH-{tag}",
            "partner_org_id": org.id,
            "date_start": date.today() - timedelta(days=365),
        }
    )
    # No e-mail address: the hand-off notices are not queued for the agent.
    agent = make_user(
        env,
        "Portal bench agent",
        f"bench_portal_agent_{tag}",
        [AGENT_GROUP],
        password=PASSWORD,
    )
    agent.partner_id.parent_id = org
    if "complaint.qualification" in env:
        # complaint_training installed: the agent may take every type.
        env["complaint.qualification"].create(
            {"user_id": agent.id, "reason": "Portal benchmark agent."}
        )
    categories = env["helpdesk.ticket.category"].search(
        [("parent_id", "!=", False), ("child_id", "=", False)]
    )
    return {
        "tag": tag,
        "handler": handler.id,
        "agent": agent.id,
        "agent_login": agent.login,
        "org": org.id,
        "agreement": agreement.id,
        "team": team.id,
        "stage": env.ref(
            "complaint_handling.helpdesk_ticket_stage_complaint_received"
        ).id,
        "channel": env.ref("complaint_handling.helpdesk_ticket_channel_hotline").id,
        "categories": categories.ids,
    }


def complaint_vals(ctx, i):
    number = f"13{ctx['tag'] % 1000:03d}{i:06d}"  # a valid mobile number
    return {
        "kind": "complaint",
        "name": f"Charged twice for the monthly plan ({i})",
        "description": "<p>My bill shows the plan fee twice.</p>",
        "partner_name": f"Customer {i}",
        "contact_phone": number,
        "service_number": number,
        "account_number": f"GP{ctx['tag']}{i:08d}",
        "business_line": "mobile",
        "category_id": ctx["categories"][i % len(ctx["categories"])],
        "channel_id": ctx["channel"],
        "team_id": ctx["team"],
        "stage_id": ctx["stage"],
    }


def hand_over(env, ctx, vals_list, note):
    tickets = env["helpdesk.ticket"].create(vals_list)
    tickets._complaint_move_to_step("accepted")
    agreement = env["complaint.partner.agreement"].browse(ctx["agreement"])
    tickets.env["complaint.transfer"]._hand_off(tickets, agreement, note=note)
    return tickets


def load(registry, ctx, start, stop, batch, orm, database):
    """Hand complaints number ``start`` to ``stop`` (excluded) over: through
    the ORM up to number ``orm``, in batches, one transaction a batch; then
    with SQL (copies of those), ``VACUUM ANALYZE``."""
    if stop > orm:
        load(registry, ctx, start, orm, batch, orm, database)
        with registry.cursor() as cr:
            copy_complaints(cr, ctx, max(start, orm), stop)
            cr.commit()
        # No autovacuum of the new rows during the measurements.
        vacuum_analyze(database, ["helpdesk_ticket", "complaint_transfer"])
        return
    for first in range(start, stop, batch):
        last = min(first + batch, stop)
        with registry.cursor() as cr:
            env = api.Environment(cr, ctx["handler"], {"tracking_disable": True})
            hand_over(
                env,
                ctx,
                [complaint_vals(ctx, i) for i in range(first, last)],
                note="Bulk hand-off (portal bench).",
            )
            cr.commit()


def copy_complaints(cr, ctx, start, stop):
    """Hand complaints number ``start`` to ``stop`` (excluded) over with SQL:
    copies, column for column, of the complaints the ORM handed over and the
    agent has not touched (a hand-off waiting for its acknowledgement), each
    with a hand-off of its own copied from theirs, its own number, title,
    customer name, numbers and account, received one minute apart before all
    of them (the first list page stays the ORM's). No messages, clocks or
    logs: the list page reads none of them. Returns the rows written."""
    cr.execute(
        """
        SELECT t.id FROM helpdesk_ticket t
          JOIN complaint_transfer tr ON tr.id = t.transfer_id
         WHERE t.partner_org_id = %s AND tr.state = 'sent'
           AND t.partner_agent_id IS NULL
         ORDER BY t.id
        """,
        [ctx["org"]],
    )
    sources = [row[0] for row in cr.fetchall()]
    assert sources, "no complaint handed through the ORM to copy"
    cr.execute(
        "SELECT min(received_date) FROM helpdesk_ticket WHERE partner_org_id = %s",
        [ctx["org"]],
    )
    oldest = cr.fetchone()[0]
    cr.execute(
        """
        CREATE TEMP TABLE bench_copy ON COMMIT DROP AS
        SELECT n, (%s::int[])[1 + n %% %s] AS src,
               nextval('helpdesk_ticket_id_seq')::int AS id,
               nextval('complaint_transfer_id_seq')::int AS tr_id,
               %s::timestamp - make_interval(mins => n + 1) AS r
          FROM generate_series(%s, %s) AS n
        """,
        [sources, len(sources), oldest, start, stop - 1],
    )
    number = f"13{ctx['tag'] % 1000:03d}"  # complaint_vals' mobile numbers
    # Every column of the source, but these.
    own = {
        "id": SQL("c.id"),
        "number": SQL("'PB' || lpad(c.n::text, 10, '0')"),
        "name": SQL("'Charged twice for the monthly plan (' || c.n || ')'"),
        "partner_name": SQL("'Customer ' || c.n"),
        "contact_phone": SQL("%s || lpad(c.n::text, 6, '0')", number),
        "service_number": SQL("%s || lpad(c.n::text, 6, '0')", number),
        "account_number": SQL("%s || lpad(c.n::text, 8, '0')", f"GP{ctx['tag']}"),
        "access_token": SQL("NULL"),
        "received_date": SQL("c.r"),
        "last_stage_update": SQL("c.r"),
        "create_date": SQL("c.r"),
        "write_date": SQL("c.r"),
        "transfer_id": SQL("NULL"),
    }
    cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = 'helpdesk_ticket'"
    )
    values = {name: SQL("s.%s", SQL.identifier(name)) for (name,) in cr.fetchall()}
    values.update(own)
    written = insert_select(
        cr,
        "helpdesk_ticket",
        values,
        "bench_copy c JOIN helpdesk_ticket s ON s.id = c.src ORDER BY c.id",
    )
    cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = 'complaint_transfer'"
    )
    values = {name: SQL("s.%s", SQL.identifier(name)) for (name,) in cr.fetchall()}
    values.update(
        {
            "id": SQL("c.tr_id"),
            "ticket_id": SQL("c.id"),
            "date_sent": SQL("c.r"),
            "create_date": SQL("c.r"),
            "write_date": SQL("c.r"),
        }
    )
    insert_select(
        cr,
        "complaint_transfer",
        values,
        "bench_copy c JOIN helpdesk_ticket t ON t.id = c.src "
        "JOIN complaint_transfer s ON s.id = t.transfer_id ORDER BY c.id",
    )
    cr.execute(
        "UPDATE helpdesk_ticket t SET transfer_id = c.tr_id "
        "FROM bench_copy c WHERE t.id = c.id"
    )
    cr.execute("DROP TABLE bench_copy")
    return written


def make_case(registry, ctx, i):
    """The measured case: handed over, acknowledged, taken and logged."""
    with registry.cursor() as cr:
        env = api.Environment(cr, ctx["handler"], {})
        ticket = hand_over(env, ctx, [complaint_vals(ctx, i)], note="Please call.")
        agent_ticket = ticket.with_user(ctx["agent"])
        agent_ticket.transfer_id.action_acknowledge()
        agent_ticket.transfer_id.action_take()
        for result, text in (
            ("no_answer", "Called the customer: no answer."),
            ("reached", "Reached the customer; checking the bill."),
            ("reached", "Told the customer the fee is refunded."),
        ):
            agent_ticket.transfer_id.action_add_log(
                {"log_type": "contact", "contact_result": result, "description": text}
            )
        number = ticket.number
        cr.commit()
    return ticket.id, number


def decorate(registry, ctx):
    """Acknowledge the newest complaints still waiting, take half of them, as
    the agent; returns the numbers of the first list page."""
    with registry.cursor() as cr:
        env = api.Environment(cr, ctx["agent"], {})
        Ticket = env["helpdesk.ticket"]
        waiting = Ticket.search(
            [("partner_org_id", "=", ctx["org"]), ("transfer_state", "=", "sent")],
            order="received_date desc, id desc",
            limit=DECORATED,
        )
        for n, ticket in enumerate(waiting):
            ticket.transfer_id.action_acknowledge()
            if n % 2:
                ticket.transfer_id.action_take()
        first_page = Ticket.search(
            [
                ("kind", "=", "complaint"),
                ("partner_org_id", "=", ctx["org"]),
                ("complaint_state", "not in", ("closed", "refused")),
            ],
            order="received_date desc, id desc",
            limit=PER_PAGE,
        )
        numbers = first_page.mapped("number")
        handed = Ticket.search_count([("partner_org_id", "=", ctx["org"])])
        cr.commit()
        # Fresh statistics, as autovacuum would have them in production.
        cr.execute("ANALYZE helpdesk_ticket")
        cr.execute("ANALYZE complaint_transfer")
        cr.commit()
    return numbers, handed


# ----------------------------------------------------------------------
# The server and the requests
# ----------------------------------------------------------------------


def login(server, login_name):
    session = requests.Session()
    page = session.get(server.base + "/web/login", timeout=30)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token, "no CSRF token on /web/login"
    response = session.post(
        server.base + "/web/login",
        data={"login": login_name, "password": PASSWORD, "csrf_token": token[1]},
        timeout=60,
    )
    assert response.ok and "/web/login" not in response.url, (
        f"login as {login_name} failed ({response.status_code} {response.url})"
    )
    return session


def measure(server, session, path, repeat, warmup, check, marker):
    """Request ``path`` ``warmup`` + ``repeat`` times; ``check(html)`` asserts
    the page. Returns a list of (wall s, server s, sql s, queries)."""
    walls = {}
    for i in range(warmup + repeat):
        key = f"{marker}-{i}"
        start = time.perf_counter()
        response = session.get(
            f"{server.base}{path}?bench={key}", allow_redirects=False, timeout=120
        )
        wall = time.perf_counter() - start
        assert response.status_code == 200, (
            f"GET {path}: {response.status_code} {response.headers.get('Location')}"
        )
        check(response.text)
        if i >= warmup:
            walls[key] = wall
    # The server logs a request when it sends its response: all are there.
    logged = {}
    for _attempt in range(20):
        for match in REQUEST_LOG.finditer(server.log_text()):
            key = match["path"].rpartition("bench=")[2]
            if key in walls:
                assert match["status"] == "200", match[0]
                sql, other = float(match["sql"]), float(match["other"])
                logged[key] = (walls[key], sql + other, sql, int(match["queries"]))
        if len(logged) == len(walls):
            return list(logged.values())
        time.sleep(0.25)
    raise SystemExit(
        f"[bench_portal] {len(walls) - len(logged)} requests of {path} not in the "
        f"server log:\n{server.log_tail()}"
    )


def check_list(numbers, page_count):
    def check(html):
        links = re.findall(r"<a [^>]*\bo_complaint_link\b[^>]*>([^<]+)</a>", html)
        assert links == numbers, f"list page: {links[:3]}... instead of {numbers[:3]}"
        if page_count > 1:
            assert f"/my/complaints/page/{min(page_count, 5)}" in html, "no pager"

    return check


def check_case(number):
    def check(html):
        assert number in html, f"case page without its number {number}"
        assert "o_complaint_agent" in html and "Told the customer" in html, (
            "case page without its agent or its handling logs"
        )

    return check


def run_size(args, ctx, case, size, port, workdir):
    numbers, handed = decorate(args.registry, ctx)
    assert handed == size, f"{handed} complaints handed instead of {size}"
    # Threaded, as `make run`; each request's line gives its time and queries.
    server = OdooServer(
        args.config,
        args.database,
        port,
        os.path.join(workdir, f"odoo-{size}.log"),
        extra_args=["--log-handler=werkzeug:INFO"],
    )
    try:
        server.wait_ready()
        session = login(server, ctx["agent_login"])
        pages = {
            "list": (
                "/my/complaints",
                check_list(numbers, math.ceil(size / PER_PAGE)),
            ),
            "case": (f"/my/complaints/{case[0]}", check_case(case[1])),
        }
        return {
            name: measure(
                server, session, path, args.repeat, args.warmup, check, f"{size}{name}"
            )
            for name, (path, check) in pages.items()
        }
    finally:
        server.stop()


# ----------------------------------------------------------------------
# Report
# ----------------------------------------------------------------------


def summary(samples):
    walls, servers, sqls, queries = zip(*samples, strict=True)
    return {
        "server": statistics.median(servers) * 1000,
        "sql": statistics.median(sqls) * 1000,
        "wall": statistics.median(walls) * 1000,
        "queries": statistics.median(queries),
        "q_range": (min(queries), max(queries)),
    }


def report(results, sizes, repeat):
    print(
        f"{'handed':>8}  {'page':6}{'requests':>9}{'server ms':>11}{'sql ms':>8}"
        f"{'wall ms':>9}{'queries':>9}"
    )
    figures = {}
    for size in sizes:
        for page, samples in results[size].items():
            fig = figures[size, page] = summary(samples)
            low, high = fig["q_range"]
            queries = f"{low}" if low == high else f"{low}-{high}"
            print(
                f"{size:>8,}  {page:6}{repeat:>9}{fig['server']:>11.1f}"
                f"{fig['sql']:>8.1f}{fig['wall']:>9.1f}{queries:>9}"
            )
    largest, smallest = sizes[-1], sizes[0]
    pages = list(results[largest])
    times = ", ".join(f"{p} {figures[largest, p]['server']:.0f} ms" for p in pages)
    on_time = all(figures[largest, p]["server"] < TARGET_MS for p in pages)
    print(
        f"server time at {largest:,} (median, target < {TARGET_MS:.0f} ms): "
        f"{times}: {'met' if on_time else 'MISSED'}"
    )
    constant = all(
        figures[size, p]["q_range"] == figures[smallest, p]["q_range"]
        for size in sizes
        for p in pages
    )
    counts = ", ".join(
        f"{p} " + " -> ".join(f"{figures[s, p]['queries']:.0f}" for s in sizes)
        for p in pages
    )
    print(
        f"queries per request ({' -> '.join(f'{s:,}' for s in sizes)}): {counts}; "
        f"constant: {'yes' if constant else 'NO'}"
    )
    sqls = ", ".join(
        f"{p} " + " -> ".join(f"{figures[s, p]['sql']:.1f}" for s in sizes)
        for p in pages
    )
    print(f"sql ms per request ({' -> '.join(f'{s:,}' for s in sizes)}): {sqls}")
    print("targets:", "met" if on_time and constant else "MISSED")


def main():
    args = parse()
    began = time.perf_counter()
    args.registry = load_registry(args.config, args.database)
    port = args.port or free_port()
    tag = int(time.time())
    with args.registry.cursor() as cr:
        ctx = prepare(api.Environment(cr, SUPERUSER_ID, {}), tag)
        cr.commit()
    print(
        "data: complaints created, accepted (_complaint_move_to_step) and handed "
        "over (complaint.transfer._hand_off) through the ORM as a handler, "
        f"{args.batch:,} a transaction, with tracking_disable, up to {args.orm:,}; "
        "beyond, SQL copies of those (each with its hand-off), then VACUUM "
        "ANALYZE; the measured case without tracking_disable, then acknowledged, "
        "taken and logged (3) by the agent"
    )
    print(
        f"requests: Odoo server subprocess (threaded, port {port}), {args.warmup} "
        f"warm-up + {args.repeat} measured requests a page; server ms = SQL + "
        "other time of the request log line, wall ms = client (loopback included)",
        flush=True,
    )
    workdir = tempfile.mkdtemp(prefix="bench_portal_")
    results, loaded = {}, 0
    try:
        for size in args.sizes:
            start = time.perf_counter()
            if not loaded:
                case = make_case(args.registry, ctx, 0)
                loaded = 1
            load(
                args.registry,
                ctx,
                loaded,
                size,
                args.batch,
                args.orm,
                args.database,
            )
            load_time = time.perf_counter() - start
            start = time.perf_counter()
            results[size] = run_size(args, ctx, case, size, port, workdir)
            print(
                f"{size:>8,} handed: {size - loaded + (loaded == 1):,} added in "
                f"{load_time:.0f} s, measured in {time.perf_counter() - start:.0f} s",
                flush=True,
            )
            loaded = size
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(
        f"organisation id {ctx['org']}, agent {ctx['agent_login']}, "
        f"case {case[1]} (id {case[0]})"
    )
    report(results, args.sizes, args.repeat)
    print(f"runtime: {time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    main()
