# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.complaint_handling.tools.constants import SUPERVISOR_GROUP

from .complaint_report_period_mixin import PERIOD_MONTHS

# Written only by the scorecard's own actions (computation, finalisation).
PROCESS_FIELDS = {"state", "computed_date", "finalized_date", "finalized_by_id"}
PROCESS_KEY = "complaint_scorecard_process"
# Sources measured by complaint.scorecard.measure's row queries.
ROW_SOURCES = ("sla", "fcr", "satisfaction")


class ComplaintScorecard(models.Model):
    """The scorecard of a partner organisation for one agreement and period
    (月度考核): every KPI term of the agreement measured from the data or
    imported from the partner's call system, against its target. Computed
    while draft, frozen when final."""

    _name = "complaint.scorecard"
    _description = "Partner Scorecard"
    _inherit = ["mail.thread", "complaint.report.period.mixin"]
    _order = "date_from desc, partner_org_id, id"

    name = fields.Char(compute="_compute_name", store=True)
    agreement_id = fields.Many2one(
        comodel_name="complaint.partner.agreement",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
    )
    # Read by the organisation's agents, who do not read agreements.
    agreement_ref = fields.Char(
        related="agreement_id.name", string="Agreement Reference"
    )
    partner_org_id = fields.Many2one(
        related="agreement_id.partner_org_id", store=True, index=True
    )
    company_id = fields.Many2one(
        related="agreement_id.company_id", store=True, index=True
    )
    state = fields.Selection(
        selection=[("draft", "Draft"), ("done", "Final")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
    )
    line_ids = fields.One2many(
        comodel_name="complaint.scorecard.line",
        inverse_name="scorecard_id",
        string="KPIs",
        readonly=True,
        copy=False,
    )
    external_ids = fields.One2many(
        comodel_name="complaint.scorecard.external",
        inverse_name="scorecard_id",
        string="Imported Figures",
        readonly=True,
        copy=False,
    )
    computed_date = fields.Datetime(string="Computed On", readonly=True, copy=False)
    finalized_date = fields.Datetime(string="Finalised On", readonly=True, copy=False)
    finalized_by_id = fields.Many2one(
        comodel_name="res.users", string="Finalised By", readonly=True, copy=False
    )
    met_count = fields.Integer(compute="_compute_counts", string="Targets Met")
    missed_count = fields.Integer(compute="_compute_counts", string="Missed")
    no_data_count = fields.Integer(compute="_compute_counts", string="No Data")

    _sql_constraints = [
        (
            "agreement_period_unique",
            "UNIQUE (agreement_id, period_type, date_from)",
            "The agreement has a scorecard for this period already.",
        ),
    ]

    @api.depends("agreement_id.name", "period_type", "date_from")
    def _compute_name(self):
        for card in self:
            if not (card.agreement_id and card.date_from):
                card.name = False
                continue
            card.name = f"{card.agreement_id.name} · {card._complaint_period_label()}"

    @api.depends("line_ids.status")
    def _compute_counts(self):
        for card in self:
            statuses = card.line_ids.mapped("status")
            card.met_count = statuses.count("met")
            card.missed_count = statuses.count("missed")
            card.no_data_count = statuses.count("no_data")

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.context.get(PROCESS_KEY):
            for vals in vals_list:
                if PROCESS_FIELDS & set(vals):
                    raise AccessError(
                        self.env._("Scorecard states are set by its actions.")
                    )
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.context.get(PROCESS_KEY) and not self.env.su:
            # Who may not write at all is told so first.
            self.check_access("write")
            if PROCESS_FIELDS & set(vals):
                raise AccessError(
                    self.env._("Scorecard states are set by its actions.")
                )
            if {"agreement_id", "period_type", "date_from"} & set(vals):
                computed = self.filtered(
                    lambda c: c.computed_date or c.state != "draft"
                )
                if computed:
                    raise UserError(
                        self.env._(
                            "The agreement and period of scorecard %(name)s do not "
                            "change once computed: create another scorecard.",
                            name=computed[0].display_name,
                        )
                    )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_final(self):
        if any(card.state == "done" for card in self):
            raise UserError(self.env._("A final scorecard is kept."))

    def _complaint_process(self):
        return self.with_context(**{PROCESS_KEY: True}).sudo()

    def _complaint_check_carrier(self):
        """The carrier's supervisors compute and finalise scorecards."""
        if not (self.env.su or self.env.user.has_group(SUPERVISOR_GROUP)):
            raise AccessError(
                self.env._("Only the carrier's supervisors manage scorecards.")
            )

    # ----------------------------------------------------------------- actions
    def action_compute(self):
        """Measure (again) every KPI of the draft scorecards."""
        self._complaint_check_carrier()
        self.check_access("write")
        final = self.filtered(lambda c: c.state != "draft")
        if final:
            raise UserError(
                self.env._(
                    "Scorecard %(name)s is final: its figures stay as they were.",
                    name=final[0].display_name,
                )
            )
        self._complaint_compute(self)
        return True

    def action_finalize(self):
        """Freeze the figures: a final scorecard is never computed again."""
        self._complaint_check_carrier()
        self.check_access("write")
        if any(card.state != "draft" for card in self):
            raise UserError(self.env._("Only draft scorecards are finalised."))
        uncomputed = self.filtered(lambda c: not c.computed_date)
        if uncomputed:
            self._complaint_compute(uncomputed)
        self._complaint_process().write(
            {
                "state": "done",
                "finalized_date": fields.Datetime.now(),
                "finalized_by_id": self.env.uid,
            }
        )
        return True

    def action_open_import(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Import Partner Figures"),
            "res_model": "complaint.scorecard.import",
            "view_mode": "form",
            "target": "new",
            "context": {"default_scorecard_id": self[:1].id},
        }

    # --------------------------------------------------------------------- API
    @api.model
    def _complaint_period_type(self, date_from, date_to):
        date_from = fields.Date.to_date(date_from)
        date_to = fields.Date.to_date(date_to)
        for period_type, months in PERIOD_MONTHS.items():
            if date_to == date_from + relativedelta(months=months, days=-1):
                return period_type
        raise ValidationError(
            self.env._("A scorecard covers one month or one quarter.")
        )

    @api.model
    def _complaint_get_or_compute(
        self, agreements, date_from, date_to, recompute_drafts=False
    ):
        """The scorecards of ``agreements`` for the period, final or draft:
        those missing are created and computed (in batch), so are the drafts
        never computed; with ``recompute_drafts`` every draft is computed
        again. Returned in the order of ``agreements``. Created as the current
        user (access rules apply); measured as the system."""
        date_from = fields.Date.to_date(date_from)
        period_type = self._complaint_period_type(date_from, date_to)
        existing = self.search(
            [
                ("agreement_id", "in", agreements.ids),
                ("period_type", "=", period_type),
                ("date_from", "=", date_from),
            ]
        )
        missing = agreements - existing.agreement_id
        created = self.create(
            [
                {
                    "agreement_id": agreement.id,
                    "period_type": period_type,
                    "date_from": date_from,
                }
                for agreement in missing
            ]
        )
        order = {
            agreement_id: index for index, agreement_id in enumerate(agreements.ids)
        }
        cards = (existing | created).sorted(lambda c: order[c.agreement_id.id])
        drafts = cards.filtered(lambda c: c.state == "draft")
        if not recompute_drafts:
            drafts = drafts.filtered(lambda c: not c.computed_date)
        self._complaint_compute(drafts)
        return cards

    @api.model
    def _complaint_get_or_create(self, pairs):
        """The monthly scorecards of ``pairs`` ({(agreement, first day of the
        month)}), the missing ones created (not computed); one search."""
        pairs = set(pairs)
        agreements = self.env["complaint.partner.agreement"].union(
            *(agreement for agreement, _period in pairs)
        )
        existing = self.search(
            [
                ("agreement_id", "in", agreements.ids),
                ("period_type", "=", "month"),
                ("date_from", "in", list({period for _a, period in pairs})),
            ]
        )
        have = {(card.agreement_id, card.date_from) for card in existing}
        created = self.create(
            [
                {
                    "agreement_id": agreement.id,
                    "period_type": "month",
                    "date_from": period,
                }
                for agreement, period in pairs
                if (agreement, period) not in have
            ]
        )
        return (existing | created).filtered(
            lambda c: (c.agreement_id, c.date_from) in pairs
        )

    @api.model
    def complaint_import_external(self, rows):
        """API of the partners' call systems: import figures (call answer
        rate, average handling time) all or nothing, with the checks of the
        CSV import. ``rows``: a list of dicts with the keys ``agreement``
        (reference) or ``partner_organisation`` (name), ``period``
        (YYYY-MM), ``kpi`` (code), ``value`` and optionally ``numerator`` and
        ``denominator``. A bad row raises an error naming every bad row (rows
        numbered from 1); nothing is imported then. The rows are kept as a
        JSON attachment on each scorecard. Returns the ids of the scorecards
        updated."""
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise UserError(self.env._("Send the rows as a list of objects."))
        now = fields.Datetime.now()
        cards = self.env["complaint.scorecard.external"]._complaint_import(
            list(enumerate(rows, start=1)),
            f"api-{now:%Y%m%d-%H%M%S}.json",
            json.dumps(rows, indent=1, default=str).encode(),
            "application/json",
        )
        return cards.ids

    @api.model
    def _complaint_bounds(self, card):
        """The period of ``card`` as naive UTC datetimes (stop excluded), the
        days of its company's time zone."""
        return (
            self.env["complaint.report.figures"]
            .sudo()
            .with_company(card.company_id)
            ._complaint_period_bounds(card.date_from, card.date_to)
        )

    @api.model
    def _complaint_compute(self, scorecards):
        """Measure every KPI term of the draft ``scorecards``' agreements and
        replace their lines: a fixed number of grouped queries for any number
        of scorecards and complaints (one per kind of KPI, two per distinct
        period for the quality spot checks)."""
        cards = scorecards.sudo().filtered(lambda c: c.state == "draft")
        if not cards:
            return
        Measure = self.env["complaint.scorecard.measure"].sudo()
        terms = cards.agreement_id.kpi_term_ids
        kpis = terms.kpi_id
        sources = set(kpis.mapped("source"))
        periods = [
            (
                card.id,
                card.partner_org_id.id,
                card.company_id.id,
                *self._complaint_bounds(card),
            )
            for card in cards
        ]
        counts = {}
        for source in ROW_SOURCES:
            if source in sources:
                events = kpis.filtered(lambda k, s=source: k.source == s).mapped(
                    "sla_event"
                )
                for (key, event), figures in Measure._complaint_counts(
                    source, periods, events
                ).items():
                    counts[(source, key, event)] = figures
        if "quality" in sources:
            by_dates = Measure._complaint_group_periods(
                (card.id, card.partner_org_id.id, card.date_from, card.date_to)
                for card in cards
            )
            for (key, _event), figures in Measure._complaint_quality(by_dates).items():
                counts[("quality", key, None)] = figures
        externals = {
            (row.scorecard_id.id, row.kpi_id.id): row
            for row in self.env["complaint.scorecard.external"]
            .sudo()
            .search([("scorecard_id", "in", cards.ids)])
        }
        vals_list = []
        for card in cards:
            for term in card.agreement_id.kpi_term_ids:
                vals_list.append(card._complaint_line_vals(term, counts, externals))
        process = cards._complaint_process()
        process.line_ids.unlink()
        lines = process.env["complaint.scorecard.line"].create(vals_list)
        lines._complaint_snapshot_definitions()
        process.write({"computed_date": fields.Datetime.now()})

    def _complaint_line_vals(self, term, counts, externals):
        self.ensure_one()
        kpi = term.kpi_id
        vals = {
            "scorecard_id": self.id,
            "kpi_id": kpi.id,
            "sequence": kpi.sequence,
            "target": term.target,
            "weight": term.weight,
            "earn_back_percent": term.earn_back_percent,
            "value": 0.0,
            "numerator": 0.0,
            "denominator": 0.0,
        }
        has_data = False
        if kpi.source == "external":
            row = externals.get((self.id, kpi.id))
            if row:
                has_data = True
                vals.update(
                    value=row.value,
                    numerator=row.numerator,
                    denominator=row.denominator,
                )
        else:
            event = kpi.sla_event if kpi.source == "sla" else None
            figures = counts.get((kpi.source, self.id, event))
            if figures and figures[1]:
                has_data = True
                hits, total = figures[0], figures[1]
                value = (
                    figures[2]
                    if kpi.source == "quality"
                    else round(100.0 * hits / total, 2)
                )
                vals.update(value=value, numerator=hits, denominator=total)
        vals["status"] = kpi._complaint_status(vals["value"], term.target, has_data)
        return vals

    def _complaint_period(self):
        """This scorecard's period for the measuring queries."""
        self.ensure_one()
        return (
            self.id,
            self.partner_org_id.id,
            self.company_id.id,
            *self._complaint_bounds(self),
        )
