# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .common import ComplaintCommon


@tagged("post_install", "-at_install")
class TestComplaintPerformance(ComplaintCommon):
    def _batch(self, size, offset=0):
        partners = self.env["res.partner"].create(
            [{"name": f"Customer {offset + i}"} for i in range(size)]
        )
        return [
            self._complaint_vals(
                partner_id=partner.id,
                partner_name=partner.name,
                service_number=f"1380000{offset + i:04d}",
            )
            for i, partner in enumerate(partners)
        ]

    def test_batch_create_queries_do_not_grow_with_batch_size(self):
        """Creating complaints in a batch (the transfer integration) costs a
        constant number of queries plus a constant number per record: the
        repeat detection is one search for the whole batch."""
        model = self.env["helpdesk.ticket"].with_user(self.handler)
        model.create(self._batch(2, offset=900))  # warm caches
        self.env.invalidate_all()
        vals_10 = self._batch(10, offset=0)
        vals_20 = self._batch(20, offset=100)
        self.env.invalidate_all()
        start = self.cr.sql_log_count
        model.create(vals_10)
        per_10 = self.cr.sql_log_count - start
        self.env.invalidate_all()
        start = self.cr.sql_log_count
        model.create(vals_20)
        per_20 = self.cr.sql_log_count - start
        per_record = (per_20 - per_10) / 10
        # What is left per complaint is helpdesk_mgmt's creation message
        # (mail's message_post: followers, subtypes, reply-to, insert,
        # recipients); numbers, stages and repeat links are drawn per batch.
        self.assertLessEqual(per_record, 7, f"{per_10=} {per_20=}")

    def test_accept_query_count(self):
        ticket = self._create_complaint()
        self.env.invalidate_all()
        # 20 queries alone (one reads the personal values the acceptance
        # needs, as superuser: the handler's prefetch leaves them out);
        # complaint_sla, when installed, adds its clocks (8) and the record of
        # the event (1).
        with self.assertQueryCount(29):
            ticket.with_user(self.handler).action_complaint_accept()
