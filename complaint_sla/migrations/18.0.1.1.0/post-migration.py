# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import SUPERUSER_ID, api

BATCH = 2000


def migrate(cr, version):
    """The clocks met before this version get what they took (clock and
    working time): in batches in time order, so that each batch fetches the
    working intervals of a short period, once per calendar."""
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    Line = env["complaint.sla.line"]
    ids = Line.search(
        [
            ("status", "in", ("met", "met_late")),
            ("start_date", "!=", False),
            ("met_date", "!=", False),
        ],
        order="met_date, id",
    ).ids
    for index in range(0, len(ids), BATCH):
        Line.browse(ids[index : index + BATCH])._sla_store_elapsed()
        env.flush_all()
        env.invalidate_all()
