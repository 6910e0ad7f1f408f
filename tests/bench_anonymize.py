"""Benchmark: the retention job anonymising complaints past their retention
period, batch by batch, each batch committed as the scheduler does.

Creates closed complaints through the ORM (each with its own customer, a handling
log, two chatter messages and an attachment; created without tracking, so the
job's tracking-value update finds none to empty), dates their
closing three years back, then runs ``_cron_anonymize_expired`` until nothing is
left. Prints the rate (target: at least 5,000 complaints a minute) and checks
that every complaint was anonymised. Run by ``make bench`` on a database of its
own.
"""

import random
import time

from bench_common import load_registry, parse_args, ticket_factories

from odoo import SUPERUSER_ID, api

TOTAL = 6_000
BATCH = 500
TARGET_PER_MINUTE = 5_000


def create_closed(env, total, batch, tag):
    """``total`` closed complaints of the benchmark; returns their ids."""
    rng = random.Random(tag)
    team = env.ref("complaint_handling.helpdesk_ticket_team_complaint")
    categories = env["helpdesk.ticket.category"].search([("parent_id", "!=", False)])
    channels = env["helpdesk.ticket.channel"].search([])
    closed_stage = env.ref("complaint_handling.helpdesk_ticket_stage_complaint_closed")
    ids = []
    Ticket = env["helpdesk.ticket"].with_context(
        tracking_disable=True, mail_create_nolog=True, mail_notrack=True
    )
    for start in range(0, total, batch):
        size = min(batch, total - start)
        partners = env["res.partner"].create(
            [{"name": f"Anon bench customer {tag}-{start + i}"} for i in range(size)]
        )
        _plain, complaint_vals = ticket_factories(
            rng,
            {
                "partner_ids": partners.ids,
                "category_ids": categories.ids,
                "channel_ids": channels.ids,
                "plain_team_id": team.id,
                "complaint_team_id": team.id,
            },
            account_prefix=f"AN{tag % 1000:03d}",
        )
        vals_list = []
        for i, partner in enumerate(partners):
            vals = complaint_vals(start + i)
            vals.update(partner_id=partner.id, partner_name=partner.name)
            vals_list.append(vals)
        tickets = Ticket.create(vals_list)
        env["complaint.handling.log"].create(
            [
                {
                    "ticket_id": t.id,
                    "log_type": "contact",
                    "contact_result": "reached",
                    "description": f"Called {t.contact_phone}, explained the bill.",
                }
                for t in tickets
            ]
        )
        for text in ("Customer called back about %s.", "Reply sent to %s."):
            tickets._message_log_batch(
                bodies={t.id: text % t.contact_phone for t in tickets}
            )
        env["ir.attachment"].create(
            [
                {
                    "name": "bill.pdf",
                    "raw": b"%PDF bill " + (t.account_number or "").encode(),
                    "res_model": "helpdesk.ticket",
                    "res_id": t.id,
                }
                for t in tickets
            ]
        )
        env.flush_all()
        # Closed three years ago: moved with SQL, the process is not measured.
        env.cr.execute(
            "UPDATE helpdesk_ticket SET stage_id = %s, complaint_state = 'closed', "
            "closed_date = now() at time zone 'utc' - interval '3 years', "
            "retention_until = (now() - interval '1 year')::date "
            "WHERE id = ANY(%s)",
            [closed_stage.id, tickets.ids],
        )
        env.cr.commit()
        env.invalidate_all()
        ids += tickets.ids
    return ids


def main():
    args = parse_args(__doc__, TOTAL, BATCH)
    registry = load_registry(args.config, args.database)
    tag = int(time.time())
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        start = time.perf_counter()
        ids = create_closed(env, args.total, args.batch, tag)
        print(
            f"data: {len(ids)} closed complaints past retention, each with its own "
            f"customer, a handling log, 2 messages and an attachment, created in "
            f"{time.perf_counter() - start:.0f} s"
        )
    batches, done = 0, 0
    start = time.perf_counter()
    queries = 0
    while True:
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            before = cr.sql_log_count
            tickets = env["helpdesk.ticket"]._cron_anonymize_expired(batch=args.batch)
            env.flush_all()
            queries += cr.sql_log_count - before
            cr.commit()
        if not tickets:
            break
        batches += 1
        done += len(tickets)
    elapsed = time.perf_counter() - start
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        tickets = env["helpdesk.ticket"].browse(ids)
        left = tickets.filtered(lambda t: not t.anonymized_date or t.contact_phone)
        attachments = env["ir.attachment"].search_count(
            [("res_model", "=", "helpdesk.ticket"), ("res_id", "in", ids)]
        )
    rate = done / elapsed * 60 if elapsed else 0
    print(
        f"job: {done} complaints anonymised in {batches} batches of {args.batch}, "
        f"{elapsed:.1f} s, {queries} queries ({queries / max(batches, 1):.0f} a batch)"
    )
    print(
        f"rate: {rate:,.0f} complaints a minute (target >= {TARGET_PER_MINUTE:,}); "
        f"not anonymised: {len(left)}; attachments left: {attachments}"
    )
    ok = rate >= TARGET_PER_MINUTE and not left and not attachments
    print("targets:", "met" if ok else "MISSED")


if __name__ == "__main__":
    main()
