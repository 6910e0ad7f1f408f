# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError


def _blank(raw):
    return raw is None or raw is False or (isinstance(raw, str) and not raw.strip())


class ComplaintScorecardExternal(models.Model):
    """A figure of the partner's call system for one scorecard and KPI (call
    answer rate, average handling time), imported from a file or through the
    API. A new import of the same figure replaces it."""

    _name = "complaint.scorecard.external"
    _description = "Imported Partner Figure"
    _order = "scorecard_id, kpi_id"

    scorecard_id = fields.Many2one(
        comodel_name="complaint.scorecard",
        required=True,
        ondelete="cascade",
        index=True,
        readonly=True,
    )
    agreement_id = fields.Many2one(related="scorecard_id.agreement_id", store=True)
    partner_org_id = fields.Many2one(related="scorecard_id.partner_org_id", store=True)
    company_id = fields.Many2one(related="scorecard_id.company_id", store=True)
    date_from = fields.Date(related="scorecard_id.date_from")
    kpi_id = fields.Many2one(
        comodel_name="complaint.scorecard.kpi",
        string="KPI",
        required=True,
        ondelete="restrict",
        readonly=True,
        domain=[("source", "=", "external")],
    )
    value = fields.Float(readonly=True)
    numerator = fields.Float(readonly=True)
    denominator = fields.Float(readonly=True)
    attachment_id = fields.Many2one(
        comodel_name="ir.attachment",
        string="Source File",
        readonly=True,
        ondelete="set null",
    )
    imported_by_id = fields.Many2one(comodel_name="res.users", readonly=True)
    imported_date = fields.Datetime(readonly=True)

    _sql_constraints = [
        (
            "scorecard_kpi_unique",
            "UNIQUE (scorecard_id, kpi_id)",
            "A scorecard has one imported figure per KPI.",
        ),
    ]

    # ------------------------------------------------------------------ import
    @api.model
    def _complaint_check_importer(self):
        """The carrier's supervisors (and managers) import partner figures."""
        self.env["complaint.scorecard"]._complaint_check_carrier()
        self.env["complaint.scorecard"].check_access("create")

    @api.model
    def _complaint_parse_number(self, raw, label, errors, required=True):
        if _blank(raw):
            if required:
                errors.append(self.env._("%(column)s is missing", column=label))
            return None
        try:
            if isinstance(raw, bool):
                raise ValueError(raw)
            number = float(raw.strip() if isinstance(raw, str) else raw)
        except (TypeError, ValueError):
            errors.append(
                self.env._(
                    "%(column)s %(value)s is not a number", column=label, value=raw
                )
            )
            return None
        if number < 0:
            errors.append(self.env._("%(column)s cannot be negative", column=label))
            return None
        return number

    @api.model
    def _complaint_parse_period(self, raw, errors):
        text = (raw or "").strip() if isinstance(raw, str) else ""
        match = re.fullmatch(r"(\d{4})-(\d{1,2})", text)
        if not match or not 1 <= int(match.group(2)) <= 12:
            errors.append(
                self.env._(
                    "period %(value)s is not a month written YYYY-MM",
                    value=raw if raw not in (None, False) else "",
                )
            )
            return None
        return date(int(match.group(1)), int(match.group(2)), 1)

    @api.model
    def _complaint_resolve_rows(self, rows):
        """Check ``rows`` ([(row number, {column: value})]) and resolve them:
        ([(agreement, period start, kpi, values)], [(row number, reason)]).
        Nothing is written."""
        Agreement = self.env["complaint.partner.agreement"].with_context(
            active_test=False
        )
        kpis = {
            kpi.code: kpi
            for kpi in self.env["complaint.scorecard.kpi"].search(
                [("code", "in", [str(r.get("kpi") or "").strip() for _n, r in rows])]
            )
        }
        refs = {str(r.get("agreement") or "").strip() for _n, r in rows} - {""}
        agreements = {}
        for agreement in Agreement.search([("name", "in", list(refs))]):
            agreements.setdefault(agreement.name, []).append(agreement)
        org_names = {str(r.get("partner_organisation") or "").strip() for _n, r in rows}
        org_names.discard("")
        org_agreements = {}
        if org_names:
            for agreement in Agreement.search(
                [("partner_org_id.name", "in", list(org_names)), ("active", "=", True)]
            ):
                org_agreements.setdefault(agreement.partner_org_id.name, []).append(
                    agreement
                )
        resolved, errors, seen = [], [], {}
        for number, row in rows:
            row_errors = []
            period = self._complaint_parse_period(row.get("period"), row_errors)
            period_end = period and period + relativedelta(months=1, days=-1)
            agreement = self._complaint_resolve_agreement(
                row, agreements, org_agreements, period, period_end, row_errors
            )
            code = str(row.get("kpi") or "").strip()
            kpi = kpis.get(code)
            if not code:
                row_errors.append(self.env._("the KPI code is missing"))
            elif not kpi:
                row_errors.append(self.env._("KPI %(code)s does not exist", code=code))
            elif kpi.source != "external":
                row_errors.append(
                    self.env._(
                        "KPI %(code)s is measured from the complaints, not imported",
                        code=code,
                    )
                )
            elif agreement and kpi not in agreement.kpi_term_ids.kpi_id:
                row_errors.append(
                    self.env._(
                        "agreement %(agreement)s has no term for KPI %(code)s",
                        agreement=agreement.name,
                        code=code,
                    )
                )
            values = self._complaint_row_values(row, kpi, row_errors)
            if agreement and period and kpi:
                key = (agreement.id, period, kpi.id)
                if key in seen:
                    row_errors.append(
                        self.env._(
                            "the same figure is given in row %(row)s already",
                            row=seen[key],
                        )
                    )
                seen.setdefault(key, number)
            if row_errors:
                errors.extend((number, reason) for reason in row_errors)
            else:
                resolved.append((agreement, period, kpi, values))
        return resolved, errors

    @api.model
    def _complaint_resolve_agreement(
        self, row, agreements, org_agreements, period, period_end, errors
    ):
        ref = str(row.get("agreement") or "").strip()
        org_name = str(row.get("partner_organisation") or "").strip()
        if ref:
            found = agreements.get(ref, [])
            if not found:
                errors.append(
                    self.env._("agreement %(agreement)s does not exist", agreement=ref)
                )
                return None
            agreement = found[0]
            if org_name and agreement.partner_org_id.name != org_name:
                errors.append(
                    self.env._(
                        "agreement %(agreement)s is not with %(org)s",
                        agreement=ref,
                        org=org_name,
                    )
                )
                return None
        elif org_name:
            candidates = [
                a
                for a in org_agreements.get(org_name, [])
                if not period
                or (
                    a.date_start <= period_end
                    and (not a.date_end or a.date_end >= period)
                )
            ]
            if not org_agreements.get(org_name):
                errors.append(
                    self.env._(
                        "partner organisation %(org)s has no agreement", org=org_name
                    )
                )
                return None
            if period and len(candidates) != 1:
                errors.append(
                    self.env._(
                        "partner organisation %(org)s has %(count)s agreements in "
                        "force in the period: give the agreement's reference",
                        org=org_name,
                        count=len(candidates),
                    )
                )
                return None
            agreement = candidates[0] if candidates else None
        else:
            errors.append(self.env._("give the agreement or the partner organisation"))
            return None
        if (
            agreement
            and period
            and (
                agreement.date_start > period_end
                or (agreement.date_end and agreement.date_end < period)
            )
        ):
            errors.append(
                self.env._(
                    "agreement %(agreement)s is not in force in %(period)s",
                    agreement=agreement.name,
                    period=period.strftime("%Y-%m"),
                )
            )
            return None
        return agreement

    @api.model
    def _complaint_row_values(self, row, kpi, errors):
        value = self._complaint_parse_number(
            row.get("value"), self.env._("the value"), errors
        )
        numerator = self._complaint_parse_number(
            row.get("numerator"), self.env._("the numerator"), errors, required=False
        )
        denominator = self._complaint_parse_number(
            row.get("denominator"),
            self.env._("the denominator"),
            errors,
            required=False,
        )
        if value is not None and kpi and kpi.unit == "percent" and value > 100:
            errors.append(self.env._("a percentage cannot exceed 100"))
        if _blank(row.get("numerator")) != _blank(row.get("denominator")):
            errors.append(
                self.env._("give both the numerator and the denominator, or neither")
            )
        elif (
            numerator is not None
            and denominator is not None
            and numerator > denominator
        ):
            errors.append(self.env._("the numerator cannot exceed the denominator"))
        return {
            "value": value or 0.0,
            "numerator": numerator or 0.0,
            "denominator": denominator or 0.0,
        }

    @api.model
    def _complaint_import(self, rows, filename, content, mimetype, lines=False):
        """Import ``rows`` ([(row number, {column: value})]) all or nothing:
        with any bad row, a UserError lists every bad row and nothing is
        written. Else the figures are written on the scorecards of their
        agreements and periods (created when missing), the source kept as an
        attachment on each, and the draft scorecards computed again. Returns
        the scorecards. ``lines``: the rows are numbered by the file's lines
        (else by their place in a list)."""
        self._complaint_check_importer()
        if not rows:
            raise UserError(self.env._("Nothing to import: no row."))
        resolved, errors = self._complaint_resolve_rows(rows)
        if errors:
            label = (
                self.env._("Line %(row)s: %(reason)s")
                if lines
                else self.env._("Row %(row)s: %(reason)s")
            )
            raise UserError(
                self.env._(
                    "Nothing was imported; correct these rows and import again:\n"
                    "%(errors)s",
                    errors="\n".join(
                        label % {"row": number, "reason": reason}
                        for number, reason in errors
                    ),
                )
            )
        Scorecard = self.env["complaint.scorecard"]
        cards = Scorecard._complaint_get_or_create(
            {(agreement, period) for agreement, period, _kpi, _vals in resolved}
        )
        final = cards.filtered(lambda c: c.state != "draft")
        if final:
            raise UserError(
                self.env._(
                    "Nothing was imported: scorecard %(name)s is final.",
                    name=final[0].display_name,
                )
            )
        by_key = {(card.agreement_id.id, card.date_from): card for card in cards}
        attachments = {
            card: att
            for card, att in zip(
                cards,
                self.env["ir.attachment"].create(
                    [
                        {
                            "name": filename,
                            "raw": content,
                            "mimetype": mimetype,
                            "res_model": "complaint.scorecard",
                            "res_id": card.id,
                        }
                        for card in cards
                    ]
                ),
                strict=True,
            )
        }
        existing = {
            (row.scorecard_id.id, row.kpi_id.id): row
            for row in self.sudo().search([("scorecard_id", "in", cards.ids)])
        }
        now = fields.Datetime.now()
        to_create = []
        for agreement, period, kpi, values in resolved:
            card = by_key[(agreement.id, period)]
            values = dict(
                values,
                attachment_id=attachments[card].id,
                imported_by_id=self.env.uid,
                imported_date=now,
            )
            row = existing.get((card.id, kpi.id))
            if row:
                row.write(values)
            else:
                to_create.append(dict(values, scorecard_id=card.id, kpi_id=kpi.id))
        self.sudo().create(to_create)
        for card in cards:
            card.message_post(
                body=self.env._(
                    "Figures of the partner's call system imported from %(file)s.",
                    file=filename,
                ),
                attachment_ids=attachments[card].ids,
            )
        Scorecard._complaint_compute(cards)
        return cards
