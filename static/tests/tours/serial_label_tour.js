/** @odoo-module **/
import { registry } from "@web/core/registry";

// A stock user prints labels of a serial from the Print menu, then through the
// label wizard of the Actions menu.
registry.category("web_tour.tours").add("serialized_inventory_labels", {
    steps: () => [
        {
            trigger: ".o_searchview_input",
            run: "edit SITOUR-LBL-1",
        },
        {
            trigger: ".o_searchview_input",
            run: "press Enter",
        },
        {
            content: "Select the serial",
            trigger: ".o_data_row:contains('SITOUR-LBL-1') .o_list_record_selector input",
            run: "click",
        },
        {
            content: "Print its labels from the Print menu",
            trigger: ".o_cp_action_menus button:has(.fa-print)",
            run: "click",
        },
        {
            trigger: ".o-dropdown-item:contains('Serial Labels')",
            run: "click",
        },
        {
            content: "The download ends without an error",
            trigger: "body:not(:has(.o_blockUI)):not(:has(.o_error_dialog))",
        },
        {
            content: "Select the serial again",
            trigger: ".o_data_row:contains('SITOUR-LBL-1') .o_list_record_selector input:not(:checked)",
            run: "click",
        },
        {
            content: "Open the label wizard",
            trigger: ".o_cp_action_menus button:has(.fa-cog)",
            run: "click",
        },
        {
            trigger: ".o-dropdown-item:contains('Print Labels')",
            run: "click",
        },
        {
            content: "Choose 4x6 thermal labels, 2 copies",
            trigger: ".modal .o_field_widget[name=layout] select",
            run: 'select "thermal_4x6"',
        },
        {
            trigger: ".modal .o_field_widget[name=copies] input",
            run: "edit 2 && click .modal-body",
        },
        {
            trigger: ".modal .o_field_widget[name=label_count]:contains('2')",
        },
        {
            trigger: ".modal button[name=action_print]",
            run: "click",
        },
        {
            content: "The wizard closes once the PDF is downloaded",
            trigger: "body:not(:has(.modal)):not(:has(.o_blockUI)):not(:has(.o_error_dialog))",
        },
    ],
});
