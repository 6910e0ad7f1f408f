# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form

from .common import ComplaintCommon


class TestComplaintPrivacy(ComplaintCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ticket = cls._create_complaint(user=cls.handler)
        cls.Log = cls.env["complaint.personal.access.log"]
        export = cls.env.ref("base.group_allow_export")
        (cls.handler + cls.manager).groups_id = [(4, export.id)]

    def test_masked_reads_for_handlers(self):
        fields = ["contact_phone", "service_number", "account_number", "id_number"]
        (masked,) = self.ticket.with_user(self.handler).read(fields)
        self.assertEqual(masked["contact_phone"], "+86199****0001")
        self.assertEqual(masked["service_number"], "199****0001")
        self.assertEqual(masked["account_number"], "GD******0001")
        self.assertEqual(masked["id_number"], "110***********002X")
        (web,) = self.ticket.with_user(self.handler).web_read(
            {name: {} for name in fields}
        )
        self.assertEqual(web["contact_phone"], "+86199****0001")
        (full,) = self.ticket.with_user(self.manager).read(fields)
        self.assertEqual(full["contact_phone"], "+8619999990001")
        self.assertEqual(full["id_number"], "11010519491231002X")
        self.assertFalse(self.ticket.with_user(self.handler).personal_data_visible)
        self.assertTrue(self.ticket.with_user(self.manager).personal_data_visible)

    def test_form_save_keeps_the_real_values(self):
        with Form(
            self.ticket.with_user(self.handler),
            view="complaint_handling.helpdesk_ticket_complaint_view_form",
        ) as form:
            self.assertEqual(form.contact_phone, "+86199****0001")
            form.customer_demand = "Refund, and an apology"
        self.assertEqual(self.ticket.contact_phone, "+8619999990001")
        self.assertEqual(self.ticket.id_number, "11010519491231002X")
        self.assertEqual(self.ticket.customer_demand, "Refund, and an apology")

    def test_exports(self):
        as_handler = self.ticket.with_user(self.handler)
        data = as_handler.export_data(["number", "contact_phone", "id_number"])["datas"]
        self.assertEqual(data[0][1:], ["+86199****0001", "110***********002X"])
        self.assertFalse(self.Log.sudo().search([("ticket_id", "=", self.ticket.id)]))
        # Through another model's export as well.
        log = self.env["complaint.handling.log"].create(
            {"ticket_id": self.ticket.id, "log_type": "note", "description": "x"}
        )
        data = log.with_user(self.handler).export_data(["ticket_id/contact_phone"])
        self.assertEqual(data["datas"][0][0], "+86199****0001")
        # With the right, the export is full and logged.
        data = self.ticket.with_user(self.manager).export_data(
            ["number", "contact_phone"]
        )["datas"]
        self.assertEqual(data[0][1], "+8619999990001")
        entry = self.Log.sudo().search([("ticket_id", "=", self.ticket.id)])
        self.assertEqual(
            (entry.operation, entry.user_id, entry.ticket_number),
            ("export", self.manager, self.ticket.number),
        )

    def test_grouping_by_personal_data_needs_the_right(self):
        Ticket = self.env["helpdesk.ticket"]
        with self.assertRaises(AccessError):
            Ticket.with_user(self.handler).read_group(
                [], ["contact_phone"], ["contact_phone"]
            )
        groups = Ticket.with_user(self.manager).read_group(
            [("id", "=", self.ticket.id)], ["contact_phone"], ["contact_phone"]
        )
        self.assertEqual(groups[0]["contact_phone"], "+8619999990001")
        # Counting by other fields stays open.
        self.assertTrue(
            Ticket.with_user(self.handler).read_group([], ["kind"], ["kind"])
        )

    def test_reveal_is_logged_and_the_log_is_frozen(self):
        action = (
            self.ticket.with_user(self.handler)
            .with_context(reveal_field="id_number")
            .action_complaint_reveal()
        )
        self.assertEqual(action["params"]["message"], "11010519491231002X")
        entry = self.Log.sudo().search([("ticket_id", "=", self.ticket.id)])
        self.assertEqual(
            (entry.operation, entry.user_id, entry.field_names),
            ("reveal", self.handler, "ID Document Number"),
        )
        with self.assertRaisesRegex(UserError, "Nothing to reveal"):
            self.ticket.with_user(self.handler).with_context(
                reveal_field="description"
            ).action_complaint_reveal()
        # Nobody edits or deletes the log, nor writes it by hand.
        for user in (self.manager, self.env.ref("base.user_admin")):
            with self.assertRaises(UserError):
                entry.with_user(user).write({"ip_address": "1.2.3.4"})
            with self.assertRaises(UserError):
                entry.with_user(user).unlink()
        with self.assertRaises(UserError):
            self.Log.with_user(self.manager).create(
                {
                    "date": "2026-01-01",
                    "user_id": self.manager.id,
                    "operation": "reveal",
                }
            )
        # The handler cannot read the log; the manager (auditor) can.
        with self.assertRaises(AccessError):
            self.Log.with_user(self.handler).search([])
        self.assertEqual(self.Log.with_user(self.manager).search([]), entry)

    def test_reveal_needs_access_to_the_complaint(self):
        with self.assertRaises(AccessError):
            self.ticket.with_user(self.other_handler).with_context(
                reveal_field="contact_phone"
            ).action_complaint_reveal()
        self.assertFalse(self.Log.sudo().search([("ticket_id", "=", self.ticket.id)]))

    def test_no_full_value_in_tracking(self):
        # Changes of records created in the same transaction are not tracked:
        # end the creation's transaction work first.
        self.env.flush_all()
        self.cr.precommit.run()
        self.ticket.with_user(self.handler).with_context(
            tracking_disable=False, mail_notrack=False
        ).write(
            {
                "contact_phone": "13911112222",
                "id_number": "440106198503151233",
                "severity": "major",
            }
        )
        self.env.flush_all()
        self.cr.precommit.run()
        tracked = (
            self.env["mail.tracking.value"]
            .sudo()
            .search(
                [
                    ("mail_message_id.model", "=", "helpdesk.ticket"),
                    ("mail_message_id.res_id", "=", self.ticket.id),
                ]
            )
        )
        self.assertIn("severity", tracked.field_id.mapped("name"), "tracking is on")
        values = " ".join(
            str(v)
            for name in (
                "old_value_char",
                "new_value_char",
                "old_value_text",
                "new_value_text",
            )
            for v in tracked.mapped(name)
        )
        self.assertNotIn("13911112222", values)
        self.assertNotIn("440106198503151233", values)

    # Printed complaint record --------------------------------------------

    def _print(self, user, tickets=None):
        html, _kind = (
            self.env["ir.actions.report"]
            .with_user(user)
            ._render_qweb_html(
                "complaint_handling.report_complaint_record",
                (tickets or self.ticket).ids,
            )
        )
        return html.decode()

    def test_printed_record_masks_and_logs(self):
        self.ticket.customer_demand = "Refund <script>alert('x')</script>"
        html = self._print(self.handler)
        self.assertIn(self.ticket.number, html)
        self.assertIn("199****0001", html)
        self.assertIn("110***********002X", html)
        self.assertNotIn("19999990001", html)
        self.assertNotIn("11010519491231002X", html)
        self.assertNotIn("<script>alert", html)
        self.assertIn("&lt;script&gt;", html)
        self.assertFalse(self.Log.sudo().search([("ticket_id", "=", self.ticket.id)]))
        html = self._print(self.manager)
        self.assertIn("11010519491231002X", html)
        entry = self.Log.sudo().search([("ticket_id", "=", self.ticket.id)])
        self.assertEqual((entry.operation, entry.user_id), ("print", self.manager))
        with self.assertRaises(AccessError):
            self._print(self.other_handler)

    def test_address_is_personal_data(self):
        self.ticket.contact_address = "广州市天河区天河路5号301室"
        (values,) = self.ticket.with_user(self.handler).read(["contact_address"])
        self.assertEqual(values["contact_address"], "广州市天河区" + "*" * 9)
        (values,) = self.ticket.with_user(self.manager).read(["contact_address"])
        self.assertEqual(values["contact_address"], "广州市天河区天河路5号301室")

    def test_reply_template_carries_no_personal_numbers(self):
        template = self.env.ref("complaint_handling.mail_template_complaint_reply")
        body = template._render_field("body_html", self.ticket.ids)[self.ticket.id]
        for value in (
            self.ticket.contact_phone,
            self.ticket.service_number,
            self.ticket.account_number,
            self.ticket.id_number,
        ):
            self.assertNotIn(value, str(body))
        self.assertIn(self.ticket.number, str(body))
