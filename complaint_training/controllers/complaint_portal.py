# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.addons.complaint_handling.controllers.portal import ComplaintPortal

from ..models.helpdesk_ticket import OVERRIDE_KEY


class TrainingComplaintPortal(ComplaintPortal):
    def _complaint_assign_context(self, kw):
        """A supervisor agent may assign an agent without the qualification
        the complaint needs, with a reason (checked and logged by the model)."""
        context = super()._complaint_assign_context(kw)
        reason = (kw.get("qualification_override_reason") or "").strip()
        if reason:
            context[OVERRIDE_KEY] = reason
        return context
