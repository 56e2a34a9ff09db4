/** @odoo-module **/
import { registry } from "@web/core/registry";

// A warehouse user gives the units of a receipt their serials from the
// product's format rule, then validates the receipt.
registry.category("web_tour.tours").add("serialized_inventory_generate_serials", {
    steps: () => [
        {
            content: "Open the move's detailed operations",
            trigger: ".o_data_row:contains('SI Tour Meter') .fa-list",
            run: "click",
        },
        {
            content: "Generate the serials from the rule",
            trigger: ".modal button[name=action_generate_serials_from_rule]",
            run: "click",
        },
        {
            content: "Every unit has a serial of the rule",
            trigger: ".modal .o_data_row:contains('TM-00001'):not(:contains('TM-00003'))",
        },
        {
            trigger: ".modal .o_data_row:contains('TM-00003')",
        },
        {
            content: "Close the operations",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "Validate the receipt",
            trigger: ".o_form_view:not(:has(.modal)) button[name=button_validate]",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Done')",
        },
    ],
});
