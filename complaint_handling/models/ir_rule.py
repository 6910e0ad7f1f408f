# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models, tools
from odoo.osv import expression
from odoo.tools import config


class IrRule(models.Model):
    _inherit = "ir.rule"

    @api.model
    @tools.conditional(
        "xml" not in config["dev_mode"],
        tools.ormcache(
            "self.env.uid",
            "self.env.su",
            "model_name",
            "mode",
            "tuple(self._compute_domain_context_values())",
        ),
    )
    def _compute_domain(self, model_name, mode="read"):
        """The records of a complaint (``_complaint_ticket_rules`` models:
        hand-offs, handling logs, remedies, time limits, …) are visible exactly
        when their complaint is: the complaint's record rules, whatever they
        are (helpdesk_mgmt's team rules, partner agents, confidentiality,
        departments), apply to them through ``ticket_id``, as Odoo applies a
        parent's rules to an ``_inherits`` child. Their own rules only add
        what is theirs (company, the agent's own organisation's hand-offs)."""
        domain = super()._compute_domain(model_name, mode)
        if not getattr(self.env[model_name], "_complaint_ticket_rules", False):
            return domain
        ticket_domain = self._compute_domain("helpdesk.ticket", "read")
        if not ticket_domain:
            return domain
        return expression.AND([domain or [], [("ticket_id", "any", ticket_domain)]])
