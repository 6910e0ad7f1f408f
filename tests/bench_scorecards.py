"""Benchmark: the partner organisations' scorecards and fee statements of a
month over a million complaints (complaint_reports).

1. Data: the complaints, time limits (SLA clocks) and remedies of
   ``bench_reports`` (``--total``, default 1,000,000, over 24 months, 30 %
   handed to one of 20 partner organisations), then, also with SQL, what the
   fee statements and scorecards read besides: one hand-off
   (``complaint.transfer``, acknowledged 80 minutes after the reception, still
   current) per complaint handed to an organisation, one result report
   (``complaint.feedback``) per complaint whose result was reported (at its
   ``result`` clock's fulfilment) and one callback (``complaint.callback``)
   per complaint called back (at its ``callback`` clock's fulfilment; the
   customer reached when the complaint has a satisfaction). ``VACUUM
   ANALYZE``.
2. One agreement per organisation (with the ORM: its default KPI terms),
   in force since the month before the data: half of them paid per handled
   case, the others per agent-month, their organisations with a few partner
   agents (created before the data).
3. As a complaint supervisor, in a new cursor a run, rolled back after each
   run: (1) ``complaint.scorecard._complaint_get_or_compute`` of the 20
   agreements for last month, (2) ``complaint.fee.statement._complaint_generate``
   of the same (it makes the scorecards it needs) on its own, and (1) then (2)
   in one transaction. Flush included. Warmed once, then best and median of
   ``--runs``. Target: (1) + (2) < 10 s.
4. Queries of the same calls for the first month of the data: equal to
   those of last month (target); also shown for the month before the data
   (no complaints at all). Where the counts differ, the statements that
   differ are printed.

When the target is missed, the slowest queries are printed with the summary
lines of their ``EXPLAIN (ANALYZE, BUFFERS)`` (``--explain``: always, whole
plans).

Run by ``make bench`` on a database of its own (all the addons installed,
without demo data); it adds its records and leaves them there. A quick run:
``--total 20000``.
"""

import difflib
import statistics
import time

from bench_common import arg_parser, insert_select, load_registry, make_user
from bench_reports import (
    MONTHS,
    ORGS,
    TZ_NAME,
    generate,
    last_month,
    prepare,
    print_slowest,
    recording,
    vacuum_analyze,
)
from dateutil.relativedelta import relativedelta

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

TOTAL = 1_000_000
RUNS = 3
TARGET = 10.0  # seconds: scorecards and statements of the month together
SLOW_CALL = 60.0  # seconds: a call this slow is timed once only
CASE_FEE = 35.0
AGENT_MONTH_FEE = 6000.0
AGENT_GROUP = "complaint_handling.complaint_handling_group_partner_agent"
SUPERVISOR_GROUP = "complaint_handling.complaint_handling_group_supervisor"
CALLS = ("scorecards", "statements", "both")
LABELS = {
    "scorecards": "(1) scorecards",
    "statements": "(2) fee statements",
    "both": "(1) + (2)",
}


def parse():
    parser = arg_parser(__doc__, TOTAL)
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument(
        "--explain", action="store_true", help="print the plans, even on target"
    )
    return parser.parse_args()


def month_of(day):
    """First and last day of the month of ``day``."""
    first = day.replace(day=1)
    return first, first + relativedelta(months=1, days=-1)


# ----------------------------------------------------------------------
# Set-up and data
# ----------------------------------------------------------------------


def prepare_agreements(env, ctx, tag, start):
    """The supervisor, the organisations' agreements (in force from
    ``start``) and the partner agents of those paid per agent-month."""
    supervisor = make_user(
        env,
        "Complaint supervisor (scorecards bench)",
        f"bench_scorecards_supervisor_{tag}",
        [SUPERVISOR_GROUP],
    )
    supervisor.tz = TZ_NAME
    vals_list = []
    for i, org_id in enumerate(ctx["orgs"]):
        per_case = i % 2 == 0
        vals_list.append(
            {
                "name": f"SLA-{i:02d} (scorecards bench {tag})",
                "partner_org_id": org_id,
                "company_id": ctx["company"],
                "date_start": start,
                "fee_basis": "case" if per_case else "agent_month",
                "fee_amount": CASE_FEE if per_case else AGENT_MONTH_FEE,
            }
        )
    agreements = env["complaint.partner.agreement"].create(vals_list)
    agents = env["res.users"]
    for i, agreement in enumerate(agreements):
        if agreement.fee_basis != "agent_month":
            continue
        for j in range(3 + i % 4):
            agent = make_user(
                env,
                f"Partner agent {i:02d}-{j} (scorecards bench)",
                f"bench_scorecards_agent_{i}_{j}_{tag}",
                [AGENT_GROUP],
            )
            agent.partner_id.parent_id = agreement.partner_org_id
            agents |= agent
    env.flush_all()
    # Hired before the data: they count in every month measured.
    env.cr.execute(
        "UPDATE res_users SET create_date = %s WHERE id = ANY(%s)",
        [start, agents.ids],
    )
    env.invalidate_all()
    return supervisor, agreements, agents


def insert_handoffs(cr, ctx, agreement_ids):
    """One current hand-off, acknowledged, per complaint handed to an
    organisation; the complaints point to it."""
    uid = SUPERUSER_ID
    values = {
        "ticket_id": SQL("t.id"),
        "company_id": SQL("t.company_id"),
        "partner_org_id": SQL("t.partner_org_id"),
        "agreement_id": SQL("a.id"),
        "state": SQL("'acknowledged'"),
        "handling_round": SQL("t.handling_round"),
        "rehandle_count": SQL("0"),
        "sent_by_id": SQL("%s", uid),
        "date_sent": SQL("t.received_date + interval '1 hour'"),
        "date_acknowledged": SQL("t.received_date + interval '80 minutes'"),
        "create_uid": SQL("%s", uid),
        "write_uid": SQL("%s", uid),
        "create_date": SQL("t.received_date + interval '1 hour'"),
        "write_date": SQL("t.received_date + interval '80 minutes'"),
    }
    count = insert_select(
        cr,
        "complaint_transfer",
        values,
        "helpdesk_ticket t JOIN complaint_partner_agreement a "
        "ON a.partner_org_id = t.partner_org_id "
        "WHERE t.kind = 'complaint' AND a.id = ANY(%s) ORDER BY t.id",
        agreement_ids,
    )
    cr.execute(
        """
        UPDATE helpdesk_ticket t
           SET transfer_id = tr.id, transfer_state = tr.state
          FROM complaint_transfer tr
         WHERE tr.ticket_id = t.id AND tr.agreement_id = ANY(%s)
        """,
        [agreement_ids],
    )
    return count


def insert_process_records(cr, ctx, table, milestone_id, values):
    """Rows of ``table`` for the complaints whose clock of ``milestone_id``
    was fulfilled, dated at its fulfilment (``l.met_date``)."""
    uid = SUPERUSER_ID
    base = {
        "ticket_id": SQL("l.ticket_id"),
        "company_id": SQL("t.company_id"),
        "handling_round": SQL("t.handling_round"),
        "user_id": SQL("t.user_id"),
        "channel": SQL("'phone'"),
        "date": SQL("l.met_date"),
        "create_uid": SQL("%s", uid),
        "write_uid": SQL("%s", uid),
        "create_date": SQL("l.met_date"),
        "write_date": SQL("l.met_date"),
    }
    return insert_select(
        cr,
        table,
        dict(base, **values),
        "complaint_sla_line l JOIN helpdesk_ticket t ON t.id = l.ticket_id "
        "WHERE l.milestone_id = %s AND l.met_date IS NOT NULL "
        "ORDER BY l.met_date, l.ticket_id",
        milestone_id,
    )


def generate_handoffs(registry, ctx, agreement_ids, database):
    start = time.perf_counter()
    # bench_reports' milestones: contact, result, callback, close, regulator
    result_milestone, callback_milestone = ctx["milestones"][1:3]
    with registry.cursor() as cr:
        transfers = insert_handoffs(cr, ctx, agreement_ids)
        feedbacks = insert_process_records(
            cr,
            ctx,
            "complaint_feedback",
            result_milestone,
            {"conclusion": SQL("'The disputed charges were refunded.'")},
        )
        reached = "t.satisfaction IS NOT NULL"
        callbacks = insert_process_records(
            cr,
            ctx,
            "complaint_callback",
            callback_milestone,
            {
                "reached": SQL(reached),
                "satisfaction": SQL("t.satisfaction"),
                "problem_solved": SQL("t.satisfaction IN ('4', '5')"),
                "unsatisfied": SQL(f"{reached} AND t.satisfaction NOT IN ('4', '5')"),
            },
        )
        cr.commit()
    written = time.perf_counter() - start
    vacuum_analyze(
        database,
        [
            "complaint_transfer",
            "complaint_feedback",
            "complaint_callback",
            "helpdesk_ticket",
        ],
    )
    print(
        f"hand-offs: {transfers:,} (one per complaint handed to an organisation), "
        f"{feedbacks:,} result reports, {callbacks:,} callbacks, written with SQL "
        f"in {written:.0f} s, VACUUM ANALYZE "
        f"{time.perf_counter() - start - written:.0f} s",
        flush=True,
    )
    return transfers


# ----------------------------------------------------------------------
# Measuring
# ----------------------------------------------------------------------


def make_calls(agreement_ids, date_from, date_to):
    def scorecards(env):
        agreements = env["complaint.partner.agreement"].browse(agreement_ids)
        return env["complaint.scorecard"]._complaint_get_or_compute(
            agreements, date_from, date_to
        )

    def statements(env):
        agreements = env["complaint.partner.agreement"].browse(agreement_ids)
        return env["complaint.fee.statement"]._complaint_generate(
            agreements, date_from, date_to
        )

    def both(env):
        scorecards(env)
        return statements(env)

    return {"scorecards": scorecards, "statements": statements, "both": both}


def outcome(records):
    """What a call made, read after the timing: scorecard statuses, or the
    statements' units and amounts."""
    records = records.sudo()
    if records._name == "complaint.scorecard":
        statuses = records.line_ids.mapped("status")
        return {
            "cards": len(records),
            "lines": len(statuses),
            **{status: statuses.count(status) for status in ("met", "missed")},
            "no_data": statuses.count("no_data"),
        }
    out = {"statements": len(records), "total": sum(records.mapped("amount_total"))}
    for basis in ("case", "agent_month"):
        mine = records.filtered(lambda s, b=basis: s.fee_basis == b)
        out[basis] = sum(mine.mapped("base_quantity"))
    out["deduction"] = sum(records.mapped("amount_deduction"))
    out["cards"] = len(records.scorecard_id)
    return out


def measure(registry, uid, calls, runs):
    """Name -> dict(best, median, runs, queries, log, outcome) of each call,
    run as ``uid`` in a new cursor, flushed, then rolled back: warmed once,
    then ``runs`` times, alternating (once only when the warm-up takes over
    ``SLOW_CALL`` seconds)."""
    context = {"tz": TZ_NAME, "lang": "en_US"}
    times = {name: [] for name in calls}
    out = {name: {} for name in calls}
    attempt = 0
    while attempt <= runs:
        for name, call in calls.items():
            with registry.cursor() as cr:
                env = api.Environment(cr, uid, context)
                start_queries = cr.sql_log_count
                with recording(cr) as log:
                    start = time.perf_counter()
                    records = call(env)
                    env.flush_all()
                    elapsed = time.perf_counter() - start
                queries = cr.sql_log_count - start_queries
                out[name].update(queries=queries, log=log, outcome=outcome(records))
                cr.rollback()
            if attempt:
                times[name].append(elapsed)
            elif elapsed > SLOW_CALL:
                runs = 1
        attempt += 1
    for name, values in times.items():
        out[name].update(
            best=min(values), median=statistics.median(values), runs=len(values)
        )
    return out


def month_facts(registry, ctx, date_from, date_to):
    """Complaints received in the month, those of them handed to an
    organisation, and the organisations' hand-offs whose result was reported
    in the month."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        start, stop = env["complaint.report.figures"]._complaint_period_bounds(
            date_from, date_to
        )
        cr.execute(
            """
            SELECT count(*), count(*) FILTER (WHERE partner_org_id = ANY(%s))
              FROM helpdesk_ticket
             WHERE kind = 'complaint' AND received_date >= %s AND received_date < %s
            """,
            [ctx["orgs"], start, stop],
        )
        received, handed = cr.fetchone()
        cr.execute(
            """
            SELECT count(*) FROM complaint_feedback f
              JOIN complaint_transfer tr ON tr.ticket_id = f.ticket_id
             WHERE f.date >= %s AND f.date < %s AND tr.partner_org_id = ANY(%s)
            """,
            [start, stop, ctx["orgs"]],
        )
        reported = cr.fetchone()[0]
    return {"received": received, "handed": handed, "reported": reported}


def print_month(label, date_from, facts, result, timed=True):
    print(
        f"{label} {date_from:%Y-%m}: {facts['received']:,} complaints received, "
        f"{facts['handed']:,} of them handed to the {ORGS} organisations, "
        f"{facts['reported']:,} results reported by the organisations"
    )
    for name in CALLS:
        row = result[name]
        timing = (
            f"best {row['best'] * 1000:7.0f} ms  median {row['median'] * 1000:7.0f} ms"
            if timed
            else f"{row['best'] * 1000:7.0f} ms (timed once)"
        )
        print(f"    {LABELS[name]:20} {timing}  {row['queries']:4} queries")
    cards, statements = result["scorecards"]["outcome"], result["statements"]["outcome"]
    print(
        f"    scorecards: {cards['cards']}, {cards['lines']} KPI lines: "
        f"{cards['met']} met, {cards['missed']} missed, {cards['no_data']} no data"
    )
    print(
        f"    statements: {statements['statements']} ({statements['cards']} "
        f"scorecards): {statements['case']:,.0f} handled cases, "
        f"{statements['agent_month']:,.0f} agent-months; deductions "
        f"{statements['deduction']:,.2f}, total {statements['total']:,.2f}"
    )


def print_reads(registry, log, full=False):
    """The slowest reads of ``log`` with their plans: ``EXPLAIN ANALYZE``
    would run the writes again, on records rolled back."""
    reads, writes = [], []
    for entry in log:
        head = entry[1].lstrip("( \n").split(None, 1)[0].upper()
        (reads if head in ("SELECT", "WITH") else writes).append(entry)
    print(
        f"    writes: {len(writes)} queries, "
        f"{sum(seconds for seconds, _q, _p in writes) * 1000:.0f} ms (not explained); "
        "reads:"
    )
    print_slowest(registry, reads, full=full)


def print_query_diff(months, key, last, other):
    """The statements (their first words) that one month runs and the other
    does not, call by call."""
    for name in CALLS:
        if last[name]["queries"] == other[name]["queries"]:
            continue
        shapes = [
            [" ".join(query.split())[:110] for _s, query, _p in result[name]["log"]]
            for result in (last, other)
        ]
        print(
            f"  {LABELS[name]}: {last[name]['queries']} queries last month, "
            f"{other[name]['queries']} in {months[key][0]:%Y-%m}; the difference:"
        )
        for line in difflib.unified_diff(*shapes, lineterm="", n=0):
            if line[:1] in "+-" and line[:3] not in ("+++", "---"):
                print(f"    {line}")


# ----------------------------------------------------------------------
# Main
# ----------------------------------------------------------------------


def main():
    args = parse()
    started = time.perf_counter()
    registry = load_registry(args.config, args.database)
    date_from, date_to = last_month()
    first_month = month_of(date_from - relativedelta(months=MONTHS - 1))
    empty_month = month_of(first_month[0] - relativedelta(months=1))
    tag = int(time.time())
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        ctx = prepare(env, tag)
        supervisor, agreements, agents = prepare_agreements(
            env, ctx, tag, empty_month[0]
        )
        terms = len(agreements.kpi_term_ids)
        agreement_ids, supervisor_id = agreements.ids, supervisor.id
        per_case = len(agreements.filtered(lambda a: a.fee_basis == "case"))
        cr.commit()
    print(
        f"agreements: {len(agreement_ids)} in force since {empty_month[0]}, "
        f"{terms} KPI terms; {per_case} per handled case at {CASE_FEE:.2f}, "
        f"{len(agreement_ids) - per_case} per agent-month at {AGENT_MONTH_FEE:.2f} "
        f"({len(agents)} partner agents)",
        flush=True,
    )
    complaints, _clocks, generation = generate(registry, ctx, args.total, args.database)
    generate_handoffs(registry, ctx, agreement_ids, args.database)
    generation = time.perf_counter() - started

    months = {
        "last": (date_from, date_to),
        "first": first_month,
        "empty": empty_month,
    }
    results, facts = {}, {}
    for key, (start, stop) in months.items():
        runs = args.runs if key == "last" else 1
        results[key] = measure(
            registry, supervisor_id, make_calls(agreement_ids, start, stop), runs
        )
        facts[key] = month_facts(registry, ctx, start, stop)
    print_month("last month", date_from, facts["last"], results["last"])
    print_month(
        "first month of the data",
        first_month[0],
        facts["first"],
        results["first"],
        timed=False,
    )
    print_month(
        "month before the data",
        empty_month[0],
        facts["empty"],
        results["empty"],
        timed=False,
    )

    last = results["last"]
    time_ok = last["both"]["best"] < TARGET
    queries_ok = all(
        last[name]["queries"] == results["first"][name]["queries"] for name in CALLS
    )
    for key in ("first", "empty"):
        print_query_diff(months, key, last, results[key])
    if not time_ok or args.explain:
        for name in CALLS if args.explain else ("both",):
            print(f"  {LABELS[name]}, last month:")
            print_reads(registry, last[name]["log"], full=args.explain)

    print()
    print(f"summary ({complaints:,} complaints, {ORGS} organisations):")
    print(
        f"    {'':20}{'last month ' + format(date_from, '%Y-%m'):>32}"
        f"{'first ' + format(first_month[0], '%Y-%m'):>14}"
        f"{'empty ' + format(empty_month[0], '%Y-%m'):>14}"
    )
    print(
        f"    {'':20}{'best':>10}{'median':>10}{'queries':>12}"
        f"{'queries':>14}{'queries':>14}"
    )
    print(
        f"    {'complaints received':20}{facts['last']['received']:>32,}"
        f"{facts['first']['received']:>14,}{facts['empty']['received']:>14,}"
    )
    for name in CALLS:
        row = last[name]
        print(
            f"    {LABELS[name]:20}{row['best']:>9.2f}s{row['median']:>9.2f}s"
            f"{row['queries']:>12}{results['first'][name]['queries']:>14}"
            f"{results['empty'][name]['queries']:>14}"
        )
    print(
        f"    (1) + (2) < {TARGET:.0f} s (best of {last['both']['runs']}): "
        f"{'PASS' if time_ok else 'FAIL'}"
    )
    print(
        "    queries equal, last and first month (independent of the number of "
        f"complaints): {'PASS' if queries_ok else 'FAIL'}"
    )
    print(
        f"    generation {generation:.0f} s, whole benchmark "
        f"{time.perf_counter() - started:.0f} s"
    )
    missed = [
        name
        for name, ok in (("time", time_ok), ("queries equal", queries_ok))
        if not ok
    ]
    print("targets:", "met" if not missed else "MISSED (" + ", ".join(missed) + ")")


if __name__ == "__main__":
    main()
