# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import http
from odoo.http import request

from odoo.addons.web.controllers.report import ReportController

# Reports whose printing is logged (the personal-data access log): they are
# printed on the primary database, the others on a read replica when there is
# one (Odoo's report routes are read-only).
LOGGED_REPORTS = {"complaint_handling.report_complaint_record"}


def _report_readonly(_controller):
    reportname = (request.httprequest.path.split("/") + ["", "", ""])[3]
    return reportname not in LOGGED_REPORTS


class ComplaintReportController(ReportController):
    @http.route(readonly=_report_readonly)
    def report_routes(self, reportname, docids=None, converter=None, **data):
        return super().report_routes(
            reportname, docids=docids, converter=converter, **data
        )
