# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from odoo.addons.complaint_handling.tools.constants import PARTNER_SUPERVISOR_GROUP
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

# The portal's actions: CSRF-protected POSTs of logged-in users.
POST_ROUTE = {
    "type": "http",
    "auth": "user",
    "website": True,
    "methods": ["POST"],
    "csrf": True,
}
STATEMENT_MODEL = "complaint.fee.statement"
PDF_REPORT = "complaint_reports.complaint_fee_statement_action_pdf"


class ComplaintFeeStatementPortal(CustomerPortal):
    """The fee statements of a partner organisation, acknowledged or disputed
    by its supervisor agents. Everything is read and done as the user: the
    record rules and the statement's own checks decide."""

    _statements_per_page = 20

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    @staticmethod
    def _statement_is_org_supervisor():
        user = request.env.user
        return (
            user.has_group(PARTNER_SUPERVISOR_GROUP)
            and user.commercial_partner_id.complaint_partner_org
        )

    def _statement_check_role(self):
        if not self._statement_is_org_supervisor():
            raise request.not_found()

    @staticmethod
    def _statement_list_domain():
        return [("partner_org_id", "=", request.env.user.commercial_partner_id.id)]

    def _statement_get(self, statement_id):
        """The statement as the user sees it; a 404 when the user may not
        read it, it does not exist or is not the user's organisation's."""
        self._statement_check_role()
        statement = request.env[STATEMENT_MODEL].browse(statement_id)
        try:
            statement.check_access("read")
            statement = statement.exists()
        except (AccessError, MissingError):
            raise request.not_found() from None
        if not statement or not statement.filtered_domain(
            self._statement_list_domain()
        ):
            raise request.not_found()
        return statement

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "fee_statement_count" in counters:
            values["fee_statement_count"] = (
                request.env[STATEMENT_MODEL].search_count(self._statement_list_domain())
                if self._statement_is_org_supervisor()
                else 0
            )
        return values

    # ------------------------------------------------------------------
    # Pages
    # ------------------------------------------------------------------

    def _statement_filters(self):
        env = request.env
        return {
            "all": {"label": env._("All"), "domain": []},
            "to_answer": {
                "label": env._("To answer"),
                "domain": [("state", "=", "sent")],
            },
            "disputed": {
                "label": env._("Disputed"),
                "domain": [("state", "=", "disputed")],
            },
            "confirmed": {
                "label": env._("Confirmed"),
                "domain": [("state", "=", "confirmed")],
            },
        }

    @http.route(
        ["/my/fee-statements", "/my/fee-statements/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_fee_statements(self, page=1, filterby="all", **kw):
        self._statement_check_role()
        Statement = request.env[STATEMENT_MODEL]
        filters = self._statement_filters()
        filterby = filterby if filterby in filters else "all"
        domain = self._statement_list_domain() + filters[filterby]["domain"]
        pager = portal_pager(
            url="/my/fee-statements",
            url_args={"filterby": filterby},
            total=Statement.search_count(domain),
            page=page,
            step=self._statements_per_page,
        )
        statements = Statement.search(
            domain, limit=self._statements_per_page, offset=pager["offset"]
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "statements": statements,
                "page_name": "fee_statement",
                "pager": pager,
                "default_url": "/my/fee-statements",
                "searchbar_filters": filters,
                "filterby": filterby,
            }
        )
        return request.render("complaint_reports.portal_my_fee_statements", values)

    def _statement_page_values(self, statement, **extra):
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "fee_statement",
                "statement": statement,
                "actions": statement._complaint_portal_actions(),
                "error": None,
                "reason": "",
                "message": request.params.get("done"),
            }
        )
        values.update(extra)
        return values

    @http.route(
        ["/my/fee-statements/<int:statement_id>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_fee_statement(self, statement_id, **kw):
        statement = self._statement_get(statement_id)
        return request.render(
            "complaint_reports.portal_fee_statement_page",
            self._statement_page_values(statement),
        )

    @http.route(
        ["/my/fee-statements/<int:statement_id>/pdf"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_fee_statement_pdf(self, statement_id, **kw):
        statement = self._statement_get(statement_id)
        action = request.env.ref(PDF_REPORT, raise_if_not_found=False)
        if not action:
            raise request.not_found()
        # Read access checked above; the portal prints as superuser.
        return self._show_report(
            model=statement, report_type="pdf", report_ref=action.id, download=True
        )

    # ------------------------------------------------------------------
    # Actions (POST, CSRF-protected)
    # ------------------------------------------------------------------

    def _statement_run(self, statement_id, action, run):
        """Run ``run(statement)`` as the user; on a refusal, show the page
        again with the reason and what was typed."""
        statement = self._statement_get(statement_id)
        try:
            with request.env.cr.savepoint():
                run(statement)
        except (AccessError, UserError, ValidationError) as error:
            request.env.invalidate_all()
            values = self._statement_page_values(
                statement,
                error=error.args[0],
                reason=(request.params.get("reason") or "").replace("\r\n", "\n"),
            )
            status = 403 if isinstance(error, AccessError) else 400
            return request.render(
                "complaint_reports.portal_fee_statement_page", values, status=status
            )
        return request.redirect(f"/my/fee-statements/{statement.id}?done={action}")

    @http.route(["/my/fee-statements/<int:statement_id>/acknowledge"], **POST_ROUTE)
    def portal_fee_statement_acknowledge(self, statement_id, **kw):
        return self._statement_run(
            statement_id, "acknowledge", lambda s: s.action_acknowledge()
        )

    @http.route(["/my/fee-statements/<int:statement_id>/dispute"], **POST_ROUTE)
    def portal_fee_statement_dispute(self, statement_id, reason="", **kw):
        reason = (reason or "").replace("\r\n", "\n")
        return self._statement_run(
            statement_id, "dispute", lambda s: s.action_dispute(reason)
        )
