# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from odoo.addons.complaint_handling.tools.constants import PARTNER_SUPERVISOR_GROUP
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..models.complaint_periodic_report_output import PDF_REPORT
from ..models.complaint_periodic_report_portal import NARRATIVE_ORDER

# The portal's actions: CSRF-protected POSTs of logged-in users.
POST_ROUTE = {
    "type": "http",
    "auth": "user",
    "website": True,
    "methods": ["POST"],
    "csrf": True,
}
REPORT_MODEL = "complaint.periodic.report"


class ComplaintReportPortal(CustomerPortal):
    """The periodic reports of a partner organisation, prepared and submitted
    by its supervisor agents. Everything is read and written as the user: the
    record rules and the report's own checks decide."""

    _reports_per_page = 20

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    @staticmethod
    def _report_is_preparer():
        """Whether the user prepares the reports of an organisation."""
        user = request.env.user
        return (
            user.has_group(PARTNER_SUPERVISOR_GROUP)
            and user.commercial_partner_id.complaint_partner_org
        )

    def _report_check_role(self):
        if not self._report_is_preparer():
            raise request.not_found()

    @staticmethod
    def _report_list_domain():
        return [
            ("scope", "=", "partner"),
            ("partner_org_id", "=", request.env.user.commercial_partner_id.id),
        ]

    def _report_get(self, report_id):
        """The report as the user sees it; a 404 when the user may not read
        it, it does not exist or is not the user's organisation's."""
        self._report_check_role()
        report = request.env[REPORT_MODEL].browse(report_id)
        try:
            report.check_access("read")
            report = report.exists()
        except (AccessError, MissingError):
            raise request.not_found() from None
        if not report or not report.filtered_domain(self._report_list_domain()):
            raise request.not_found()
        return report

    @staticmethod
    def _report_form():
        """What was typed, the line ends as stored."""
        return {
            key: value.replace("\r\n", "\n") if isinstance(value, str) else value
            for key, value in request.params.items()
        }

    @staticmethod
    def _report_pdf_action():
        return request.env.ref(PDF_REPORT, raise_if_not_found=False)

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "periodic_report_count" in counters:
            values["periodic_report_count"] = (
                request.env[REPORT_MODEL].search_count(self._report_list_domain())
                if self._report_is_preparer()
                else 0
            )
        return values

    # ------------------------------------------------------------------
    # Pages
    # ------------------------------------------------------------------

    def _report_filters(self):
        env = request.env
        return {
            "all": {"label": env._("All"), "domain": []},
            "to_prepare": {
                "label": env._("To prepare"),
                "domain": [("state", "in", ("draft", "returned"))],
            },
            "submitted": {
                "label": env._("Waiting for review"),
                "domain": [("state", "=", "submitted")],
            },
        }

    @http.route(
        ["/my/complaint-reports", "/my/complaint-reports/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_complaint_reports(self, page=1, filterby="all", **kw):
        self._report_check_role()
        Report = request.env[REPORT_MODEL]
        filters = self._report_filters()
        filterby = filterby if filterby in filters else "all"
        domain = self._report_list_domain() + filters[filterby]["domain"]
        pager = portal_pager(
            url="/my/complaint-reports",
            url_args={"filterby": filterby},
            total=Report.search_count(domain),
            page=page,
            step=self._reports_per_page,
        )
        reports = Report.search(
            domain, limit=self._reports_per_page, offset=pager["offset"]
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "reports": reports,
                "page_name": "complaint_report",
                "pager": pager,
                "default_url": "/my/complaint-reports",
                "searchbar_filters": filters,
                "filterby": filterby,
            }
        )
        return request.render("complaint_reports.portal_my_complaint_reports", values)

    def _report_page_values(self, report, **extra):
        versions = report._complaint_versions()
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "complaint_report",
                "report": report,
                "versions": versions,
                "actions": report._complaint_portal_actions(versions),
                "narrative": [
                    (
                        name,
                        report._fields[name]._description_string(request.env),
                        report._fields[name]._description_help(request.env),
                    )
                    for name in NARRATIVE_ORDER
                ],
                "has_pdf": bool(self._report_pdf_action()),
                "error": None,
                "error_action": None,
                "form": {},
                "message": request.params.get("done"),
            }
        )
        values.update(extra)
        return values

    @http.route(
        ["/my/complaint-reports/<int:report_id>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_complaint_report(self, report_id, **kw):
        report = self._report_get(report_id)
        return request.render(
            "complaint_reports.portal_complaint_report_page",
            self._report_page_values(report),
        )

    @http.route(
        ["/my/complaint-reports/<int:report_id>/pdf"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_complaint_report_pdf(self, report_id, **kw):
        report = self._report_get(report_id)
        action = self._report_pdf_action()
        if not action:
            raise request.not_found()
        # Read access checked above; the portal prints as superuser.
        return self._show_report(
            model=report, report_type="pdf", report_ref=action.id, download=True
        )

    # ------------------------------------------------------------------
    # Actions (POST, CSRF-protected)
    # ------------------------------------------------------------------

    def _report_run(self, report_id, action, run):
        """Run ``run(report, form)`` as the user; on a refusal, show the page
        again with the reason and what was typed. ``run`` returns the report
        to show next, or nothing for the same one."""
        report = self._report_get(report_id)
        form = self._report_form()
        try:
            with request.env.cr.savepoint():
                target = run(report, form)
        except (AccessError, UserError, ValidationError) as error:
            request.env.invalidate_all()
            values = self._report_page_values(
                report, error=error.args[0], error_action=action, form=form
            )
            status = 403 if isinstance(error, AccessError) else 400
            return request.render(
                "complaint_reports.portal_complaint_report_page", values, status=status
            )
        target = target or report
        return request.redirect(f"/my/complaint-reports/{target.id}?done={action}")

    @staticmethod
    def _report_save(report, form):
        """The narrative as typed, when the report is open for it."""
        if report.state in ("draft", "returned"):
            report._complaint_write_narrative(form)

    @http.route(["/my/complaint-reports/<int:report_id>/save"], **POST_ROUTE)
    def portal_complaint_report_save(self, report_id, **kw):
        def run(report, form):
            report._complaint_write_narrative(form)

        return self._report_run(report_id, "save", run)

    @http.route(["/my/complaint-reports/<int:report_id>/generate"], **POST_ROUTE)
    def portal_complaint_report_generate(self, report_id, **kw):
        def run(report, form):
            self._report_save(report, form)
            report.action_generate()

        return self._report_run(report_id, "generate", run)

    @http.route(["/my/complaint-reports/<int:report_id>/submit"], **POST_ROUTE)
    def portal_complaint_report_submit(self, report_id, **kw):
        def run(report, form):
            self._report_save(report, form)
            report.action_submit()

        return self._report_run(report_id, "submit", run)

    @http.route(["/my/complaint-reports/<int:report_id>/new-version"], **POST_ROUTE)
    def portal_complaint_report_new_version(self, report_id, **kw):
        def run(report, form):
            action = report.action_new_version()
            return request.env[REPORT_MODEL].browse(action["res_id"])

        return self._report_run(report_id, "new_version", run)
