# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, tagged

from odoo.addons.complaint_handling.tests.common import ComplaintPartnerCommon


@tagged("post_install", "-at_install")
class TestSlaPortal(HttpCase, ComplaintPartnerCommon):
    """The portal tells customers and agents the dates the clocks set."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["complaint.sla.policy"].search([]).active = False
        cls.policy = cls.env["complaint.sla.policy"].create(
            {
                "name": "Portal policy",
                "kind": "complaint",
                "milestone_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Contact in 24 h",
                            "target": 24,
                            "unit": "hours",
                            "start_event": "received",
                            "fulfil_event": "first_contact",
                        },
                    ),
                    (
                        0,
                        0,
                        {
                            "name": "Answer in 15 days",
                            "target": 15,
                            "unit": "days",
                            "start_event": "received",
                            "fulfil_event": "result_reported",
                        },
                    ),
                ],
            }
        )

    def test_customer_told_when_we_contact_and_answer(self):
        ticket = self._create_complaint(partner_id=self.portal_customer.partner_id.id)
        due = ticket._sla_customer_deadlines()
        self.assertEqual(set(due), {"first_contact", "result_reported"})
        self.authenticate("cp_customer", "cp_customer")
        page = self.url_open(f"/my/complaints/{ticket.id}?done=submitted").text
        self.assertIn("o_complaint_submitted", page)
        self.assertIn("We will contact you by", page)
        self.assertIn("You will have our answer by", page)

    def test_agents_list_shows_when_each_case_is_due(self):
        ticket = self._handed_complaint(acknowledged=False)
        self.assertTrue(ticket.sla_deadline)
        self.authenticate("cp_agent", "cp_agent")
        page = self.url_open("/my/complaints?filterby=all").text
        self.assertIn("o_complaint_deadline", page)
        self.assertIn("in 1 day", page)
