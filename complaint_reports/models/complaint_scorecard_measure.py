# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, models
from odoo.tools import SQL
from odoo.tools.sql import create_index

# Statuses of a concluded clock: met on time, or missed.
SLA_MET = "met"
SLA_MISSED = ("met_late", "breached")


class ComplaintScorecardMeasure(models.AbstractModel):
    """The figures of partner scorecards measured from the data, for any
    number of scorecards (agreements and periods) in one grouped query per
    kind of KPI, whatever the number of complaints.

    Each kind of KPI is a query of rows (scorecard key, event, complaint,
    hit) over the periods of the scorecards: the figure is the share of hits,
    and the drill-down lists the same rows' complaints. Periods are the days
    of the scorecard in the company's time zone (see
    ``complaint.report.figures._complaint_period_bounds``). Attribution:

    - time limits: the clocks of the organisation (``partner_org_id`` of the
      clock: the organisation the complaint was handed to when the limit was
      set) fulfilled by the KPI's event and concluded in the period: met on
      time in the period (``met_date``), or missed with their deadline in the
      period (met late or breached: the limit was missed when the deadline
      passed);
    - first-contact resolution: the organisation's complaints closed in the
      period; a hit is closed in its first round without escalation
      (``first_contact_resolution``) and not repeated: no later complaint of
      the same customer and type within the company's window lists it among
      its earlier complaints (``repeat_of_ids``);
    - satisfaction: the callbacks of the organisation's complaints that
      reached the customer and recorded a satisfaction in the period; a hit
      is satisfied or very satisfied (4-5).

    Computed as the system: callers check who may see the figures."""

    _name = "complaint.scorecard.measure"
    _description = "Partner Scorecard Measurement"

    def init(self):
        # The measuring queries, on large tables: the organisation's clocks
        # concluded in a period, its complaints closed in a period.
        create_index(
            self.env.cr,
            "complaint_sla_line_org_met_date_index",
            "complaint_sla_line",
            ["partner_org_id", "met_date"],
            where="status = 'met'",
        )
        create_index(
            self.env.cr,
            "complaint_sla_line_org_deadline_index",
            "complaint_sla_line",
            ["partner_org_id", "deadline"],
            where="status IN ('met_late', 'breached')",
        )
        create_index(
            self.env.cr,
            "helpdesk_ticket_org_closed_date_index",
            "helpdesk_ticket",
            ["partner_org_id", "closed_date"],
            where="partner_org_id IS NOT NULL AND complaint_state = 'closed'",
        )

    @api.model
    def _complaint_periods_sql(self, periods):
        """``periods``: [(key, organisation id, company id, start, stop)]
        (naive UTC datetimes, stop excluded) as a relation ``p``."""
        rows = [
            SQL(
                "(%s, %s, %s, %s::timestamp, %s::timestamp)",
                key,
                org,
                company,
                start,
                stop,
            )
            for key, org, company, start, stop in periods
        ]
        return SQL(
            "(VALUES %s) AS p(key, org, company, start, stop)", SQL(", ").join(rows)
        )

    @api.model
    def _complaint_rows_sla(self, periods, events):
        return SQL(
            """
            SELECT p.key, m.fulfil_event AS event, l.ticket_id,
                   (l.status = %(met)s) AS hit
              FROM %(periods)s
              JOIN complaint_sla_line l
                ON l.partner_org_id = p.org AND l.company_id = p.company
              JOIN complaint_sla_milestone m ON m.id = l.milestone_id
             WHERE m.fulfil_event IN %(events)s
               AND (
                    (l.status = %(met)s
                     AND l.met_date >= p.start AND l.met_date < p.stop)
                 OR (l.status IN %(missed)s
                     AND l.deadline >= p.start AND l.deadline < p.stop)
               )
            """,
            periods=self._complaint_periods_sql(periods),
            events=tuple(events),
            met=SLA_MET,
            missed=SLA_MISSED,
        )

    @api.model
    def _complaint_rows_fcr(self, periods, events=None):
        return SQL(
            """
            SELECT p.key, NULL::varchar AS event, t.id AS ticket_id,
                   (COALESCE(t.first_contact_resolution, FALSE) AND NOT EXISTS (
                        SELECT 1 FROM complaint_repeat_rel r
                         WHERE r.earlier_ticket_id = t.id
                   )) AS hit
              FROM %(periods)s
              JOIN helpdesk_ticket t
                ON t.partner_org_id = p.org AND t.company_id = p.company
             WHERE t.kind = 'complaint'
               AND t.complaint_state = 'closed'
               AND t.closed_date >= p.start AND t.closed_date < p.stop
            """,
            periods=self._complaint_periods_sql(periods),
        )

    @api.model
    def _complaint_rows_satisfaction(self, periods, events=None):
        return SQL(
            """
            SELECT p.key, NULL::varchar AS event, c.ticket_id,
                   (c.satisfaction IN ('4', '5')) AS hit
              FROM %(periods)s
              JOIN helpdesk_ticket t
                ON t.partner_org_id = p.org AND t.company_id = p.company
              JOIN complaint_callback c ON c.ticket_id = t.id
             WHERE c.reached
               AND c.satisfaction IS NOT NULL
               AND c.date >= p.start AND c.date < p.stop
            """,
            periods=self._complaint_periods_sql(periods),
        )

    @api.model
    def _complaint_flush(self):
        # The queries read the tables: what the ORM holds must be written.
        for model in (
            "helpdesk.ticket",
            "complaint.sla.line",
            "complaint.sla.milestone",
            "complaint.callback",
        ):
            self.env[model].flush_model()

    @api.model
    def _complaint_counts(self, source, periods, events=None):
        """{(key, event): (hits, total)} of one kind of KPI (``source``: sla,
        fcr or satisfaction) for ``periods``; one query. ``event`` is the
        time limit's fulfilling event, None for the others."""
        if not periods:
            return {}
        self._complaint_flush()
        rows = getattr(self, f"_complaint_rows_{source}")(periods, events)
        self.env.cr.execute(
            SQL(
                """
                SELECT r.key, r.event, COUNT(*) FILTER (WHERE r.hit), COUNT(*)
                  FROM (%s) AS r
              GROUP BY r.key, r.event
                """,
                rows,
            )
        )
        return {
            (key, event): (hits, total)
            for key, event, hits, total in self.env.cr.fetchall()
        }

    @api.model
    def _complaint_ticket_ids(self, source, period, event=None, hit=None):
        """Ids of the complaints behind a figure (``period``: one period
        tuple), all of them or only those of hits (``hit=True``) or misses
        (``hit=False``)."""
        self._complaint_flush()
        rows = getattr(self, f"_complaint_rows_{source}")(
            [period], [event] if event else None
        )
        condition = SQL("TRUE") if hit is None else SQL("r.hit = %s", bool(hit))
        self.env.cr.execute(
            SQL(
                "SELECT DISTINCT r.ticket_id FROM (%s) AS r WHERE %s",
                rows,
                condition,
            )
        )
        return [ticket_id for (ticket_id,) in self.env.cr.fetchall()]

    @api.model
    def _complaint_quality(self, periods_by_dates):
        """{(key, None): (passed, checks, average score)} from the completed
        spot checks of the organisations' agents (complaint_training); two
        queries per distinct period. ``periods_by_dates``: {(date_from,
        date_to): [(key, organisation id)]}."""
        Review = self.env["complaint.qa.review"].sudo()
        result = {}
        for (date_from, date_to), keys in periods_by_dates.items():
            scores = {
                org.id: figures
                for org, figures in Review._complaint_quality_scores(
                    date_from, date_to, groupby="partner_org_id"
                ).items()
            }
            for key, org_id in keys:
                if org_id in scores:
                    average, count, below = scores[org_id]
                    result[(key, None)] = (count - below, count, average)
        return result

    @api.model
    def _complaint_quality_ticket_ids(self, org, date_from, date_to):
        reviews = (
            self.env["complaint.qa.review"]
            .sudo()
            .search(
                [
                    ("state", "in", ("done", "final")),
                    ("date", ">=", date_from),
                    ("date", "<=", date_to),
                    ("partner_org_id", "=", org.id),
                ]
            )
        )
        return reviews.ticket_id.ids

    @api.model
    def _complaint_group_periods(self, periods):
        grouped = defaultdict(list)
        for key, org, date_from, date_to in periods:
            grouped[(date_from, date_to)].append((key, org))
        return grouped
