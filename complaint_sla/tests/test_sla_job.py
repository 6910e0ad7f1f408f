# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo.tests import tagged

from .common import SlaCommon, utc


@tagged("post_install", "-at_install")
class TestSlaJob(SlaCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.activity_type = cls.env.ref("complaint_sla.mail_activity_type_sla")
        cls.policy.active = False
        cls.job_policy = cls.env["complaint.sla.policy"].create(
            {
                "name": "Contact only",
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
                            "warning_percents": "50,80",
                        },
                    ),
                ],
            }
        )

    def _warnings(self, ticket):
        return self.env["mail.message"].search(
            [
                ("model", "=", False),
                ("subject", "=", "Complaints at risk of missing their time limits"),
                ("body", "ilike", ticket.number),
            ]
        )

    def test_warnings_then_breach_each_exactly_once(self):
        with freeze_time(utc("2026-11-23 10:00")):
            ticket = self._create_complaint(user_id=self.handler.id)
        contact = self._line(ticket, "Contact in 24 h")
        self._run_job(utc("2026-11-23 21:00"))  # 45 %: nothing yet
        self.assertEqual(contact.warned_count, 0)
        self._run_job(utc("2026-11-23 22:05"))  # past 50 %
        self.assertEqual(contact.warned_count, 1)
        self.assertEqual(ticket.sla_state, "at_risk")
        # A warning: one notification to the owner, no activity.
        self.assertFalse(self._sla_activities(ticket))
        self.assertEqual(len(self._warnings(ticket)), 1)
        self.assertEqual(self._warnings(ticket).partner_ids, self.handler.partner_id)
        self._run_job(utc("2026-11-23 22:10"))  # again: nothing new
        self.assertEqual(len(self._warnings(ticket)), 1)
        self._run_job(utc("2026-11-24 07:20"))  # past 80 %
        self.assertEqual(contact.warned_count, 2)
        self.assertEqual(len(self._warnings(ticket)), 2)
        self._run_job(utc("2026-11-24 10:01"))  # breach
        self.assertEqual(contact.status, "breached")
        self.assertEqual(ticket.sla_state, "breached")
        # A breach: an activity for the owner and one for the supervisor.
        breach = self._sla_activities(ticket)
        self.assertEqual(breach.user_id, self.handler | self.supervisor)
        self.assertTrue(all("missed" in a.summary for a in breach))
        escalation = ticket.escalation_ids
        self.assertEqual(escalation.reason, "time_limit")
        self.assertEqual(ticket.escalation_level, "2")
        self._run_job(utc("2026-11-24 12:00"))
        self._run_job(utc("2026-11-25 12:00"))
        self.assertEqual(self._sla_activities(ticket), breach, "exactly once")
        self.assertEqual(len(self._warnings(ticket)), 2, "exactly once")
        self.assertEqual(ticket.escalation_ids, escalation)
        # Met late afterwards: the breach stays on record with the time it was met.
        with freeze_time(utc("2026-11-25 13:00")):
            self.env["complaint.handling.log"].create(
                {
                    "ticket_id": ticket.id,
                    "log_type": "contact",
                    "contact_result": "reached",
                    "description": "Finally.",
                }
            )
        self.assertEqual(contact.status, "met_late")
        self.assertEqual(contact.met_date, utc("2026-11-25 13:00"))
        # The complaint shows it was met late, and the breach activities are
        # done: nothing left to act on.
        self.assertEqual(ticket.sla_state, "met_late")
        self.assertFalse(self._sla_activities(ticket))

    def _job_queries(self, when):
        """Queries of one job run; its effects are rolled back."""

        class Rollback(Exception):
            pass

        self.env.invalidate_all()
        count = 0
        with self.assertRaises(Rollback), freeze_time(when):
            with self.cr.savepoint():
                start = self.cr.sql_log_count
                lines = self.env["complaint.sla.line"]._cron_check_deadlines()
                count = self.cr.sql_log_count - start
                self.assertEqual(len(lines), 2)
                raise Rollback()
        self.env.invalidate_all()
        return count

    def _open_complaints(self, count, offset):
        with freeze_time(utc("2026-11-24 09:00")):
            self.env["helpdesk.ticket"].create(
                [
                    self._complaint_vals(
                        partner_id=False, service_number=f"1380013{offset + i:04d}"
                    )
                    for i in range(count)
                ]
            )

    def test_job_queries_do_not_depend_on_open_complaints(self):
        with freeze_time(utc("2026-11-23 10:00")):
            self._create_complaint(user_id=self.handler.id)
            self._create_complaint(
                user_id=self.handler.id, service_number="13900000001"
            )
        self._open_complaints(5, 0)
        self._job_queries(utc("2026-11-23 22:05"))  # warm the caches
        few = self._job_queries(utc("2026-11-23 22:05"))
        self._open_complaints(40, 100)
        many = self._job_queries(utc("2026-11-23 22:05"))
        self.assertEqual(few, many)

    def test_job_writes_in_the_readers_language(self):
        """The job runs as a system user in English: its notes are written in
        the company's language and each activity in its user's."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.company.partner_id.lang = "zh_CN"
        self.supervisor.lang = "zh_CN"
        self.handler.lang = "en_US"
        with freeze_time(utc("2026-11-23 10:00")):
            ticket = self._create_complaint(user_id=self.handler.id)
        self._run_job(utc("2026-11-24 10:01"))
        by_user = {a.user_id: a.summary for a in self._sla_activities(ticket)}
        self.assertIn("time limit missed", by_user[self.handler])
        self.assertIn("已超时", by_user[self.supervisor])
        notes = ticket.message_ids.mapped("body")
        self.assertTrue(any("已超时" in str(body) for body in notes))
        self.assertTrue(any("已从 1 级升级至 2 级" in str(body) for body in notes))
        self.assertFalse(any("time limit missed" in str(body) for body in notes))

    def test_closing_ends_the_breach_activities(self):
        with freeze_time(utc("2026-11-23 10:00")):
            ticket = self._create_complaint(user_id=self.handler.id)
        self._run_job(utc("2026-11-24 10:01"))
        self.assertTrue(self._sla_activities(ticket))
        ticket = ticket.sudo()
        ticket.action_complaint_accept()
        ticket.action_complaint_start()
        ticket.solution_measures = "Refund."
        ticket.action_complaint_confirm_solution()
        self.env["complaint.feedback"].create(
            {"ticket_id": ticket.id, "conclusion": "Refunded."}
        )
        ticket.action_complaint_report_result()
        self.env["complaint.callback"].create(
            {
                "ticket_id": ticket.id,
                "reached": True,
                "satisfaction": "5",
                "problem_solved": True,
            }
        )
        ticket.action_complaint_close()
        self.assertEqual(ticket.complaint_state, "closed")
        # The missed contact stays missed, as history; nobody must act on it.
        self.assertEqual(self._line(ticket, "Contact in 24 h").status, "breached")
        self.assertFalse(self._sla_activities(ticket))
