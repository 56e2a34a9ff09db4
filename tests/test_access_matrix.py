# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Who may do what, as the README's *Access* paragraphs say, called the way
an RPC client calls (``odoo.api.call_kw``: ``create`` then the button's
method on the ids), never through the views."""

from odoo import Command, api
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import WarrantyCommon

# The columns of the matrix: a test user per group (with what it implies).
# Warranty Costs and Recall Manager are given to inventory staff (they act on
# serials, which Inventory / User reads); Serial Inventory / User alone reads
# the addon's records, not the serials.
GROUPS = {
    "stock_user": "base.group_user,stock.group_stock_user",
    "stock_manager": "base.group_user,stock.group_stock_manager",
    "warranty_user": "base.group_user,serialized_inventory.group_serial_user",
    "warranty_costs": "base.group_user,stock.group_stock_user,"
    "serialized_inventory.group_warranty_accountant",
    "recall_manager": "base.group_user,stock.group_stock_user,"
    "serialized_inventory.group_recall_manager",
    "portal": "base.group_portal",
    "public": "base.group_public",
}
COLUMNS = tuple(GROUPS)
READERS = {"stock_user", "stock_manager", "warranty_user", "warranty_costs", "recall_manager"}
MANAGERS = {"stock_manager", "recall_manager"}  # Serial Inventory / Manager
STOCK = READERS - {"warranty_user"}  # Inventory / User
RECALL = {"recall_manager"}
COSTS = {"warranty_costs"}
NOBODY = set()


def ops(**by_op):
    """``{group: "rwcu" subset}`` from ``r=..., w=..., c=..., u=...`` sets."""
    return {
        group: "".join(op for op in "rwcu" if group in by_op.get(op, NOBODY)) for group in COLUMNS
    }


# read / write / create / unlink per model (security/ir.model.access.csv)
MODELS = {
    "serial.event": ops(r=READERS),
    "serial.format.rule": ops(r=READERS, w=MANAGERS, c=MANAGERS, u=MANAGERS),
    "serial.format.sequence": ops(r=MANAGERS),
    "serial.label.wizard": ops(r=STOCK, w=STOCK, c=STOCK),
    "serial.warranty.policy": ops(r=READERS, w=MANAGERS, c=MANAGERS, u=MANAGERS),
    "serial.warranty": ops(r=READERS, w=READERS, c=MANAGERS, u=MANAGERS),
    "serial.warranty.claim": ops(r=READERS, w=READERS, c=READERS, u=MANAGERS),
    "serial.warranty.claim.check": ops(r=READERS),
    "serial.warranty.claim.override": ops(r=MANAGERS, w=MANAGERS, c=MANAGERS),
    "serial.warranty.analysis": ops(r=READERS),
    "serial.warranty.report.wizard": ops(r=COSTS, w=COSTS, c=COSTS),
    "serial.recall": ops(r=READERS, w=RECALL, c=RECALL, u=RECALL),
    "serial.recall.line": ops(r=READERS, w=MANAGERS, c=RECALL, u=RECALL),
    "serial.recall.notice": ops(r=READERS, w=RECALL, c=RECALL, u=RECALL),
    "serial.recall.wizard": ops(r=MANAGERS, w=MANAGERS, c=MANAGERS),
    "serial.recall.write.off": ops(r=MANAGERS, w=MANAGERS, c=MANAGERS),
}

# (model, record or wizard values, method, groups allowed): every action_*
# and button_* method of the addon's models and wizards
ACTIONS = [
    ("serial.recall", "draft_recall", "action_activate", RECALL),
    ("serial.recall", "recall", "action_close", RECALL),
    ("serial.recall", "recall", "action_quarantine", STOCK),
    ("serial.recall", "recall", "action_notify_customers", RECALL),
    ("serial.recall", "recall", "action_view_pickings", READERS),
    ("serial.recall", "recall", "action_view_notices", READERS),
    ("serial.recall", "recall", "action_view_lines", READERS),
    # the exports list serials and products, which Inventory / User reads
    ("serial.recall", "recall", "action_export_csv", STOCK),
    ("serial.recall", "recall", "action_export_xlsx", STOCK),
    # the PDF is rendered as the user afterwards (tests/test_reports.py)
    ("serial.recall", "recall", "action_print_pdf", READERS),
    ("serial.recall.line", "line", "action_mark_remedied", MANAGERS),
    ("serial.recall.line", "line", "action_mark_destroyed", MANAGERS),
    ("serial.recall.line", "line", "action_mark_returned", MANAGERS),
    ("serial.recall.line", "line", "action_mark_unreachable", MANAGERS),
    ("serial.recall.line", "line", "action_write_off", MANAGERS),
    ("serial.recall.notice", "failed_notice", "action_retry", RECALL),
    ("serial.warranty", "warranty", "action_void", MANAGERS),
    ("serial.warranty", "warranty", "action_view_claims", READERS),
    ("serial.warranty.policy", "policy", "action_view_warranties", READERS),
    ("serial.warranty.policy", "policy", "action_create_past_warranties", MANAGERS),
    ("serial.warranty.claim", "draft_claim", "action_submit", READERS),
    ("serial.warranty.claim", "claim", "action_cancel", READERS),
    ("serial.warranty.claim", "claim", "action_draft", READERS),
    ("serial.warranty.claim", "claim", "action_approve", MANAGERS),
    ("serial.warranty.claim", "claim", "action_reject", MANAGERS),
    ("serial.warranty.claim", "claim", "action_resolve", MANAGERS),
    ("serial.warranty.claim", "claim", "action_override_checks", MANAGERS),
    ("stock.lot", "lot", "action_view_serial_events", STOCK),
    ("stock.lot", "lot", "action_view_warranties", STOCK),
    # stock lets every internal user read packages
    ("stock.quant.package", "package", "action_print_sscc_label", READERS),
    ("stock.quant.package", "package", "action_view_contained_serials", READERS),
    ("stock.move", "move", "action_generate_serials_from_rule", STOCK),
    ("serial.label.wizard", "label_vals", "action_print", STOCK),
    ("serial.recall.wizard", "recall_vals", "action_preview", MANAGERS),
    ("serial.recall.wizard", "recall_vals", "action_back", MANAGERS),
    ("serial.recall.wizard", "recall_vals", "action_confirm", RECALL),
    ("serial.recall.write.off", "write_off_vals", "action_write_off", MANAGERS),
    ("serial.warranty.claim.override", "override_vals", "action_override", MANAGERS),
    ("serial.warranty.report.wizard", "report_vals", "action_print_pdf", COSTS),
    ("serial.warranty.report.wizard", "report_vals", "action_export_xlsx", COSTS),
    ("serial.warranty.report.wizard", "report_vals", "action_open_in_force", COSTS),
    ("serial.warranty.report.wizard", "report_vals", "action_open_claims", COSTS),
]


@tagged("post_install", "-at_install")
class TestAccessMatrix(WarrantyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = {
            group: new_test_user(cls.env, f"si_matrix_{group}", groups=groups)
            for group, groups in GROUPS.items()
        }
        cls.customer_contact.email = "dock@customer.example.com"
        _receipt, lots = cls.receive([f"AM-{i}" for i in range(1, 6)])
        cls.deliver(lots[:2])
        Claim = cls.env["serial.warranty.claim"]
        claim_vals = {
            "serial_name": "AM-1",
            "partner_id": cls.other_customer.id,
            "description": "Broken",
        }
        claim = Claim.create(claim_vals)
        claim.action_submit()  # fails "delivered to the claimant"
        Recall = cls.env["serial.recall"]
        wizard = cls.env["serial.recall.wizard"].create(
            {"reason": "Overheats", "lot_ids": [Command.set(lots[:4].ids)]}
        )
        recall = Recall.browse(wizard.action_confirm()["res_id"])
        recall.action_activate()
        recall.action_notify_customers()
        notice = recall.notice_ids[:1]
        notice.write({"state": "failed", "failure_reason": "test"})
        draft_wizard = cls.env["serial.recall.wizard"].create(
            {"reason": "Later", "lot_ids": [Command.set(lots[4:].ids)]}
        )
        draft_recall = Recall.browse(draft_wizard.action_confirm()["res_id"])
        package = cls.env["stock.quant.package"].create({"name": "AM-PACK"})
        receipt = cls.env["stock.picking"].create(
            {
                "picking_type_id": cls.picking_type_in.id,
                "location_id": cls.supplier_loc.id,
                "location_dest_id": cls.stock.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": "in",
                            "product_id": cls.product.id,
                            "product_uom_qty": 1,
                            "product_uom": cls.product.uom_id.id,
                            "location_id": cls.supplier_loc.id,
                            "location_dest_id": cls.stock.id,
                        }
                    )
                ],
            }
        )
        receipt.action_confirm()
        line = recall.line_ids.filtered(lambda line: line.lot_id == lots[2])
        cls.records = {
            "recall": recall,
            "draft_recall": draft_recall,
            "line": line,
            "failed_notice": notice,
            "warranty": cls.warranties(lots[0]),
            "policy": cls.policy,
            "claim": claim,
            "draft_claim": Claim.create(claim_vals),
            "lot": lots[0],
            "package": package,
            "move": receipt.move_ids,
        }
        cls.values = {
            "label_vals": {"lot_ids": [Command.set(lots[:1].ids)]},
            "recall_vals": {"reason": "Again", "lot_ids": [Command.set(lots[:1].ids)]},
            "write_off_vals": {"line_ids": [Command.set(line.ids)], "reason": "Lost"},
            "override_vals": {"claim_id": claim.id, "justification": "Seen the invoice"},
            "report_vals": {},
        }

    def call(self, user, model, target, method):
        """Whether ``user`` gets past the access checks of ``method``: an
        AccessError refuses; any other refusal (a state, a missing value) is
        a business rule met after access was granted."""
        self.assertFalse(method.startswith("_"), "RPC refuses private methods")
        env = self.env(user=user)
        savepoint = self.env.cr.savepoint()
        try:
            if target in self.values:
                ids = [api.call_kw(env[model], "create", [self.values[target]], {})]
            else:
                ids = self.records[target].ids
            api.call_kw(env[model], method, [ids], {})
        except AccessError:
            return False
        except (UserError, ValidationError):
            return True
        finally:
            savepoint.close(rollback=True)
            self.env.invalidate_all()
        return True

    def test_models(self):
        wrong = []
        for model, expected in MODELS.items():
            for group, user in self.users.items():
                Model = self.env(user=user)[model]
                got = "".join(
                    op
                    for op, mode in zip("rwcu", ("read", "write", "create", "unlink"), strict=True)
                    if Model.has_access(mode)
                )
                if got != expected[group]:
                    wrong.append(
                        f"{model} {group}: {got or '-'} (README: {expected[group] or '-'})"
                    )
                if "r" in got and not Model._transient:
                    # and a read over RPC does return records
                    api.call_kw(Model, "search_read", [[]], {"fields": ["id"], "limit": 1})
        self.assertFalse(wrong, "\n".join(wrong))

    def test_actions(self):
        wrong = []
        for model, target, method, allowed in ACTIONS:
            for group, user in self.users.items():
                got = self.call(user, model, target, method)
                if got != (group in allowed):
                    wrong.append(
                        f"{model}.{method} {group}: {'allowed' if got else 'refused'} "
                        f"(README: {'allowed' if group in allowed else 'refused'})"
                    )
        self.assertFalse(wrong, "\n".join(wrong))

    def test_every_action_method_is_in_the_matrix(self):
        listed = {(model, method) for model, _target, method, _allowed in ACTIONS}
        addon = "odoo.addons.serialized_inventory."
        found = set()
        for model in {*MODELS, "stock.lot", "stock.quant.package", "stock.move"}:
            for cls in type(self.env[model]).mro():
                if not cls.__module__.startswith(addon):
                    continue
                for name, member in vars(cls).items():
                    if callable(member) and name.startswith(("action_", "button_")):
                        found.add((model, name))
        # an override of core's dialog helper, called with its arguments by core
        found.discard(("stock.move", "action_generate_lot_line_vals"))
        self.assertEqual(found - listed, set(), "action methods missing from the matrix")
