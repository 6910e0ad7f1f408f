/** @odoo-module **/
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
//
// The reports of the back office clicked through from the Reporting menu, as
// their users do (complaint_reports/tests/
// test_complaint_reports_backend_tour.py prepares the records and runs each
// tour as the lowest role that does it).

import { registry } from "@web/core/registry";

// The partner organisation the test prepares a report and a scorecard for.
const ORG = "Yuexin Service Co.";
const RETURN_COMMENT = "Tour: analyse the refused complaints of Tianhe.";
// The complaint handed to the organisation and closed in the period.
const SCORECARD_CASE = "Tour: scorecard case closed by the partner";

/** Open ``entry`` of the Reporting menu of the complaints app. */
function reportingMenu(entry) {
    return [
        {
            content: "Open the Reporting menu",
            trigger: ".o_main_navbar .dropdown-toggle:contains('Reporting')",
            run: "click",
        },
        {
            content: `Choose ${entry}`,
            trigger: `.o-dropdown--menu .dropdown-item:contains('${entry}')`,
            run: "click",
        },
    ];
}

/** Open the list's row that mentions ``text``. */
function openRow(text) {
    return {
        content: `Open the row of ${text}`,
        trigger: `.o_list_view .o_data_row td.o_data_cell:contains('${text}')`,
        run: "click",
    };
}

/** Click a button of the form's header. */
function headerButton(name, content) {
    return {
        content,
        trigger: `.o_form_view .o_form_statusbar button[name='${name}']`,
        run: "click",
    };
}

/** Wait until the form's status bar shows ``state`` as current. */
function atState(state) {
    const bar = ".o_form_view .o_statusbar_status";
    return {
        content: `The record is "${state}"`,
        trigger:
            `${bar} .o_arrow_button_current:contains("${state}"), ` +
            `${bar} button.dropdown-toggle:not(.o_arrow_button):contains("${state}")`,
    };
}

registry.category("web_tour.tours").add("complaint_reports_periodic_review_tour", {
    steps: () => [
        ...reportingMenu("Periodic Reports"),
        openRow(ORG),
        atState("Submitted"),
        headerButton("action_return_dialog", "Return the report to the partner"),
        {
            content: "Say what must change",
            trigger: ".modal .o_field_widget[name='comment'] textarea",
            run: `edit ${RETURN_COMMENT}`,
        },
        {
            content: "Confirm the return",
            trigger: ".modal-footer button[name='action_confirm']",
            run: "click",
        },
        {
            content: "The dialog is closed without an error",
            trigger:
                "body:not(:has(.modal)):not(:has(.o_notification.border-danger))",
        },
        atState("Returned"),
        {
            content: "The form shows the comment to the preparers",
            trigger: `.o_form_view .alert-warning:contains('Returned by the carrier'):contains('${RETURN_COMMENT}')`,
        },
    ],
});

registry.category("web_tour.tours").add("complaint_reports_regulator_sheet_tour", {
    steps: () => [
        ...reportingMenu("Regulator Statistics"),
        {
            content: "Create the sheet of a quarter",
            trigger: ".o_control_panel .o_list_button_add",
            run: "click",
        },
        {
            content: "Year 2024",
            trigger: ".o_form_view .o_field_widget[name='year'] input",
            run: "edit 2024",
        },
        {
            content: "Second quarter",
            trigger: ".o_form_view .o_field_widget[name='quarter'] select",
            run: "selectByLabel Q2",
        },
        headerButton("action_compute", "Compute the figures"),
        atState("Done"),
        {
            content: "The billing disputes of the quarter are in the figures",
            trigger:
                ".o_form_view .o_field_widget[name='line_ids'] .o_data_row:contains('Billing dispute')",
        },
        {
            content: "And their total",
            trigger:
                ".o_form_view .o_field_widget[name='line_ids'] .o_data_row:contains('Total')",
        },
    ],
});

registry.category("web_tour.tours").add("complaint_reports_scorecard_tour", {
    steps: () => [
        ...reportingMenu("Partner Scorecards"),
        openRow(ORG),
        atState("Draft"),
        {
            content: "Measured before the case was closed: no case behind the figures",
            trigger:
                ".o_form_view .o_field_widget[name='line_ids'] .o_data_row:contains('First-contact resolution'):not(:has(button[name='action_open_cases']))",
        },
        headerButton("action_compute", "Measure the KPIs again"),
        {
            content: "The closed case counts now: open the cases behind the figure",
            trigger:
                ".o_form_view .o_field_widget[name='line_ids'] .o_data_row:contains('First-contact resolution') button[name='action_open_cases']",
            run: "click",
        },
        {
            content: "The list shows the complaint closed in the period",
            trigger: `.o_list_view .o_data_row:contains('${SCORECARD_CASE}')`,
        },
        {
            content: "The list is named after the KPI",
            trigger: ".o_breadcrumb .active:contains('First-contact resolution')",
        },
    ],
});
