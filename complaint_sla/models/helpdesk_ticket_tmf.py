# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

from odoo.addons.complaint_handling.tools.tmf621 import iso


# helpdesk.ticket is split by concern on purpose, one file each (as Odoo
# splits mail.thread): pylint-odoo would have one class.
# pylint: disable=consider-merging-classes-inherited
class HelpdeskTicket(models.Model):
    """The time limits in the TMF621 trouble ticket: the next deadline as its
    expected resolution date, and the SLA state as a characteristic."""

    _inherit = "helpdesk.ticket"

    def _tmf_resource(self, href, batch):
        resource = super()._tmf_resource(href, batch)
        if self.sla_deadline:
            resource["expectedResolutionDate"] = iso(self.sla_deadline)
        return resource

    def _tmf_characteristics(self):
        characteristics = super()._tmf_characteristics()
        characteristics["slaState"] = self.sla_state or None
        return characteristics
