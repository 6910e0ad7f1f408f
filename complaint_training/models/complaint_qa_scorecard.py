# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import math

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.float_utils import float_compare

# In the context while a scorecard writes its criteria: it checks its weights
# itself, once, at the end.
SCORECARD_WRITING = "complaint_scorecard_writing"


class ComplaintQaScorecard(models.Model):
    """A spot-check template: weighted criteria (their weights add up to
    100), each on its own scale; critical criteria fail the whole review."""

    _name = "complaint.qa.scorecard"
    _description = "Quality Scorecard"
    _order = "name, id"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
    )
    criterion_ids = fields.One2many(
        comodel_name="complaint.qa.criterion",
        inverse_name="scorecard_id",
        string="Criteria",
        copy=True,
    )
    course_id = fields.Many2one(
        comodel_name="complaint.training.course",
        string="Default Course",
        help="Proposed to a person whose spot check is below standard, when the "
        "failed criteria name no course of their own.",
    )
    total_weight = fields.Float(compute="_compute_total_weight")

    @api.model_create_multi
    def create(self, vals_list):
        return (
            super(ComplaintQaScorecard, self.with_context(**{SCORECARD_WRITING: True}))
            .create(vals_list)
            .with_env(self.env)
        )

    def write(self, vals):
        return super(
            ComplaintQaScorecard, self.with_context(**{SCORECARD_WRITING: True})
        ).write(vals)

    @api.depends("criterion_ids.weight")
    def _compute_total_weight(self):
        for scorecard in self:
            scorecard.total_weight = sum(scorecard.criterion_ids.mapped("weight"))

    @api.constrains("criterion_ids")
    def _check_weights(self):
        for scorecard in self:
            if not scorecard.criterion_ids:
                raise ValidationError(
                    self.env._("A scorecard has at least one criterion.")
                )
            total = sum(scorecard.criterion_ids.mapped("weight"))
            if float_compare(total, 100.0, precision_digits=2):
                raise ValidationError(
                    self.env._(
                        "The weights of scorecard %(name)s add up to %(total)s: "
                        "they must add up to 100.",
                        name=scorecard.name,
                        total=round(total, 2),
                    )
                )


class ComplaintQaCriterion(models.Model):
    _name = "complaint.qa.criterion"
    _description = "Quality Criterion"
    _order = "sequence, id"

    # Not required: a criterion may be made first and then gathered by its
    # scorecard (the data file does so, to give each criterion an id and a
    # translated name); the scorecard checks that its weights add up.
    scorecard_id = fields.Many2one(
        comodel_name="complaint.qa.scorecard",
        ondelete="cascade",
        index=True,
    )
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(related="scorecard_id.company_id", store=True)
    name = fields.Char(required=True, translate=True)
    weight = fields.Float(required=True, help="Share of the score, in %.")
    scale = fields.Integer(
        required=True, default=5, help="The best score: scores go from 0 to it."
    )
    pass_score = fields.Integer(
        compute="_compute_pass_score",
        store=True,
        readonly=False,
        help="A score below this fails the criterion.",
    )
    critical = fields.Boolean(
        help="Failing this criterion fails the whole review (score 0)."
    )
    course_id = fields.Many2one(
        comodel_name="complaint.training.course",
        help="The course proposed to a person who fails this criterion.",
    )

    @api.depends("scale")
    def _compute_pass_score(self):
        for criterion in self:
            criterion.pass_score = criterion.pass_score or math.ceil(
                criterion.scale * 0.6
            )

    @api.constrains("weight", "scale", "pass_score")
    def _check_criterion(self):
        for criterion in self:
            if criterion.weight <= 0 or criterion.scale < 1:
                raise ValidationError(
                    self.env._(
                        "Criterion %(name)s needs a positive weight and a scale of "
                        "at least 1.",
                        name=criterion.name,
                    )
                )
            if not 0 <= criterion.pass_score <= criterion.scale:
                raise ValidationError(
                    self.env._(
                        "The pass score of criterion %(name)s is within its scale "
                        "(0 to %(scale)s).",
                        name=criterion.name,
                        scale=criterion.scale,
                    )
                )

    # A scorecard checks its weights once its own write is done (several
    # weights change at once); a criterion changed alone checks its scorecard.
    @api.model_create_multi
    def create(self, vals_list):
        criteria = super().create(vals_list)
        criteria._complaint_check_scorecards(criteria.scorecard_id)
        return criteria

    def write(self, vals):
        before = self.scorecard_id
        result = super().write(vals)
        self._complaint_check_scorecards(before | self.scorecard_id)
        return result

    def unlink(self):
        scorecards = self.scorecard_id
        result = super().unlink()
        self._complaint_check_scorecards(scorecards)
        return result

    def _complaint_check_scorecards(self, scorecards):
        if not self.env.context.get(SCORECARD_WRITING):
            scorecards.exists()._check_weights()
