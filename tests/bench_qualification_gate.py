"""Benchmark: the qualification gate of a mass assignment.

A supervisor assigns N complaints of a gated complaint type to a handler
(N = 50 and 500). Prints, for the gate as built (one check per batch) and for
what one would write first (the same check complaint by complaint), the
queries and time of the check alone, from an empty record cache. Run by
``make bench`` on a database of its own.
"""

import random
import statistics
import time

from bench_common import arg_parser, load_registry, make_user, ticket_factories

from odoo import SUPERUSER_ID, api

SIZES = (50, 500)
REPEAT = 5


def prepare(env, tag):
    team = env["helpdesk.ticket.team"].create(
        {"name": f"Gate bench team {tag}", "complaint_process": True}
    )
    supervisor = make_user(
        env,
        "Supervisor (gate bench)",
        f"bench_gate_sup_{tag}",
        ["complaint_handling.complaint_handling_group_supervisor"],
    )
    handler = make_user(
        env,
        "Handler (gate bench)",
        f"bench_gate_handler_{tag}",
        ["helpdesk_mgmt.group_helpdesk_user_team"],
    )
    team.user_ids = [(4, supervisor.id), (4, handler.id)]
    categories = env["helpdesk.ticket.category"].search([("parent_id", "=", False)])
    categories.qualification_required = True
    env["complaint.qualification"].create(
        {
            "user_id": handler.id,
            "category_ids": [(6, 0, categories.ids)],
            "reason": "Benchmark",
        }
    )
    rng = random.Random(tag)
    partners = env["res.partner"].create(
        [{"name": f"Gate bench customer {i}"} for i in range(20)]
    )
    _plain, complaint_vals = ticket_factories(
        rng,
        {
            "partner_ids": partners.ids,
            "category_ids": env["helpdesk.ticket.category"]
            .search([("parent_id", "!=", False)])
            .ids,
            "channel_ids": env["helpdesk.ticket.channel"].search([]).ids,
            "plain_team_id": team.id,
            "complaint_team_id": team.id,
        },
        account_prefix=f"QG{tag % 1000:03d}",
    )
    tickets = (
        env["helpdesk.ticket"]
        .with_context(tracking_disable=True)
        .create([complaint_vals(i) for i in range(max(SIZES))])
    )
    return supervisor, handler, tickets


def measure(registry, supervisor_id, handler_id, ticket_ids, per_record):
    timings, queries = [], []
    for _ in range(REPEAT + 1):
        with registry.cursor() as cr:
            env = api.Environment(cr, supervisor_id, {})
            tickets = env["helpdesk.ticket"].browse(ticket_ids)
            handler = env["res.users"].browse(handler_id)
            env.invalidate_all()
            before = cr.sql_log_count
            start = time.perf_counter()
            if per_record:
                missing = [t for t in tickets if t._complaint_unqualified(handler)]
            else:
                missing = tickets._complaint_unqualified(handler)
            timings.append((time.perf_counter() - start) * 1000)
            queries.append(cr.sql_log_count - before)
            assert not missing
            cr.rollback()
    # The first run fills the caches of the request's constants.
    return statistics.median(timings[1:]), statistics.median_low(queries[1:])


def main():
    args = arg_parser(__doc__).parse_args()
    registry = load_registry(args.config, args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        supervisor, handler, tickets = prepare(env, int(time.time()))
        cr.commit()
        ids = tickets.ids
        sup_id, handler_id = supervisor.id, handler.id
    print(f"qualification gate of a mass assignment, median of {REPEAT}:")
    results = {}
    for size in SIZES:
        batch = measure(registry, sup_id, handler_id, ids[:size], per_record=False)
        single = measure(registry, sup_id, handler_id, ids[:size], per_record=True)
        results[size] = batch
        print(
            f"  {size:>4} complaints: per batch {batch[1]:>3} queries "
            f"{batch[0]:7.1f} ms | one by one {single[1]:>5} queries "
            f"{single[0]:8.1f} ms"
        )
    constant = results[SIZES[0]][1] == results[SIZES[-1]][1]
    print(f"queries independent of the batch size: {'met' if constant else 'MISSED'}")


if __name__ == "__main__":
    main()
