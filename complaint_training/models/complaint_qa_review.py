# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.float_utils import float_round

QA_GROUP = "complaint_training.complaint_training_group_qa"
# Written by the spot check's actions only (done, dispute, final).
PROCESS_FIELDS = {"state", "dispute_reason", "second_reviewer_id", "first_score"}


class ComplaintQaReview(models.Model):
    """A quality spot check (质检) of one handled complaint: each criterion of
    the scorecard scored (or not applicable), a score of 0-100, critical
    criteria failing the whole review. The reviewed person sees it and may
    dispute it once, with a reason, to a second reviewer."""

    _name = "complaint.qa.review"
    _description = "Quality Spot Check"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "complaint.training.person.mixin",
    ]
    _complaint_person_field = "reviewed_user_id"
    _order = "date desc, id desc"
    _rec_name = "ticket_id"

    plan_id = fields.Many2one(
        comodel_name="complaint.qa.plan", index=True, ondelete="cascade"
    )
    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        string="Complaint",
        required=True,
        index=True,
        ondelete="restrict",
    )
    company_id = fields.Many2one(related="ticket_id.company_id", store=True)
    category_id = fields.Many2one(related="ticket_id.category_id", store=True)
    reviewed_user_id = fields.Many2one(
        comodel_name="res.users",
        string="Reviewed Person",
        required=True,
        index=True,
    )
    team_id = fields.Many2one(
        comodel_name="helpdesk.ticket.team",
        compute="_compute_team_id",
        store=True,
        index="btree_not_null",
    )
    reviewer_id = fields.Many2one(
        comodel_name="res.users",
        required=True,
        default=lambda self: self.env.user,
        tracking=True,
    )
    scorecard_id = fields.Many2one(
        comodel_name="complaint.qa.scorecard", required=True, ondelete="restrict"
    )
    line_ids = fields.One2many(
        comodel_name="complaint.qa.review.line",
        inverse_name="review_id",
        string="Scores",
        compute="_compute_line_ids",
        store=True,
        readonly=False,
    )
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    state = fields.Selection(
        selection=[
            ("draft", "To Review"),
            ("done", "Reviewed"),
            ("disputed", "Disputed"),
            ("final", "Final"),
        ],
        default="draft",
        required=True,
        tracking=True,
        index=True,
    )
    score = fields.Float(
        compute="_compute_score", store=True, aggregator="avg", tracking=True
    )
    critical_failed = fields.Boolean(compute="_compute_score", store=True)
    pass_score = fields.Float(
        string="Standard",
        compute="_compute_pass_score",
        store=True,
        help="The company's pass score when the spot check was drawn.",
    )
    passed = fields.Boolean(compute="_compute_score", store=True)
    first_score = fields.Float(
        string="Score Before Dispute", readonly=True, aggregator="avg"
    )
    comment = fields.Text()
    dispute_reason = fields.Text(readonly=True, tracking=True)
    second_reviewer_id = fields.Many2one(
        comodel_name="res.users", readonly=True, tracking=True
    )
    training_need_ids = fields.One2many(
        comodel_name="complaint.training.need", inverse_name="review_id"
    )

    @api.depends("ticket_id", "reviewed_user_id")
    def _compute_team_id(self):
        for review in self:
            review.team_id = (
                False if review.partner_org_id else review.ticket_id.team_id
            )

    @api.depends("scorecard_id")
    def _compute_line_ids(self):
        for review in self:
            if review.state != "draft" or review.line_ids.criterion_id == (
                review.scorecard_id.criterion_ids
            ):
                continue
            # Each criterion starts at full marks: the reviewer deducts.
            review.line_ids = [fields.Command.clear()] + [
                fields.Command.create(
                    {"criterion_id": criterion.id, "score": criterion.scale}
                )
                for criterion in review.scorecard_id.criterion_ids
            ]

    @api.depends("company_id")
    def _compute_pass_score(self):
        for review in self:
            review.pass_score = (
                review.pass_score or review.company_id.complaint_qa_pass_score
            )

    @api.depends("line_ids.score", "line_ids.not_applicable", "pass_score")
    def _compute_score(self):
        for review in self:
            score, critical = review._complaint_compute_score()
            review.score = score
            review.critical_failed = critical
            review.passed = not critical and score >= review.pass_score

    def _complaint_compute_score(self):
        """(score 0-100, critical failed): the weighted mean of the scored
        criteria, each as a share of its scale, not-applicable ones left out
        (the others' weights count for all); 0 when a critical one fails."""
        self.ensure_one()
        scored = self.line_ids.filtered(lambda line: not line.not_applicable)
        if any(line.failed and line.critical for line in scored):
            return 0.0, True
        weight = sum(scored.mapped("weight"))
        if not weight:
            return 0.0, False
        total = sum(line.weight * line.score / line.scale for line in scored)
        return float_round(100.0 * total / weight, precision_digits=2), False

    @api.constrains(
        "reviewer_id", "reviewed_user_id", "second_reviewer_id", "ticket_id"
    )
    def _check_people(self):
        """Nobody reviews himself; the reviewed person handled the complaint
        (its handler or partner agent)."""
        for review in self:
            person = review.reviewed_user_id
            if person in review.reviewer_id | review.second_reviewer_id:
                raise ValidationError(
                    self.env._("Nobody reviews his own handling of a complaint.")
                )
            if review.second_reviewer_id and (
                review.second_reviewer_id == review.reviewer_id
            ):
                raise ValidationError(
                    self.env._("The second review is by another reviewer.")
                )
            ticket = review.ticket_id.sudo()
            if person not in ticket.user_id | ticket.partner_agent_id:
                raise ValidationError(
                    self.env._(
                        "%(person)s did not handle complaint %(number)s.",
                        person=person.name,
                        number=ticket.number,
                    )
                )

    @api.constrains("ticket_id", "reviewer_id")
    def _check_reviewer_sees_the_case(self):
        # One search per reviewer, whatever the number of spot checks.
        for reviewer, reviews in self.grouped("reviewer_id").items():
            readable = (
                self.env["helpdesk.ticket"]
                .with_user(reviewer)
                .search([("id", "in", reviews.ticket_id.ids)])
            )
            blind = reviews.filtered(lambda r, ok=readable: r.ticket_id not in ok)
            for review in blind[:1]:
                raise ValidationError(
                    self.env._(
                        "%(reviewer)s cannot see complaint %(number)s: choose a "
                        "reviewer who may read it.",
                        reviewer=review.reviewer_id.name,
                        number=review.ticket_id.sudo().number,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            steps = {name for name in PROCESS_FIELDS if vals.get(name)}
            if vals.get("state") == "draft":
                steps.discard("state")
            if not self.env.su and steps:
                raise UserError(
                    self.env._(
                        "A new spot check starts to be reviewed: its state and "
                        "dispute are set by its buttons."
                    )
                )
        reviews = super().create(vals_list)
        # The scorecard's lines exist from the start (they are computed).
        reviews.flush_recordset(["line_ids"])
        return reviews

    def write(self, vals):
        if not self.env.su:
            self._complaint_check_write(vals)
        return super().write(vals)

    def _complaint_check_write(self, vals):
        """What users may change by hand: the comment (the reviewer of a
        review to score, the second reviewer of a disputed one) and, for the
        quality team, what a review to score is about. The steps (state,
        dispute, scores) go through the review's actions."""
        names = set(vals)
        if PROCESS_FIELDS & names:
            raise UserError(
                self.env._(
                    "The state and the dispute of a spot check change through its "
                    "buttons only."
                )
            )
        for review in self:
            scorer = (
                review.reviewer_id
                if review.state == "draft"
                else review.second_reviewer_id
            )
            if names <= {"comment", "line_ids"} and (
                review.state in ("draft", "disputed") and self.env.user == scorer
            ):
                continue
            if review.state == "draft" and self.env.user.has_group(QA_GROUP):
                continue
            raise UserError(
                self.env._(
                    "Only the reviewer changes a spot check being scored, and "
                    "nobody changes a completed one."
                )
            )

    def _check_reviewer(self, second=False):
        for review in self:
            reviewer = review.second_reviewer_id if second else review.reviewer_id
            if self.env.user != reviewer and not self.env.su:
                raise UserError(
                    self.env._("Only the reviewer named on the spot check scores it.")
                )

    def action_done(self):
        """The reviewer completes the spot check: below standard, or the same
        criterion failed again, it proposes a training need."""
        self._check_reviewer()
        if self.filtered(lambda r: r.state != "draft"):
            raise UserError(self.env._("This spot check is already reviewed."))
        if self.filtered(lambda r: all(r.line_ids.mapped("not_applicable"))):
            raise UserError(
                self.env._("Score at least one criterion: all of them are N/A.")
            )
        self.sudo().write({"state": "done"})
        self.sudo()._complaint_propose_training()
        return True

    def action_dispute(self, reason):
        """The reviewed person disputes the result once, with a reason; a
        second reviewer reviews it again."""
        self.ensure_one()
        if self.env.user != self.reviewed_user_id:
            raise UserError(self.env._("Only the reviewed person disputes a result."))
        if self.state != "done" or self.dispute_reason:
            raise UserError(
                self.env._("A spot check is disputed once, after it is reviewed.")
            )
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Say why you dispute the result."))
        # Checked as the user; what follows (the quality group, the second
        # reviewer's activity) is the system's work.
        review = self.sudo()
        second = review._complaint_second_reviewer()
        if not second:
            raise UserError(
                self.env._(
                    "No second reviewer is available: ask the quality team to set "
                    "one in the complaint settings."
                )
            )
        review.write(
            {
                "state": "disputed",
                "dispute_reason": reason,
                "second_reviewer_id": second.id,
                "first_score": self.score,
            }
        )
        review.activity_schedule(
            act_type_xmlid="mail.mail_activity_data_todo",
            summary=review.with_context(lang=second.lang).env._(
                "Second review of a disputed spot check"
            ),
            user_id=second.id,
        )
        return True

    def action_final(self):
        """The second reviewer confirms the (re-scored) result."""
        self._check_reviewer(second=True)
        if self.filtered(lambda r: r.state != "disputed"):
            raise UserError(self.env._("Only a disputed spot check is reviewed again."))
        reviews = self.sudo()
        reviews.write({"state": "final"})
        reviews.activity_ids.action_feedback()
        # The second review's result decides the training needs.
        reviews.training_need_ids.filtered(lambda n: n.state == "proposed").write(
            {"state": "cancelled"}
        )
        reviews._complaint_propose_training()
        return True

    def _complaint_second_reviewer(self):
        """Hook: who reviews a disputed result: the company's dispute
        reviewer, else a quality reviewer other than the first one."""
        self.ensure_one()
        company = self.company_id
        excluded = self.reviewer_id | self.reviewed_user_id
        chosen = company.complaint_qa_dispute_reviewer_id
        if chosen and chosen not in excluded:
            return chosen
        # The group's members, whoever disputes (a portal agent reads no group).
        group = self.env.ref(QA_GROUP).sudo()
        return group.users.filtered(
            lambda u: u not in excluded and company in u.company_ids
        ).sorted("id")[:1]

    def _complaint_propose_training(self):
        """Training needs: a score below the company's threshold proposes the
        failed criteria's courses (the scorecard's default course when they
        name none); a criterion failed in the person's latest reviews as
        often as the company's setting says proposes its course too."""
        Need = self.env["complaint.training.need"]
        # The people's open needs, in one search: a course is proposed once.
        taken = {
            (need.user_id.id, need.course_id.id)
            for need in Need.search(
                [
                    ("user_id", "in", self.reviewed_user_id.ids),
                    ("state", "in", ("proposed", "confirmed")),
                ]
            )
        }
        for review in self:
            proposals = {}
            failed = review.line_ids.filtered(
                lambda line: line.failed and not line.not_applicable
            )
            if not review.passed:
                for line in failed or review.line_ids[:0]:
                    course = (
                        line.criterion_id.course_id or review.scorecard_id.course_id
                    )
                    if course:
                        proposals.setdefault(course, (line.criterion_id, "score"))
                if not failed and review.scorecard_id.course_id:
                    proposals[review.scorecard_id.course_id] = (
                        Need.criterion_id,
                        "score",
                    )
            repeated = review._complaint_repeatedly_failed() if failed else set()
            for line in failed.filtered(lambda line: line.criterion_id.course_id):
                if line.criterion_id in repeated:
                    proposals.setdefault(
                        line.criterion_id.course_id, (line.criterion_id, "repeat")
                    )
            person = review.reviewed_user_id
            for course, (criterion, why) in proposals.items():
                if (person.id, course.id) in taken:
                    continue
                taken.add((person.id, course.id))
                # Written for its readers, in the person's language.
                in_lang = review.with_context(
                    lang=review.reviewed_user_id.lang or self.env.lang
                )
                Need.create(
                    {
                        "user_id": review.reviewed_user_id.id,
                        "company_id": review.company_id.id,
                        "course_id": course.id,
                        "review_id": review.id,
                        "criterion_id": criterion.id,
                        "reason": in_lang._complaint_need_reason(criterion, why),
                    }
                )

    def _complaint_repeatedly_failed(self):
        """The criteria failed in each of the person's latest reviews, as
        many as the company's setting says (this one included): one search."""
        self.ensure_one()
        count = self.company_id.complaint_qa_repeat_failures
        if count < 2:
            return set()
        latest = self.search(
            [
                ("reviewed_user_id", "=", self.reviewed_user_id.id),
                ("state", "in", ("done", "final")),
                ("scorecard_id", "=", self.scorecard_id.id),
            ],
            limit=count,
            order="date desc, id desc",
        )
        if len(latest) < count:
            return set()
        failed_by_review = [
            set(review.line_ids.filtered("failed").criterion_id) for review in latest
        ]
        return set.intersection(*failed_by_review)

    @api.model
    def _complaint_quality_scores(self, date_from, date_to, groupby="reviewed_user_id"):
        """The average score of the completed spot checks of a period, by
        person (``reviewed_user_id``), team (``team_id``) or organisation
        (``partner_org_id``): {record: (average score, number of checks,
        number below standard)}. For reports; two queries."""
        groups = self._read_group(
            [
                ("state", "in", ("done", "final")),
                ("date", ">=", date_from),
                ("date", "<=", date_to),
                (groupby, "!=", False),
            ],
            [groupby],
            ["score:avg", "__count"],
        )
        below = dict(
            self._read_group(
                [
                    ("state", "in", ("done", "final")),
                    ("date", ">=", date_from),
                    ("date", "<=", date_to),
                    ("passed", "=", False),
                    (groupby, "!=", False),
                ],
                [groupby],
                ["__count"],
            )
        )
        return {
            key: (float_round(avg or 0.0, precision_digits=2), count, below.get(key, 0))
            for key, avg, count in groups
        }

    def _complaint_need_reason(self, criterion, why):
        number = self.ticket_id.number
        if why == "repeat":
            return self.env._(
                "Criterion %(criterion)s failed again in spot check of %(number)s.",
                criterion=criterion.with_env(self.env).name,
                number=number,
            )
        return self.env._(
            "Spot check of %(number)s scored %(score)s, below the standard.",
            number=number,
            score=self.score,
        )


class ComplaintQaReviewLine(models.Model):
    _name = "complaint.qa.review.line"
    _description = "Quality Spot Check Score"
    _order = "sequence, id"

    review_id = fields.Many2one(
        comodel_name="complaint.qa.review",
        required=True,
        ondelete="cascade",
        index=True,
    )
    criterion_id = fields.Many2one(
        comodel_name="complaint.qa.criterion", required=True, ondelete="restrict"
    )
    sequence = fields.Integer(related="criterion_id.sequence")
    # The criterion as it was when the spot check was drawn: a scorecard
    # changed later does not change the spot checks already made.
    weight = fields.Float(compute="_compute_criterion_snapshot", store=True)
    scale = fields.Integer(compute="_compute_criterion_snapshot", store=True)
    critical = fields.Boolean(compute="_compute_criterion_snapshot", store=True)
    pass_score = fields.Integer(compute="_compute_criterion_snapshot", store=True)
    company_id = fields.Many2one(related="review_id.company_id", store=True)
    score = fields.Integer()
    not_applicable = fields.Boolean(string="N/A")
    failed = fields.Boolean(compute="_compute_failed", store=True)

    @api.depends("criterion_id")
    def _compute_criterion_snapshot(self):
        for line in self:
            criterion = line.criterion_id
            line.weight = criterion.weight
            line.scale = criterion.scale
            line.critical = criterion.critical
            line.pass_score = criterion.pass_score

    @api.depends("score", "not_applicable", "pass_score")
    def _compute_failed(self):
        for line in self:
            line.failed = not line.not_applicable and line.score < line.pass_score

    @api.constrains("score", "not_applicable")
    def _check_score(self):
        for line in self:
            if not line.not_applicable and not 0 <= line.score <= line.scale:
                raise ValidationError(
                    self.env._(
                        "%(criterion)s is scored from 0 to %(scale)s.",
                        criterion=line.criterion_id.name,
                        scale=line.scale,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        # Made with their spot check (its scorecard), by the quality team.
        if not self.env.su and (
            lines.review_id.filtered(lambda r: r.state != "draft")
            or not self.env.user.has_group(QA_GROUP)
        ):
            raise UserError(self.env._("The scores follow the spot check's scorecard."))
        return lines

    def unlink(self):
        if not self.env.su and (
            self.review_id.filtered(lambda r: r.state != "draft")
            or not self.env.user.has_group(QA_GROUP)
        ):
            raise UserError(self.env._("The scores follow the spot check's scorecard."))
        return super().unlink()

    def write(self, vals):
        if not self.env.su and set(vals) - {"score", "not_applicable"}:
            raise UserError(
                self.env._("A score belongs to its spot check and criterion.")
            )
        states = set(self.review_id.mapped("state"))
        if (
            {"score", "not_applicable"} & set(vals)
            and not self.env.su
            and not (
                states <= {"draft"}
                and all(line.review_id.reviewer_id == self.env.user for line in self)
                or states <= {"disputed"}
                and all(
                    line.review_id.second_reviewer_id == self.env.user for line in self
                )
            )
        ):
            raise UserError(
                self.env._(
                    "Scores are given by the spot check's reviewer while it is to "
                    "review, and by the second reviewer of a disputed one."
                )
            )
        return super().write(vals)
