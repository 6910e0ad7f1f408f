# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from odoo.addons.complaint_handling.controllers.portal import capped_pager
from odoo.addons.complaint_handling.tools.constants import PARTNER_SUPERVISOR_GROUP
from odoo.addons.portal.controllers.portal import CustomerPortal

CASE_MODEL = "complaint.below.standard"
CASES_URL = "/my/complaint-below-standard"


class ComplaintBelowStandardPortal(CustomerPortal):
    """The cases below standard (未达标案件) of a partner organisation: its
    supervisor agents record the cause and the analysis of those it is
    responsible for. Everything is read and written as the user: the record
    rules and the case's own checks decide."""

    _cases_per_page = 20

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    @staticmethod
    def _below_standard_is_analyst():
        user = request.env.user
        return (
            user.has_group(PARTNER_SUPERVISOR_GROUP)
            and user.commercial_partner_id.complaint_partner_org
        )

    def _below_standard_check_role(self):
        if not self._below_standard_is_analyst():
            raise request.not_found()

    @staticmethod
    def _below_standard_domain():
        return [("partner_org_id", "=", request.env.user.commercial_partner_id.id)]

    def _below_standard_get(self, case_id):
        """The case as the user sees it; a 404 when the user may not read it,
        it does not exist or is not the user's organisation's."""
        self._below_standard_check_role()
        case = request.env[CASE_MODEL].browse(case_id)
        try:
            case.check_access("read")
            case = case.exists()
        except (AccessError, MissingError):
            raise request.not_found() from None
        if not case or not case.filtered_domain(self._below_standard_domain()):
            raise request.not_found()
        return case

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "below_standard_count" in counters:
            values["below_standard_count"] = (
                request.env[CASE_MODEL].search_count(
                    self._below_standard_domain()
                    + self._below_standard_filters()["open"]["domain"]
                )
                if self._below_standard_is_analyst()
                else 0
            )
        return values

    def _below_standard_filters(self):
        env = request.env
        return {
            "all": {"label": env._("All"), "domain": []},
            "open": {
                "label": env._("To analyse"),
                "domain": [("state", "=", "open"), ("responsible", "=", "partner")],
            },
            "analysed": {
                "label": env._("Analysed"),
                "domain": [("state", "=", "analysed")],
            },
        }

    # ------------------------------------------------------------------
    # Pages
    # ------------------------------------------------------------------

    @http.route(
        [CASES_URL, f"{CASES_URL}/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_below_standard(self, page=1, filterby="all", **kw):
        self._below_standard_check_role()
        Case = request.env[CASE_MODEL]
        filters = self._below_standard_filters()
        filterby = filterby if filterby in filters else "all"
        domain = self._below_standard_domain() + filters[filterby]["domain"]
        # Counted no further than the pager needs: the list grows with the
        # organisation's complaints.
        pager = capped_pager(
            Case,
            domain,
            CASES_URL,
            page=page,
            step=self._cases_per_page,
            url_args={"filterby": filterby},
        )
        cases = Case.search(domain, limit=self._cases_per_page, offset=pager["offset"])
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "cases": cases,
                "page_name": "complaint_below_standard",
                "pager": pager,
                "default_url": CASES_URL,
                "searchbar_filters": filters,
                "filterby": filterby,
            }
        )
        return request.render(
            "complaint_reports.portal_my_complaint_below_standard", values
        )

    def _below_standard_page_values(self, case, **extra):
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "complaint_below_standard",
                "case": case,
                "causes": request.env["complaint.below.standard.cause"].search([]),
                "error": None,
                "form": None,
                "message": request.params.get("done"),
            }
        )
        values.update(extra)
        return values

    @http.route(
        [f"{CASES_URL}/<int:case_id>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_below_standard_case(self, case_id, **kw):
        case = self._below_standard_get(case_id)
        return request.render(
            "complaint_reports.portal_complaint_below_standard_page",
            self._below_standard_page_values(case),
        )

    # ------------------------------------------------------------------
    # Actions (POST, CSRF-protected)
    # ------------------------------------------------------------------

    @http.route(
        [f"{CASES_URL}/<int:case_id>/save"],
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
        csrf=True,
    )
    def portal_below_standard_save(self, case_id, cause_id=None, analysis=None, **kw):
        case = self._below_standard_get(case_id)
        form = {
            "cause_id": cause_id or "",
            "analysis": (analysis or "").replace("\r\n", "\n"),
        }
        try:
            with request.env.cr.savepoint():
                case.action_record_analysis(form["cause_id"], form["analysis"])
        except (AccessError, UserError, ValidationError) as error:
            request.env.invalidate_all()
            status = 403 if isinstance(error, AccessError) else 400
            return request.render(
                "complaint_reports.portal_complaint_below_standard_page",
                self._below_standard_page_values(case, error=error.args[0], form=form),
                status=status,
            )
        return request.redirect(f"{CASES_URL}/{case.id}?done=save")
