# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time
from markupsafe import escape

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.complaint_sla.tests.common import SlaTestMixin, utc
from odoo.addons.complaint_training.tests.common import TrainingCommon

NOVEMBER = ("2026-11-01", "2026-11-30")
TZ = "Asia/Shanghai"
# Measuring any number of scorecards (their lines replaced): the
# scorecards, agreements, terms and KPIs read, the companies' time zones, one
# query per kind of KPI measured from the data (time limits, first-contact
# resolution, satisfaction), two for the spot checks of the period, one for
# the imported figures, the old lines removed and the new ones inserted,
# their definitions copied in one query, the scorecards marked computed.
SCORECARD_QUERIES = 22


class ScorecardCommon(SlaTestMixin, TrainingCommon):
    """Two partner organisations under agreement, both with time limits of
    their own (no working calendar, so that the deadlines are plain sums):
    acknowledge within 30 minutes of the hand-off, contact the customer
    within 24 hours of it, report the result within 4 hours of the
    solution, call back within 72 hours of the result, close within 7 days
    of the reception."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._sla_isolate()
        cls.company.partner_id.tz = TZ
        cls.company.write(
            {"complaint_escalate_unsatisfied": False, "complaint_qa_pass_score": 80}
        )
        for agreement in cls.agreement | cls.other_agreement:
            cls._policy(agreement)
        cls.other_org_supervisor = cls._new_agent(
            "cp_other_sup",
            "Qian Bo",
            cls.other_org,
            "complaint_handling.complaint_handling_group_partner_supervisor",
        )
        cls.customer_count = 0

    @classmethod
    def _policy(cls, agreement):
        limits = [
            ("transferred", "acknowledged", 30, "minutes"),
            ("transferred", "first_contact", 24, "hours"),
            ("solution_confirmed", "result_reported", 4, "hours"),
            ("result_reported", "callback_done", 72, "hours"),
            ("received", "closed", 168, "hours"),
        ]
        return cls.env["complaint.sla.policy"].create(
            {
                "name": f"Time limits of {agreement.name}",
                "kind": "complaint",
                "agreement_id": agreement.id,
                "milestone_ids": [
                    Command.create(
                        {
                            "name": f"{fulfil} in {target} {unit}",
                            "start_event": start,
                            "fulfil_event": fulfil,
                            "target": target,
                            "unit": unit,
                            "warning_percents": "",
                            "escalate_on_breach": False,
                        }
                    )
                    for start, fulfil, target, unit in limits
                ],
            }
        )

    @classmethod
    def _customer_vals(cls):
        """A customer of their own: complaints of one customer about one type
        repeat each other."""
        cls.customer_count += 1
        customer = cls.env["res.partner"].create(
            {"name": f"Customer {cls.customer_count}"}
        )
        number = f"1390000{cls.customer_count:04d}"
        return {
            "partner_id": customer.id,
            "partner_name": customer.name,
            "service_number": number,
            "contact_phone": number,
        }

    @classmethod
    def _case(cls, handed, agreement=None, agent=None, **steps):
        """A complaint received and handed to ``agreement``'s organisation at
        ``handed`` (Shanghai time), then each step at its time: ack, contact,
        confirm (the solution), result, callback (with ``satisfaction``),
        close (by the carrier)."""
        agreement = agreement or cls.agreement
        agent = agent or cls.agent
        with freeze_time(utc(handed)):
            ticket = cls._create_complaint(**cls._customer_vals())
            ticket.with_user(cls.handler).action_complaint_accept()
            cls.env["complaint.transfer"].with_user(cls.handler)._hand_off(
                ticket, agreement
            )
        transfer = ticket.with_user(agent).transfer_id
        if steps.get("ack"):
            with freeze_time(utc(steps["ack"])):
                transfer.action_acknowledge()
                transfer.action_take()
        if steps.get("contact"):
            with freeze_time(utc(steps["contact"])):
                transfer.action_add_log(
                    {
                        "log_type": "contact",
                        "contact_result": "reached",
                        "description": "Called the customer.",
                    }
                )
        if steps.get("confirm"):
            with freeze_time(utc(steps["confirm"])):
                transfer.action_propose_solution("Refund the duplicated fee.")
                transfer.action_confirm_solution()
        if steps.get("result"):
            with freeze_time(utc(steps["result"])):
                transfer.action_report_result(
                    {"channel": "phone", "conclusion": "Refunded."}
                )
        if steps.get("callback"):
            with freeze_time(utc(steps["callback"])):
                transfer.action_record_callback(
                    {
                        "reached": "1",
                        "satisfaction": steps.get("satisfaction", "5"),
                        "problem_solved": "1",
                    }
                )
        if steps.get("close"):
            with freeze_time(utc(steps["close"])):
                ticket.with_user(cls.handler).action_complaint_close()
        return ticket

    @classmethod
    def _qa_scorecard(cls):
        """A spot-check scorecard of one criterion scored 0-100: a review's
        score is that criterion's score."""
        return cls.env["complaint.qa.scorecard"].create(
            {
                "name": "One criterion",
                "criterion_ids": [
                    Command.create(
                        {
                            "name": "Overall handling",
                            "weight": 100,
                            "scale": 100,
                            "pass_score": 0,
                        }
                    )
                ],
            }
        )

    @classmethod
    def _spot_check(cls, ticket, person, score, date):
        review = (
            cls.env["complaint.qa.review"]
            .with_user(cls.qa)
            .create(
                {
                    "ticket_id": ticket.id,
                    "reviewed_user_id": person.id,
                    "scorecard_id": cls.qa_scorecard.id,
                    "date": date,
                }
            )
        )
        review.line_ids.score = score
        review.action_done()
        return review

    def _line(self, card, code):
        line = card.line_ids.filtered(lambda line: line.kpi_id.code == code)
        self.assertEqual(len(line), 1, code)
        return line

    def _figures(self, card, code):
        line = self._line(card, code)
        return (line.value, line.numerator, line.denominator, line.status)


@tagged("post_install", "-at_install")
class TestComplaintScorecard(ScorecardCommon):
    """Each KPI of a month against values computed by hand, from complaints
    driven through the real process at frozen times."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.qa_scorecard = cls._qa_scorecard()
        # A: everything on time, satisfied; received at 00:05 on 1 November in
        # Shanghai (31 October in UTC): November's, by the carrier's day.
        cls.a = cls._case(
            "2026-11-01 00:05",
            ack="2026-11-01 00:10",
            contact="2026-11-01 01:00",
            confirm="2026-11-01 02:00",
            result="2026-11-01 03:00",
            callback="2026-11-01 04:00",
            close="2026-11-01 05:00",
        )
        # B: acknowledged, contacted, called back and closed late; result on
        # time; neutral (3); repeated by R within the window.
        cls.b = cls._case(
            "2026-11-05 09:00",
            ack="2026-11-05 10:00",
            contact="2026-11-06 12:00",
            confirm="2026-11-06 13:00",
            result="2026-11-06 16:00",
            callback="2026-11-10 18:00",
            satisfaction="3",
            close="2026-11-13 10:00",
        )
        with freeze_time(utc("2026-11-20 09:00")):
            cls.r = cls._create_complaint(
                partner_id=cls.b.partner_id.id,
                partner_name=cls.b.partner_id.name,
                service_number="13999999999",
                contact_phone="13999999999",
            )
        # C: acknowledged on time, the customer never reached: its contact
        # limit (29 November 22:00) breached. Still open.
        cls.c = cls._case("2026-11-28 22:00", ack="2026-11-28 22:05")
        # D: handed late on 30 November, never acknowledged: its limit ends
        # on 1 December, December's.
        cls.d = cls._case("2026-11-30 23:50")
        # The other organisation: acknowledged on time, nothing else.
        cls.e = cls._case(
            "2026-11-10 09:00",
            agreement=cls.other_agreement,
            agent=cls.other_agent,
            ack="2026-11-10 09:10",
        )
        cls._run_job(cls, utc("2026-12-01 10:00"))
        # Spot checks of the organisation's agent: 90 and 70 in November
        # (average 80, one passed at 80), 40 in December; the other
        # organisation's agent: 100.
        cls._spot_check(cls.a, cls.agent, 90, "2026-11-03")
        cls._spot_check(cls.b, cls.agent, 70, "2026-11-20")
        cls._spot_check(cls.c, cls.agent, 40, "2026-12-01")
        cls._spot_check(cls.e, cls.other_agent, 100, "2026-11-12")
        cls.card, cls.other_card = cls.env[
            "complaint.scorecard"
        ]._complaint_get_or_compute(cls.agreement | cls.other_agreement, *NOVEMBER)

    def test_default_terms(self):
        terms = self.agreement.kpi_term_ids
        self.assertEqual(len(terms), 10)
        self.assertEqual(sum(terms.mapped("weight")), 100)
        by_code = {term.kpi_id.code: term for term in terms}
        self.assertEqual(by_code["fcr"].target, self.agreement.target_fcr)
        self.assertEqual(by_code["handling_time"].target, 48.0)
        self.assertEqual(by_code["ack"].target, 95.0)
        self.assertFalse(by_code["handling_time"].kpi_id.higher_is_better)
        # The button adds only what is missing.
        by_code["quality"].unlink()
        self.agreement.with_user(self.manager).action_complaint_default_kpi_terms()
        self.assertEqual(len(self.agreement.kpi_term_ids), 10)

    def test_time_limits(self):
        card = self.card
        self.assertEqual(card.partner_org_id, self.org)
        self.assertEqual(card.state, "draft")
        self.assertTrue(card.computed_date)
        # Acknowledged: A met (1 Nov 00:10 Shanghai), B late, C met; D's
        # deadline is December's.
        self.assertEqual(self._figures(card, "ack"), (66.67, 2, 3, "missed"))
        # Contacted: A met, B late, C breached.
        self.assertEqual(self._figures(card, "contact"), (33.33, 1, 3, "missed"))
        # Result: A and B on time.
        self.assertEqual(self._figures(card, "result"), (100.0, 2, 2, "met"))
        # Callback: A on time, B late.
        self.assertEqual(self._figures(card, "callback"), (50.0, 1, 2, "missed"))
        # Closed within 7 days: A yes, B no; C still running.
        self.assertEqual(self._figures(card, "close"), (50.0, 1, 2, "missed"))
        # The other organisation, its own clocks only: E acknowledged on
        # time, never contacted (breached on 11 November), not closed within
        # 7 days (breached on 17 November); no result, no callback.
        other = self.other_card
        self.assertEqual(self._figures(other, "ack"), (100.0, 1, 1, "met"))
        self.assertEqual(self._figures(other, "contact"), (0.0, 0, 1, "missed"))
        self.assertEqual(self._figures(other, "close"), (0.0, 0, 1, "missed"))
        for code in ("result", "callback"):
            self.assertEqual(self._figures(other, code), (0.0, 0, 0, "no_data"))

    def test_fcr_repeat_rule(self):
        # A and B closed in November at the first contact; B repeated by R.
        self.assertEqual(self.r.repeat_of_ids, self.b)
        self.assertTrue(self.b.first_contact_resolution)
        self.assertEqual(self._figures(self.card, "fcr"), (50.0, 1, 2, "missed"))
        line = self._line(self.card, "fcr")
        self.assertEqual(
            line._complaint_cases_domain(hit=False), [("id", "in", self.b.ids)]
        )
        self.assertEqual(self._figures(self.other_card, "fcr")[3], "no_data")

    def test_satisfaction_and_quality(self):
        self.assertEqual(
            self._figures(self.card, "satisfaction"), (50.0, 1, 2, "missed")
        )
        # Spot checks: 90 and 70, one of two passed; target 85.
        self.assertEqual(self._figures(self.card, "quality"), (80.0, 1, 2, "missed"))
        self.assertEqual(
            self._figures(self.other_card, "quality"), (100.0, 1, 1, "met")
        )

    def test_external_and_no_data(self):
        for code in ("answer_rate", "handling_time"):
            line = self._line(self.card, code)
            self.assertEqual(line.status, "no_data")
            self.assertEqual(line.value_display, "—")
        self.env["complaint.scorecard"].with_user(
            self.manager
        ).complaint_import_external(
            [
                {
                    "agreement": self.agreement.name,
                    "period": "2026-11",
                    "kpi": "handling_time",
                    "value": 30,
                }
            ]
        )
        # Lower is better: 30 hours against at most 48.
        self.assertEqual(self._figures(self.card, "handling_time"), (30.0, 0, 0, "met"))
        self.assertEqual(
            self._line(self.card, "handling_time").target_display, "≤ 48.0 h"
        )

    def test_line_shows_definition_and_drill_down(self):
        card = self.card.with_user(self.supervisor)
        ack = self._line(card, "ack")
        self.assertEqual(
            ack.definition, self.env.ref("complaint_reports.kpi_ack").definition
        )
        self.assertEqual(ack.value_display, "66.7 %")
        self.assertEqual(ack.target_display, "≥ 95.0 %")
        self.assertEqual(ack.source_note, "2 of 3 time limits met on time")
        action = ack.action_open_cases()
        self.assertEqual(action["res_model"], "helpdesk.ticket")
        tickets = (
            self.env["helpdesk.ticket"]
            .with_user(self.supervisor)
            .search(action["domain"])
        )
        self.assertEqual(tickets, self.a | self.b | self.c)
        contact = self._line(card, "contact")
        self.assertEqual(
            set(contact._complaint_cases_domain(hit=False)[0][2]),
            set((self.b | self.c).ids),
        )
        quality = self._line(card, "quality")
        self.assertEqual(
            set(quality._complaint_cases_domain()[0][2]), set((self.a | self.b).ids)
        )
        external = self._line(card, "answer_rate").action_open_cases()
        self.assertEqual(external["res_model"], "complaint.scorecard.external")

    def test_final_scorecard_is_frozen(self):
        card = self.card.with_user(self.supervisor)
        before = card.line_ids.mapped(lambda line: (line.kpi_id.code, line.value))
        card.action_finalize()
        self.assertEqual(card.state, "done")
        self.assertEqual(card.finalized_by_id, self.supervisor)
        with self.assertRaises(UserError):
            card.action_compute()
        # New data does not change it: a late spot check of November.
        self._spot_check(self.a, self.agent, 10, "2026-11-30")
        again = self.env["complaint.scorecard"]._complaint_get_or_compute(
            self.agreement, *NOVEMBER, recompute_drafts=True
        )
        self.assertEqual(again, self.card)
        self.assertEqual(
            card.line_ids.mapped(lambda line: (line.kpi_id.code, line.value)), before
        )
        with self.assertRaises(UserError):
            card.unlink()

    def test_recompute_draft(self):
        self._spot_check(self.a, self.agent, 20, "2026-11-30")
        self.card.with_user(self.supervisor).action_compute()
        # 90, 70, 20: average 60, one passed of three.
        self.assertEqual(self._figures(self.card, "quality"), (60.0, 1, 3, "missed"))

    def test_access(self):
        Scorecard = self.env["complaint.scorecard"]
        # The organisation's supervisor agent and agents read their own only.
        for user in (self.org_supervisor, self.agent):
            self.assertEqual(Scorecard.with_user(user).search([]), self.card)
            self.assertEqual(
                self.env["complaint.scorecard.line"].with_user(user).search([]),
                self.card.line_ids,
            )
        self.assertEqual(
            Scorecard.with_user(self.other_org_supervisor).search([]), self.other_card
        )
        with self.assertRaises(AccessError):
            self.card.with_user(self.other_org_supervisor).read(["name"])
        # Partners read; they neither compute nor finalise.
        for method in ("action_compute", "action_finalize"):
            with self.assertRaises(AccessError):
                getattr(self.card.with_user(self.org_supervisor), method)()
        with self.assertRaises(AccessError):
            self.card.with_user(self.org_supervisor).write({"date_from": "2026-10-01"})
        # Handlers have no scorecards.
        with self.assertRaises(AccessError):
            self.card.with_user(self.handler).read(["name"])
        with self.assertRaises(AccessError):
            Scorecard.with_user(self.handler).search([])
        # The carrier's supervisors manage them; states only by the actions.
        with self.assertRaises(AccessError):
            self.card.with_user(self.supervisor).write({"state": "done"})
        with self.assertRaises(AccessError):
            self.card.line_ids[:1].with_user(self.supervisor).write({"value": 100})

    def test_other_company(self):
        company = self.env["res.company"].create({"name": "Other carrier"})
        outsider = new_test_user(
            self.env,
            login="cp_sup_other_company",
            groups="complaint_handling.complaint_handling_group_supervisor",
            company_id=company.id,
            company_ids=[company.id],
        )
        self.assertFalse(self.env["complaint.scorecard"].with_user(outsider).search([]))


@tagged("post_install", "-at_install")
class TestComplaintScorecardQueries(ScorecardCommon):
    """Measuring takes the same number of queries for one scorecard and for
    three with more complaints."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.qa_scorecard = cls._qa_scorecard()
        third_org = cls.env["res.partner"].create(
            {"name": "Nanyue Care", "is_company": True, "complaint_partner_org": True}
        )
        cls.third_agreement = cls.env["complaint.partner.agreement"].create(
            {
                "name": "SA-2026-003",
                "partner_org_id": third_org.id,
                "date_start": "2026-01-01",
            }
        )
        cls.third_agent = cls._new_agent(
            "cp_third_agent",
            "He Jun",
            third_org,
            "complaint_handling.complaint_handling_group_partner_agent",
        )
        cls._policy(cls.third_agreement)
        full = {
            "ack": "2026-11-10 09:10",
            "contact": "2026-11-10 10:00",
            "confirm": "2026-11-10 11:00",
            "result": "2026-11-10 12:00",
            "callback": "2026-11-10 13:00",
            "close": "2026-11-10 14:00",
        }
        cls.first = cls._case("2026-11-10 09:00", **full)
        cls._spot_check(cls.first, cls.agent, 90, "2026-11-12")
        for agreement, agent in (
            (cls.other_agreement, cls.other_agent),
            (cls.third_agreement, cls.third_agent),
        ):
            for _each in range(2):
                ticket = cls._case(
                    "2026-11-10 09:00", agreement=agreement, agent=agent, **full
                )
                cls._spot_check(ticket, agent, 80, "2026-11-12")
        Scorecard = cls.env["complaint.scorecard"]
        cls.one = Scorecard.create(
            {"agreement_id": cls.agreement.id, "date_from": "2026-11-01"}
        )
        cls.three = Scorecard.create(
            [
                {"agreement_id": agreement.id, "date_from": "2026-11-01"}
                for agreement in cls.other_agreement | cls.third_agreement
            ]
        )

    def _measure(self, cards):
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(SCORECARD_QUERIES):
            self.env["complaint.scorecard"]._complaint_compute(cards)
            self.env.flush_all()

    def test_query_count(self):
        # Measured once before: their lines are replaced.
        self.env["complaint.scorecard"]._complaint_compute(self.one | self.three)
        self._measure(self.one)
        self._measure(self.one | self.three)
        self.assertEqual(
            self.three.line_ids.filtered(lambda line: line.kpi_id.code == "ack").mapped(
                "denominator"
            ),
            [2.0, 2.0],
        )
        self.assertEqual(self._figures(self.one, "quality"), (90.0, 1, 1, "met"))


@tagged("post_install", "-at_install")
class TestComplaintScorecardPortal(HttpCase, ScorecardCommon):
    """The organisation's supervisor agent reads its scorecards in the
    portal; nobody else reaches them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.a = cls._case(
            "2026-11-03 09:00", ack="2026-11-03 09:10", contact="2026-11-03 10:00"
        )
        cls.card, cls.other_card = cls.env[
            "complaint.scorecard"
        ]._complaint_get_or_compute(cls.agreement | cls.other_agreement, *NOVEMBER)

    def test_pages(self):
        self.authenticate("cp_org_sup", "cp_org_sup")
        self.assertIn('href="/my/complaint-scorecards"', self.url_open("/my").text)
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["scorecard_count"]}
        )
        self.assertEqual(counters["scorecard_count"], 1)
        page = self.url_open("/my/complaint-scorecards")
        self.assertEqual(page.status_code, 200)
        self.assertIn(f'href="/my/complaint-scorecards/{self.card.id}"', page.text)
        self.assertNotIn(f"/my/complaint-scorecards/{self.other_card.id}", page.text)
        page = self.url_open(f"/my/complaint-scorecards/{self.card.id}")
        self.assertEqual(page.status_code, 200)
        ack = self.env.ref("complaint_reports.kpi_ack")
        self.assertIn(escape(ack.definition), page.text)
        # Met in green, no data in grey.
        self.assertIn("o_complaint_scorecard_met text-bg-success", page.text)
        self.assertIn("o_complaint_scorecard_no_data text-bg-secondary", page.text)
        self.assertIn("100.0 %", page.text)
        self.assertIn("≥ 95.0 %", page.text)
        # Another organisation's, or none: not found.
        other = self.url_open(f"/my/complaint-scorecards/{self.other_card.id}")
        self.assertEqual(other.status_code, 404)
        self.assertEqual(
            self.url_open("/my/complaint-scorecards/999999").status_code, 404
        )

    def test_not_for_others(self):
        # Plain agents and customers have no scorecard pages.
        for login in ("cp_agent", "cp_customer"):
            self.authenticate(login, login)
            self.assertEqual(self.url_open("/my/complaint-scorecards").status_code, 404)
            self.assertEqual(
                self.url_open(f"/my/complaint-scorecards/{self.card.id}").status_code,
                404,
            )
        self.authenticate("cp_other_sup", "cp_other_sup")
        self.assertEqual(
            self.url_open(f"/my/complaint-scorecards/{self.card.id}").status_code, 404
        )

    def test_tour(self):
        self.start_tour(
            "/my/complaint-scorecards",
            "complaint_scorecard_portal_tour",
            login="cp_org_sup",
        )
