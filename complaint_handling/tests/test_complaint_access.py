# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ComplaintCommon


@tagged("post_install", "-at_install")
class TestComplaintAccess(ComplaintCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # One complaint on each team, both in handling with a log, a remedy,
        # a feedback.
        cls.mine = cls._create_complaint()
        cls.theirs = cls._create_complaint(
            team_id=cls.other_team.id, service_number="19999990077", partner_id=False
        )
        for ticket in cls.mine | cls.theirs:
            ticket.action_complaint_accept()
            ticket.action_complaint_start()
            cls.env["complaint.handling.log"].create(
                {
                    "ticket_id": ticket.id,
                    "log_type": "contact",
                    "contact_result": "reached",
                    "description": "Called.",
                }
            )
            cls.env["complaint.remedy"].create(
                {
                    "ticket_id": ticket.id,
                    "remedy_type": "fee_waiver",
                    "amount": 10,
                    "description": "Waive.",
                }
            )
            cls.env["complaint.feedback"].create(
                {"ticket_id": ticket.id, "conclusion": "Answered."}
            )

    def test_team_handler_sees_only_team_complaints_and_their_records(self):
        env = self.env(user=self.handler)
        self.assertEqual(
            env["helpdesk.ticket"].search([("kind", "=", "complaint")])
            & (self.mine | self.theirs),
            self.mine,
        )
        for model in (
            "complaint.handling.log",
            "complaint.remedy",
            "complaint.feedback",
        ):
            with self.subTest(model=model):
                records = env[model].search([])
                self.assertEqual(
                    records.ticket_id & (self.mine | self.theirs), self.mine
                )
                theirs = env[model].browse(
                    self.env[model].search([("ticket_id", "=", self.theirs.id)]).ids
                )
                with self.assertRaises(AccessError):
                    theirs.read(["ticket_id"])
        counts = env["complaint.remedy"]._read_group(
            [("ticket_id", "in", (self.mine | self.theirs).ids)], [], ["__count"]
        )
        self.assertEqual(counts[0][0], 1)

    def test_handler_cannot_log_or_remedy_on_other_team_complaint(self):
        with self.assertRaises(AccessError):
            self.env["complaint.handling.log"].with_user(self.handler).create(
                {
                    "ticket_id": self.theirs.id,
                    "log_type": "note",
                    "description": "Sneaky.",
                }
            )
        self.assertEqual(len(self.theirs.handling_log_ids), 1)

    def test_supervisor_sees_all(self):
        env = self.env(user=self.supervisor)
        remedies = env["complaint.remedy"].search(
            [("ticket_id", "in", (self.mine | self.theirs).ids)]
        )
        self.assertEqual(len(remedies), 2)

    def test_follower_internal_user_reads_but_cannot_write_process_records(self):
        self.mine.message_subscribe(partner_ids=self.tech.partner_id.ids)
        env = self.env(user=self.tech)
        self.assertEqual(
            env["helpdesk.ticket"].browse(self.mine.id).number, self.mine.number
        )
        remedy = env["complaint.remedy"].search([("ticket_id", "=", self.mine.id)])
        self.assertEqual(len(remedy), 1)
        with self.assertRaises(AccessError):
            remedy.action_submit()
        with self.assertRaises(AccessError):
            env["complaint.feedback"].create(
                {"ticket_id": self.mine.id, "conclusion": "Not my job."}
            )
        with self.assertRaises(AccessError):
            env["helpdesk.ticket"].browse(self.theirs.id).read(["name"])

    def test_configuration_is_for_managers(self):
        limit = self.env.ref("complaint_handling.complaint_authorization_limit_handler")
        with self.assertRaises(AccessError):
            limit.with_user(self.supervisor).amount = 10000
        limit.with_user(self.manager).amount = 80
        self.assertEqual(limit.amount, 80)
        reason = self.env.ref("complaint_handling.complaint_refuse_reason_time_barred")
        with self.assertRaises(AccessError):
            reason.with_user(self.handler).name = "Whatever"
