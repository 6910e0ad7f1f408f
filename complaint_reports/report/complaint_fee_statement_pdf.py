# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

from odoo.addons.complaint_handling.report.complaint_record_report import (
    wkhtmltopdf_has_patched_qt,
)


class ComplaintFeeStatementPdf(models.AbstractModel):
    """Values of the fee statement's PDF: the statements the reader may
    read, checked before anything is rendered."""

    _name = "report.complaint_reports.fee_statement_pdf"
    _description = "Partner Fee Statement (PDF)"

    @api.model
    def _get_report_values(self, docids, data=None):
        statements = self.env["complaint.fee.statement"].browse(docids)
        statements.check_access("read")
        return {
            "doc_ids": statements.ids,
            "doc_model": statements._name,
            "docs": statements,
            # Without patched Qt the layout's header is lost: print the
            # company's header in the page itself.
            "header_in_body": not wkhtmltopdf_has_patched_qt(),
        }
