"""What the benchmark scripts share: their command line, and the values of the
tickets and complaints they create, as the carrier's transfer integration sends
them."""

import argparse


def parse_args(description, total, batch):
    """--config, --database, --total and --batch."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--total", type=int, default=total)
    parser.add_argument("--batch", type=int, default=batch)
    return parser.parse_args()


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
