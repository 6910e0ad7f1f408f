# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.complaint_handling.tests.common import (
    ComplaintCommon,
    ComplaintPartnerCommon,
)
from odoo.addons.complaint_sla.tests.common import SlaTestMixin, utc

# "Now" of the figures: 2 December 02:00 in Shanghai, still 1 December
# (18:00) in UTC. Today and this month are the user's (Shanghai), not UTC's.
NOW = utc("2026-12-02 02:00")
TZ = "Asia/Shanghai"
FIGURES = (
    "open",
    "at_risk",
    "breached",
    "received_today",
    "received_month",
    "fcr",
    "satisfaction",
)
# One grouped query per figure (7); the names of the teams and of the
# organisations shown (2), and the companies of the partners' rule (1); the
# user, their time zone and language (3): whatever the number of complaints,
# teams and organisations.
DASHBOARD_QUERIES = 13


class DashboardCase(SlaTestMixin, ComplaintPartnerCommon):
    """Complaints of two teams at known points of their life, against one
    time limit: contact the customer within 24 hours, warned at 50 % and
    80 %."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._sla_isolate()
        cls.env["complaint.sla.policy"].create(
            {
                "name": "Dashboard policy",
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
                            "warning_percents": "50,80",
                            "escalate_on_breach": False,
                        },
                    )
                ],
            }
        )
        users = cls.handler | cls.other_handler | cls.supervisor | cls.manager
        users.tz = TZ
        cls.desk = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Dashboard desk",
                "complaint_process": True,
                "user_ids": [(4, cls.handler.id)],
            }
        )
        cls.other_desk = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Dashboard other desk",
                "complaint_process": True,
                "user_ids": [(4, cls.other_handler.id)],
            }
        )
        # What each user saw before (other complaints of the database).
        cls.before = {
            user: cls._dashboard(user)["totals"]
            for user in (cls.handler, cls.other_handler, cls.manager)
        }
        mine = {"team_id": cls.desk.id, "user_id": cls.handler.id}
        theirs = {"team_id": cls.other_desk.id, "user_id": cls.other_handler.id}
        # Closed on 20 November, at the first contact, satisfied: last month.
        with freeze_time(utc("2026-11-10 12:00")):
            cls.h = cls._create_complaint(name="H", **mine)
        with freeze_time(utc("2026-11-20 10:00")):
            cls._drive(cls.h, "closed")
        # Closed this month at the first contact, satisfied (5).
        with freeze_time(utc("2026-11-10 10:00")):
            cls.f = cls._create_complaint(name="F", **mine)
            cls.g = cls._create_complaint(name="G", **mine)
        with freeze_time(utc("2026-12-01 09:00")):
            cls._drive(cls.f, "closed")
        # Closed this month after an escalation (not at the first contact),
        # neutral (3).
        with freeze_time(utc("2026-11-20 09:00")):
            cls.g.with_user(cls.manager)._complaint_escalate("time_limit", "Late")
            cls.g.write(mine)
        with freeze_time(utc("2026-12-01 09:30")):
            cls._drive(cls.g, "result_reported")
            cls.env["complaint.callback"].with_user(cls.handler).create(
                {
                    "ticket_id": cls.g.id,
                    "reached": True,
                    "satisfaction": "3",
                    "problem_solved": True,
                }
            )
            cls._drive(cls.g, "closed")
        # Called back this month, satisfied (5), not closed yet: open, and
        # its contact clock (never met) missed.
        with freeze_time(utc("2026-11-12 10:00")):
            cls.k = cls._create_complaint(name="K", **mine)
        with freeze_time(utc("2026-12-01 11:00")):
            cls._drive(cls.k, "callback_done")
        # Open: received 29 November, its deadline passed (breached); received
        # on 1 December at 07:00 (30 November in UTC), warned (at risk);
        # received on 1 December at 13:45 (today in UTC, not in Shanghai),
        # its first warning due at 01:45 but not sent yet (at risk); received
        # on 1 December at 01:45, warned twice by the job at 01:30, its
        # deadline passed at 01:45: breached, though the job has not marked it
        # yet, and no longer at risk.
        with freeze_time(utc("2026-11-29 10:00")):
            cls.a = cls._create_complaint(name="A", **mine)
        with freeze_time(utc("2026-12-01 01:45")):
            cls.l = cls._create_complaint(name="L", **mine)
        with freeze_time(utc("2026-12-01 07:00")):
            cls.b = cls._create_complaint(name="B", **mine)
        with freeze_time(utc("2026-12-01 13:45")):
            cls.d = cls._create_complaint(name="D", **mine)
        # Today: one refused, one open, one handed to a partner organisation.
        with freeze_time(utc("2026-12-02 00:30")):
            cls.r = cls._create_complaint(name="R", **mine)
            reason = cls.env["complaint.refuse.reason"].search(
                [("reason_type", "!=", "time_barred")], limit=1
            )
            cls.env["complaint.refuse.wizard"].with_user(cls.handler).create(
                {
                    "ticket_id": cls.r.id,
                    "reason_id": reason.id,
                    "explanation": "This is not a service of ours.",
                }
            ).action_refuse()
        with freeze_time(utc("2026-12-02 01:00")):
            cls.e = cls._create_complaint(name="E", **mine)
        with freeze_time(utc("2026-12-02 01:10")):
            cls.y = cls._handed_complaint(name="Y", **mine)
        # The other team: one received today, one breached.
        with freeze_time(utc("2026-11-25 10:00")):
            cls.x2 = cls._create_complaint(name="X2", **theirs)
        with freeze_time(utc("2026-12-02 01:20")):
            cls.x = cls._create_complaint(name="X", **theirs)
        cls._run_job(cls, utc("2026-12-02 01:30"))

    @classmethod
    def _dashboard(cls, user):
        cls.env.flush_all()
        with freeze_time(NOW):
            return cls.env["complaint.dashboard"].with_user(user).get_dashboard_data()

    @staticmethod
    def _values(cells):
        """{figure: count, or (successes, total) for a rate}."""
        return {
            key: (cell["count"], cell["total"]) if "total" in cell else cell["value"]
            for key, cell in cells.items()
        }

    @staticmethod
    def _row(rows, record):
        return next((row for row in rows if row["id"] == record.id), None)


@tagged("post_install", "-at_install")
class TestComplaintDashboard(DashboardCase):
    def test_figures_against_hand_computed_values(self):
        self.assertEqual(self.b.sla_line_ids.warned_count, 1)
        self.assertEqual(self.d.sla_line_ids.warned_count, 0)
        self.assertEqual(self.a.sla_line_ids.status, "breached")
        self.assertEqual(
            (self.l.sla_line_ids.status, self.l.sla_line_ids.warned_count),
            ("running", 2),
        )
        data = self._dashboard(self.handler)
        self.assertEqual([f["key"] for f in data["figures"]], list(FIGURES))
        desk = {
            "open": 7,  # A B D E Y K L
            "at_risk": 2,  # B (warned), D (warning due); not L (breached)
            "breached": 3,  # A, K, L (not marked by the job yet)
            "received_today": 3,  # R E Y
            "received_month": 6,  # B D R E Y L
            "fcr": (1, 2),  # F of F G (H closed last month)
            "satisfaction": (2, 3),  # F K of F G K
        }
        row = self._row(data["teams"], self.desk)
        self.assertEqual(row["name"], "Dashboard desk")
        self.assertEqual(self._values(row["cells"]), desk)
        self.assertEqual(row["cells"]["fcr"]["value"], 50.0)
        self.assertEqual(row["cells"]["satisfaction"]["value"], 66.7)
        # The partner organisation's row: Y, handed to it.
        org = self._row(data["organisations"], self.org)
        self.assertEqual(org["name"], self.org.display_name)
        self.assertEqual(
            self._values(org["cells"]),
            dict.fromkeys(FIGURES, 0)
            | {"open": 1, "received_today": 1, "received_month": 1}
            | {"fcr": (0, 0), "satisfaction": (0, 0)},
        )
        self.assertIsNone(org["cells"]["fcr"]["value"])
        # Totals: what the handler saw before, and their desk's complaints.
        before = self._values(self.before[self.handler])
        totals = self._values(data["totals"])
        for key in FIGURES:
            expected = (
                tuple(map(sum, zip(before[key], desk[key], strict=True)))
                if key in ("fcr", "satisfaction")
                else before[key] + desk[key]
            )
            self.assertEqual(totals[key], expected, key)
        self.assertEqual(data["period"]["today"], "12/02/2026")

    def test_each_figure_opens_its_complaints(self):
        data = self._dashboard(self.handler)
        Ticket = self.env["helpdesk.ticket"].with_user(self.handler)
        cells = self._row(data["teams"], self.desk)["cells"]
        expected = {
            "open": self.a | self.b | self.d | self.e | self.y | self.k | self.l,
            "at_risk": self.b | self.d,
            "breached": self.a | self.k | self.l,
            "received_today": self.r | self.e | self.y,
            "received_month": self.b | self.d | self.r | self.e | self.y | self.l,
            "fcr": self.f | self.g,
            "satisfaction": self.f | self.g | self.k,
        }
        with freeze_time(NOW):
            for key, tickets in expected.items():
                with self.subTest(figure=key):
                    self.assertEqual(Ticket.search(cells[key]["domain"]), tickets)
        org = self._row(data["organisations"], self.org)["cells"]
        self.assertEqual(Ticket.search(org["open"]["domain"]), self.y)
        # The list is the complaints' own, without their default filters.
        action = data["action"]
        self.assertEqual(action["res_model"], "helpdesk.ticket")
        list_view = self.env.ref(
            "complaint_handling.helpdesk_ticket_complaint_view_list"
        )
        self.assertEqual(action["views"][0], [list_view.id, "list"])
        self.assertFalse(
            [key for key in action["context"] if key.startswith("search_default")]
        )

    def test_each_role_sees_the_figures_of_its_complaints(self):
        mine = {
            "open": 7,
            "breached": 3,
            "received_today": 3,
        }
        theirs = {"open": 2, "breached": 1, "received_today": 1}

        def rows(user):
            data = self._dashboard(user)
            return (
                self._row(data["teams"], self.desk),
                self._row(data["teams"], self.other_desk),
                data,
            )

        def figures(row, keys):
            return {key: row["cells"][key]["value"] for key in keys}

        desk, other, data = rows(self.handler)
        self.assertEqual(figures(desk, mine), mine)
        self.assertIsNone(other, "not the other team's complaints")
        desk, other, data = rows(self.other_handler)
        self.assertIsNone(desk)
        self.assertEqual(figures(other, theirs), theirs)
        self.assertIsNone(self._row(data["organisations"], self.org))
        self.assertEqual(
            data["totals"]["open"]["value"],
            self.before[self.other_handler]["open"]["value"] + 2,
        )
        # A supervisor on no department and the manager: every team.
        for user in (self.supervisor, self.manager):
            with self.subTest(user=user.login):
                desk, other, data = rows(user)
                self.assertEqual(figures(desk, mine), mine)
                self.assertEqual(figures(other, theirs), theirs)
        self.assertEqual(
            data["totals"]["open"]["value"],
            self.before[self.manager]["open"]["value"] + 9,
        )
        # A confidential complaint is counted only for who may read it: its
        # handler and the Confidential Complaints group, not the supervisor.
        self.a.with_user(self.manager).write(
            {"confidential": True, "confidential_reason": "media"}
        )
        for user, count in ((self.handler, 7), (self.manager, 7), (self.supervisor, 6)):
            with self.subTest(user=user.login):
                self.assertEqual(rows(user)[0]["cells"]["open"]["value"], count)
        # A supervisor named on the other team's department: that team only.
        self.env["complaint.department"].create(
            {
                "name": "Shenzhen",
                "team_ids": [(4, self.other_desk.id)],
                "supervisor_ids": [(4, self.supervisor.id)],
            }
        )
        desk, other, data = rows(self.supervisor)
        self.assertIsNone(desk)
        self.assertEqual(figures(other, theirs), theirs)
        # Staff without the helpdesk rights read no dashboard at all.
        with self.assertRaises(AccessError):
            self._dashboard(self.tech)

    def _warm_up(self, Dashboard):
        """Fill the caches a request finds filled (rules, xml ids), and empty
        the records' cache, as at the start of a request. Twice: the first
        run reads some records for the rules (as superuser), the second one
        reads them with their own rules."""
        for _i in range(2):
            self.env.invalidate_all()
            Dashboard.get_dashboard_data()
        self.env.invalidate_all()

    def test_query_count_does_not_grow(self):
        Dashboard = self.env["complaint.dashboard"].with_user(self.handler)
        with freeze_time(NOW):
            self._warm_up(Dashboard)
            with self.assertQueryCount(DASHBOARD_QUERIES):
                small = Dashboard.get_dashboard_data()
        # Twenty more complaints, in a third team, some handed to another
        # organisation.
        third = self.env["helpdesk.ticket.team"].create(
            {
                "name": "Dashboard third desk",
                "complaint_process": True,
                "user_ids": [(4, self.handler.id)],
            }
        )
        with freeze_time(utc("2026-12-01 20:00")):
            tickets = self.env["helpdesk.ticket"].create(
                [
                    self._complaint_vals(
                        team_id=(third if i % 2 else self.desk).id,
                        user_id=self.handler.id,
                    )
                    for i in range(20)
                ]
            )
            tickets[:2].with_user(self.handler).action_complaint_accept()
            for ticket in tickets[:2]:
                self.env["complaint.transfer"].with_user(self.handler)._hand_off(
                    ticket, self.other_agreement
                )
        self.env.flush_all()
        with freeze_time(NOW):
            self._warm_up(Dashboard)
            with self.assertQueryCount(DASHBOARD_QUERIES):
                large = Dashboard.get_dashboard_data()
        self.assertEqual(
            large["totals"]["open"]["value"], small["totals"]["open"]["value"] + 20
        )
        self.assertEqual(len(large["teams"]), len(small["teams"]) + 1)
        self.assertEqual(len(large["organisations"]), len(small["organisations"]) + 1)


@tagged("post_install", "-at_install")
class TestComplaintDashboardTour(HttpCase, ComplaintCommon):
    """The dashboard clicked through by the lowest role that reads it: a
    helpdesk user who sees their own complaints."""

    def test_dashboard_opens_the_complaints_behind_a_figure(self):
        user = new_test_user(
            self.env,
            login="cp_dash_own",
            name="Qian Hua",
            groups="helpdesk_mgmt.group_helpdesk_user_own",
        )
        desk = self.env["helpdesk.ticket.team"].create(
            {
                "name": "Dashboard tour desk",
                "complaint_process": True,
                "user_ids": [(4, user.id), (4, self.other_handler.id)],
            }
        )
        for name in ("Tour open 1", "Tour open 2"):
            self._create_complaint(name=name, team_id=desk.id, user_id=user.id)
        # A colleague's complaint of the same team: not theirs to read.
        self._create_complaint(
            name="Tour colleague", team_id=desk.id, user_id=self.other_handler.id
        )
        self.start_tour(
            "/odoo/action-complaint_reports.complaint_dashboard_action",
            "complaint_dashboard_tour",
            login="cp_dash_own",
        )
