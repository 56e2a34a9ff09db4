/** @odoo-module **/
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("serialized_inventory_warranty_claim", {
    steps: () => [
        {
            content: "Record a new claim",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "Scan the serial of the claimed unit",
            trigger: ".o_field_widget[name=serial_name] input",
            run: "edit SICLAIM-1 && click body",
        },
        {
            content: "The serial and its product are found",
            trigger: ".o_field_widget[name=product_id]:contains('SI Claim Scanner')",
        },
        {
            content: "Pick the customer",
            trigger: ".o_field_widget[name=partner_id] input",
            run: "edit SI Claim Customer",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('SI Claim Customer')",
            run: "click",
        },
        {
            content: "Describe the problem",
            trigger: ".o_field_widget[name=description] textarea",
            run: "edit Does not power on",
        },
        {
            content: "Submit: the checks run",
            trigger: "button[name=action_submit]",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Submitted')",
        },
        {
            content: "Each check has its line",
            trigger: ".o_notebook a[name=checks]",
            run: "click",
        },
        {
            trigger:
                ".o_field_widget[name=check_ids] .o_data_row:contains('Warranty in force at the claim date')",
        },
        {
            content: "The warranty found is shown",
            trigger: ".o_field_widget[name=warranty_id]:contains('SICLAIM-1')",
        },
    ],
});
