# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import ComplaintCommon


@tagged("post_install", "-at_install")
class TestComplaintConfig(ComplaintCommon):
    def test_settings_form_writes_company_limits(self):
        """A complaint manager, not an administrator, changes the settings."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "complaint_handling.complaint_settings_action"
        )
        form = Form(self.env[action["res_model"]].with_user(self.manager))
        self.assertEqual(form.complaint_repeat_window_days, 30)
        form.complaint_billing_time_bar_months = 6
        form.complaint_repeat_window_days = 15
        form.complaint_callback_max_attempts = 2
        form.complaint_escalation_l3_user_id = self.supervisor
        form.save()
        self.assertEqual(self.company.complaint_billing_time_bar_months, 6)
        self.assertEqual(self.company.complaint_repeat_window_days, 15)
        self.assertEqual(self.company.complaint_callback_max_attempts, 2)
        self.assertEqual(self.company.complaint_escalation_l3_user_id, self.supervisor)

    def test_settings_are_for_complaint_managers(self):
        with self.assertRaises(AccessError):
            self.env["complaint.settings"].with_user(self.supervisor).create(
                {"complaint_repeat_window_days": 1}
            )
        other = self.env["res.company"].create({"name": "Other carrier"})
        with self.assertRaises(AccessError):
            self.env["complaint.settings"].with_user(self.manager).create(
                {"company_id": other.id, "complaint_repeat_window_days": 1}
            )
        self.assertEqual(other.complaint_repeat_window_days, 30)
        # Odoo's own Settings page stays for administrators only.
        with self.assertRaises(AccessError):
            self.env["res.config.settings"].with_user(self.manager).create({}).execute()

    @mute_logger("odoo.sql_db")
    def test_settings_refuse_nonsense(self):
        with self.assertRaises(IntegrityError), self.cr.savepoint():
            self.company.complaint_callback_max_attempts = 0
            self.env.flush_all()

    def test_every_action_and_view_of_the_addon_loads(self):
        data = self.env["ir.model.data"].search(
            [
                ("module", "=", "complaint_handling"),
                ("model", "=", "ir.actions.act_window"),
            ]
        )
        actions = self.env["ir.actions.act_window"].browse(data.mapped("res_id"))
        self.assertGreaterEqual(len(actions), 8)
        for action in actions:
            with self.subTest(action=action.name):
                model = self.env[action.res_model].with_user(self.manager)
                views = [(False, mode) for mode in action.view_mode.split(",")]
                result = model.get_views(views, {"toolbar": True})
                self.assertTrue(result["views"])

    def test_complaints_have_their_own_views(self):
        """The Complaints actions open the complaint views; helpdesk_mgmt's
        views (consultations, fault reports) carry no complaint process."""
        Ticket = self.env["helpdesk.ticket"].with_user(self.handler)
        for xmlid in (
            "complaint_handling.helpdesk_ticket_complaint_action",
            "complaint_handling.helpdesk_ticket_complaint_analysis_action",
        ):
            action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
            views = {mode: view_id for view_id, mode in action["views"]}
            self.assertTrue(all(views.values()), f"{xmlid}: {views}")
            self.assertEqual(
                action["search_view_id"][0],
                self.env.ref(
                    "complaint_handling.helpdesk_ticket_complaint_view_search"
                ).id,
            )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "complaint_handling.helpdesk_ticket_complaint_action"
        )
        views = {mode: view_id for view_id, mode in action["views"]}
        for mode in ("form", "list", "kanban"):
            self.assertEqual(
                views[mode],
                self.env.ref(
                    f"complaint_handling.helpdesk_ticket_complaint_view_{mode}"
                ).id,
            )
        complaint = Ticket.get_views(
            [(views["form"], "form"), (views["kanban"], "kanban")]
        )["views"]
        self.assertIn("action_complaint_accept", complaint["form"]["arch"])
        self.assertIn("handling_log_ids", complaint["form"]["arch"])
        self.assertIn("escalation_level", complaint["kanban"]["arch"])
        self.assertNotIn("kind !=", complaint["form"]["arch"])
        plain = Ticket.get_views(
            [(False, "form"), (False, "kanban"), (False, "list"), (False, "search")]
        )["views"]
        self.assertIn('name="kind"', plain["form"]["arch"])
        self.assertIn('name="service_number_masked"', plain["form"]["arch"])
        for mode, arch in (
            ("form", plain["form"]["arch"]),
            ("kanban", plain["kanban"]["arch"]),
            ("list", plain["list"]["arch"]),
            ("search", plain["search"]["arch"]),
        ):
            with self.subTest(view=mode):
                for name in (
                    "action_complaint_accept",
                    "handling_log_ids",
                    "escalation_level",
                    "complaint_state",
                    "customer_demand",
                ):
                    self.assertNotIn(name, arch)

    def test_new_complaint_team_gets_the_complaint_stages(self):
        team = self.env["helpdesk.ticket.team"].create({"name": "Foshan desk"})
        self.assertFalse(team._get_applicable_stages().filtered("complaint_step"))
        team.complaint_process = True
        steps = team._get_applicable_stages().mapped("complaint_step")
        self.assertEqual(steps[0], "received")
        self.assertEqual(
            sorted(set(steps), key=steps.index),
            [
                "received",
                "accepted",
                "handling",
                "solution_confirmed",
                "result_reported",
                "callback_done",
                "closed",
                "refused",
            ],
        )
        ticket = self._create_complaint(team_id=team.id)
        self.assertEqual(ticket.complaint_state, "received")

    def test_key_fields_are_tracked_in_the_chatter(self):
        ticket = (
            self.env["helpdesk.ticket"]
            .with_user(self.handler)
            .with_context(tracking_disable=False, mail_notrack=False)
            .create(self._complaint_vals())
        )
        self.env.flush_all()
        self.cr.precommit.run()
        ticket.write({"severity": "major", "category_id": self.category_signal.id})
        self.env.flush_all()
        self.cr.precommit.run()
        tracked = ticket.sudo().message_ids.tracking_value_ids.field_id.mapped("name")
        self.assertIn("severity", tracked)
        self.assertIn("category_id", tracked)
