# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class ComplaintTrainingPersonMixin(models.AbstractModel):
    """Records about one person (qualifications, training needs, spot
    checks): the partner organisation the person works for, stored for the
    organisation's record rules and reports."""

    _name = "complaint.training.person.mixin"
    _description = "Training Record of a Person"
    # The field holding the person (a res.users many2one).
    _complaint_person_field = "user_id"

    partner_org_id = fields.Many2one(
        comodel_name="res.partner",
        string="Organisation",
        compute="_compute_partner_org_id",
        store=True,
        index="btree_not_null",
    )

    @api.depends(lambda self: [self._complaint_person_field])
    def _compute_partner_org_id(self):
        for record in self:
            partner = record[record._complaint_person_field].commercial_partner_id
            record.partner_org_id = partner if partner.complaint_partner_org else False
