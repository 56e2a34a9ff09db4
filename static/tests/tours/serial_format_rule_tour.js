/** @odoo-module **/
import { registry } from "@web/core/registry";

// A stock manager writes a format rule, sees its next serials and tries serials
// against it before saving. The expected serials are asserted by the Python test.
registry.category("web_tour.tours").add("serialized_inventory_format_rule", {
    steps: () => [
        {
            content: "Create a rule",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=name] input",
            run: "edit Tour Scanners",
        },
        {
            content: "Write the template",
            trigger: ".o_field_widget[name=template] input",
            run: "edit TS-{seq:5}{check:luhn} && click body",
        },
        {
            content: "The preview shows the next serials, check digit included",
            trigger: ".o_field_widget[name=preview]:contains('TS-000018'):contains('TS-000026')",
        },
        {
            content: "Try a serial with a wrong check digit",
            trigger: ".o_field_widget[name=test_serial] input",
            run: "edit TS-000010 && click body",
        },
        {
            trigger: ".o_field_widget[name=test_result]:contains('check digit should be 8')",
        },
        {
            content: "Try one character short",
            trigger: ".o_field_widget[name=test_serial] input",
            run: "edit TS-00001 && click body",
        },
        {
            trigger: ".o_field_widget[name=test_result]:contains('expected 9 characters, got 8')",
        },
        {
            content: "Try the first serial of the preview",
            trigger: ".o_field_widget[name=test_serial] input",
            run: "edit TS-000018 && click body",
        },
        {
            trigger: ".o_field_widget[name=test_result]:contains('Valid'):not(:contains('Invalid'))",
        },
        {
            content: "A broken template is explained in the preview",
            trigger: ".o_field_widget[name=template] input",
            run: "edit TS-{seq:5 && click body",
        },
        {
            trigger: ".o_field_widget[name=preview]:contains('is not closed by')",
        },
        {
            trigger: ".o_field_widget[name=template] input",
            run: "edit TS-{seq:5}{check:luhn} && click body",
        },
        {
            trigger: ".o_field_widget[name=preview]:contains('TS-000018')",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_saved",
        },
    ],
});
