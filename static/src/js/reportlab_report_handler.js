/** @odoo-module **/
import { download } from "@web/core/network/download";
import { registry } from "@web/core/registry";
import { user } from "@web/core/user";
import { getReportUrl } from "@web/webclient/actions/reports/utils";

/**
 * Reports of type "reportlab-pdf" are drawn by the server with ReportLab and
 * served by Odoo's own PDF report route: download them like a qweb-pdf report,
 * without wkhtmltopdf's status check.
 */
async function reportlabHandler(action, options, env) {
    if (action.report_type !== "reportlab-pdf") {
        return false;
    }
    env.services.ui.block();
    try {
        await download({
            url: "/report/download",
            data: {
                data: JSON.stringify([getReportUrl(action, "pdf"), "qweb-pdf"]),
                context: JSON.stringify({ ...user.context, ...(action.context || {}) }),
            },
        });
    } finally {
        env.services.ui.unblock();
    }
    // handled: a falsy result would let the action service try other handlers
    const { onClose } = options;
    if (action.close_on_report_download) {
        await env.services.action.doAction({ type: "ir.actions.act_window_close" }, { onClose });
    } else if (onClose) {
        onClose();
    }
    return true;
}

registry.category("ir.actions.report handlers").add("serialized_inventory_reportlab", reportlabHandler);
