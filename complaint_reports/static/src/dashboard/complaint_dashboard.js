/** @odoo-module **/
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
//
// The complaints dashboard: the figures of complaint.dashboard's
// get_dashboard_data (computed on the server with the user's rights), each
// opening the complaints behind it with the domain the server gave.

import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { formatFloat } from "@web/core/utils/numbers";
import { useService } from "@web/core/utils/hooks";
import { formatInteger } from "@web/views/fields/formatters";
import { Layout } from "@web/search/layout";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";

export class ComplaintDashboard extends Component {
    static template = "complaint_reports.ComplaintDashboard";
    static components = { Layout };
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.actionService = useService("action");
        this.state = useState({ data: null, loading: false });
        onWillStart(() => this.load());
    }

    async load() {
        this.state.loading = true;
        try {
            this.state.data = await this.orm.call(
                "complaint.dashboard",
                "get_dashboard_data",
                []
            );
        } finally {
            this.state.loading = false;
        }
    }

    /** The value of ``cell`` as shown: a count, or a rate in %. */
    formatValue(figure, cell) {
        if (!figure.rate) {
            return formatInteger(cell.value);
        }
        if (cell.value === null) {
            return "–";
        }
        return `${formatFloat(cell.value, { digits: [false, 1] })} %`;
    }

    /** What a rate is made of: "3 of 4 (target 80 %)". */
    rateDetail(figure, cell) {
        return _t("%(count)s of %(total)s (target %(target)s %)", {
            count: formatInteger(cell.count),
            total: formatInteger(cell.total),
            target: figure.target,
        });
    }

    /** Whether a rate misses its target (nothing rated: no judgement). */
    belowTarget(figure, cell) {
        return figure.rate && cell.value !== null && cell.value < figure.target;
    }

    /** Whether there is anything to open behind ``cell``. */
    hasComplaints(figure, cell) {
        return figure.rate ? cell.total > 0 : cell.value > 0;
    }

    /** Open the complaints behind ``cell`` (of the row ``rowName``, if any). */
    open(figure, cell, rowName) {
        const name = rowName
            ? _t("%(figure)s: %(row)s", { figure: figure.label, row: rowName })
            : figure.label;
        return this.actionService.doAction({
            ...this.state.data.action,
            name,
            domain: cell.domain,
        });
    }

    get tables() {
        const data = this.state.data;
        return [
            { key: "teams", title: _t("By Team"), rows: data.teams },
            {
                key: "organisations",
                title: _t("By Partner Organisation"),
                rows: data.organisations,
                empty: _t("No complaint is handed to a partner organisation."),
            },
        ];
    }
}

registry.category("actions").add("complaint_reports.dashboard", ComplaintDashboard);
