"""Benchmark: the complaint list with masking and record rules.

Opens the complaint list (the action's list view, 80 rows, through
``web_search_read`` as the web client does) as a handler without the personal
data right (masked values, team and confidentiality rules) and as a complaint
manager (full values). Prints the queries and time of each, after a warm-up,
and whether the handler needs no more queries than the manager plus a constant.
Run by ``make bench`` on a database of its own.
"""

import random
import statistics
import time

from bench_common import arg_parser, load_registry, make_user, ticket_factories

from odoo import SUPERUSER_ID, api

COMPLAINTS = 400
ROWS = 80
REPEAT = 20
# The handler's record rules read the user's teams, commercial partner and
# groups once per request: a constant.
EXTRA_QUERIES = 5


def parse():
    return arg_parser(__doc__).parse_args()


def prepare(env, tag):
    # A team of its own: both users list the same complaints, whatever else the
    # database holds.
    team = env["helpdesk.ticket.team"].create(
        {"name": f"List bench team {tag}", "complaint_process": True}
    )
    handler = make_user(
        env,
        "Masked handler (bench)",
        f"bench_masked_{tag}",
        ["helpdesk_mgmt.group_helpdesk_user_team"],
    )
    manager = make_user(
        env,
        "Complaint manager (bench)",
        f"bench_manager_{tag}",
        ["complaint_handling.complaint_handling_group_manager"],
    )
    team.user_ids = [(4, handler.id)]
    rng = random.Random(tag)
    partners = env["res.partner"].create(
        [{"name": f"List bench customer {i}"} for i in range(50)]
    )
    _plain, complaint_vals = ticket_factories(
        rng,
        {
            "partner_ids": partners.ids,
            "category_ids": env["helpdesk.ticket.category"].search([]).ids,
            "channel_ids": env["helpdesk.ticket.channel"].search([]).ids,
            "plain_team_id": team.id,
            "complaint_team_id": team.id,
        },
        account_prefix=f"LB{tag % 1000:03d}",
    )
    env["helpdesk.ticket"].with_context(tracking_disable=True).create(
        [complaint_vals(i) for i in range(COMPLAINTS)]
    )
    return handler, manager, team


def list_spec(env, masked=True):
    """The fields of the complaint list, as the web client asks for them, with
    the customer's phone and service number: their masked twins for a user
    without the personal data right (the stored values are refused to him),
    the stored values for the manager."""
    Ticket = env["helpdesk.ticket"]
    suffix = "_masked" if masked else ""
    names = [
        "number",
        "name",
        "kind",
        "received_date",
        "severity",
        "priority",
        f"contact_phone{suffix}",
        f"service_number{suffix}",
        "partner_org_id",
        "sla_state",
        "sla_deadline",
    ]
    spec = {name: {} for name in names if name in Ticket._fields}
    for name in ("partner_id", "team_id", "user_id", "stage_id", "category_id"):
        spec[name] = {"fields": {"display_name": {}}}
    return spec


def measure(registry, user_id, spec, team_id, rows=ROWS):
    timings, queries = [], []
    for i in range(REPEAT + 3):
        with registry.cursor() as cr:
            env = api.Environment(cr, user_id, {})
            before = cr.sql_log_count
            start = time.perf_counter()
            result = env["helpdesk.ticket"].web_search_read(
                [("kind", "=", "complaint"), ("team_id", "=", team_id)],
                spec,
                limit=rows,
            )
            elapsed = time.perf_counter() - start
            count = cr.sql_log_count - before
            cr.rollback()
        if i >= 3:
            timings.append(elapsed * 1000)
            queries.append(count)
    # The usual count (a run may add a one-off query: a cache refilled).
    return statistics.median(timings), statistics.median_low(queries), result


def main():
    args = parse()
    registry = load_registry(args.config, args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        handler, manager, team = prepare(env, int(time.time()))
        h_spec, m_spec = list_spec(env), list_spec(env, masked=False)
        cr.commit()
        handler_id, manager_id, team_id = handler.id, manager.id, team.id
    h_ms, h_q, h_rows = measure(registry, handler_id, h_spec, team_id)
    m_ms, m_q, m_rows = measure(registry, manager_id, m_spec, team_id)
    h20 = measure(registry, handler_id, h_spec, team_id, rows=20)[1]
    m20 = measure(registry, manager_id, m_spec, team_id, rows=20)[1]
    masked = all("*" in (r["contact_phone_masked"] or "*") for r in h_rows["records"])
    full = all("*" not in (r["contact_phone"] or "") for r in m_rows["records"])
    print(f"list of {ROWS} complaints ({len(h_spec)} fields), median of {REPEAT}:")
    print(f"  masked handler : {h_q} queries, {h_ms:.1f} ms, values masked: {masked}")
    print(f"  manager        : {m_q} queries, {m_ms:.1f} ms, values full: {full}")
    print(f"  20 rows instead of {ROWS}: handler {h20} queries, manager {m20}")
    # No query per row: 80 rows take no more queries than 20.
    ok = h_q <= m_q + EXTRA_QUERIES and h_q <= h20 and m_q <= m20 and masked and full
    print(
        f"handler queries <= manager's + {EXTRA_QUERIES}: {'met' if ok else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
