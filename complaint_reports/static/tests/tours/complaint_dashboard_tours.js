/** @odoo-module **/
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
//
// The dashboard clicked through by a handler (complaint_reports/tests/
// test_complaint_dashboard.py prepares two open complaints of theirs in the
// team "Dashboard tour desk", and one of a colleague they may not read).

import { registry } from "@web/core/registry";

const DASHBOARD = ".o_complaint_dashboard";

/** The list shows exactly ``count`` complaints. */
function listRows(count) {
    const rows = ".o_list_view .o_list_table tbody";
    return {
        content: `The list shows ${count} complaints`,
        trigger:
            `${rows}:not(:has(tr.o_data_row:nth-child(${count + 1}))) ` +
            `tr.o_data_row:nth-child(${count})`,
    };
}

registry.category("web_tour.tours").add("complaint_dashboard_tour", {
    steps: () => [
        {
            content: "The dashboard counts the two open complaints the handler may read",
            trigger: `${DASHBOARD} .o_complaint_dashboard_card[data-figure='open'] .o_complaint_dashboard_value:contains(2)`,
        },
        {
            content: "Open them",
            trigger: `${DASHBOARD} .o_complaint_dashboard_card[data-figure='open']`,
            run: "click",
        },
        listRows(2),
        {
            content: "Back to the dashboard",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains(Complaints Dashboard)",
            run: "click",
        },
        {
            content: "The team's row counts them too: open them from the table",
            trigger: `${DASHBOARD} .o_complaint_dashboard_teams tr:contains(Dashboard tour desk) td[data-figure='open'] a:contains(2)`,
            run: "click",
        },
        listRows(2),
        {
            content: "The list is named after the figure and the team",
            trigger: ".o_breadcrumb .active:contains(Dashboard tour desk)",
        },
    ],
});
