# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue 17, point 4: defects seen under load and beside other OCA addons."""

import logging

from lxml import html

from odoo import http
from odoo.tests import Form, HttpCase, tagged

from .common import ComplaintCommon, ComplaintPartnerCommon

HIDDEN_CLASSES = {"d-none", "visually-hidden", "collapse", "invisible"}


@tagged("post_install", "-at_install")
class TestComplaintPortalRefusals(HttpCase, ComplaintPartnerCommon):
    """An agent acts on the page as it was shown; a colleague may have acted
    first. The refusal is said where the page opens, not as a bare 400 nor in
    a part of the page that is no longer shown; nothing is lost."""

    def _post(self, url, data=None):
        data = dict(data or {}, csrf_token=http.Request.csrf_token(self))
        return self.url_open(url, data=data, allow_redirects=False)

    def _visible_refusal(self, response, reason):
        """The page's refusal, once, at its top (before any form), visible:
        no hidden element around it; returns its text."""
        self.assertEqual(response.status_code, 200)
        page = html.fromstring(response.text)
        alerts = page.xpath(
            "//*[contains(concat(' ', normalize-space(@class), ' '), "
            "' o_complaint_refused ')]"
        )
        self.assertEqual(len(alerts), 1, "one refusal at the top of the page")
        alert = alerts[0]
        self.assertEqual(alert.get("role"), "alert")
        text = alert.text_content()
        self.assertIn(reason, " ".join(text.split()))
        for node in [alert, *alert.iterancestors()]:
            classes = set((node.get("class") or "").split())
            self.assertFalse(classes & HIDDEN_CLASSES, html.tostring(node)[:200])
            self.assertIsNone(node.get("hidden"))
            self.assertNotIn("display:none", (node.get("style") or "").replace(" ", ""))
        forms = page.xpath("//form[contains(@action, '/my/complaints/')]")
        if forms:
            # Said before the forms: where the page opens, on a phone too.
            order = list(page.iter())
            self.assertLess(order.index(alert), order.index(forms[0]))
        return text

    def test_acknowledge_race_between_two_agents(self):
        race = self._handed_complaint(acknowledged=False, name="Raced complaint")
        url = f"/my/complaints/{race.id}"
        # Both agents have the page open, with its Acknowledge button.
        for login in ("cp_agent", "cp_agent2"):
            self.authenticate(login, login)
            self.assertIn("o_complaint_acknowledge", self.url_open(url).text)
        # The colleague's click arrives first ...
        self.assertEqual(self._post(f"{url}/acknowledge").status_code, 303)
        logs = len(race.message_ids)
        # ... then this agent's: the case page again, saying who was first.
        self.authenticate("cp_agent", "cp_agent")
        response = self._post(f"{url}/acknowledge")
        self._visible_refusal(
            response, f"Complaint {race.number} was already acknowledged by Sun Li."
        )
        # The page is the complaint as it is now: acknowledged, to take.
        self.assertNotIn('o_complaint_acknowledge"', response.text)
        self.assertIn("o_complaint_take", response.text)
        race.invalidate_recordset()
        self.assertEqual(race.transfer_id.acknowledged_by_id, self.agent2)
        self.assertEqual(len(race.message_ids), logs)
        # In the agent's language.
        self.env["res.lang"]._activate_lang("zh_CN")
        self.agent.lang = "zh_CN"
        self.authenticate("cp_agent", "cp_agent")
        response = self._post(f"{url}/acknowledge")
        self._visible_refusal(response, f"投诉 {race.number} 已由 Sun Li 签收。")

    def test_refusals_whose_form_is_gone_give_back_what_was_typed(self):
        """Each action refused because a colleague moved the complaint on:
        its form is no longer on the page; the reason and the text typed
        are."""
        ticket = self._handed_complaint(name="Shared complaint")
        transfer = ticket.transfer_id
        base = f"/my/complaints/{ticket.id}"
        self.authenticate("cp_agent", "cp_agent")
        cases = [
            # (what the colleague did, action, form, reason)
            (
                lambda: transfer.with_user(self.agent2).action_take(),
                "log",
                {"log_type": "contact", "description": "Called at 10:00, no answer"},
                f"Complaint {ticket.number} is assigned to Sun Li.",
            ),
            (
                lambda: (
                    transfer.with_user(self.org_supervisor).action_assign(self.agent),
                    transfer.with_user(self.agent).action_propose_solution("Refund"),
                    transfer.with_user(self.agent).action_confirm_solution(),
                ),
                "return",
                {"reason": "other", "note": "Not ours: a roaming charge"},
                "it can no longer be returned",
            ),
            (
                lambda: transfer.with_user(self.agent).action_report_result(
                    {"channel": "phone", "conclusion": "Refunded"}
                ),
                "feedback",
                {"channel": "phone", "conclusion": "Refund of the fee, by SMS"},
                "the result is reported once the customer has agreed",
            ),
        ]
        for done_first, action, form, reason in cases:
            with self.subTest(action=action):
                done_first()
                ticket.invalidate_recordset()
                before = (
                    ticket.complaint_state,
                    len(ticket.handling_log_ids),
                    len(ticket.feedback_ids),
                    ticket.transfer_id,
                )
                response = self._post(f"{base}/{action}", form)
                text = self._visible_refusal(response, reason)
                for typed in form.values():
                    if " " in typed:
                        self.assertIn(typed, text)
                ticket.invalidate_recordset()
                self.assertEqual(
                    (
                        ticket.complaint_state,
                        len(ticket.handling_log_ids),
                        len(ticket.feedback_ids),
                        ticket.transfer_id,
                    ),
                    before,
                )

    def test_refused_input_keeps_the_form_and_says_it_at_the_top(self):
        ticket = self._handed_complaint(name="Typed complaint")
        self.authenticate("cp_agent", "cp_agent")
        response = self._post(
            f"/my/complaints/{ticket.id}/log", {"log_type": "note", "description": " "}
        )
        self._visible_refusal(response, "Describe what was done.")
        page = html.fromstring(response.text)
        self.assertTrue(page.xpath("//form[contains(@class, 'o_complaint_log_form')]"))

    def test_complaint_returned_by_a_colleague_meanwhile(self):
        ticket = self._handed_complaint(name="Returned meanwhile")
        self.authenticate("cp_agent", "cp_agent")
        self.assertEqual(self.url_open(f"/my/complaints/{ticket.id}").status_code, 200)
        ticket.transfer_id.with_user(self.agent2).action_return(
            "out_of_scope", "Not in our area"
        )
        response = self._post(
            f"/my/complaints/{ticket.id}/log",
            {"log_type": "note", "description": "Visited the site"},
        )
        self.assertEqual(response.status_code, 303)
        page = self.url_open(response.headers["Location"])
        self.assertEqual(page.status_code, 200)
        notice = html.fromstring(page.text).xpath(
            "//*[contains(@class, 'o_complaint_notice')]"
        )
        self.assertEqual(len(notice), 1)
        self.assertEqual(notice[0].get("role"), "alert")
        self.assertEqual(
            " ".join(notice[0].text_content().split()),
            f"Complaint {ticket.number} is no longer handed to your organisation "
            "(Returned by the organisation). What you sent on it was not saved.",
        )
        self.assertNotIn(
            "Visited the site", ticket.sudo().handling_log_ids.mapped("description")
        )


# After every addon is loaded: helpdesk_type may load after ours.
@tagged("post_install", "-at_install")
class TestComplaintHelpdeskType(ComplaintCommon):
    """OCA helpdesk_type beside complaint_handling (skipped without it)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.with_types = "type_id" in cls.env["helpdesk.ticket"]._fields
        if not cls.with_types:
            return
        Type = cls.env["helpdesk.ticket.type"]
        cls.billing_desk = cls.env["helpdesk.ticket.team"].create(
            {"name": "Billing desk"}
        )
        cls.front_desk = cls.env["helpdesk.ticket.team"].create({"name": "Front desk"})
        cls.type_billing = Type.create(
            {"name": "Billing enquiry", "team_ids": [(4, cls.billing_desk.id)]}
        )
        cls.type_mixed = Type.create(
            {
                "name": "Network fault",
                "team_ids": [(4, cls.billing_desk.id), (4, cls.other_team.id)],
            }
        )
        cls.type_complaint = Type.create(
            {"name": "Complaint", "team_ids": [(4, cls.team.id)]}
        )

    def setUp(self):
        super().setUp()
        if not self.with_types:
            self.skipTest("OCA helpdesk_type is not installed")

    def _form(self, ticket):
        return Form(
            # helpdesk_type lets only helpdesk_mgmt's "all tickets" users
            # read the types.
            ticket.with_user(self.supervisor),
            view="complaint_handling.helpdesk_ticket_complaint_view_form",
        )

    def test_type_of_other_teams_keeps_the_complaint_team(self):
        ticket = self._drive_to(self._create_complaint(), "handling")
        ticket.user_id = self.handler
        before = (ticket.team_id, ticket.user_id, ticket.stage_id)
        with self.assertLogs("odoo.tests.form.onchange", logging.WARNING) as logs:
            with self._form(ticket) as form:
                form.type_id = self.type_billing
                self.assertEqual(form.team_id, self.team)
                self.assertEqual(form.user_id, self.handler)
        self.assertEqual(ticket.type_id, self.type_billing)
        self.assertEqual((ticket.team_id, ticket.user_id, ticket.stage_id), before)
        self.assertIn("Team kept", logs.output[0])
        self.assertIn(
            f"the complaint stays with {self.team.name}: a complaint is always "
            "handled by a team that follows the complaint process.",
            logs.output[0],
        )
        # A type some complaint teams work with: those are named.
        with self.assertLogs("odoo.tests.form.onchange", logging.WARNING) as logs:
            with self._form(ticket) as form:
                form.type_id = self.type_mixed
        self.assertIn(
            f"Teams of this type that handle complaints: {self.other_team.name}.",
            logs.output[0],
        )
        self.assertEqual(ticket.team_id, self.team)

    def test_type_of_the_complaint_team_changes_nothing_else(self):
        ticket = self._create_complaint()
        with self.assertNoLogs("odoo.tests.form.onchange", logging.WARNING):
            with self._form(ticket) as form:
                form.type_id = self.type_complaint
        self.assertEqual(ticket.type_id, self.type_complaint)
        self.assertEqual(ticket.team_id, self.team)

    def test_other_tickets_follow_helpdesk_type(self):
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Plain question",
                "description": "<p>How?</p>",
                "team_id": self.front_desk.id,
            }
        )
        self.assertNotEqual(ticket.kind, "complaint")
        with Form(ticket) as form:
            form.type_id = self.type_billing
        self.assertFalse(ticket.team_id)


@tagged("post_install", "-at_install")
class TestComplaintMailWithoutSender(ComplaintCommon):
    """A database without demo data: the company has no e-mail address, and
    no default sender is configured."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Stage changes tracked, as for users: the stage's mail goes out.
        cls.env = cls.env(
            context=dict(cls.env.context, tracking_disable=False, mail_notrack=False)
        )
        cls.company.write({"email": False, "alias_domain_id": False})
        # The customer has an address: the mail has someone to go to.
        cls.customer.email = "zhang.wei@example.com"
        cls.closed_template = cls.env.ref("helpdesk_mgmt.closed_ticket_template")
        cls.closing_stage = cls.env["helpdesk.ticket.stage"].create(
            {
                "name": "Solved",
                "closed": True,
                "mail_template_id": cls.closed_template.id,
            }
        )

    def _flush_tracking(self):
        self.env.flush_all()
        self.env.cr.precommit.run()

    def _close_plain_ticket(self):
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Plain question",
                "description": "<p>How?</p>",
                "partner_id": self.customer.id,
            }
        )
        self._flush_tracking()
        ticket.stage_id = self.closing_stage
        self._flush_tracking()
        return ticket

    def _note(self, ticket):
        return ticket.message_ids.filtered(
            lambda m: "was not sent: it has no sender address" in (m.body or "")
        )

    def test_closing_mail_without_sender_is_not_sent_and_says_why(self):
        with self.assertNoLogs(level=logging.ERROR):
            ticket = self._close_plain_ticket()
        self.assertFalse(
            ticket.message_ids.filtered(lambda m: m.message_type == "email_outgoing")
        )
        self.assertEqual(len(self._note(ticket)), 1)
        self.assertIn(self.closed_template.name, self._note(ticket).body)
        self.assertIn(self.company.name, self._note(ticket).body)

    def test_complaint_closed_through_the_process(self):
        """Closed through the process, with helpdesk_mgmt's closing mail on the
        complaint's closed stage (as a carrier may set it)."""
        closed = self.env.ref(
            "complaint_handling.helpdesk_ticket_stage_complaint_closed"
        )
        closed.mail_template_id = self.closed_template
        with self.assertNoLogs(level=logging.ERROR):
            ticket = self._drive_to(self._create_complaint(), "closed")
            self._flush_tracking()
        self.assertEqual(len(self._note(ticket)), 1)

    def _sent(self, ticket):
        return ticket.message_ids.filtered(
            lambda m: m.message_type == "email_outgoing"
            and "has been closed" in (m.body or "")
        )

    def test_default_sender_or_company_address_sends_the_mail(self):
        self.company.email = "complaints@carrier.example.com"
        with self.assertNoLogs(level=logging.ERROR):
            ticket = self._close_plain_ticket()
        self.assertEqual(
            self._sent(ticket).email_from, "complaints@carrier.example.com"
        )
        self.assertFalse(self._note(ticket))
        # No company address, but a default sender: Odoo sends from it.
        self.company.email = False
        self.company.alias_domain_id = self.env["mail.alias.domain"].create(
            {"name": "carrier.example.com", "default_from": "notifications"}
        )
        with self.assertNoLogs(level=logging.ERROR):
            ticket = self._close_plain_ticket()
        self.assertTrue(self._sent(ticket))
        self.assertFalse(self._note(ticket))
