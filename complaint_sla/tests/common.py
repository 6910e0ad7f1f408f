# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime

from freezegun import freeze_time

from odoo.addons.complaint_handling.tests.common import ComplaintCommon


def utc(local_str):
    """Naive UTC datetime of a Shanghai local time 'YYYY-MM-DD HH:MM'."""
    import pytz

    local = pytz.timezone("Asia/Shanghai").localize(
        datetime.strptime(local_str, "%Y-%m-%d %H:%M")
    )
    return local.astimezone(pytz.utc).replace(tzinfo=None)


class SlaTestMixin:
    """What the SLA tests share, whatever their complaint fixtures."""

    @classmethod
    def _sla_isolate(cls):
        """Other policies and clocks (the shipped policy, demo data) must not
        interfere."""
        cls.env["complaint.sla.policy"].search([]).active = False
        cls.env["complaint.sla.line"].search([])._sla_cancel()

    def _run_job(self, when):
        with freeze_time(when):
            return self.env["complaint.sla.line"]._cron_check_deadlines()

    def _sla_activities(self, ticket):
        activity_type = self.env.ref("complaint_sla.mail_activity_type_sla")
        return ticket.activity_ids.filtered(
            lambda a: a.activity_type_id == activity_type
        )


class SlaCommon(SlaTestMixin, ComplaintCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._sla_isolate()
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "Guangzhou office hours",
                "tz": "Asia/Shanghai",
                "attendance_ids": [
                    (
                        0,
                        0,
                        {
                            "name": f"{day} {part}",
                            "dayofweek": str(day),
                            "hour_from": start,
                            "hour_to": end,
                            "day_period": period,
                        },
                    )
                    for day in range(5)
                    for part, start, end, period in (
                        ("am", 9, 12, "morning"),
                        ("pm", 13, 18, "afternoon"),
                    )
                ],
            }
        )
        cls.waiting_stage = cls.env["helpdesk.ticket.stage"].create(
            {
                "name": "Waiting for the customer",
                "sequence": 103,
                "complaint_step": "handling",
                "team_ids": [(4, cls.team.id)],
            }
        )
        cls.policy = cls.env["complaint.sla.policy"].create(
            {
                "name": "Test policy",
                "kind": "complaint",
                "milestone_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Contact in 24 h",
                            "sequence": 1,
                            "target": 24,
                            "unit": "hours",
                            "start_event": "received",
                            "fulfil_event": "first_contact",
                            "pause_stage_ids": [(4, cls.waiting_stage.id)],
                        },
                    ),
                    (
                        0,
                        0,
                        {
                            "name": "Accept in 30 min",
                            "sequence": 2,
                            "target": 30,
                            "unit": "minutes",
                            "calendar_id": cls.calendar.id,
                            "start_event": "received",
                            "fulfil_event": "accepted",
                        },
                    ),
                    (
                        0,
                        0,
                        {
                            "name": "Result in 4 h",
                            "sequence": 3,
                            "target": 4,
                            "unit": "hours",
                            "start_event": "solution_confirmed",
                            "fulfil_event": "result_reported",
                        },
                    ),
                    (
                        0,
                        0,
                        {
                            "name": "Close in 7 working days",
                            "sequence": 4,
                            "target": 7,
                            "unit": "working_days",
                            "calendar_id": cls.calendar.id,
                            "start_event": "received",
                            "fulfil_event": "closed",
                        },
                    ),
                ],
            }
        )

    def _line(self, ticket, name):
        return ticket.sla_line_ids.filtered(lambda line: line.name == name)
