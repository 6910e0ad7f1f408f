# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, HttpCase, tagged

from odoo.addons.complaint_handling.tests.common import ComplaintPartnerCommon

from .common import set_aside_existing

PROCESS = {"complaint_report_process": True}


@tagged("post_install", "-at_install")
class TestComplaintImprovementAction(ComplaintPartnerCommon, HttpCase):
    """Improvement actions (整改措施): who sees and moves them, the owner told
    once when overdue, the measured effect against hand-computed counts, and
    the periodic report and the scorecard listing them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        set_aside_existing(
            cls.env, "complaint.periodic.report", "complaint.improvement.action"
        )
        cls.Action = cls.env["complaint.improvement.action"]
        cls.company.partner_id.tz = "Asia/Shanghai"
        cls.category_billing_root = cls.category_billing.parent_id
        with freeze_time("2026-11-02 02:00:00"):
            cls.carrier_action = cls.Action.with_user(cls.supervisor).create(
                {
                    "name": "Second confirmation SMS for value-added services",
                    "owner_id": cls.handler.id,
                    "date_start": "2026-08-15",
                    "date_due": "2026-11-20",
                    "category_ids": [fields.Command.set(cls.category_billing_root.ids)],
                }
            )
            cls.org_action = cls.Action.with_user(cls.supervisor).create(
                {
                    "name": "Acknowledge hand-offs within 30 minutes at night",
                    "owner_id": cls.supervisor.id,
                    "partner_org_id": cls.org.id,
                    "date_start": "2026-08-15",
                    "date_due": "2027-01-31",
                    "category_ids": [fields.Command.set(cls.category_billing.ids)],
                }
            )
            cls.other_action = cls.Action.with_user(cls.supervisor).create(
                {
                    "name": "Huacheng: call back before noon",
                    "owner_id": cls.supervisor.id,
                    "partner_org_id": cls.other_org.id,
                    "date_start": "2026-11-01",
                    "date_due": "2026-12-31",
                }
            )

    # Access -------------------------------------------------------------

    @freeze_time("2026-11-10 04:00:00")
    def test_access_matrix(self):
        actions = self.carrier_action | self.org_action | self.other_action

        def visible(user):
            return self.Action.with_user(user).search([("id", "in", actions.ids)])

        self.assertEqual(visible(self.supervisor), actions)
        self.assertEqual(visible(self.manager), actions)
        self.assertEqual(visible(self.handler), self.carrier_action)
        self.assertEqual(visible(self.other_handler), self.Action)
        self.assertEqual(visible(self.org_supervisor), self.org_action)
        self.assertEqual(visible(self.agent), self.org_action)
        self.assertEqual(visible(self.other_agent), self.other_action)
        with self.assertRaises(AccessError):
            visible(self.portal_customer)
        # The owner moves the action on, nothing else; others do not.
        own = self.carrier_action.with_user(self.handler)
        own.action_start()
        self.assertEqual(own.state, "in_progress")
        with self.assertRaises(AccessError):
            own.write({"name": "Renamed by the owner"})
        with self.assertRaises(AccessError):
            own.write({"state": "done"})
        with self.assertRaises(AccessError):
            self.Action.with_user(self.handler).create(
                {"name": "Mine", "date_due": "2026-12-31"}
            )
        with self.assertRaises(AccessError):
            self.org_action.with_user(self.org_supervisor).action_done()
        with self.assertRaises(AccessError):
            self.org_action.with_user(self.org_supervisor).write({"name": "Ours"})
        with self.assertRaises(AccessError):
            self.other_action.with_user(self.org_supervisor).read(["name"])
        own.action_done()
        self.assertEqual((own.state, own.date_done), ("done", fields.Date.today()))
        with self.assertRaises(UserError):
            own.action_start()
        # The carrier's supervisors edit, reopen and cancel.
        supervised = self.carrier_action.with_user(self.supervisor)
        supervised.action_reopen()
        self.assertEqual((supervised.state, supervised.date_done), ("open", False))
        supervised.write({"description": "Also for the third-party channels."})
        supervised.action_cancel()
        self.assertEqual(supervised.state, "cancelled")
        with self.assertRaises(ValidationError):
            supervised.write({"date_due": "2026-08-01"})

    # Overdue ------------------------------------------------------------

    def test_overdue_owner_told_once_in_their_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.handler.lang = "zh_CN"
        action = self.carrier_action

        def told():
            return self.env["mail.message"].search(
                [
                    ("model", "=", action._name),
                    ("res_id", "=", action.id),
                    ("partner_ids", "in", self.handler.partner_id.ids),
                ]
            )

        with freeze_time("2026-11-20 04:00:00"):
            self.assertFalse(action.is_overdue)
            self.Action._cron_notify_overdue()
        self.assertFalse(told())
        with freeze_time("2026-11-21 04:00:00"):
            self.assertTrue(action.with_context(tz="UTC").is_overdue)
            self.assertEqual(self.Action.search([("is_overdue", "=", True)]), action)
            self.assertEqual(self.Action._cron_notify_overdue(), action)
            self.Action._cron_notify_overdue()
        with freeze_time("2026-11-25 04:00:00"):
            self.Action._cron_notify_overdue()
        message = told()
        self.assertEqual(len(message), 1)
        # The due date in the owner's (Chinese) date format.
        self.assertIn("2026年11月20日", message.body)
        self.assertIn(action.name, message.subject)
        # A new due date: told again when it passes, once.
        action.with_user(self.supervisor).date_due = "2026-11-30"
        self.assertFalse(action.overdue_notified_date)
        with freeze_time("2026-12-01 04:00:00"):
            self.Action._cron_notify_overdue()
            self.Action._cron_notify_overdue()
        self.assertEqual(len(told()), 2)
        # Done actions are not overdue.
        action.with_user(self.supervisor).date_due = "2026-12-01"
        action.with_user(self.handler).action_done()
        with freeze_time("2026-12-05 04:00:00"):
            self.assertFalse(self.Action._cron_notify_overdue())
        self.assertEqual(len(told()), 2)

    # Measured effect ----------------------------------------------------

    def _complaints(self, when, count, **values):
        with freeze_time(when):
            for index in range(count):
                self._create_complaint(name=f"{when} {index}", **values)

    def test_measured_effect_against_hand_computed_counts(self):
        # Billing complaints (any subtype) of the carrier: before the action
        # (May-July 2026) 3 + 0 + 3 = 6, 2.0 a month; after (September-
        # November) 1 + 0 + 2 = 3, 1.0 a month: -50 %. August, the month it
        # started, is left out; signal complaints do not count.
        roaming = self.env.ref(
            "complaint_handling.helpdesk_ticket_category_billing_roaming"
        )
        self._complaints("2026-05-10 02:00:00", 2)
        self._complaints("2026-05-20 02:00:00", 1, category_id=roaming.id)
        self._complaints("2026-07-10 02:00:00", 3)
        self._complaints("2026-08-10 02:00:00", 4)
        self._complaints("2026-09-10 02:00:00", 1)
        self._complaints("2026-11-10 02:00:00", 2)
        self._complaints("2026-10-10 02:00:00", 5, category_id=self.category_signal.id)
        # Before May, or after November: out of the windows.
        self._complaints("2026-04-30 15:00:00", 1)  # 30 April, 23:00 in Beijing
        self._complaints("2026-04-30 16:30:00", 1)  # 1 May in Beijing: counted
        self._complaints("2026-12-02 02:00:00", 3)
        # Yuexin's: one of July's, one of September's handed to it.
        with freeze_time("2026-07-12 02:00:00"):
            self._handed_complaint()
        with freeze_time("2026-09-12 02:00:00"):
            self._handed_complaint()
        actions = self.carrier_action | self.org_action | self.other_action
        self.env.flush_all()
        with freeze_time("2026-12-07 02:00:00"):
            actions = actions.with_user(self.supervisor)
            actions.invalidate_recordset()
            effects = {
                action: (
                    action.effect_status,
                    round(action.effect_before, 2),
                    round(action.effect_after, 2),
                    action.effect_months,
                    action.effect_change,
                )
                for action in actions
            }
        # The carrier's (billing, every organisation): May 2 + 1 roaming + 1
        # (1 May in Beijing), July 3 + 1 Yuexin's = 8 before; September 1 + 1
        # Yuexin's, November 2 = 4 after.
        self.assertEqual(
            effects[self.carrier_action],
            ("measured", 2.7, 1.3, 3, -50.0),
        )
        # Yuexin's: the overcharge complaints handed to it: July 1, Sept 1.
        self.assertEqual(
            effects[self.org_action],
            ("measured", 0.3, 0.3, 3, 0.0),
        )
        self.assertEqual(effects[self.other_action][0], "no_type")

    def test_effect_in_one_query_for_all_actions(self):
        more = self.Action.with_user(self.supervisor).create(
            [
                {
                    "name": f"Action {index}",
                    "date_start": "2026-09-01",
                    "date_due": "2026-12-31",
                    "category_ids": [fields.Command.set(self.category_signal.ids)],
                }
                for index in range(4)
            ]
        )
        more.with_user(self.supervisor).mapped("effect_change")  # warm-up
        counts = []
        for actions in (
            self.carrier_action,
            self.carrier_action | self.org_action | more,
        ):
            actions = actions.with_user(self.supervisor)
            self.env.flush_all()
            self.env.invalidate_all()
            actions.mapped("category_ids")
            actions.mapped("partner_org_id")
            before = self.env.cr.sql_log_count
            actions.mapped("effect_change")
            counts.append(self.env.cr.sql_log_count - before)
        self.assertEqual(counts[0], counts[1])
        when = fields.Date.today()
        dialog = Form(
            self.Action.with_user(self.supervisor).with_context(
                default_category_ids=[fields.Command.set(self.category_signal.ids)]
            )
        )
        dialog.name = "Signal boosters in Tianhe"
        dialog.date_due = when
        self.assertEqual(dialog.effect_status, "waiting")
        self.assertEqual(dialog.effect_months, 0)

    # Periodic report ----------------------------------------------------

    def test_periodic_report_lists_the_actions(self):
        self.org_action.with_user(self.supervisor).action_start()
        with freeze_time("2026-09-20 02:00:00"):
            done_before = self.Action.with_user(self.supervisor).create(
                {
                    "name": "Done in September",
                    "date_start": "2026-09-01",
                    "date_due": "2026-09-30",
                }
            )
            done_before.action_done()
        cancelled = self.Action.with_user(self.supervisor).create(
            {"name": "Cancelled", "date_start": "2026-11-01", "date_due": "2026-11-30"}
        )
        cancelled.action_cancel()
        Report = self.env["complaint.periodic.report"].with_context(**PROCESS)
        carrier = Report.create({"date_from": "2026-11-01", "period_type": "month"})
        org = Report.create(
            {
                "date_from": "2026-11-01",
                "period_type": "month",
                "scope": "partner",
                "partner_org_id": self.org.id,
            }
        )
        (carrier | org).with_user(self.supervisor)._complaint_generate()
        self.assertEqual(
            carrier.figures["improvement_actions"],
            [
                {
                    "name": "Second confirmation SMS for value-added services",
                    "owner": self.handler.name,
                    "deadline": "2026-11-20",
                    "status": "Not Started",
                },
                {
                    "name": "Huacheng: call back before noon",
                    "owner": self.supervisor.name,
                    "deadline": "2026-12-31",
                    "status": "Not Started",
                },
                {
                    "name": "Acknowledge hand-offs within 30 minutes at night",
                    "owner": self.supervisor.name,
                    "deadline": "2027-01-31",
                    "status": "In Progress",
                },
            ],
        )
        self.assertEqual(
            [row["name"] for row in org.figures["improvement_actions"]],
            ["Acknowledge hand-offs within 30 minutes at night"],
        )
        # As printed.
        html = str(carrier.with_user(self.supervisor).figures_html)
        self.assertIn("Second confirmation SMS for value-added services", html)
        self.assertNotIn("None recorded", html)
        self.assertNotIn("Done in September", html)

    # Scorecard ----------------------------------------------------------

    def test_scorecard_lists_the_organisation_actions(self):
        with freeze_time("2026-10-05 02:00:00"):
            done_before = self.Action.with_user(self.supervisor).create(
                {
                    "name": "Done in October",
                    "partner_org_id": self.org.id,
                    "date_start": "2026-10-01",
                    "date_due": "2026-10-31",
                }
            )
            done_before.action_done()
        card, other = self.env["complaint.scorecard"].create(
            [
                {"agreement_id": self.agreement.id, "date_from": "2026-11-01"},
                {"agreement_id": self.other_agreement.id, "date_from": "2026-11-01"},
            ]
        )
        self.assertEqual(
            card.with_user(self.supervisor).improvement_action_ids, self.org_action
        )
        self.assertEqual(
            other.with_user(self.supervisor).improvement_action_ids, self.other_action
        )
        self.assertEqual(
            card.with_user(self.org_supervisor).improvement_action_ids,
            self.org_action,
        )
        # On the organisation's scorecard page in the portal.
        self.authenticate("cp_org_sup", "cp_org_sup")
        page = self.url_open(f"/my/complaint-scorecards/{card.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_complaint_scorecard_actions", page.text)
        self.assertIn(self.org_action.name, page.text)
        self.assertNotIn(self.other_action.name, page.text)
        self.assertNotIn("Done in October", page.text)
