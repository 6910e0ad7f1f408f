# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime

import pytz
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged
from odoo.tests.common import warmup

from odoo.addons.complaint_handling.tests.common import ComplaintPartnerCommon

SHANGHAI = pytz.timezone("Asia/Shanghai")


def local(text):
    """A Shanghai wall-clock time as the naive UTC datetime Odoo stores."""
    moment = SHANGHAI.localize(datetime.fromisoformat(text))
    return moment.astimezone(pytz.utc).replace(tzinfo=None)


# The computation of a sheet from an empty record cache, whatever the number
# of complaints: the user, the sheet, its company and time zone, the figures
# query, the user counts, the old lines' removal (5), the new lines (2), the
# sheet's update (2).
COMPUTE_QUERIES = 14


@tagged("post_install", "-at_install")
class TestComplaintRegulator(ComplaintPartnerCommon):
    """The regulator sheet of Q2 2024 (Shanghai time) against hand-computed
    figures, with Q1 2024 as the previous quarter."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.tz = "Asia/Shanghai"
        Category = cls.env["helpdesk.ticket.category"]
        cls.cat_net = Category.create(
            {"name": "Reg network", "complaint_regulator_category": "network_quality"}
        )
        # A sub-type without its own category: its parent's.
        cls.cat_net_sub = Category.create(
            {"name": "Reg network / drops", "parent_id": cls.cat_net.id}
        )
        # A sub-type with its own category: its own, not its parent's.
        cls.cat_net_svc = Category.create(
            {
                "name": "Reg network / rude engineer",
                "parent_id": cls.cat_net.id,
                "complaint_regulator_category": "customer_service",
            }
        )
        cls.cat_bill = Category.create(
            {"name": "Reg billing", "complaint_regulator_category": "billing_dispute"}
        )
        cls.cat_svc = Category.create(
            {"name": "Reg service", "complaint_regulator_category": "customer_service"}
        )
        cls.cat_unmapped = Category.create({"name": "Reg other"})
        cls.regulator = cls.env.ref(
            "complaint_handling.helpdesk_ticket_channel_regulator"
        )
        direct = cls.channel_hotline
        # Q2 2024
        cls._complaint_at(
            # Received 1 April (31 March in UTC), answered 16 April: day 15.
            "2024-04-01 07:00",
            cls.cat_net_sub,
            cls.regulator,
            answered="2024-04-16 23:00",
        )
        # Received 10 April, answered 26 April: day 16.
        cls._complaint_at(
            "2024-04-10 10:00", cls.cat_net, direct, answered="2024-04-26 09:00"
        )
        cls._complaint_at("2024-05-05 10:00", cls.cat_bill, direct, line="broadband")
        cls._complaint_at(
            "2024-05-06 10:00",
            cls.cat_bill,
            cls.regulator,
            line="broadband",
            answered="2024-05-06 15:00",
        )
        # The last half hour of the quarter in Shanghai.
        cls._complaint_at("2024-06-30 23:30", cls.cat_net_svc, direct)
        cls._complaint_at("2024-05-01 10:00", cls.cat_unmapped, direct)
        # Not counted: received in Q3 in Shanghai (still 30 June in UTC), a
        # consultation, an archived complaint.
        cls._complaint_at("2024-07-01 00:30", cls.cat_bill, direct)
        front_desk = cls.env["helpdesk.ticket.team"].create({"name": "Front desk"})
        with freeze_time(local("2024-05-02 10:00")):
            cls.env["helpdesk.ticket"].create(
                {
                    "name": "Which plan suits me?",
                    "description": "<p>Question</p>",
                    "kind": "consultation",
                    "team_id": front_desk.id,
                    "category_id": cls.cat_bill.id,
                }
            )
        cls.archived = cls._complaint_at("2024-05-03 10:00", cls.cat_bill, direct)
        cls.archived.active = False
        # Q1 2024
        cls._complaint_at(
            "2024-02-01 10:00", cls.cat_net, direct, answered="2024-02-04 10:00"
        )
        cls._complaint_at("2024-03-01 10:00", cls.cat_svc, cls.regulator)
        # The first half hour of the quarter in Shanghai (2023 in UTC).
        cls._complaint_at("2024-01-01 00:30", cls.cat_net_sub, direct)
        Count = cls.env["complaint.subscriber.count"]
        cls.counts = Count.create(
            [
                {"year": 2024, "quarter": "2", "business_line": "mobile"}
                | {"subscribers": 2_000_000},
                {"year": 2024, "quarter": "2", "business_line": "broadband"}
                | {"subscribers": 500_000},
                # Not a business line of the quarter's complaints.
                {"year": 2024, "quarter": "2", "business_line": "tv"}
                | {"subscribers": 300_000},
                {"year": 2024, "quarter": "1", "business_line": "mobile"}
                | {"subscribers": 1_000_000},
            ]
        )

    @classmethod
    def _complaint_at(cls, received, category, channel, line="mobile", answered=None):
        """A complaint received at ``received`` (Shanghai), its first result
        reported to the customer at ``answered``."""
        with freeze_time(local(received)):
            ticket = cls._create_complaint(
                category_id=category.id, channel_id=channel.id, business_line=line
            )
            if answered:
                cls._drive(ticket, "accepted")
        if answered:
            with freeze_time(local(answered)):
                cls.env["complaint.feedback"].with_user(cls.handler).create(
                    {"ticket_id": ticket.id, "conclusion": "Answered."}
                )
        return ticket

    def _sheet(self, year=2024, quarter="2", user=None):
        sheet = self.env["complaint.regulator.sheet"].create(
            {"year": year, "quarter": quarter}
        )
        return sheet.with_user(user or self.manager)

    def _lines(self, sheet):
        return {line.regulator_category or "total": line for line in sheet.line_ids}

    def _assert_figures(self, line, expected):
        for name, value in expected.items():
            with self.subTest(line=line.display_name, field=name):
                if isinstance(value, float):
                    self.assertAlmostEqual(line[name], value, places=2)
                else:
                    self.assertEqual(line[name], value)

    def test_figures_against_hand_computed_values(self):
        sheet = self._sheet()
        sheet.action_compute()
        self.assertEqual(sheet.state, "done")
        self.assertEqual(sheet.computed_by_id, self.manager)
        lines = self._lines(sheet)
        self.assertEqual(
            list(lines),
            ["network_quality", "billing_dispute", "customer_service", "total"],
        )
        # Q2: 2.5 million users (mobile and broadband; TV has no complaint).
        # Q1: 1 million (mobile).
        self._assert_figures(
            lines["network_quality"],
            {
                "complaint_count": 2,
                "regulator_count": 1,
                "direct_count": 1,
                "subscribers": 2_500_000,
                "subscribers_missing": False,
                "per_million": 0.8,
                "share": 40.0,
                "answered_15d_count": 1,
                "answered_15d_rate": 50.0,
                "prev_complaint_count": 2,
                "prev_regulator_count": 0,
                "prev_direct_count": 2,
                "prev_subscribers": 1_000_000,
                "prev_per_million": 2.0,
                "prev_share": 66.7,  # digits: one decimal
                "prev_answered_15d_rate": 50.0,
                "change": 0,
                "change_pct_defined": True,
                "change_pct": 0.0,
                "per_million_change": -1.2,
            },
        )
        self._assert_figures(
            lines["billing_dispute"],
            {
                "complaint_count": 2,
                "regulator_count": 1,
                "direct_count": 1,
                "per_million": 0.8,
                "share": 40.0,
                "answered_15d_count": 1,
                "answered_15d_rate": 50.0,
                "prev_complaint_count": 0,
                "prev_per_million": 0.0,
                "prev_share": 0.0,
                "change": 2,
                # No complaint in Q1: no percentage.
                "change_pct_defined": False,
                "change_pct": 0.0,
                "per_million_change": 0.8,
            },
        )
        self._assert_figures(
            lines["customer_service"],
            {
                "complaint_count": 1,
                "regulator_count": 0,
                "direct_count": 1,
                "per_million": 0.4,
                "share": 20.0,
                "answered_15d_count": 0,
                "answered_15d_rate": 0.0,
                "prev_complaint_count": 1,
                "prev_regulator_count": 1,
                "prev_per_million": 1.0,
                "change": 0,
                "change_pct_defined": True,
                "per_million_change": -0.6,
            },
        )
        self._assert_figures(
            lines["total"],
            {
                "is_total": True,
                "complaint_count": 5,
                "regulator_count": 2,
                "direct_count": 3,
                "per_million": 2.0,
                "share": 100.0,
                "answered_15d_count": 2,
                "answered_15d_rate": 40.0,
                "prev_complaint_count": 3,
                "prev_regulator_count": 1,
                "prev_per_million": 3.0,
                "prev_answered_15d_rate": 33.3,
                "change": 2,
                "change_pct_defined": True,
                "change_pct": 66.7,
                "per_million_change": -1.0,
            },
        )
        self.assertEqual((sheet.unmapped_count, sheet.prev_unmapped_count), (1, 0))
        self.assertFalse(sheet.missing_subscribers_message)
        # Frozen: a complaint received later in the quarter changes nothing
        # until the sheet is set to draft and computed again.
        self._complaint_at("2024-06-01 10:00", self.cat_bill, self.regulator)
        self.assertEqual(lines["total"].complaint_count, 5)
        with self.assertRaises(UserError):
            sheet.action_compute()
        with self.assertRaises(UserError):
            sheet.quarter = "3"
        sheet.action_draft()
        sheet.action_compute()
        self.assertEqual(self._lines(sheet)["total"].complaint_count, 6)
        self.assertEqual(self._lines(sheet)["billing_dispute"].regulator_count, 2)

    def test_missing_user_counts(self):
        self.counts.filtered(
            lambda c: c.business_line == "broadband"
        ).unlink()  # Q2 broadband
        sheet = self._sheet()
        sheet.action_compute()
        lines = self._lines(sheet)
        for line in lines.values():
            with self.subTest(line=line.display_name):
                self.assertTrue(line.subscribers_missing)
                self.assertEqual((line.subscribers, line.per_million), (0, 0.0))
                self.assertFalse(line.prev_subscribers_missing)
        self.assertEqual(lines["total"].complaint_count, 5)
        self.assertEqual(lines["total"].prev_per_million, 3.0)
        self.assertEqual(
            sheet.missing_subscribers,
            [{"year": 2024, "quarter": 2, "business_lines": ["broadband"]}],
        )
        message = sheet.missing_subscribers_message
        self.assertIn("Q2 2024", message)
        self.assertIn("Broadband", message)
        self.assertNotIn("Q1 2024", message)

    def test_complaints_without_business_line(self):
        self._complaint_at("2022-08-01 10:00", self.cat_net, self.regulator, line=False)
        sheet = self._sheet(year=2022, quarter="3")
        sheet.action_compute()
        total = self._lines(sheet)["total"]
        self.assertEqual(total.complaint_count, 1)
        self.assertTrue(total.subscribers_missing)
        self.assertEqual(
            sheet.missing_subscribers,
            [{"year": 2022, "quarter": 3, "business_lines": []}],
        )
        self.assertIn("no business line", sheet.missing_subscribers_message)

    def test_period_without_complaints(self):
        sheet = self._sheet(year=2023, quarter="2")
        sheet.action_compute()
        self.assertEqual(len(sheet.line_ids), 4)
        for line in sheet.line_ids:
            with self.subTest(line=line.display_name):
                self._assert_figures(
                    line,
                    {
                        "complaint_count": 0,
                        "regulator_count": 0,
                        "direct_count": 0,
                        "per_million": 0.0,
                        "share": 0.0,
                        "answered_15d_rate": 0.0,
                        "prev_complaint_count": 0,
                        "change": 0,
                        "change_pct_defined": False,
                        "subscribers_missing": False,
                        "prev_subscribers_missing": False,
                    },
                )
        self.assertEqual((sheet.unmapped_count, sheet.prev_unmapped_count), (0, 0))
        self.assertFalse(sheet.missing_subscribers_message)

    def _assert_compute_queries(self, sheet):
        """Compute ``sheet`` once to warm the caches, then count the queries
        of computing it again from an empty record cache (deleting the old
        lines empties it anyway)."""
        sheet.action_compute()
        sheet.action_draft()
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(COMPUTE_QUERIES):
            sheet.action_compute()
        sheet.action_draft()

    @warmup
    def test_query_count_does_not_grow(self):
        sheet = self._sheet()
        self._assert_compute_queries(sheet)
        self.assertEqual(self._lines(sheet)["total"].complaint_count, 5)
        with freeze_time(local("2024-05-20 10:00")):
            self.env["helpdesk.ticket"].create(
                [
                    self._complaint_vals(
                        category_id=self.cat_net_sub.id, business_line="broadband"
                    )
                    for _ in range(20)
                ]
            )
        self._assert_compute_queries(sheet)
        self.assertEqual(self._lines(sheet)["total"].complaint_count, 25)

    def test_access(self):
        sheet = self._sheet()
        sheet.action_compute()
        # Supervisors read the sheets and the user counts, change nothing.
        as_supervisor = sheet.with_user(self.supervisor)
        self.assertEqual(
            self.env["complaint.regulator.sheet"]
            .with_user(self.supervisor)
            .search([("id", "=", sheet.id)]),
            as_supervisor,
        )
        self.assertEqual(as_supervisor.line_ids.mapped("complaint_count"), [2, 2, 1, 5])
        self.assertTrue(self.counts.with_user(self.supervisor).read(["subscribers"]))
        as_supervisor.invalidate_recordset()
        for action in (as_supervisor.action_draft, as_supervisor.action_compute):
            with self.subTest(action=action.__name__), self.assertRaises(AccessError):
                action()
        with self.assertRaises(AccessError):
            self.env["complaint.regulator.sheet"].with_user(self.supervisor).create(
                {"year": 2024, "quarter": "3"}
            )
        with self.assertRaises(AccessError):
            self.env["complaint.subscriber.count"].with_user(self.supervisor).create(
                {
                    "year": 2024,
                    "quarter": "3",
                    "business_line": "mobile",
                    "subscribers": 1,
                }
            )
        with self.assertRaises(AccessError):
            self.counts[:1].with_user(self.supervisor).subscribers = 2
        # Managers enter the user counts.
        self.env["complaint.subscriber.count"].with_user(self.manager).create(
            {"year": 2024, "quarter": "3", "business_line": "mobile", "subscribers": 9}
        )
        # The lines are frozen, even for managers.
        with self.assertRaises(AccessError):
            sheet.line_ids[:1].complaint_count = 7
        # Handlers, partner agents and customers: nothing.
        for user in (
            self.handler,
            self.agent,
            self.org_supervisor,
            self.portal_customer,
        ):
            for model, records in (
                ("complaint.regulator.sheet", sheet),
                ("complaint.regulator.sheet.line", sheet.line_ids),
                ("complaint.subscriber.count", self.counts),
            ):
                with self.subTest(user=user.login, model=model):
                    with self.assertRaises(AccessError):
                        self.env[model].with_user(user).search([])
                    with self.assertRaises(AccessError):
                        records.with_user(user).read(["display_name"])
            with self.assertRaises(AccessError):
                sheet.with_user(user).action_compute()

    def test_sheet_form(self):
        with Form(
            self.env["complaint.regulator.sheet"].with_user(self.manager)
        ) as form:
            form.year = 2024
            form.quarter = "2"
        sheet = form.record
        self.assertEqual(sheet.state, "draft")
        self.assertFalse(sheet.line_ids)
        sheet.action_compute()
        form = Form(sheet)
        self.assertEqual(form.state, "done")
        self.assertEqual(len(form.line_ids), 4)
        self.assertEqual(form.unmapped_count, 1)
        self.assertFalse(form.missing_subscribers_message)
        with self.assertRaises(AssertionError):
            form.year = 2023  # read-only once computed

    def test_category_form(self):
        with Form(self.cat_unmapped.with_user(self.manager)) as form:
            form.complaint_regulator_category = "billing_dispute"
        self.assertEqual(
            self.cat_unmapped.complaint_regulator_category, "billing_dispute"
        )
        sheet = self._sheet()
        sheet.action_compute()
        self.assertEqual(sheet.unmapped_count, 0)
        self.assertEqual(self._lines(sheet)["billing_dispute"].complaint_count, 3)
