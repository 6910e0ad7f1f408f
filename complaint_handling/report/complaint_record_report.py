# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import functools
import subprocess

from odoo import api, models
from odoo.tools.misc import find_in_path

from ..tools.constants import PERSONAL_FIELDS


@functools.cache
def wkhtmltopdf_has_patched_qt():
    """Whether the wkhtmltopdf binary honours ``--header-html``: only the
    builds "with patched qt" do; Debian's does not, and prints no header at
    all. Asked once per process (Odoo asks the same binary for its version)."""
    try:
        out = subprocess.run(
            [find_in_path("wkhtmltopdf"), "--version"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return "patched qt" in out


class ReportComplaintRecord(models.AbstractModel):
    """The printed complaint record: personal data masked unless the user has the
    personal data right, whose print of full values is logged in the personal
    data access log."""

    _name = "report.complaint_handling.report_complaint_record"
    _description = "Complaint Record Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env["helpdesk.ticket"].browse(docids)
        # read() checks access; the stored values only for users with the
        # personal data right (the ORM refuses them to others), the masked
        # twins for the others, under the same keys.
        full = docs._complaint_sees_personal_data()
        names = {name: name if full else f"{name}_masked" for name in PERSONAL_FIELDS}
        personal = {
            values["id"]: {name: values[read] for name, read in names.items()}
            for values in docs.read(list(names.values()))
        }
        if full and not self.env.su:
            self.env["complaint.personal.access.log"]._log(
                docs, "print", list(PERSONAL_FIELDS)
            )
        return {
            "doc_ids": docids,
            "doc_model": "helpdesk.ticket",
            "docs": docs,
            "personal": personal,
            # Without patched Qt the layout's header is lost: print the
            # company's header in the page itself.
            "header_in_body": not wkhtmltopdf_has_patched_qt(),
        }
