# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from lxml import html

from odoo import http
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from .common import ComplaintPartnerCommon


@tagged("post_install", "-at_install")
class TestComplaintPortalCategories(HttpCase, ComplaintPartnerCommon):
    """The complaint form offers and accepts the categories helpdesk_mgmt's
    portal lookup gives, as OCA helpdesk_portal_restriction (a test-only
    dependency, see tools/run_tests.py) restricts it per customer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Category = cls.env["helpdesk.ticket.category"]
        cls.portal_categories = Category.search(
            [
                ("show_in_portal", "=", True),
                ("company_id", "in", [False, cls.env.company.id]),
            ]
        )
        cls.category_hidden = Category.create(
            {"name": "Internal only", "show_in_portal": False}
        )

    def setUp(self):
        super().setUp()
        if "helpdesk_category_ids" not in self.env["res.partner"]._fields:
            self.skipTest(
                "OCA helpdesk_portal_restriction is not installed "
                "(tools/run_tests.py installs it)"
            )

    def _restrict(self, user, categories):
        """What an administrator sets on the customer's contact form
        (helpdesk_portal_restriction's *Available category*)."""
        user.partner_id.helpdesk_category_ids = [(6, 0, categories.ids)]

    def _offered(self, page):
        values = html.fromstring(page).xpath(
            "//select[@name='category_id']/option/@value"
        )
        return {int(value) for value in values if value}

    def _form(self, **values):
        data = {
            "category_id": str(self.category_signal.id),
            "business_line": "mobile",
            "name": "Charged for a plan I cancelled",
            "description": "My bill of March still shows the cancelled plan.",
            "contact_phone": "13800138000",
            "service_number": "13800138000",
            "csrf_token": http.Request.csrf_token(self),
        }
        data.update(values)
        return data

    def test_form_offers_the_customer_s_categories_only(self):
        self.assertIn(self.category_billing, self.portal_categories)
        self.assertIn(self.category_signal, self.portal_categories)
        allowed = self.category_signal | self.category_hidden
        self._restrict(self.portal_customer, allowed)
        self.authenticate("cp_customer", "cp_customer")
        response = self.url_open("/my/complaints/new")
        self.assertEqual(response.status_code, 200)
        # Of the allowed ones, those shown in the portal.
        self.assertEqual(self._offered(response.text), set(self.category_signal.ids))
        # A customer without restriction: every portal category.
        self.authenticate("cp_customer_other", "cp_customer_other")
        response = self.url_open("/my/complaints/new")
        self.assertEqual(self._offered(response.text), set(self.portal_categories.ids))

    def test_company_setting_off_the_handler_classifies(self):
        """Without helpdesk_mgmt's portal category setting, customers choose
        no type (the complaint form follows the company as helpdesk_mgmt's
        ticket form does): the complaint arrives unclassified and the handler
        classifies it before accepting it."""
        self.env.company.helpdesk_mgmt_portal_select_category = False
        self.authenticate("cp_customer", "cp_customer")
        response = self.url_open("/my/complaints/new")
        self.assertEqual(response.status_code, 200)
        self.assertFalse(
            html.fromstring(response.text).xpath("//select[@name='category_id']")
        )
        # A type posted all the same is refused, nothing created.
        response = self.url_open(
            "/my/complaints/new", data=self._form(), allow_redirects=False
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("The type of problem is set by our staff", response.text)
        Ticket = self.env["helpdesk.ticket"]
        self.assertFalse(
            Ticket.search([("name", "=", "Charged for a plan I cancelled")])
        )
        response = self.url_open(
            "/my/complaints/new", data=self._form(category_id=""), allow_redirects=False
        )
        self.assertEqual(response.status_code, 303)
        ticket = Ticket.search([("name", "=", "Charged for a plan I cancelled")])
        self.assertEqual(ticket.kind, "complaint")
        self.assertFalse(ticket.category_id)
        with self.assertRaisesRegex(UserError, "the complaint type"):
            ticket.with_user(self.handler).action_complaint_accept()
        ticket.with_user(self.handler).category_id = self.category_signal
        ticket.with_user(self.handler).action_complaint_accept()
        self.assertEqual(ticket.complaint_state, "accepted")

    def test_form_refuses_a_forbidden_category(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.portal_customer.lang = "zh_CN"
        self._restrict(self.portal_customer, self.category_signal)
        Ticket = self.env["helpdesk.ticket"]
        Submission = self.env["complaint.portal.submission"]
        self.authenticate("cp_customer", "cp_customer")
        response = self.url_open(
            "/my/complaints/new",
            data=self._form(category_id=str(self.category_billing.id)),
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 400)
        # The category's error, in the customer's language.
        self.assertIn("请选择问题类型。", response.text)
        self.assertNotIn("Choose the type of problem.", response.text)
        # Nothing created.
        self.assertFalse(
            Ticket.search([("name", "=", "Charged for a plan I cancelled")])
        )
        self.assertFalse(Submission.search([("user_id", "=", self.portal_customer.id)]))
        # What was typed is kept; the forbidden category is still not offered.
        form = html.fromstring(response.text)
        self.assertEqual(
            form.xpath("//input[@name='name']/@value"),
            ["Charged for a plan I cancelled"],
        )
        self.assertIn(
            "My bill of March still shows the cancelled plan.",
            form.xpath("string(//textarea[@name='description'])"),
        )
        self.assertEqual(
            form.xpath("//input[@name='contact_phone']/@value"), ["13800138000"]
        )
        self.assertEqual(self._offered(response.text), set(self.category_signal.ids))
        # An allowed category goes through.
        response = self.url_open(
            "/my/complaints/new", data=self._form(), allow_redirects=False
        )
        self.assertEqual(response.status_code, 303)
        ticket = Ticket.search([("name", "=", "Charged for a plan I cancelled")])
        self.assertEqual(ticket.kind, "complaint")
        self.assertEqual(ticket.category_id, self.category_signal)
        self.assertEqual(ticket.partner_id, self.portal_customer.partner_id)
