# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user

from .common import ComplaintPartnerCommon


class TestComplaintConfidential(ComplaintPartnerCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.named = new_test_user(
            cls.env,
            login="cp_named",
            name="Qian Jun",
            groups="helpdesk_mgmt.group_helpdesk_user_own",
        )
        cls.confidential_officer = new_test_user(
            cls.env,
            login="cp_confidential",
            name="Feng Lin",
            groups="helpdesk_mgmt.group_helpdesk_user_own,"
            "complaint_handling.complaint_handling_group_confidential",
        )
        cls.ticket = cls._create_complaint(
            partner_id=cls.portal_customer.partner_id.id, name="VIP complaint"
        )
        cls.ticket.with_user(cls.supervisor).write(
            {
                "confidential": True,
                "confidential_reason": "vip",
                "confidential_user_ids": [(4, cls.named.id)],
            }
        )
        cls.plain = cls._create_complaint(name="Ordinary complaint")

    def _sees(self, user):
        Ticket = self.env["helpdesk.ticket"].with_user(user)
        found = bool(Ticket.search([("id", "=", self.ticket.id)]))
        counted = Ticket.search_count([("name", "=", "VIP complaint")])
        groups = Ticket.read_group([("name", "=", "VIP complaint")], ["kind"], ["kind"])
        self.assertEqual(found, bool(counted))
        self.assertEqual(counted, sum(g["kind_count"] for g in groups))
        return found

    def test_who_sees_a_confidential_complaint(self):
        # The team's handlers and the all-complaints supervisor do not...
        for user in (self.handler, self.supervisor, self.other_handler):
            self.assertFalse(self._sees(user), user.login)
            with self.assertRaises(AccessError):
                self.ticket.with_user(user).read(["name"])
        # ...the named person, the group, the manager and the customer do.
        for user in (self.named, self.confidential_officer, self.manager):
            self.assertTrue(self._sees(user), user.login)
        self.assertTrue(self._sees(self.portal_customer))
        # Ordinary complaints are untouched.
        self.assertTrue(
            self.env["helpdesk.ticket"]
            .with_user(self.handler)
            .search([("id", "=", self.plain.id)])
        )

    def test_records_of_a_confidential_complaint_follow_it(self):
        log = self.env["complaint.handling.log"].create(
            {"ticket_id": self.ticket.id, "log_type": "note", "description": "Legal"}
        )
        with self.assertRaises(AccessError):
            log.with_user(self.handler).read(["description"])
        self.assertFalse(
            self.env["complaint.handling.log"]
            .with_user(self.handler)
            .search([("ticket_id", "=", self.ticket.id)])
        )
        self.assertEqual(log.with_user(self.named).description, "Legal")

    def test_only_supervisors_mark_and_never_handed(self):
        with self.assertRaisesRegex(UserError, "Only a supervisor"):
            self.plain.with_user(self.handler).write(
                {"confidential": True, "confidential_reason": "media"}
            )
        with self.assertRaisesRegex(UserError, "reason"):
            self.plain.with_user(self.supervisor).write({"confidential": True})
        self.assertFalse(self.plain.confidential)
        self.ticket.with_user(self.manager).action_complaint_accept()
        with self.assertRaisesRegex(UserError, "stays with the carrier"):
            self.ticket.env["complaint.transfer"].with_user(self.manager)._hand_off(
                self.ticket, self.agreement
            )
        handed = self._handed_complaint()
        with self.assertRaisesRegex(UserError, "take it back"):
            handed.with_user(self.supervisor).write(
                {"confidential": True, "confidential_reason": "legal"}
            )

    # What reaches those who cannot read it (issue 12, class 4) -------------

    def test_display_name_hidden_in_other_records(self):
        """Odoo gives many2one names as superuser (web_read): a record pointing
        to the confidential complaint must not name it to a user who cannot
        read it."""
        self.plain.duplicate_id = self.ticket
        spec = {"duplicate_id": {"fields": {"display_name": {}}}}
        (values,) = self.plain.with_user(self.handler).web_read(spec)
        self.assertEqual(values["duplicate_id"]["id"], self.ticket.id)
        self.assertEqual(
            values["duplicate_id"]["display_name"], "Confidential complaint"
        )
        (values,) = self.plain.with_user(self.manager).web_read(spec)
        self.assertIn("VIP complaint", values["duplicate_id"]["display_name"])
        # name_search does not find it by its title or number either.
        Ticket = self.env["helpdesk.ticket"].with_user(self.handler)
        for text in ("VIP", self.ticket.number):
            self.assertFalse(Ticket.name_search(text))

    def test_repeat_note_does_not_name_a_confidential_complaint(self):
        repeat = self._create_complaint(
            user=self.handler, partner_id=self.portal_customer.partner_id.id
        )
        self.assertIn(self.ticket, repeat.sudo().repeat_of_ids)
        notes = " ".join(repeat.sudo().message_ids.mapped("body"))
        self.assertIn("1 confidential complaint", notes)
        self.assertNotIn(self.ticket.number, notes)

    def test_followers_who_cannot_read_are_refused_and_removed(self):
        ticket = self._create_complaint(name="Another VIP complaint")
        ticket.message_subscribe(
            partner_ids=(self.handler.partner_id | self.other_handler.partner_id).ids
        )
        ticket.with_user(self.supervisor).write(
            {"confidential": True, "confidential_reason": "media"}
        )
        # The team's handler owns nothing here and is not named: removed.
        self.assertNotIn(self.other_handler.partner_id, ticket.message_partner_ids)
        ticket.message_subscribe(partner_ids=self.other_handler.partner_id.ids)
        self.assertNotIn(self.other_handler.partner_id, ticket.message_partner_ids)
        # A named person may follow it.
        # (Once confidential, only its readers change it: the manager.)
        ticket.with_user(self.manager).write(
            {"confidential_user_ids": [(4, self.other_handler.id)]}
        )
        ticket.message_subscribe(partner_ids=self.other_handler.partner_id.ids)
        self.assertIn(self.other_handler.partner_id, ticket.message_partner_ids)
        # Un-named, he stops following it.
        ticket.with_user(self.manager).write(
            {"confidential_user_ids": [(3, self.other_handler.id)]}
        )
        self.assertNotIn(self.other_handler.partner_id, ticket.message_partner_ids)

    def test_activities_only_for_those_who_can_read(self):
        Activity = self.env["mail.activity"]
        values = {
            "res_model_id": self.env["ir.model"]._get_id("helpdesk.ticket"),
            "res_id": self.ticket.id,
            "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
            "summary": "Call the customer back",
        }
        with self.assertRaisesRegex(UserError, "cannot read this confidential"):
            Activity.create({**values, "user_id": self.handler.id})
        activity = Activity.create({**values, "user_id": self.named.id})
        self.assertIn("VIP complaint", activity.res_name)
        with self.assertRaisesRegex(UserError, "cannot read this confidential"):
            activity.user_id = self.other_handler


class TestComplaintDepartment(ComplaintPartnerCommon):
    def _sees(self, user, ticket):
        Ticket = self.env["helpdesk.ticket"].with_user(user)
        found = bool(Ticket.search([("id", "=", ticket.id)]))
        groups = Ticket.read_group([("id", "=", ticket.id)], ["kind"], ["kind"])
        self.assertEqual(found, bool(groups and groups[0]["kind_count"]))
        return found

    def test_supervisors_see_their_departments(self):
        # Without departments, a supervisor sees every complaint.
        elsewhere = self._create_complaint(team_id=self.other_team.id)
        here = self._create_complaint()
        self.assertTrue(self._sees(self.supervisor, elsewhere))
        south = self.env["complaint.department"].create(
            {
                "name": "Guangzhou centre",
                "team_ids": [(4, self.team.id)],
                "supervisor_ids": [(4, self.supervisor.id)],
            }
        )
        self.env["complaint.department"].create(
            {"name": "Shenzhen centre", "team_ids": [(4, self.other_team.id)]}
        )
        self.assertTrue(self._sees(self.supervisor, here))
        self.assertFalse(self._sees(self.supervisor, elsewhere))
        log = self.env["complaint.handling.log"].create(
            {"ticket_id": elsewhere.id, "log_type": "note", "description": "x"}
        )
        self.assertFalse(
            self.env["complaint.handling.log"]
            .with_user(self.supervisor)
            .search([("id", "=", log.id)])
        )
        # Managers see everything; the other team's handler sees its complaint.
        self.assertTrue(self._sees(self.manager, elsewhere))
        self.assertTrue(self._sees(self.other_handler, elsewhere))
        # The Shenzhen team joins the department: visible at once.
        south.team_ids = [(4, self.other_team.id)]
        self.assertTrue(self._sees(self.supervisor, elsewhere))
