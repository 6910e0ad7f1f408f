# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

from odoo.addons.complaint_handling.report.complaint_record_report import (
    wkhtmltopdf_has_patched_qt,
)


class ComplaintPeriodicReportPdf(models.AbstractModel):
    """Values of the periodic report's PDF: the reports the reader may read,
    checked before anything is rendered."""

    _name = "report.complaint_reports.periodic_report_pdf"
    _description = "Periodic Complaint Report (PDF)"

    @api.model
    def _get_report_values(self, docids, data=None):
        reports = self.env["complaint.periodic.report"].browse(docids)
        reports.check_access("read")
        return {
            "doc_ids": reports.ids,
            "doc_model": reports._name,
            "docs": reports,
            # Without patched Qt the layout's header is lost: print the
            # company's header in the page itself.
            "header_in_body": not wkhtmltopdf_has_patched_qt(),
        }
