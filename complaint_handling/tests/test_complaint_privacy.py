# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user

from ..tools.constants import PERSONAL_DATA_GROUP, PERSONAL_FIELDS
from .common import VALID_ID, ComplaintCommon

# Another valid resident identity card number.
ID_2 = "440106198503151233"


class TestComplaintPrivacy(ComplaintCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ticket = cls._create_complaint(user=cls.handler)
        cls.Log = cls.env["complaint.personal.access.log"]
        export = cls.env.ref("base.group_allow_export")
        (cls.handler + cls.manager).groups_id = [(4, export.id)]
        cls.personal_group = cls.env.ref(PERSONAL_DATA_GROUP)
        # The lowest role that reveals: a handler with the personal data right.
        cls.reveal_user = new_test_user(
            cls.env,
            login="cp_reveal_handler",
            groups="helpdesk_mgmt.group_helpdesk_user_team," + PERSONAL_DATA_GROUP,
        )
        cls.team.user_ids = [(4, cls.reveal_user.id)]

    def test_raw_values_are_refused_to_handlers_at_field_level(self):
        """Read, search (a prefix search included), sort, group and export of
        the stored values are refused by the ORM to a user without the right;
        the masked twins are what he reads."""
        as_handler = self.ticket.with_user(self.handler)
        Ticket = as_handler.browse()
        for name in PERSONAL_FIELDS:
            with self.subTest(name=name):
                with self.assertRaises(AccessError):
                    as_handler.read([name])
                with self.assertRaises(AccessError):
                    as_handler.web_read({name: {}})
                with self.assertRaises(AccessError):
                    Ticket.search([(name, "=like", "1%")])
                with self.assertRaises(AccessError):
                    Ticket.search([], order=name)
                with self.assertRaises(AccessError):
                    Ticket.read_group([], [name], [name])
                with self.assertRaises(AccessError):
                    as_handler.export_data([name])
                # Nor through another model's relation.
                with self.assertRaises(AccessError):
                    self.env["complaint.handling.log"].with_user(self.handler).search(
                        [(f"ticket_id.{name}", "=like", "1%")]
                    )
        masked = {f"{name}_masked" for name in PERSONAL_FIELDS}
        (values,) = as_handler.read(sorted(masked))
        self.assertEqual(values["contact_phone_masked"], "+86199****0001")
        # A service number that is the phone is masked as the phone.
        self.assertEqual(values["service_number_masked"], "+86199****0001")
        self.assertEqual(values["account_number_masked"], "GD******0001")
        self.assertEqual(values["id_number_masked"], "110***********002X")
        self.assertFalse(as_handler.personal_data_visible)
        # Nor through the portal's phone, which agents read while the case is
        # theirs.
        self.assertEqual(as_handler.contact_phone_portal, "+86199****0001")
        # The fields the web client is given leave the stored values out.
        fields = as_handler.fields_get()
        self.assertFalse(set(PERSONAL_FIELDS) & set(fields))
        self.assertTrue(masked <= set(fields))

    def test_the_right_reads_the_stored_values(self):
        as_manager = self.ticket.with_user(self.manager)
        (values,) = as_manager.read(list(PERSONAL_FIELDS))
        self.assertEqual(values["contact_phone"], "+8619999990001")
        self.assertEqual(values["id_number"], VALID_ID)
        self.assertTrue(as_manager.personal_data_visible)
        self.assertEqual(as_manager.search([("id_number", "=", VALID_ID)]), self.ticket)

    def test_whole_number_lookup_without_the_right(self):
        """A handler finds a complaint by a whole number written in any usual
        way, never by part of one."""
        Ticket = self.env["helpdesk.ticket"].with_user(self.handler)
        for whole in ("19999990001", "+86 199 9999 0001", "GD-2026-0001", VALID_ID):
            with self.subTest(whole=whole):
                self.assertEqual(
                    Ticket.search([("personal_lookup", "ilike", whole)]), self.ticket
                )
        for part in ("1999999", "0001", "110105", "GD-2026"):
            with self.subTest(part=part):
                self.assertFalse(Ticket.search([("personal_lookup", "ilike", part)]))
        with self.assertRaises(UserError):
            Ticket.search([("personal_lookup", "not ilike", "1")])
        # The lookup keeps the user's record rules.
        other = self.env["helpdesk.ticket"].with_user(self.other_handler)
        self.assertFalse(other.search([("personal_lookup", "=", "19999990001")]))

    def test_write_only_input_without_the_right(self):
        as_handler = self.ticket.with_user(self.handler)
        with self.assertRaises(AccessError):
            as_handler.write({"contact_phone": "13911112222"})
        # A new value replaces the stored one and is read back masked.
        as_handler.write(
            {"contact_phone_masked": "139 1111 2222", "id_number_masked": ID_2}
        )
        self.assertEqual(self.ticket.contact_phone, "+8613911112222")
        self.assertEqual(self.ticket.id_number, ID_2)
        self.assertEqual(as_handler.contact_phone_masked, "+86139****2222")
        # The masked value left as shown changes nothing.
        as_handler.write({"contact_phone_masked": "+86139****2222"})
        self.assertEqual(self.ticket.contact_phone, "+8613911112222")
        # One edited in part is refused, and nothing is lost.
        with self.assertRaisesRegex(ValidationError, "whole new value"):
            as_handler.write({"contact_phone_masked": "+86139****2223"})
        self.assertEqual(self.ticket.contact_phone, "+8613911112222")
        # Erasing a value is allowed.
        as_handler.write({"account_number_masked": False})
        self.assertFalse(self.ticket.account_number)
        # Invalid input gets the validator's message, the stored value stays.
        with self.assertRaises(ValidationError) as caught:
            as_handler.write({"contact_phone_masked": "call me"})
        self.assertIn("contact phone is not valid", str(caught.exception))
        self.assertEqual(self.ticket.sudo().contact_phone, "+8613911112222")
        # A user who cannot write the complaint cannot write its twins.
        with self.assertRaises(AccessError):
            self.ticket.with_user(self.other_handler).write(
                {"contact_phone_masked": "13900000000"}
            )

    def test_form_entry_without_the_right(self):
        """The handler enters and corrects the values in the complaint form;
        the form never shows the stored value."""
        form = Form(
            self.env["helpdesk.ticket"].with_user(self.handler),
            view="complaint_handling.helpdesk_ticket_complaint_view_form",
        )
        form.name = "No signal at home"
        form.description = "<p>No signal in the living room since Monday.</p>"
        form.partner_id = self.customer
        form.contact_phone_masked = "13800138000"
        form.service_number_masked = "13800138000"
        form.id_number_masked = VALID_ID
        form.category_id = self.category_signal
        ticket = form.save()
        self.assertEqual(ticket.sudo().contact_phone, "+8613800138000")
        self.assertEqual(ticket.sudo().id_number, VALID_ID)
        with Form(
            ticket, view="complaint_handling.helpdesk_ticket_complaint_view_form"
        ) as form:
            self.assertEqual(form.contact_phone_masked, "+86138****8000")
            self.assertEqual(form.id_number_masked, "110***********002X")
            form.customer_demand = "Refund, and an apology"
        self.assertEqual(ticket.sudo().contact_phone, "+8613800138000")
        self.assertEqual(ticket.sudo().id_number, VALID_ID)

    def test_exports(self):
        as_handler = self.ticket.with_user(self.handler)
        data = as_handler.export_data(
            ["number", "contact_phone_masked", "id_number_masked"]
        )["datas"]
        self.assertEqual(data[0][1:], ["+86199****0001", "110***********002X"])
        self.assertFalse(self.Log.sudo().search([("ticket_id", "=", self.ticket.id)]))
        # Through another model's export as well.
        log = self.env["complaint.handling.log"].create(
            {"ticket_id": self.ticket.id, "log_type": "note", "description": "x"}
        )
        with self.assertRaises(AccessError):
            log.with_user(self.handler).export_data(["ticket_id/contact_phone"])
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
        groups = Ticket.with_user(self.manager).read_group(
            [("id", "=", self.ticket.id)], ["contact_phone"], ["contact_phone"]
        )
        self.assertEqual(groups[0]["contact_phone"], "+8619999990001")
        # Counting by other fields stays open.
        self.assertTrue(
            Ticket.with_user(self.handler).read_group([], ["kind"], ["kind"])
        )

    def test_reveal_is_logged_and_the_log_is_frozen(self):
        # Without the right, nothing is revealed.
        with self.assertRaises(AccessError):
            self.ticket.with_user(self.handler).with_context(
                reveal_field="id_number"
            ).action_complaint_reveal()
        self.assertFalse(self.Log.sudo().search([("ticket_id", "=", self.ticket.id)]))
        action = (
            self.ticket.with_user(self.reveal_user)
            .with_context(reveal_field="id_number")
            .action_complaint_reveal()
        )
        self.assertEqual(action["params"]["message"], "11010519491231002X")
        entry = self.Log.sudo().search([("ticket_id", "=", self.ticket.id)])
        self.assertEqual(
            (entry.operation, entry.user_id, entry.field_names),
            ("reveal", self.reveal_user, "ID Document Number (Full)"),
        )
        with self.assertRaisesRegex(UserError, "Nothing to reveal"):
            self.ticket.with_user(self.reveal_user).with_context(
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
        self.other_handler.groups_id = [(4, self.personal_group.id)]
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
                "contact_phone_masked": "13911112222",
                "id_number_masked": "440106198503151233",
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
        self.assertIn("+86199****0001", html)
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
        self.ticket.sudo().contact_address = "广州市天河区天河路5号301室"
        as_handler = self.ticket.with_user(self.handler)
        self.assertEqual(as_handler.contact_address_masked, "广州市天河区" + "*" * 9)
        with self.assertRaises(AccessError):
            as_handler.read(["contact_address"])
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
