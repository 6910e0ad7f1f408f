# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

# The narrative parts, in the order the report shows them.
NARRATIVE_ORDER = ("hot_issues", "causes", "suggestions")


# The periodic report is split by concern on purpose, one file each (as Odoo
# splits mail.thread): pylint-odoo would have one class.
# pylint: disable=consider-merging-classes-inherited
class ComplaintPeriodicReport(models.Model):
    """What the portal shows of a periodic report: the other versions of its
    period and the actions open to the current user. The actions themselves
    check again when they run; this only decides which buttons to show."""

    _inherit = "complaint.periodic.report"

    def _complaint_versions(self):
        """All versions of this report's period and scope the current user
        may read, the latest first."""
        self.ensure_one()
        return self.search(
            [
                ("company_id", "=", self.company_id.id),
                ("period_type", "=", self.period_type),
                ("date_from", "=", self.date_from),
                ("scope", "=", self.scope),
                ("partner_org_id", "=", self.partner_org_id.id),
            ],
            order="version desc",
        )

    def _complaint_portal_actions(self, versions=None):
        """The actions the current user may take on this report:
        ``save`` (the narrative), ``generate``, ``submit``, ``new_version``."""
        self.ensure_one()
        if not self._complaint_is_preparer():
            return set()
        actions = set()
        if self.state in ("draft", "returned"):
            actions |= {"save", "submit"}
        if self.state == "draft":
            actions.add("generate")
        if versions is None:
            versions = self._complaint_versions()
        # A returned report is written again as it is; one submitted or
        # accepted is revised in a new version, while no other is a draft.
        drafted = "draft" in versions.mapped("state")
        if self.state in ("submitted", "accepted") and not drafted:
            actions.add("new_version")
        return actions

    def _complaint_write_narrative(self, values):
        """Write the narrative parts given in ``values`` that changed; the
        other keys are ignored (the write's guards check the writer)."""
        self.ensure_one()
        vals = {
            name: values[name] or False
            for name in NARRATIVE_ORDER
            if name in values and (values[name] or False) != (self[name] or False)
        }
        if vals:
            self.write(vals)
        return bool(vals)

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.display_name
