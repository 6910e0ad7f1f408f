# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import random
from collections import Counter

from freezegun import freeze_time

from odoo.tests import tagged

from .common import TrainingCommon


@tagged("post_install", "-at_install")
class TestTrainingSampling(TrainingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sampling_team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Sampled desk",
                "complaint_process": True,
                "user_ids": [(4, cls.handler.id), (4, cls.qa.id)],
            }
        )
        with freeze_time("2026-11-10 10:00:00"):
            # 12 billing and 6 signal complaints closed by the handler; one
            # of the signal ones with an unsatisfied customer.
            cls.billing = cls.env["helpdesk.ticket"]
            cls.signal = cls.env["helpdesk.ticket"]
            for i in range(18):
                category = cls.category_billing if i < 12 else cls.category_signal
                ticket = cls._create_complaint(
                    team_id=cls.sampling_team.id,
                    category_id=category.id,
                    service_number=f"1370000{i:04d}",
                    partner_id=False,
                    user_id=cls.handler.id,
                )
                cls._drive(ticket, "closed")
                if i < 12:
                    cls.billing |= ticket
                else:
                    cls.signal |= ticket
        cls.unsatisfied = cls.signal[0]
        # (As the customer rated it later: the process writes it.)
        cls.unsatisfied.callback_ids[:1]._complaint_write({"satisfaction": "1"})

    def _plan(self, **values):
        vals = {
            "name": "November",
            "date_from": "2026-11-01",
            "date_to": "2026-11-30",
            "team_ids": [(4, self.sampling_team.id)],
            "scorecard_id": self.scorecard.id,
            "reviewer_id": self.qa.id,
            "sample_count": 6,
            "seed": 20261130,
        }
        vals.update(values)
        return self.env["complaint.qa.plan"].with_user(self.qa).create(vals)

    def test_sample_is_stratified_and_reproducible(self):
        plan = self._plan()
        plan.action_draw()
        reviews = plan.review_ids
        self.assertEqual(set(reviews.reviewed_user_id), {self.handler})
        sampled = reviews.ticket_id - self.unsatisfied
        by_type = Counter(ticket.category_id.id for ticket in sampled)
        # 6 among 12 billing and 6 signal: one per type first, then the 4 left
        # in proportion to what each has left (11 : 5 -> 2.75 : 1.25), largest
        # remainders: 3 + 1 more, so 4 billing and 2 signal.
        # (The unsatisfied complaint may also be drawn: then it counts once.)
        self.assertEqual(by_type[self.category_billing.id], 4)
        self.assertIn(by_type[self.category_signal.id], (1, 2))
        self.assertIn(self.unsatisfied, reviews.ticket_id, "every unsatisfied one")
        self.assertIn(len(reviews), (6, 7))
        # The same seed draws the same sample; another seed another one.
        again = self._plan(name="November again")._complaint_draw()
        self.assertEqual(again[self.handler.sudo()], reviews.ticket_id.sudo())
        other = self._plan(name="Other seed", seed=7)._complaint_draw()
        self.assertNotEqual(other[self.handler.sudo()], reviews.ticket_id.sudo())

    def test_share_of_the_complaints(self):
        plan = self._plan(
            sample_mode="share", sample_share=50, include_unsatisfied=False
        )
        sample = plan._complaint_draw()[self.handler.sudo()]
        self.assertEqual(len(sample), 9)
        self.assertEqual(
            Counter(ticket.category_id.id for ticket in sample),
            {self.category_billing.id: 6, self.category_signal.id: 3},
        )

    def test_stratified_allotment(self):
        Plan = self.env["complaint.qa.plan"]
        cases = self.billing[:3] | self.signal[:1]
        for size, expected in ((1, 1), (2, 2), (4, 4), (3, 3)):
            chosen = Plan._complaint_stratified(cases, size, random.Random(1))
            self.assertEqual(len(chosen), expected, size)
        chosen = Plan._complaint_stratified(cases, 2, random.Random(1))
        self.assertEqual(
            chosen.mapped("category_id"),
            self.category_billing | self.category_signal,
            "room for both types: one of each",
        )
