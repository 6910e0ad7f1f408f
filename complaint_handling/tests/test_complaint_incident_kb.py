# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import ComplaintCommon


@tagged("post_install", "-at_install")
class TestComplaintIncidentKb(ComplaintCommon):
    def test_incident_answers_linked_complaints_together(self):
        incident = (
            self.env["complaint.incident"]
            .with_user(self.supervisor)
            .create(
                {
                    "name": "Base station outage",
                    "area": "Tianhe district",
                    "start_date": "2026-11-20 08:00:00",
                    "cause": "Fibre cut by road works",
                }
            )
        )
        tickets = self.env["helpdesk.ticket"].create(
            [
                self._complaint_vals(
                    category_id=self.category_signal.id,
                    incident_id=incident.id,
                    service_number=f"1999999{i:04d}",
                    partner_id=False,
                )
                for i in range(3)
            ]
        )
        waiting = tickets[:2]
        waiting.action_complaint_accept()
        self.assertEqual(incident.ticket_count, 3)
        with self.assertRaisesRegex(UserError, "resolved"):
            incident.action_reply_all()
        incident.write({"state": "resolved", "end_date": "2026-11-20 14:00:00"})
        with self.assertRaisesRegex(UserError, "standard reply"):
            incident.action_reply_all()
        incident.standard_reply = "<p>Service was restored on 20 Nov at 14:00.</p>"
        incident.action_reply_all()
        self.assertEqual(set(waiting.mapped("complaint_state")), {"result_reported"})
        self.assertEqual(tickets[2].complaint_state, "received", "not accepted yet")
        self.assertEqual(
            waiting.feedback_ids.mapped("conclusion"),
            ["Service was restored on 20 Nov at 14:00."] * 2,
        )
        self.assertEqual(set(waiting.feedback_ids.mapped("channel")), {"sms"})
        with self.assertRaisesRegex(ValidationError, "end before"):
            incident.end_date = "2026-11-19 08:00:00"

    def test_knowledge_articles_by_type_and_from_resolved_complaint(self):
        articles = self.env["complaint.kb.article"].with_user(self.handler)
        billing_root = self.category_billing.parent_id
        general = articles.create(
            {
                "name": "How to check a disputed bill",
                "article_type": "method",
                "category_ids": [(6, 0, billing_root.ids)],
                "state": "published",
            }
        )
        articles.create(
            {
                "name": "Draft note",
                "category_ids": [(6, 0, self.category_billing.ids)],
            }
        )
        signal = articles.create(
            {
                "name": "Indoor coverage",
                "article_type": "technical",
                "category_ids": [(6, 0, self.category_signal.ids)],
                "state": "published",
            }
        )
        ticket = self._create_complaint(user=self.handler)
        self.assertIn(general, ticket.kb_article_ids, "parent type, published")
        self.assertNotIn(signal, ticket.kb_article_ids, "other type")
        self.assertFalse(ticket.kb_article_ids.filtered(lambda a: a.state == "draft"))
        action = ticket.action_view_kb_articles()
        self.assertEqual(action["domain"], [("id", "in", ticket.kb_article_ids.ids)])
        with self.assertRaisesRegex(UserError, "resolved complaint"):
            ticket.with_user(self.handler).action_create_kb_article()
        ticket.name = "Charged <b>twice</b>"
        self._drive_to(ticket, "closed")
        action = ticket.with_user(self.handler).action_create_kb_article()
        article = self.env["complaint.kb.article"].browse(action["res_id"])
        self.assertEqual(article.state, "draft")
        self.assertEqual(article.source_ticket_id, ticket)
        self.assertEqual(article.category_ids, self.category_billing)
        self.assertIn("Refund the duplicated plan fee.", article.body)
        self.assertIn("&lt;b&gt;twice", article.body, "free text is escaped")
