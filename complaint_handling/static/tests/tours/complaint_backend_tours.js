/** @odoo-module **/
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
//
// The back office walked through as its users click it: each tour is one
// person's part of a complaint's life, run by complaint_handling/tests/
// test_complaint_backend_tour.py as the lowest role that does it.

import { registry } from "@web/core/registry";

// Titles of the complaints the tours create or that the test prepares.
const NEW_COMPLAINT = "Tour: plan fee charged twice in October";

/** Click a button of the complaint form's header. */
function headerButton(name, content) {
    return {
        content,
        trigger: `.o_form_view .o_form_statusbar button[name='${name}']`,
        run: "click",
    };
}

/**
 * Wait until the complaint form shows ``stage`` as its current stage: an arrow
 * of the status bar, or its single button when the header is too narrow for
 * the arrows (many buttons, a small screen).
 */
function atStage(stage) {
    const bar = ".o_form_view .o_statusbar_status";
    return {
        content: `The complaint is at "${stage}"`,
        trigger:
            `${bar} .o_arrow_button_current:contains("${stage}"), ` +
            `${bar} button.dropdown-toggle:not(.o_arrow_button):contains("${stage}")`,
    };
}

/** Open a tab of the complaint form. */
function tab(label) {
    return {
        content: `Open the "${label}" tab`,
        trigger: `.o_notebook .nav-link:contains("${label}")`,
        run: "click",
    };
}

/** Fill a plain text field (``input`` or ``textarea``) of the form or dialog. */
function fill(root, name, text, content) {
    return {
        content: content || `Fill ${name}`,
        trigger: `${root} .o_field_widget[name='${name}'] :is(input, textarea)`,
        run: `edit ${text}`,
    };
}

/** Choose a selection value (by its label) in a form or dialog. */
function choose(root, name, label) {
    return {
        content: `Choose "${label}" as ${name}`,
        trigger: `${root} .o_field_widget[name='${name}'] select`,
        run: `selectByLabel ${label}`,
    };
}

/** Type ``text`` in a many2one field and pick the suggestion ``label``. */
function pick(root, name, text, label) {
    return [
        {
            content: `Type "${text}" in ${name}`,
            trigger: `${root} .o_field_widget[name='${name}'] input`,
            run: `edit ${text}`,
        },
        {
            content: `Pick "${label}"`,
            trigger: `.o-autocomplete--dropdown-item a:contains('${label}')`,
            run: "click",
        },
    ];
}

const DIALOG = ".modal:not(.o_inactive_modal) .o_form_view";

/** Save the dialog with its default footer and wait for it to close. */
function saveDialog(content) {
    return [
        {
            content: content || "Save the dialog",
            trigger: ".modal:not(.o_inactive_modal) .modal-footer .o_form_button_save",
            run: "click",
        },
        {
            content: "The dialog is closed without an error",
            trigger: "body:not(:has(.modal)):not(:has(.o_notification.border-danger))",
        },
    ];
}

/** Open the callback dialog: the customer was reached. */
function callbackReached() {
    return [
        headerButton("action_complaint_add_callback", "Call the customer back"),
        {
            content: "The customer was reached",
            trigger: `${DIALOG} .o_field_widget[name='reached'] input`,
            run: "check",
        },
    ];
}

registry.category("web_tour.tours").add("complaint_backend_intake_tour", {
    steps: () => [
        {
            content: "The handler lands on the complaints: create one",
            trigger: ".o_control_panel .o-kanban-button-new",
            run: "click",
        },
        fill(".o_form_view", "name", NEW_COMPLAINT, "Title of the complaint"),
        fill(".o_form_view", "partner_name", "Zhang Wei", "Name of the complainant"),
        ...pick(".o_form_view", "category_id", "Unexpected charges", "Unexpected charges"),
        tab("Description"),
        {
            content: "What the customer says",
            trigger: ".o_form_view .o_field_widget[name='description'] .odoo-editor-editable",
            run: "editor My bill of October shows the plan fee twice.",
        },
        tab("Customer"),
        fill(".o_form_view", "contact_phone_masked", "13800138000", "Contact phone"),
        fill(".o_form_view", "service_number_masked", "13800138000", "Service number"),
        {
            content: "Save the complaint",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        atStage("Received"),
        headerButton("action_complaint_accept", "Accept the complaint"),
        atStage("Accepted"),
        headerButton("action_complaint_start", "Start handling"),
        atStage("In Handling"),
        headerButton("action_complaint_add_log", "Log the call to the customer"),
        {
            content: "The dialog shows the complaint's round",
            trigger: `${DIALOG} .o_field_widget[name='handling_round']:contains('1')`,
        },
        choose(DIALOG, "contact_result", "Reached the customer"),
        fill(DIALOG, "description", "Customer confirms the double charge.", "What was said"),
        ...saveDialog("Save the contact"),
        headerButton("action_complaint_add_log", "Ask the technical team"),
        choose(DIALOG, "log_type", "Technical check request"),
        {
            content: "The company's technical contact is proposed",
            trigger: `${DIALOG} .o_field_widget[name='tech_user_id'] input:value('Chen Jie')`,
        },
        fill(DIALOG, "description", "Check the billing records of October.", "What to check"),
        ...saveDialog("Send the technical request"),
        tab("Handling"),
        {
            content: "Both steps are listed in round 1",
            trigger: ".o_field_widget[name='handling_log_ids'] .o_data_row:eq(1)",
        },
    ],
});

registry.category("web_tour.tours").add("complaint_backend_tech_answer_tour", {
    steps: () => [
        {
            content: "The technical contact opens the request waiting for him",
            trigger: ".o_list_view .o_data_row td:contains('Check the billing records of October.')",
            run: "click",
        },
        fill(
            ".o_form_view",
            "tech_answer",
            "The billing system applied the plan fee twice on 1 October.",
            "Write the answer"
        ),
        {
            content: "Send the answer",
            trigger: ".o_form_view button[name='action_answer_tech_request']",
            run: "click",
        },
        {
            content: "The answer is sent",
            trigger: ".o_form_view .o_field_widget[name='tech_answer_date'] span:not(:empty)",
        },
    ],
});

registry.category("web_tour.tours").add("complaint_backend_solution_tour", {
    steps: () => [
        atStage("In Handling"),
        tab("Handling"),
        {
            content: "The technical answer is in the handling record",
            trigger: ".o_field_widget[name='handling_log_ids'] td:contains('applied the plan fee twice')",
        },
        fill(
            ".o_form_view",
            "solution_measures",
            "Refund the duplicated plan fee on the November bill.",
            "Write the solution plan"
        ),
        {
            content: "Save the plan",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_view .o_form_saved",
        },
        headerButton("action_complaint_confirm_solution", "The customer agreed to the plan"),
        atStage("Solution Confirmed"),
        headerButton("action_complaint_add_remedy", "Propose a compensation"),
        choose(DIALOG, "remedy_type", "Compensation"),
        fill(DIALOG, "amount", "300", "Amount over the handler's limit"),
        fill(
            DIALOG,
            "description",
            "Compensation for two months of double charges.",
            "Why"
        ),
        {
            content: "The dialog says it will ask for approval",
            trigger: `${DIALOG} .alert[name='over_limit_alert']:visible`,
        },
        {
            content: "Submit it from the dialog",
            trigger: ".modal:not(.o_inactive_modal) .modal-footer button[name='action_submit']",
            run: "click",
        },
        {
            content: "The dialog is closed",
            trigger: "body:not(:has(.modal))",
        },
        tab("Remedies"),
        {
            content: "The remedy waits for approval",
            trigger: ".o_field_widget[name='remedy_ids'] .o_data_row:contains('Waiting for approval')",
        },
    ],
});

registry.category("web_tour.tours").add("complaint_backend_remedy_approval_tour", {
    steps: () => [
        {
            content: "The supervisor opens his activities",
            trigger: ".o_menu_systray .o-mail-ActivityMenu-counter",
            run: "click",
        },
        {
            content: "Remedies waiting for him",
            trigger: ".o-mail-ActivityGroup:contains('Complaint Remedy')",
            run: "click",
        },
        {
            content: "Open the remedy",
            trigger: ".o_data_row:contains('Compensation') td.o_data_cell",
            run: "click",
        },
        {
            content: "Approve it",
            trigger: ".o_form_view .o_form_statusbar button[name='action_approve']",
            run: "click",
        },
        atStage("Approved"),
    ],
});

registry.category("web_tour.tours").add("complaint_backend_result_tour", {
    steps: () => [
        atStage("Solution Confirmed"),
        headerButton("action_complaint_add_feedback", "Record the result given to the customer"),
        {
            content: "The dialog shows the complaint's round",
            trigger: `${DIALOG} .o_field_widget[name='handling_round']:contains('1')`,
        },
        fill(
            DIALOG,
            "conclusion",
            "The plan fee was charged twice; it is refunded with a compensation.",
            "Conclusion"
        ),
        ...saveDialog("Save the result feedback"),
        headerButton("action_complaint_report_result", "Result reported"),
        atStage("Result Reported"),
        ...callbackReached(),
        choose(DIALOG, "satisfaction", "Very satisfied"),
        {
            content: "The problem is solved",
            trigger: `${DIALOG} .o_field_widget[name='problem_solved'] input`,
            run: "check",
        },
        ...saveDialog("Save the callback"),
        atStage("Callback Done"),
        headerButton("action_complaint_close", "Close the complaint"),
        atStage("Closed"),
    ],
});

registry.category("web_tour.tours").add("complaint_backend_unsatisfied_tour", {
    steps: () => [
        atStage("Result Reported"),
        ...callbackReached(),
        choose(DIALOG, "satisfaction", "Very unsatisfied"),
        {
            content: "The dialog says what saving will do",
            trigger: `${DIALOG} [name='unsatisfied_alert']:visible:contains('escalates')`,
        },
        fill(DIALOG, "comment", "Still charged twice.", "What the customer said"),
        ...saveDialog("Save the callback"),
        {
            content: "The chatter records the new round",
            trigger: ".o-mail-Message:contains('Handling round 2 started')",
        },
        atStage("In Handling"),
        {
            content: "The complaint shows round 2",
            trigger: ".o_form_view .o_field_widget[name='handling_round']:contains('2')",
        },
    ],
});

registry.category("web_tour.tours").add("complaint_backend_refuse_tour", {
    steps: () => [
        atStage("Received"),
        headerButton("action_complaint_refuse", "Refuse the complaint"),
        ...pick(".modal", "reason_id", "Outside", "Outside"),
        fill(".modal", "explanation", "This is a matter for your bank.", "Explain"),
        {
            content: "Confirm the refusal",
            trigger: ".modal-footer button[name='action_refuse']",
            run: "click",
        },
        atStage("Not Accepted"),
        {
            content: "The ribbon says it",
            trigger: ".o_form_view .ribbon:contains('Not accepted')",
        },
    ],
});

registry.category("web_tour.tours").add("complaint_backend_escalate_tour", {
    steps: () => [
        atStage("In Handling"),
        headerButton("action_complaint_escalate", "Escalate the complaint"),
        choose(".modal", "reason", "Regulator or media involvement"),
        fill(".modal", "note", "The customer called a newspaper.", "Hand-over note"),
        {
            content: "Confirm",
            trigger: ".modal-footer button[name='action_escalate']",
            run: "click",
        },
        {
            content: "A notification says where the complaint went",
            trigger: ".o_notification:contains('escalated to Level 2')",
        },
    ],
});

registry.category("web_tour.tours").add("complaint_backend_hand_off_tour", {
    steps: () => [
        atStage("Accepted"),
        headerButton("action_complaint_transfer", "Hand the complaint off to a partner"),
        ...pick(".modal", "partner_org_id", "Yuexin", "Yuexin Service Co."),
        {
            content: "Its running agreement is proposed",
            trigger: ".modal .o_field_widget[name='agreement_id'] input:value('SA-2026-001')",
        },
        fill(".modal", "note", "Please call the customer today.", "Hand-off note"),
        {
            content: "Confirm the hand-off",
            trigger: ".modal-footer button[name='action_confirm']",
            run: "click",
        },
        {
            content: "The Partner Organisation tab appears",
            trigger: ".o_notebook .nav-link:contains('Partner Organisation')",
            run: "click",
        },
        {
            content: "The organisation is shown",
            trigger: ".o_form_view .o_field_widget[name='partner_org_id']:contains('Yuexin Service Co.')",
        },
    ],
});

registry.category("web_tour.tours").add("complaint_backend_incident_link_tour", {
    steps: () => [
        {
            content: "Select the first complaint of the outage",
            trigger: ".o_data_row:contains('Tour: no signal in Tianhe, 1') .o_list_record_selector input",
            run: "click",
        },
        {
            content: "Select the second one",
            trigger: ".o_data_row:contains('Tour: no signal in Tianhe, 2') .o_list_record_selector input",
            run: "click",
        },
        {
            content: "Open the actions",
            trigger: ".o_control_panel .o_cp_action_menus .dropdown-toggle:contains('Actions')",
            run: "click",
        },
        {
            content: "Link them to a network incident",
            trigger: ".o-dropdown--menu .dropdown-item:contains('Link to a Network Incident')",
            run: "click",
        },
        ...pick(".modal", "incident_id", "Tianhe", "Tianhe base station outage"),
        {
            content: "Link",
            trigger: ".modal-footer button[name='action_link']",
            run: "click",
        },
        {
            content: "Told how many were linked",
            trigger: ".o_notification:contains('2 complaints linked')",
        },
    ],
});

registry.category("web_tour.tours").add("complaint_backend_incident_reply_tour", {
    steps: () => [
        {
            content: "Both complaints are on the incident",
            trigger: ".o_form_view .oe_stat_button:contains('2')",
        },
        {
            content: "Service is back: record when",
            trigger: ".o_form_view .o_field_widget[name='end_date'] input",
            run: "edit 12/01/2026 18:00:00",
        },
        {
            content: "The incident is resolved",
            trigger: ".o_form_view .o_statusbar_status button[data-value='resolved']",
            run: "click",
        },
        {
            content: "Write the standard reply",
            trigger: ".o_form_view .o_field_widget[name='standard_reply'] .odoo-editor-editable",
            run: "editor The Tianhe base station is repaired; service is back since 18:00.",
        },
        {
            content: "Send the standard reply (the form is saved first)",
            trigger: ".o_form_view button[name='action_reply_all']",
            run: "click",
        },
        {
            content: "Confirm",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "Told how many were answered",
            trigger: ".o_notification:contains('Standard reply sent to 2 complaints')",
        },
    ],
});

/** Open a menu of the top bar, then one of its entries. */
function menu(section, entry) {
    return [
        {
            content: `Open the ${section} menu`,
            trigger: `.o_main_navbar .dropdown-toggle:contains('${section}')`,
            run: "click",
        },
        {
            content: `Choose ${entry}`,
            trigger: `.o-dropdown--menu .dropdown-item:contains('${entry}')`,
            run: "click",
        },
    ];
}

registry.category("web_tour.tours").add("complaint_backend_manager_tour", {
    steps: () => [
        {
            content: "The manager lands on the complaints",
            trigger: ".o_kanban_view .o_kanban_record:contains('Tour: analysed complaint')",
        },
        ...menu("Reporting", "Complaints"),
        {
            content: "The analysis shows complaints by type and step",
            trigger: ".o_pivot_view .o_pivot_header_cell_closed:contains('Unexpected charges'), .o_pivot_view th:contains('Unexpected charges')",
        },
        {
            content: "Switch to the graph",
            trigger: ".o_control_panel .o_switch_view.o_graph",
            run: "click",
        },
        {
            content: "The graph is drawn",
            trigger: ".o_graph_view .o_graph_canvas_container canvas",
        },
        ...menu("Configuration", "Complaint Settings"),
        fill(".modal", "complaint_repeat_window_days", "20", "Repeat window"),
        {
            content: "Save the settings",
            trigger: ".modal-footer .btn-primary:contains('Save')",
            run: "click",
        },
        {
            content: "Saved and closed",
            trigger: "body:not(:has(.modal))",
        },
    ],
});

registry.category("web_tour.tours").add("complaint_backend_print_tour", {
    steps: () => [
        {
            content: "Open the form's actions (the cog)",
            trigger: ".o_control_panel .o_cp_action_menus button:has(.fa-cog)",
            run: "click",
        },
        {
            content: "Print the complaint record",
            trigger: ".o-dropdown--menu .o_menu_item:contains('Complaint Record')",
            run: "click",
        },
        {
            // The web client blocks the screen from the action's loading to the
            // end of the download, too briefly for a step to see it: give it
            // the time to start, then wait for its end (the next step).
            content: "The PDF is being made",
            trigger: "body",
            async run() {
                await new Promise((resolve) => setTimeout(resolve, 1500));
            },
        },
        {
            content: "The PDF is downloaded, without an error",
            trigger: "body:not(:has(.o_blockUI)):not(:has(.o_error_dialog))",
        },
    ],
});

// A handling step recorded wrong is corrected by a new record that names it;
// the old one stays as it was recorded.
registry.category("web_tour.tours").add("complaint_backend_correction_tour", {
    steps: () => [
        tab("Handling"),
        {
            content: "Open the step to correct",
            trigger: ".o_field_widget[name='handling_log_ids'] .o_data_row td:contains('Tour: reached at 9:30')",
            run: "click",
        },
        {
            content: "Correct it",
            trigger: ".modal button[name='action_complaint_correct']",
            run: "click",
        },
        {
            content: "The correction starts from the recorded text",
            trigger: ".modal .o_field_widget[name='description'] textarea:value('Tour: reached at 9:30')",
        },
        {
            content: "Write the corrected text",
            trigger: ".modal .o_field_widget[name='description'] textarea",
            run: "edit Tour: reached at 10:30, not 9:30",
        },
        {
            content: "Save the correction",
            trigger: ".modal:has(.o_field_widget[name='correction_of_id']) .modal-footer .o_form_button_save",
            run: "click",
        },
        {
            content: "The recorded step names its correction",
            trigger: ".modal .o_field_widget[name='corrected_by_id'] a, .modal .o_field_widget[name='corrected_by_id'] span:not(:empty)",
        },
    ],
});
