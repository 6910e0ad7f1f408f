# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools.constants import SUPERVISOR_GROUP


class ComplaintConfidentialMixin(models.AbstractModel):
    """Confidential complaints: seen only by the named people, the owner, the
    customer and the Confidential Complaints group (record rules in
    security/); marked and unmarked by supervisors only."""

    _name = "complaint.confidential.mixin"
    _description = "Confidential Complaint"

    confidential = fields.Boolean(
        tracking=True,
        copy=False,
        help="Visible only to the named people, the complaint's owner, the "
        "customer and the Confidential Complaints group.",
    )
    confidential_reason = fields.Selection(
        selection=[
            ("vip", "VIP customer"),
            ("legal", "Legal dispute"),
            ("media", "Media attention"),
            ("staff", "Internal staff"),
        ],
        tracking=True,
        copy=False,
    )
    confidential_user_ids = fields.Many2many(
        comodel_name="res.users",
        relation="helpdesk_ticket_confidential_user_rel",
        column1="ticket_id",
        column2="user_id",
        string="Named People",
        domain="[('share', '=', False)]",
        copy=False,
    )
    confidential_editable = fields.Boolean(compute="_compute_confidential_editable")

    @api.depends_context("uid")
    def _compute_confidential_editable(self):
        self.confidential_editable = self.env.user.has_group(SUPERVISOR_GROUP)

    def _complaint_check_confidential_vals(self, vals):
        changes = (
            vals.get("confidential")
            or vals.get("confidential_reason")
            or vals.get("confidential_user_ids")
            or ("confidential" in vals and any(self.mapped("confidential")))
        )
        if changes and not self.env.user.has_group(SUPERVISOR_GROUP):
            raise UserError(
                self.env._("Only a supervisor marks a complaint confidential.")
            )
        if vals.get("confidential") and not vals.get("confidential_reason"):
            missing = self.filtered(lambda t: not t.confidential_reason)
            if missing or not self:
                raise UserError(
                    self.env._("Give the reason why the complaint is confidential.")
                )

    def _complaint_unreadable_confidential(self, user=None):
        """The confidential records of ``self`` that ``user`` (the
        environment's user, even in a superuser environment) cannot read.
        One query whatever the number of records."""
        confidential = self.filtered(lambda r: r.id and r.sudo().confidential)
        if not confidential:
            return confidential
        user = user or self.env.user
        as_user = self.with_env(self.env(user=user, su=False))
        if not as_user.has_access("read"):
            return confidential
        readable = as_user.with_context(active_test=False).search(
            [("id", "in", confidential.ids)]
        )
        return confidential - self.browse(readable.ids)

    def _complaint_hide_confidential_names(self):
        """Display names of confidential complaints the user cannot read: no
        number, title nor customer. Odoo gives many2one display names as
        superuser (web_read, other records, wizards, activities): the check is
        on the user, not on the environment's rights."""
        for record in self._complaint_unreadable_confidential():
            record.display_name = self.env._("Confidential complaint")

    def _complaint_filter_confidential_readers(self, partners):
        """The ``partners`` who may follow the confidential complaint ``self``:
        users who can read it, and the complainant."""
        self.ensure_one()
        customer = self.sudo().partner_id.commercial_partner_id
        allowed = partners.browse()
        for partner in partners.sudo():
            users = partner.with_context(active_test=False).user_ids
            if not users:
                if customer and partner.commercial_partner_id == customer:
                    allowed |= partner
                continue
            if any(not self._complaint_unreadable_confidential(u) for u in users):
                allowed |= partner
        return allowed

    def _complaint_followers_by_record(self, partner_ids):
        """``{record: partner ids}``: who of ``partner_ids`` may follow each
        record (everyone, on a record that is not confidential)."""
        partners = self.env["res.partner"].browse(partner_ids)
        confidential = self.sudo().filtered("confidential")
        return {
            record: (
                record._complaint_filter_confidential_readers(partners)
                if record in confidential
                else partners
            ).ids
            for record in self
        }

    def _complaint_drop_unreadable_followers(self):
        """Remove the followers who can no longer read these confidential
        complaints (marked confidential, a named person removed)."""
        for record in self.sudo().filtered("confidential"):
            followers = record.message_partner_ids
            allowed = record._complaint_filter_confidential_readers(followers)
            if followers - allowed:
                record.message_unsubscribe(partner_ids=(followers - allowed).ids)
