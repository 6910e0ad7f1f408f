"""Benchmark: complaints created in batches through the ORM, as the carrier's
transfer integration does, against plain helpdesk_mgmt tickets in the same run.

Prints the creation rate and the queries per record of both, and whether the
targets hold (complaints >= 70 % of the plain rate, <= 1.5x its queries per
record). Run by ``make bench`` on a database of its own.
"""

import random

from bench_common import (
    alternate,
    load_registry,
    make_user,
    parse_args,
    ticket_factories,
)

from odoo import SUPERUSER_ID, api

TOTAL = 10_000
BATCH = 500


def prepare(env):
    integration = make_user(
        env,
        "Transfer integration",
        "bench_integration",
        ["helpdesk_mgmt.group_helpdesk_user"],
    )
    plain_team = env["helpdesk.ticket.team"].create(
        {"name": "Plain helpdesk", "user_ids": [(4, integration.id)]}
    )
    complaint_team = env.ref("complaint_handling.helpdesk_ticket_team_complaint")
    complaint_team.user_ids = [(4, integration.id)]
    partners = env["res.partner"].create(
        [{"name": f"Customer {i}", "phone": f"139{i:08d}"} for i in range(2000)]
    )
    categories = env["helpdesk.ticket.category"].search(
        [("parent_id", "!=", False), ("child_id", "=", False)]
    )
    channels = env["helpdesk.ticket.channel"].search([])
    return integration, plain_team, complaint_team, partners, categories, channels


def main():
    args = parse_args(__doc__, TOTAL, BATCH)
    registry = load_registry(args.config, args.database)
    rng = random.Random(42)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        integration, plain_team, complaint_team, partners, categories, channels = (
            prepare(env)
        )
        ids = [p.id for p in partners]
        cat_ids, channel_ids = categories.ids, channels.ids
        cr.commit()

    plain_vals, complaint_vals = ticket_factories(
        rng,
        {
            "partner_ids": ids,
            "category_ids": cat_ids,
            "channel_ids": channel_ids,
            "plain_team_id": plain_team.id,
            "complaint_team_id": complaint_team.id,
        },
    )

    # Alternating batch by batch: both kinds see the same database size and
    # cache state.
    stats = alternate(
        registry,
        integration.id,
        {"plain": plain_vals, "complaint": complaint_vals},
        args.total,
        args.batch,
    )

    print(f"{'':12}{'records':>9}{'seconds':>9}{'rec/s':>9}{'queries/rec':>13}")
    figures = {}
    for kind, (elapsed, queries, count) in stats.items():
        rate, per_record = count / elapsed, queries / count
        figures[kind] = (rate, per_record)
        print(f"{kind:12}{count:>9}{elapsed:>9.1f}{rate:>9.0f}{per_record:>13.2f}")
    rate_ratio = figures["complaint"][0] / figures["plain"][0]
    query_ratio = figures["complaint"][1] / figures["plain"][1]
    print(
        f"complaints: {rate_ratio:.0%} of the plain rate (target >= 70%), "
        f"{query_ratio:.2f}x its queries per record (target <= 1.5x)"
    )
    print("targets:", "met" if rate_ratio >= 0.7 and query_ratio <= 1.5 else "MISSED")


if __name__ == "__main__":
    main()
