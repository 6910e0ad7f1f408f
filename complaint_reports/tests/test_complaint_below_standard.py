# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo import Command, fields, http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, HttpCase, new_test_user, tagged

from odoo.addons.complaint_handling.models.complaint_escalation import (
    ESCALATION_REASONS,
)
from odoo.addons.complaint_handling.tests.common import ComplaintPartnerCommon

from .common import set_aside_existing

NOVEMBER = fields.Date.to_date("2026-11-01")
# What the tour (static/tests/tours/complaint_below_standard_tours.js) types.
TOUR_ANALYSIS = "Tour: the customer was told the wrong refund date"


class BelowStandardCommon(ComplaintPartnerCommon):
    """November 2026, hand-computed (Beijing days):

    - A: closed at the first contact, satisfied: within standard;
    - B: closed at the first contact, customer neutral (3): satisfaction;
    - C: escalated, then closed, satisfied: first-contact resolution;
    - D: handed to Yuexin, acknowledged 40 min after the hand-off (limit 30):
      time limit, Yuexin responsible;
    - E: open, its 24-hour contact limit breached (job of 3 Nov): time limit;
    - F: handed to Huacheng, acknowledged late: Huacheng's;
    - H: confidential, neutral (3): satisfaction, seen by who sees it only;
    - O: October, neutral: another period; Z: 30 Nov 23:30 UTC, neutral: 1
      December in Beijing, another period.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        set_aside_existing(cls.env, "complaint.below.standard")
        # ... and the clocks of the database's policies.
        cls.env["complaint.sla.policy"].search([]).active = False
        cls.company.partner_id.tz = "Asia/Shanghai"
        cls.team.user_ids |= cls.handler
        cls.l2_team.user_ids |= cls.handler
        cls.env["complaint.sla.policy"].create(
            {
                "name": "Carrier policy",
                "sequence": 50,
                "kind": "complaint",
                "milestone_ids": [
                    Command.create(
                        {
                            "name": "Contact in 24 h",
                            "target": 24,
                            "unit": "hours",
                            "start_event": "received",
                            "fulfil_event": "first_contact",
                        }
                    )
                ],
            }
        )
        (cls.agreement | cls.other_agreement).action_generate_sla_policy()
        cls.confidential_user = new_test_user(
            cls.env,
            login="cp_confidential_sup",
            name="Deng Hui",
            groups="complaint_handling.complaint_handling_group_supervisor,"
            "complaint_handling.complaint_handling_group_confidential",
        )
        common = {"user_id": cls.handler.id}
        with freeze_time("2026-10-20 02:00:00"):
            cls.o = cls._neutral(name="O", **common)
        with freeze_time("2026-11-02 01:00:00"):
            cls.a = cls._create_complaint(name="A", **common)
            cls._drive(cls.a, "closed")
            cls.b = cls._neutral(name="B", **common)
        with freeze_time("2026-11-02 02:00:00"):
            cls.c = cls._create_complaint(name="C", **common)
            cls._drive(cls.c, "handling")
            cls.c.with_user(cls.handler)._complaint_escalate(
                ESCALATION_REASONS[0][0], "Needs level 2"
            )
            cls._drive(cls.c, "closed")
            cls.e = cls._create_complaint(name="E", **common)
            cls.h = cls._neutral(
                name="H", confidential=True, confidential_reason="vip", **common
            )
        with freeze_time("2026-11-02 03:00:00"):
            cls.d = cls._handed_complaint(acknowledged=False, name="D")
            cls.f = cls._create_complaint(
                name="F", partner_id=cls.portal_customer.partner_id.id
            )
            cls.f.with_user(cls.handler).action_complaint_accept()
            cls.env["complaint.transfer"].with_user(cls.handler)._hand_off(
                cls.f, cls.other_agreement, note="Please call"
            )
        with freeze_time("2026-11-02 03:40:00"):
            cls.d.with_user(cls.agent).transfer_id.action_acknowledge()
            cls.f.with_user(cls.other_agent).transfer_id.action_acknowledge()
        with freeze_time("2026-11-03 06:00:00"):
            cls.env["complaint.sla.line"]._cron_check_deadlines()
        with freeze_time("2026-11-30 23:30:00"):
            cls.z = cls._neutral(name="Z", **common)
        cls.Cases = cls.env["complaint.below.standard"]
        cls.cause_network = cls.env.ref(
            "complaint_reports.complaint_below_standard_cause_network"
        )
        cls.cause_process = cls.env.ref(
            "complaint_reports.complaint_below_standard_cause_process"
        )

    @classmethod
    def _neutral(cls, **values):
        """Closed at the first contact, the customer neutral (3) at the
        callback."""
        ticket = cls._create_complaint(**values)
        cls._drive(ticket, "result_reported")
        cls.env["complaint.callback"].with_user(cls.handler).create(
            {
                "ticket_id": ticket.id,
                "reached": True,
                "satisfaction": "3",
                "problem_solved": True,
            }
        )
        return cls._drive(ticket, "closed")

    @classmethod
    def _generate(cls, date_from=NOVEMBER):
        return cls.Cases._complaint_generate(cls.company, date_from)

    @classmethod
    def _case(cls, ticket):
        return cls.Cases.sudo().search([("ticket_id", "=", ticket.id)])


@tagged("post_install", "-at_install")
class TestComplaintBelowStandard(BelowStandardCommon):
    """The list of a period against hand-computed cases; generation again;
    the query count; the daily job; who sees and records what; the dialogs."""

    @staticmethod
    def _missed(case):
        return {
            key
            for key, name in (
                ("fcr", "missed_fcr"),
                ("satisfaction", "missed_satisfaction"),
                ("time_limit", "missed_time_limit"),
            )
            if case[name]
        }

    def test_generation_against_hand_computed_cases(self):
        self.maxDiff = None
        with freeze_time("2026-12-02 03:00:00"):
            cases = self._generate()
        self.assertEqual(self.c.escalation_level, "2")
        self.assertEqual(self.d.partner_org_id, self.org)
        listed = {
            case.ticket_id: (self._missed(case), case.responsible, case.partner_org_id)
            for case in cases
        }
        no_org = self.env["res.partner"]
        self.assertEqual(
            listed,
            {
                self.b: ({"satisfaction"}, "carrier", no_org),
                self.c: ({"fcr"}, "carrier", no_org),
                self.d: ({"time_limit"}, "partner", self.org),
                self.e: ({"time_limit"}, "carrier", no_org),
                self.f: ({"time_limit"}, "partner", self.other_org),
                self.h: ({"satisfaction"}, "carrier", no_org),
            },
        )
        self.assertEqual(set(cases.mapped("state")), {"open"})
        self.assertEqual(
            {(c.date_from, c.date_to, c.period) for c in cases},
            {(NOVEMBER, fields.Date.to_date("2026-11-30"), "2026-11")},
        )
        d_case = self._case(self.d)
        self.assertEqual(d_case.number, self.d.number)
        self.assertEqual(d_case.category_id, self.d.category_id)
        self.assertEqual(d_case.missed, "Time limit")
        # The periodic report lists the same cases (the confidential one is
        # counted there, not listed), missing the same standards.
        figures = self.env["complaint.report.figures"]._complaint_figures(
            self.company, "2026-11-01", "2026-11-30"
        )["below_standard"]
        self.assertEqual(
            {
                self.env["helpdesk.ticket"].browse(case["ticket_id"]): set(
                    case["missed"]
                )
                for case in figures["cases"]
            },
            {
                ticket: missed
                for ticket, (missed, _who, _org) in listed.items()
                if ticket != self.h
            },
        )
        self.assertEqual(
            (figures["no_fcr"], figures["unsatisfied"], figures["late"]), (1, 2, 3)
        )
        # October's and 1 December's (Beijing) cases are other periods'.
        october = self._generate("2026-10-01")
        self.assertEqual(october.ticket_id, self.o)
        self.assertEqual(self._generate("2026-12-01").ticket_id, self.z)

    def test_generation_again_keeps_analyses(self):
        first = self._generate()
        b_case, c_case = self._case(self.b), self._case(self.c)
        c_case.with_user(self.supervisor).action_record_analysis(
            self.cause_process.id, "Level 2 waited three days for billing."
        )
        again = self._generate()
        self.assertEqual(again, first)
        self.assertEqual(len(again), 6)
        self.assertEqual(c_case.state, "analysed")
        self.assertEqual(c_case.cause_id, self.cause_process)
        # A case no longer below standard (archived here) leaves the list,
        # unless it was analysed: the analysis is kept.
        (self.b | self.c).active = False
        third = self._generate()
        self.assertFalse(b_case.exists())
        self.assertTrue(c_case.exists())
        self.assertEqual(third, first - b_case)
        self.assertEqual(c_case.analysis, "Level 2 waited three days for billing.")

    def test_generation_queries_do_not_grow_with_complaints(self):
        self._generate()  # warm-up: the registry's caches (defaults, rules)
        counts = []
        for month, size in (("2026-08", 2), ("2026-09", 7)):
            with freeze_time(f"{month}-10 02:00:00"):
                for index in range(size):
                    self._create_complaint(
                        name=f"{month} {index}", user_id=self.handler.id
                    )
            with freeze_time(f"{month}-12 02:00:00"):
                self.env["complaint.sla.line"]._cron_check_deadlines()
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            cases = self._generate(f"{month}-01")
            self.env.flush_all()
            counts.append(self.env.cr.sql_log_count - before)
            self.assertEqual(len(cases), size)
            self.assertEqual(set(cases.mapped("missed_time_limit")), {True})
        self.assertEqual(counts[0], counts[1])

    def test_daily_job_lists_last_month(self):
        with freeze_time("2026-12-05 01:00:00"):
            self.Cases._cron_generate()
            self.Cases._cron_generate()
        cases = self.Cases.sudo().search([])
        self.assertEqual(set(cases.mapped("date_from")), {NOVEMBER})
        self.assertEqual(
            cases.ticket_id, self.b | self.c | self.d | self.e | self.f | self.h
        )

    def test_access_matrix(self):
        self._generate()
        b_case, c_case, d_case = (
            self._case(self.b),
            self._case(self.c),
            self._case(self.d),
        )
        e_case, f_case = self._case(self.e), self._case(self.f)

        def visible(user):
            return self.Cases.with_user(user).search([]).ticket_id

        listed = self.b | self.c | self.d | self.e | self.f
        self.assertEqual(visible(self.supervisor), listed)
        self.assertEqual(visible(self.manager), listed | self.h)
        self.assertEqual(visible(self.confidential_user), listed | self.h)
        self.assertEqual(visible(self.org_supervisor), self.d)
        self.assertEqual(visible(self.agent), self.d)
        self.assertEqual(visible(self.other_agent), self.f)
        for user in (self.handler, self.portal_customer):
            with self.assertRaises(AccessError):
                visible(user)
        with self.assertRaises(AccessError):
            f_case.with_user(self.org_supervisor).read(["analysis"])
        # The organisation's supervisor agent analyses its own cases only.
        d_case.with_user(self.org_supervisor).action_record_analysis(
            self.cause_network.id, "The agent picked it up late."
        )
        self.assertEqual(d_case.state, "analysed")
        self.assertEqual(d_case.analysed_by_id, self.org_supervisor)
        self.assertTrue(d_case.analysed_date)
        with self.assertRaises(AccessError):
            d_case.with_user(self.agent).action_record_analysis(
                self.cause_network.id, "Not mine to write"
            )
        with self.assertRaises(AccessError):
            f_case.with_user(self.org_supervisor).action_record_analysis(
                self.cause_network.id, "Another organisation's"
            )
        for vals in ({"responsible": "carrier"}, {"missed_time_limit": False}):
            with self.assertRaises(AccessError):
                d_case.with_user(self.org_supervisor).write(vals)
        self.assertEqual(d_case.responsible, "partner")
        self.assertTrue(d_case.missed_time_limit)
        # The carrier records its own cases, not the organisations'.
        c_case.with_user(self.supervisor).write(
            {"cause_id": self.cause_process.id, "analysis": "Billing check slow."}
        )
        self.assertEqual(c_case.state, "analysed")
        with self.assertRaises(AccessError):
            f_case.with_user(self.supervisor).write({"analysis": "Not ours"})
        self.assertFalse(f_case.with_user(self.supervisor).is_responsible)
        # ... until it takes the responsibility over.
        f_case.with_user(self.supervisor).write({"responsible": "carrier"})
        self.assertTrue(f_case.with_user(self.supervisor).is_responsible)
        self.assertFalse(f_case.with_user(self.other_agent).is_responsible)
        f_case.with_user(self.supervisor).action_record_analysis(
            self.cause_process.id, "Taken over by the carrier."
        )
        self.assertEqual(f_case.analysed_by_id, self.supervisor)
        # A case of an organisation names it.
        with self.assertRaises(ValidationError):
            e_case.with_user(self.supervisor).write({"responsible": "partner"})
        # Nobody lists or deletes cases by hand; what they missed is set by
        # the generation.
        with self.assertRaises(AccessError):
            self.Cases.with_user(self.manager).create(
                {"ticket_id": self.a.id, "date_from": NOVEMBER, "date_to": NOVEMBER}
            )
        with self.assertRaises(AccessError):
            b_case.with_user(self.supervisor).unlink()
        with self.assertRaises(AccessError):
            b_case.with_user(self.manager).write({"missed_fcr": True})

    def test_backend_form_follows_responsibility(self):
        self._generate()
        f_case = self._case(self.f).with_user(self.supervisor)
        form = Form(f_case)
        self.assertFalse(form.is_responsible)
        # The organisation's to analyse: read-only for the carrier...
        with self.assertRaises(AssertionError):
            form.cause_id = self.cause_network
        # ... until the carrier takes it over, in the same save.
        form.responsible = "carrier"
        self.assertTrue(form.is_responsible)
        form.cause_id = self.cause_network
        form.analysis = "Huacheng's night shift was not staffed."
        form.save()
        self.assertEqual(
            (f_case.responsible, f_case.state, f_case.analysed_by_id),
            ("carrier", "analysed", self.supervisor),
        )
        # Handing it back needs the organisation named.
        e_form = Form(self._case(self.e).with_user(self.supervisor))
        e_form.responsible = "partner"
        with self.assertRaises(AssertionError):
            e_form.save()

    def test_analysis_needs_cause_and_text(self):
        self._generate()
        case = self._case(self.e).with_user(self.supervisor)
        with self.assertRaisesRegex(UserError, "choose a cause, write the analysis"):
            case.action_record_analysis("", "  ")
        with self.assertRaisesRegex(UserError, "write the analysis"):
            case.action_record_analysis(self.cause_network.id, "")
        self.cause_network.active = False
        with self.assertRaisesRegex(UserError, "choose a cause"):
            case.action_record_analysis(self.cause_network.id, "Outage")
        with self.assertRaisesRegex(UserError, "choose a cause"):
            case.action_record_analysis("not a number", "Outage")
        self.assertEqual(case.state, "open")
        self.assertFalse(case.analysis)

    def test_generation_dialog(self):
        with freeze_time("2026-12-02 03:00:00"):
            Wizard = self.env["complaint.below.standard.generate"]
            dialog = Form(Wizard.with_user(self.supervisor))
            self.assertEqual(dialog.date_from, NOVEMBER)
            dialog.date_from = fields.Date.to_date("2026-11-17")
            action = dialog.save().action_generate()
            # A month to come has nothing to list.
            dialog = Form(Wizard.with_user(self.supervisor))
            dialog.date_from = fields.Date.to_date("2027-01-01")
            with self.assertRaises(ValidationError):
                dialog.save()
        cases = self.Cases.with_user(self.supervisor).search(action["domain"])
        self.assertEqual(cases.ticket_id, self.b | self.c | self.d | self.e | self.f)
        self.assertEqual(action["res_model"], "complaint.below.standard")
        for user in (self.handler, self.org_supervisor):
            with self.assertRaises(AccessError):
                Wizard.with_user(user).create({"date_from": NOVEMBER})

    @freeze_time("2026-12-02 03:00:00")
    def test_new_improvement_action_dialog(self):
        self._generate()
        d_case, c_case = self._case(self.d), self._case(self.c)
        action = d_case.with_user(self.supervisor).action_new_improvement_action()
        Action = (
            self.env[action["res_model"]]
            .with_user(self.supervisor)
            .with_context(**action["context"])
        )
        dialog = Form(Action)
        self.assertEqual(dialog.partner_org_id, self.org)
        dialog.name = "Acknowledge within 30 minutes, also at night"
        dialog.date_due = fields.Date.to_date("2026-12-31")
        record = dialog.save()
        self.assertEqual(record.below_standard_ids, d_case)
        self.assertEqual(record.ticket_ids, self.d)
        self.assertEqual(record.category_ids, self.d.category_id)
        self.assertEqual(record.partner_org_id, self.org)
        self.assertEqual(record.owner_id, self.supervisor)
        self.assertEqual(record.state, "open")
        # Cases of the carrier and of an organisation: no organisation.
        action = (
            (d_case | c_case).with_user(self.supervisor).action_new_improvement_action()
        )
        self.assertNotIn("default_partner_org_id", action["context"])
        with self.assertRaises(AccessError):
            d_case.with_user(self.org_supervisor).action_new_improvement_action()


@tagged("post_install", "-at_install")
class TestComplaintBelowStandardPortal(HttpCase, BelowStandardCommon):
    """The organisation's supervisor agent records the cause of its cases in
    the portal; nobody reaches another organisation's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_org_supervisor = cls._new_agent(
            "cp_other_sup",
            "Qian Bo",
            cls.other_org,
            "complaint_handling.complaint_handling_group_partner_supervisor",
        )
        cls._generate()
        cls.d_case = cls._case(cls.d)
        cls.f_case = cls._case(cls.f)

    def _post(self, url, data=None):
        data = dict(data or {}, csrf_token=http.Request.csrf_token(self))
        response = self.url_open(url, data=data, allow_redirects=False)
        self.env.invalidate_all()
        return response

    def _url(self, case, action=None):
        url = f"/my/complaint-below-standard/{case.id}"
        return f"{url}/{action}" if action else url

    def test_record_cause_and_analysis(self):
        self.authenticate("cp_org_sup", "cp_org_sup")
        self.assertIn('href="/my/complaint-below-standard"', self.url_open("/my").text)
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["below_standard_count"]}
        )
        self.assertEqual(counters["below_standard_count"], 1)
        page = self.url_open("/my/complaint-below-standard")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self._url(self.d_case), page.text)
        self.assertIn(self.d.number, page.text)
        self.assertNotIn(self.f.number, page.text)
        self.assertNotIn(self.e.number, page.text)
        page = self.url_open(self._url(self.d_case))
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_complaint_below_standard_form", page.text)
        self.assertIn("Time limit", page.text)
        self.assertIn(self.cause_network.name, page.text)
        # No cause: refused, what was typed shown again, nothing written.
        typed = "The hand-off arrived at night;\r\nnobody was on duty."
        response = self._post(
            self._url(self.d_case, "save"), {"cause_id": "", "analysis": typed}
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("o_complaint_below_standard_error", response.text)
        self.assertIn("choose a cause", response.text)
        self.assertIn(
            "The hand-off arrived at night;\nnobody was on duty.", response.text
        )
        self.assertEqual(self.d_case.state, "open")
        self.assertFalse(self.d_case.analysis)
        # With the cause: recorded.
        response = self._post(
            self._url(self.d_case, "save"),
            {"cause_id": str(self.cause_process.id), "analysis": typed},
        )
        self.assertEqual(response.status_code, 303, response.text[:1000])
        self.assertTrue(
            response.headers["Location"].endswith(f"{self._url(self.d_case)}?done=save")
        )
        self.assertEqual(self.d_case.state, "analysed")
        self.assertEqual(self.d_case.cause_id, self.cause_process)
        self.assertEqual(
            self.d_case.analysis, "The hand-off arrived at night;\nnobody was on duty."
        )
        self.assertEqual(self.d_case.analysed_by_id, self.org_supervisor)
        page = self.url_open(response.headers["Location"]).text
        self.assertIn("o_complaint_below_standard_done", page)
        analysed = self.url_open("/my/complaint-below-standard?filterby=analysed").text
        self.assertIn(self._url(self.d_case), analysed)
        to_do = self.url_open("/my/complaint-below-standard?filterby=open").text
        self.assertNotIn(self._url(self.d_case), to_do)

    def test_other_organisation_gets_404(self):
        self.authenticate("cp_other_sup", "cp_other_sup")
        self.assertEqual(self.url_open(self._url(self.d_case)).status_code, 404)
        response = self._post(
            self._url(self.d_case, "save"),
            {"cause_id": str(self.cause_network.id), "analysis": "Not ours"},
        )
        self.assertEqual(response.status_code, 404)
        self.assertFalse(self.d_case.analysis)
        page = self.url_open("/my/complaint-below-standard").text
        self.assertIn(self._url(self.f_case), page)
        self.assertNotIn(self._url(self.d_case), page)
        # Nor does anyone but the organisations' supervisor agents.
        for login in ("cp_agent", "cp_customer", "cp_handler", "cp_supervisor"):
            self.authenticate(login, login)
            self.assertEqual(
                self.url_open("/my/complaint-below-standard").status_code, 404, login
            )
            self.assertEqual(self.url_open(self._url(self.d_case)).status_code, 404)

    def test_supervisor_tour(self):
        self.start_tour(
            "/my", "complaint_below_standard_portal_tour", login="cp_org_sup"
        )
        self.env.invalidate_all()
        self.assertEqual(self.d_case.state, "analysed")
        self.assertEqual(self.d_case.cause_id, self.cause_process)
        self.assertEqual(self.d_case.analysis, TOUR_ANALYSIS)
        self.assertEqual(self.d_case.analysed_by_id, self.org_supervisor)
        self.assertFalse(self.f_case.analysis)
