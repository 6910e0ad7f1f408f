# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools import SQL, float_repr

STATUSES = [("met", "Target met"), ("missed", "Target missed"), ("no_data", "No data")]


class ComplaintScorecardLine(models.Model):
    """One KPI of a scorecard: its definition, target and weight as they
    were when measured, the value and the cases behind it. Written by the
    scorecard's computation only."""

    _name = "complaint.scorecard.line"
    _description = "Partner Scorecard KPI"
    _order = "scorecard_id, sequence, id"

    scorecard_id = fields.Many2one(
        comodel_name="complaint.scorecard",
        required=True,
        ondelete="cascade",
        index=True,
    )
    partner_org_id = fields.Many2one(related="scorecard_id.partner_org_id", store=True)
    company_id = fields.Many2one(related="scorecard_id.company_id", store=True)
    kpi_id = fields.Many2one(
        comodel_name="complaint.scorecard.kpi",
        string="KPI",
        required=True,
        ondelete="restrict",
    )
    name = fields.Char(related="kpi_id.name")
    source = fields.Selection(related="kpi_id.source")
    unit = fields.Selection(related="kpi_id.unit")
    sequence = fields.Integer()
    definition = fields.Text(
        translate=True,
        help="How the figure was measured, as defined when it was computed.",
    )
    target = fields.Float()
    weight = fields.Float(string="Weight (%)")
    earn_back_percent = fields.Float(string="Earn-back (%)")
    value = fields.Float()
    numerator = fields.Float()
    denominator = fields.Float()
    status = fields.Selection(selection=STATUSES, required=True, default="no_data")
    value_display = fields.Char(string="Value with Unit", compute="_compute_display")
    target_display = fields.Char(string="Target with Unit", compute="_compute_display")
    source_note = fields.Char(
        string="Basis",
        compute="_compute_source_note",
        help="What the value was measured on.",
    )

    @api.depends("value", "target", "status", "kpi_id.unit", "kpi_id.higher_is_better")
    def _compute_display(self):
        for line in self:
            line.target_display = "{} {}".format(
                "≥" if line.kpi_id.higher_is_better else "≤",
                line._complaint_format(line.target),
            )
            line.value_display = (
                "—" if line.status == "no_data" else line._complaint_format(line.value)
            )

    def _complaint_format(self, number):
        unit = self.kpi_id.unit
        text = float_repr(round(number, 1), 1)
        if unit == "percent":
            return f"{text} %"
        if unit == "hours":
            return self.env._("%(hours)s h", hours=text)
        return text

    @api.depends("status", "numerator", "denominator", "kpi_id.source")
    @api.depends_context("lang")
    def _compute_source_note(self):
        notes = {
            "sla": self.env._("%(hits)s of %(total)s time limits met on time"),
            "fcr": self.env._(
                "%(hits)s of %(total)s complaints closed resolved at the first "
                "contact, not repeated"
            ),
            "satisfaction": self.env._(
                "%(hits)s of %(total)s rated callbacks satisfied (4-5)"
            ),
            "quality": self.env._("%(hits)s of %(total)s spot checks passed"),
            "external": self.env._("Reported by the partner's call system"),
        }
        for line in self:
            if line.status == "no_data":
                line.source_note = (
                    self.env._("Not reported by the partner's call system")
                    if line.source == "external"
                    else self.env._("No case in the period")
                )
                continue
            note = notes.get(line.source, "")
            line.source_note = note % {
                "hits": int(line.numerator),
                "total": int(line.denominator),
            }
            if line.source == "external" and line.denominator:
                line.source_note += (
                    f" ({int(line.numerator)} / {int(line.denominator)})"
                )

    def _complaint_snapshot_definitions(self):
        """Copy the KPIs' definitions, in every language, onto the lines: one
        query."""
        if not self:
            return
        self.flush_recordset(["kpi_id"])
        self.env["complaint.scorecard.kpi"].flush_model(["definition"])
        self.env.cr.execute(
            SQL(
                """
                UPDATE complaint_scorecard_line l
                   SET definition = k.definition
                  FROM complaint_scorecard_kpi k
                 WHERE k.id = l.kpi_id AND l.id IN %s
                """,
                tuple(self.ids),
            )
        )
        self.invalidate_recordset(["definition"])

    def _complaint_cases_domain(self, hit=None):
        """Domain of the complaints behind the figure (those of hits or misses
        only with ``hit``)."""
        self.ensure_one()
        card = self.scorecard_id.sudo()
        Measure = self.env["complaint.scorecard.measure"].sudo()
        if self.source == "quality":
            ids = Measure._complaint_quality_ticket_ids(
                card.partner_org_id, card.date_from, card.date_to
            )
        elif self.source in ("sla", "fcr", "satisfaction"):
            ids = Measure._complaint_ticket_ids(
                self.source,
                card._complaint_period(),
                event=self.kpi_id.sla_event if self.source == "sla" else None,
                hit=hit,
            )
        else:
            ids = []
        return [("id", "in", ids)]

    def action_open_cases(self):
        """The complaints behind the figure, as the user may read them; for a
        figure from the partner's call system, the imported rows."""
        self.ensure_one()
        self.scorecard_id.check_access("read")
        if self.source == "external":
            return {
                "type": "ir.actions.act_window",
                "name": self.env._("Imported: %(kpi)s", kpi=self.name),
                "res_model": "complaint.scorecard.external",
                "view_mode": "list,form",
                "domain": [
                    ("scorecard_id", "=", self.scorecard_id.id),
                    ("kpi_id", "=", self.kpi_id.id),
                ],
            }
        return {
            "type": "ir.actions.act_window",
            "name": self.env._(
                "%(kpi)s: %(scorecard)s",
                kpi=self.name,
                scorecard=self.scorecard_id.display_name,
            ),
            "res_model": "helpdesk.ticket",
            "view_mode": "list,form",
            "domain": self._complaint_cases_domain(),
            "context": {"create": False},
        }
