# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Cases and pallets: SSCC names, nesting, aggregation events, nested delivery,
unpacking at the customer and on return, contents, search and labels."""

from unittest.mock import patch

from odoo import Command
from odoo.api import call_kw
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from ..lib import sscc
from .common import SerialCommon
from .pdf_tools import decode, pdf_text, rasterise

GTIN = "4006381333931"
PREFIX = "0614141"


@tagged("post_install", "-at_install")
class TestSsccPackages(SerialCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write({"gs1_company_prefix": PREFIX, "sscc_extension_digit": "1"})
        cls.case_type = cls.env["stock.package.type"].create(
            {"name": "SI Case", "sscc_level": "case"}
        )
        cls.pallet_type = cls.env["stock.package.type"].create(
            {"name": "SI Pallet", "sscc_level": "pallet"}
        )
        cls.product.barcode = GTIN
        cls.picking_type_out.show_entire_packs = True
        cls.Package = cls.env["stock.quant.package"]
        cls.Event = cls.env["serial.event"]

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------

    def cases(self, count):
        return self.Package.create([{"package_type_id": self.case_type.id}] * count)

    def pallet(self):
        return self.Package.create({"package_type_id": self.pallet_type.id})

    def receive_packed(self, names_by_case):
        """Receive serials straight into cases: {case: [serial names]}."""
        lines = [
            {"lot_name": name, "result_package_id": case.id}
            for case, names in names_by_case.items()
            for name in names
        ]
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.picking_type_in.id,
                "location_id": self.supplier_loc.id,
                "location_dest_id": self.stock.id,
                "partner_id": self.vendor.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": self.product.name,
                            "product_id": self.product.id,
                            "product_uom_qty": len(lines),
                            "product_uom": self.product.uom_id.id,
                            "location_id": self.supplier_loc.id,
                            "location_dest_id": self.stock.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        move = picking.move_ids
        move.move_line_ids.unlink()
        move.write(
            {
                "move_line_ids": [
                    Command.create(
                        dict(
                            vals,
                            product_id=self.product.id,
                            quantity=1,
                            location_id=self.supplier_loc.id,
                            location_dest_id=self.stock.id,
                            picking_id=picking.id,
                        )
                    )
                    for vals in lines
                ],
                "picked": True,
            }
        )
        picking.button_validate()
        return picking.move_line_ids.lot_id

    def build_pallet(self, cases=2, units=3, prefix="PAL"):
        case_packages = self.cases(cases)
        lots = self.receive_packed(
            {
                case: [f"{prefix}-{index}-{unit}" for unit in range(units)]
                for index, case in enumerate(case_packages)
            }
        )
        pallet = self.pallet()
        case_packages.write({"parent_id": pallet.id})
        return pallet, case_packages, lots

    def ship_packages(self, packages, partner=None, dest=None, picking_type=None):
        """A transfer of whole packages (outgoing by default), as added in its
        Packages tab."""
        dest = dest or self.customer_loc
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": (picking_type or self.picking_type_out).id,
                "location_id": self.stock.id,
                "location_dest_id": dest.id,
                "partner_id": (partner or self.customer_contact).id,
                "package_level_ids": [
                    Command.create(
                        {
                            "package_id": package.id,
                            "location_dest_id": dest.id,
                            "company_id": self.env.company.id,
                        }
                    )
                    for package in packages
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        picking.move_ids.picked = True
        self.assertIs(picking.button_validate(), True)
        return picking

    def events(self, lots, event_type):
        return self.Event.search(
            [("lot_id", "in", lots.ids), ("event_type", "=", event_type)], order="id"
        )

    # ------------------------------------------------------------------
    # SSCC names
    # ------------------------------------------------------------------

    def test_generated_ssccs_are_valid_and_consecutive(self):
        cases = self.cases(3)
        for case in cases:
            self.assertIsNone(sscc.error(case.name), case.name)
            self.assertTrue(case.name.startswith("1" + PREFIX))
            self.assertTrue(case.valid_sscc)
        references = [int(case.name[8:17]) for case in cases]
        self.assertEqual(references, list(range(references[0], references[0] + 3)))
        # a package of no SSCC level keeps Odoo's name
        plain = self.Package.create({})
        self.assertFalse(sscc.is_valid(plain.name))

    def test_form_keeps_the_proposed_name_only_for_plain_packages(self):
        with Form(self.Package) as form:
            proposed = form.name
            form.package_type_id = self.pallet_type
        self.assertNotEqual(form.record.name, proposed)
        self.assertTrue(sscc.is_valid(form.record.name))
        with Form(self.Package) as form:
            proposed = form.name
        self.assertEqual(form.record.name, proposed)

    def test_invalid_and_duplicate_ssccs_are_refused(self):
        with self.refused(ValidationError, "check digit should be 7"):
            self.Package.create(
                {"name": "106141411234567890", "package_type_id": self.case_type.id}
            )
        with self.refused(ValidationError, "not a valid SSCC"):
            self.Package.create({"name": "BOX-1", "package_type_id": self.case_type.id})
        # a supplier's SSCC, scanned with its AI, is kept as the 18 digits
        received = self.Package.create(
            {"name": "(00)106141411234567897", "package_type_id": self.pallet_type.id}
        )
        self.assertEqual(received.name, "106141411234567897")
        with self.refused(ValidationError, "already used: 106141411234567897"):
            self.Package.create(
                {"name": "106141411234567897", "package_type_id": self.case_type.id}
            )
        case = self.cases(1)
        with self.refused(ValidationError, "already used"):
            case.name = "106141411234567897"
        with self.refused(ValidationError, "not a valid SSCC"):
            case.name = "12345"
        with self.refused(ValidationError, "already used"):
            self.Package.create(
                [
                    {"name": "006141411234567890", "package_type_id": self.case_type.id},
                    {"name": "006141411234567890", "package_type_id": self.case_type.id},
                ]
            )

    def test_an_sscc_committed_meanwhile_is_refused_by_the_index(self):
        # another transaction's case, committed after our check: the index refuses it
        self.Package.create({"name": "106141411234567897", "package_type_id": self.case_type.id})
        with (
            patch.object(type(self.Package), "_check_sscc_duplicates", lambda *args, **kw: None),
            self.refused(ValidationError, "already used: 106141411234567897"),
        ):
            self.Package.create(
                {"name": "106141411234567897", "package_type_id": self.pallet_type.id}
            )

    def test_no_gap_sequence_and_stock_user(self):
        self.cases(1)
        sequence = self.env.company.sscc_sequence_id
        # as the sequence form saves it: its next number goes along
        sequence.write({"implementation": "no_gap", "number_next": sequence.number_next_actual})
        names = self.cases(2).mapped("name")
        self.assertEqual(int(names[1][8:17]), int(names[0][8:17]) + 1)
        user = new_test_user(self.env, "si_packer", groups="stock.group_stock_user")
        case = self.Package.with_user(user).create({"package_type_id": self.case_type.id})
        self.assertEqual(int(case.name[8:17]), int(names[1][8:17]) + 1)
        self.assertTrue(case.valid_sscc)

    def test_no_company_prefix_no_sscc(self):
        self.env.company.gs1_company_prefix = False
        with self.refused(UserError, "GS1 Company Prefix"):
            self.cases(1)
        with self.refused(ValidationError, "4 to 12 digits"):
            self.env.company.gs1_company_prefix = "12A"

    def test_put_in_pack_then_case_type_gets_an_sscc(self):
        package = self.Package.create({})  # what Put in Pack creates
        self.assertFalse(package.valid_sscc)
        package.package_type_id = self.case_type
        self.assertTrue(package.valid_sscc)
        self.assertTrue(package.name.startswith("1" + PREFIX))
        # a package already named by an SSCC keeps it
        received = self.Package.create({"name": "006141411234567890"})
        received.package_type_id = self.pallet_type
        self.assertEqual(received.name, "006141411234567890")

    def test_sscc_level_of_a_used_package_type_is_kept(self):
        self.cases(1)
        with self.refused(UserError, "cannot change"):
            self.case_type.sscc_level = "pallet"
        unused = self.env["stock.package.type"].create({"name": "SI Box"})
        unused.sscc_level = "case"
        self.assertEqual(unused.sscc_level, "case")

    # ------------------------------------------------------------------
    # Nesting rules
    # ------------------------------------------------------------------

    def test_nesting_rules(self):
        pallet, cases, _lots = self.build_pallet(cases=2, units=1, prefix="NR")
        other_pallet = self.pallet()
        with self.refused(ValidationError, "one pallet at a time"):
            cases[0].parent_id = other_pallet
        with self.refused(ValidationError, "can only be put on a pallet"):
            self.cases(1).parent_id = cases[1]
        with self.refused(ValidationError, "Pallet .* cannot be put on pallet"):
            other_pallet.parent_id = pallet
        with self.refused(UserError, "Recursion"):
            pallet.parent_id = pallet
        # a case elsewhere does not join a pallet
        shelf = self.env["stock.location"].create(
            {"name": "SI Shelf", "usage": "internal", "location_id": self.stock.id}
        )
        (far_case,) = self.cases(1)
        far_lots = self.receive_packed({far_case: ["NR-FAR"]})
        far_case.location_id = shelf
        self.assertEqual(far_lots.current_location_id, shelf)
        with self.refused(ValidationError, "goes on a pallet where the pallet is"):
            far_case.parent_id = pallet
        # off one pallet, then on the other
        cases[0].parent_id = False
        cases[0].parent_id = other_pallet
        self.assertEqual(pallet.child_ids, cases[1])
        with self.refused(ValidationError, "Only pallets hold other packages"):
            pallet.package_type_id = self.case_type

    def test_a_unit_in_two_cases_is_refused(self):
        case_a, case_b = self.cases(2)
        lot = self.receive_packed({case_a: ["TWO-1"]})
        quant = self.env["stock.quant"].create(
            {
                "product_id": self.product.id,
                "location_id": self.stock.id,
                "lot_id": lot.id,
                "package_id": case_b.id,
                "inventory_quantity": 1,
            }
        )
        # Odoo's own rule, one serial once per location, refuses it
        with self.refused(ValidationError, "already been assigned"):
            quant.action_apply_inventory()

    # ------------------------------------------------------------------
    # Aggregation events
    # ------------------------------------------------------------------

    def test_packing_writes_aggregation_events(self):
        case_a, case_b = self.cases(2)
        lots = self.receive_packed({case_a: ["AG-1", "AG-2"], case_b: ["AG-3"]})
        packed = self.events(lots, "pack")
        self.assertEqual(len(packed), 3)
        self.assertEqual(
            {(e.lot_id.name, e.package_id) for e in packed},
            {("AG-1", case_a), ("AG-2", case_a), ("AG-3", case_b)},
        )
        self.assertTrue(all(packed.mapped("reference")), "the receipt is named")
        self.assertEqual(lots.mapped("sscc_case_id"), case_a | case_b)
        self.assertFalse(lots.sscc_pallet_id)

        pallet = self.pallet()
        (case_a | case_b).write({"parent_id": pallet.id})
        on_pallet = self.events(lots, "pack") - packed
        self.assertEqual(len(on_pallet), 3)
        self.assertEqual(on_pallet.package_id, pallet)
        self.assertEqual(
            {(e.lot_id.name, e.inner_package_id) for e in on_pallet},
            {("AG-1", case_a), ("AG-2", case_a), ("AG-3", case_b)},
        )
        self.assertEqual(lots.sscc_pallet_id, pallet)
        self.assertEqual(on_pallet.mapped("lifecycle_state"), ["in_stock"] * 3)

        case_b.parent_id = False
        (off,) = self.events(lots, "unpack")
        self.assertEqual(
            (off.lot_id.name, off.package_id, off.inner_package_id), ("AG-3", pallet, case_b)
        )
        lot3 = lots.filtered(lambda lot: lot.name == "AG-3")
        self.assertEqual((lot3.sscc_case_id, lot3.sscc_pallet_id), (case_b, self.Package))

    def test_aggregation_is_set_based(self):
        pallet_small, cases_small, _lots = self.build_pallet(cases=2, units=2, prefix="Q1")
        pallet_big, cases_big, _lots = self.build_pallet(cases=2, units=10, prefix="Q2")
        counts = []
        for cases in (cases_small, cases_big):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            cases.write({"parent_id": False})
            counts.append(self.env.cr.sql_log_count - before)
        self.assertEqual(counts[0], counts[1], "queries do not grow with the units")
        self.assertTrue(pallet_small and pallet_big)

    # ------------------------------------------------------------------
    # Moving and delivering a pallet
    # ------------------------------------------------------------------

    def test_delivering_a_pallet_delivers_its_cases_and_units(self):
        pallet, cases, lots = self.build_pallet(cases=2, units=3, prefix="DL")
        self.assertEqual(pallet.location_id, self.stock)
        picking = self.ship_packages(pallet)
        level = picking.package_level_ids
        self.assertEqual(level.package_id, pallet, "one level, the pallet's")
        self.assertEqual(level.move_line_ids.package_id, cases, "it brings its cases")
        self.assertEqual(picking.state, "done")
        self.assertEqual(set(lots.mapped("lifecycle_state")), {"delivered"})
        self.assertEqual(lots.current_location_id, self.customer_loc)
        self.assertEqual(lots.current_holder_id, self.customer_contact)
        self.assertEqual(len(self.events(lots, "delivery")), 6)
        # the nesting arrives as it left
        self.assertEqual(cases.location_id, self.customer_loc)
        self.assertEqual(cases.parent_id, pallet)
        self.assertEqual(pallet.location_id, self.customer_loc)
        self.assertEqual(lots.sscc_pallet_id, pallet)
        self.assertEqual(lots.sscc_case_id, cases)
        self.assertFalse(self.events(lots, "unpack"))
        self.assertEqual(pallet.contained_serial_count, 6)

    def test_internal_transfer_of_a_pallet(self):
        pallet, cases, lots = self.build_pallet(cases=2, units=2, prefix="IT")
        dock = self.env["stock.location"].create(
            {"name": "SI Dock", "usage": "internal", "location_id": self.stock.id}
        )
        self.picking_type_internal.show_entire_packs = True
        picking = self.ship_packages(pallet, dest=dock, picking_type=self.picking_type_internal)
        self.assertEqual(picking.move_line_ids.location_dest_id, dock)
        self.assertEqual(
            (cases.location_id, cases.parent_id, pallet.location_id), (dock, pallet, dock)
        )
        self.assertEqual(lots.current_location_id, dock)
        self.assertEqual(set(lots.mapped("lifecycle_state")), {"in_stock"})
        self.assertEqual(len(self.events(lots, "internal")), 4)
        self.assertFalse(self.events(lots, "unpack"))

    def test_delivering_one_case_takes_it_off_its_pallet(self):
        pallet, cases, lots = self.build_pallet(cases=2, units=2, prefix="PC")
        self.ship_packages(cases[0])
        self.assertFalse(cases[0].parent_id)
        self.assertEqual(pallet.child_ids, cases[1])
        self.assertEqual(pallet.location_id, self.stock)
        left = lots.filtered(lambda lot: lot.sscc_case_id == cases[0])
        self.assertEqual(len(left), 2)
        self.assertFalse(left.sscc_pallet_id)
        off = self.events(left, "unpack")
        self.assertEqual(off.package_id, pallet)
        self.assertEqual(off.inner_package_id, cases[0])
        self.assertEqual(set(off.mapped("lifecycle_state")), {"delivered"})
        self.assertTrue(all(off.mapped("reference")), "the delivery is named")

    def test_units_picked_out_of_a_case_leave_it(self):
        pallet, cases, lots = self.build_pallet(cases=1, units=3, prefix="PK")
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.picking_type_out.id,
                "location_id": self.stock.id,
                "location_dest_id": self.customer_loc.id,
                "partner_id": self.customer_contact.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": self.product.name,
                            "product_id": self.product.id,
                            "product_uom_qty": 1,
                            "product_uom": self.product.uom_id.id,
                            "location_id": self.stock.id,
                            "location_dest_id": self.customer_loc.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        line = picking.move_line_ids
        self.assertEqual((line.package_id, line.result_package_id), (cases, self.Package))
        picking.move_ids.picked = True
        picking.button_validate()
        lot = line.lot_id
        self.assertEqual(lot.lifecycle_state, "delivered")
        self.assertFalse(lot.sscc_case_id or lot.sscc_pallet_id)
        (unpacked,) = self.events(lot, "unpack")
        self.assertEqual((unpacked.package_id, unpacked.reference), (cases, picking.name))
        self.assertEqual(cases.parent_id, pallet)
        self.assertEqual(cases.contained_quant_ids.lot_id, lots - lot)

    def test_unchanged_level_destination_is_not_rewritten(self):
        pallet, cases, _lots = self.build_pallet(cases=2, units=2, prefix="LV")
        shelf = self.env["stock.location"].create(
            {"name": "SI Bay", "usage": "internal", "location_id": self.stock.id}
        )
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.picking_type_internal.id,
                "location_id": self.stock.id,
                "location_dest_id": self.stock.id,
                "package_level_ids": [
                    Command.create(
                        {
                            "package_id": pallet.id,
                            "location_dest_id": self.stock.id,
                            "company_id": self.env.company.id,
                        }
                    )
                ],
            }
        )
        picking.action_assign()
        levels = picking.package_level_ids
        self.assertEqual(levels.package_id, pallet)
        self.assertEqual(levels.move_line_ids.package_id, cases)
        Line = type(self.env["stock.move.line"])
        with patch.object(Line, "write", side_effect=Line.write, autospec=True) as line_write:
            levels.location_dest_id = self.stock
        line_write.assert_not_called()
        # a level whose lines go elsewhere is still brought in line
        levels[0].move_line_ids[0].location_dest_id = shelf
        levels.location_dest_id = self.stock
        self.assertEqual(levels.move_line_ids.location_dest_id, self.stock)

    # ------------------------------------------------------------------
    # A pallet's package level, however it is made
    # ------------------------------------------------------------------

    def draft_delivery(self, **vals):
        return self.env["stock.picking"].create(
            {
                "picking_type_id": self.picking_type_out.id,
                "location_id": self.stock.id,
                "location_dest_id": self.customer_loc.id,
                "partner_id": self.customer_contact.id,
                **vals,
            }
        )

    def level_vals(self, package, **vals):
        return {
            "package_id": package.id,
            "location_dest_id": self.customer_loc.id,
            "company_id": self.env.company.id,
            **vals,
        }

    def pallet_through_packages_tab(self, pallet):
        """The web client's Packages tab: a line added to the transfer's form."""
        with Form(self.env["stock.picking"]) as form:
            form.picking_type_id = self.picking_type_out
            form.partner_id = self.customer_contact
            with form.package_level_ids.new() as level:
                level.package_id = pallet
        return form.record

    def pallet_through_details_commands(self, pallet):
        """One2many commands on ``package_level_ids_details`` at creation."""
        return self.draft_delivery(
            package_level_ids_details=[Command.create(self.level_vals(pallet))]
        )

    def pallet_through_rpc_create(self, pallet):
        """An integrator's JSON-RPC ``create`` of the level (``call_kw``, which
        answers the record's id)."""
        picking = self.draft_delivery()
        level_id = call_kw(
            self.env["stock.package_level"],
            "create",
            [self.level_vals(pallet, picking_id=picking.id, location_id=self.stock.id)],
            {},
        )
        self.assertEqual(picking.package_level_ids.ids, [level_id])
        return picking

    def pallet_through_write_commands(self, pallet):
        """Commands written on a transfer that is already confirmed."""
        picking = self.draft_delivery(
            move_ids=[
                Command.create(
                    {
                        "name": self.other_product.name,
                        "product_id": self.other_product.id,
                        "product_uom_qty": 1,
                        "product_uom": self.other_product.uom_id.id,
                        "location_id": self.stock.id,
                        "location_dest_id": self.customer_loc.id,
                    }
                )
            ]
        )
        picking.action_confirm()
        picking.write({"package_level_ids": [Command.create(self.level_vals(pallet))]})
        return picking

    def pallet_through_scan(self, pallet):
        """The pallet set as the package of the transfer's level, as a scan of
        its SSCC sets it (the level was made for another package)."""
        picking = self.draft_delivery(
            package_level_ids=[Command.create(self.level_vals(self.Package.create({})))]
        )
        level = picking.package_level_ids
        picking.write({"package_level_ids": [Command.update(level.id, {"package_id": pallet.id})]})
        self.assertEqual(picking.package_level_ids, level)
        return picking

    def delivered_pallet(self, pallet, cases, lots, prefix, picking, tick):
        """Deliver ``picking`` (the pallet's level in it), picked through the
        level's Done box (``tick``) or its moves, and describe what it did, with
        the pallet's, cases' and serials' names made relative."""
        picking.action_confirm()
        picking.action_assign()
        level = picking.package_level_ids.filtered(lambda pl: pl.package_id == pallet)
        self.assertEqual(len(level), 1)
        self.assertEqual(level.state, "assigned", "the level holds all of the pallet")
        self.assertFalse(level.is_done)
        if tick:
            level.is_done = True
            self.assertEqual(set(level.move_line_ids.mapped("picked")), {True})
        (picking.move_ids - level.move_ids if tick else picking.move_ids).picked = True
        level.invalidate_recordset(["is_done"])  # Odoo's compute does not depend on picked
        self.assertTrue(level.is_done)
        self.assertIs(picking.button_validate(), True)
        self.assertEqual(picking.state, "done")
        label = {self.Package: None, pallet: "pallet"}
        label.update({case: f"case {index}" for index, case in enumerate(cases)})

        def name(lot):
            return lot.name.removeprefix(prefix)

        quants = self.env["stock.quant"].search([("lot_id", "in", lots.ids), ("quantity", ">", 0)])
        return {
            "levels": sorted((label[pl.package_id], pl.state) for pl in picking.package_level_ids),
            "moves": sorted(
                (
                    move.product_id.id,
                    move.product_uom_qty,
                    move.quantity,
                    label[move.package_level_id.package_id],
                    move.state,
                )
                for move in level.move_ids
            ),
            "lines": sorted(
                (
                    name(line.lot_id),
                    label[line.package_id],
                    label[line.result_package_id],
                    label[line.package_level_id.package_id],
                    line.location_dest_id.id,
                )
                for line in picking.move_line_ids.filtered("lot_id")
            ),
            "events": sorted(
                (
                    name(event.lot_id),
                    event.event_type,
                    event.lifecycle_state,
                    event.location_id.id,
                    event.location_dest_id.id,
                    event.partner_id.id,
                    label[event.package_id],
                    label[event.inner_package_id],
                    event.picking_id == picking,
                )
                for event in self.Event.search([("lot_id", "in", lots.ids)])
            ),
            "quants": sorted(
                (name(quant.lot_id), label[quant.package_id], quant.location_id.id)
                for quant in quants
            ),
            "serials": sorted(
                (
                    name(lot),
                    lot.lifecycle_state,
                    lot.current_location_id.id,
                    lot.current_holder_id.id,
                    label[lot.sscc_case_id],
                    label[lot.sscc_pallet_id],
                )
                for lot in lots
            ),
            "packages": sorted(
                (label[package], label[package.parent_id], package.location_id.id)
                for package in pallet | cases
            ),
        }

    def test_a_pallet_level_is_delivered_the_same_however_it_is_made(self):
        self.other_product = self.env["product.product"].create(
            {"name": "SI Cable", "is_storable": True}
        )
        self.env["stock.quant"]._update_available_quantity(self.other_product, self.stock, 1)
        ways = (
            self.pallet_through_packages_tab,
            self.pallet_through_details_commands,
            self.pallet_through_rpc_create,
            self.pallet_through_write_commands,
            self.pallet_through_scan,
        )
        records = {}
        for index, way in enumerate(ways):
            prefix = f"W{index}"
            pallet, cases, lots = self.build_pallet(cases=2, units=2, prefix=prefix)
            with self.subTest(way=way.__name__):
                records[way.__name__] = self.delivered_pallet(
                    pallet, cases, lots, prefix, way(pallet), tick=index % 2 == 0
                )
        expected = records.pop("pallet_through_packages_tab")
        for way, record in records.items():
            with self.subTest(way=way):
                self.assertEqual(record, expected)
        delivered = [serial for serial in expected["serials"] if serial[1] == "delivered"]
        self.assertEqual(len(delivered), 4)
        self.assertEqual(
            expected["packages"],
            [
                ("case 0", "pallet", self.customer_loc.id),
                ("case 1", "pallet", self.customer_loc.id),
                ("pallet", None, self.customer_loc.id),
            ],
        )
        self.assertEqual(expected["levels"], [("pallet", "done")])
        self.assertEqual(
            {line[1:4] for line in expected["lines"]},
            {("case 0", "case 0", "pallet"), ("case 1", "case 1", "pallet")},
        )

    def test_a_pallet_with_units_of_its_own_delivers_them_too(self):
        pallet, cases, lots = self.build_pallet(cases=2, units=2, prefix="OW")
        own = self.receive_packed({pallet: ["OW-own"]})
        picking = self.ship_packages(pallet)
        level = picking.package_level_ids
        self.assertEqual((level.package_id, level.state), (pallet, "done"))
        own_line = level.move_line_ids.filtered(lambda line: line.lot_id == own)
        self.assertEqual((own_line.package_id, own_line.result_package_id), (pallet, pallet))
        self.assertEqual(len(level.move_line_ids), 5)
        quants = self.env["stock.quant"].search(
            [("lot_id", "in", (lots | own).ids), ("quantity", ">", 0)]
        )
        self.assertEqual(quants.location_id, self.customer_loc)
        self.assertEqual(
            sorted(quants.mapped(lambda quant: quant.package_id.id)),
            sorted([*cases.ids, *cases.ids, pallet.id]),
        )
        self.assertEqual(cases.parent_id, pallet)
        self.assertEqual(set((lots | own).mapped("lifecycle_state")), {"delivered"})

    def test_ticking_an_unreserved_pallet_level_takes_all_of_it(self):
        pallet, cases, lots = self.build_pallet(cases=2, units=2, prefix="TK")
        picking = self.draft_delivery(package_level_ids=[Command.create(self.level_vals(pallet))])
        picking.action_confirm()
        picking.do_unreserve()
        level = picking.package_level_ids
        self.assertFalse(level.move_line_ids)
        level.is_done = True
        self.assertEqual(level.move_line_ids.lot_id, lots)
        self.assertEqual(level.move_line_ids.result_package_id, cases)
        self.assertEqual(set(level.move_line_ids.mapped("picked")), {True})
        self.assertIs(picking.button_validate(), True)
        self.assertEqual((cases.parent_id, pallet.location_id), (pallet, self.customer_loc))

    def test_relocating_a_pallet_moves_everything_on_it(self):
        pallet, cases, lots = self.build_pallet(cases=2, units=2, prefix="RL")
        shelf = self.env["stock.location"].create(
            {"name": "SI Dock", "usage": "internal", "location_id": self.stock.id}
        )
        pallet.location_id = shelf
        self.assertEqual(lots.current_location_id, shelf)
        self.assertEqual(cases.location_id, shelf)
        self.assertEqual(cases.parent_id, pallet)
        self.assertEqual(pallet.location_id, shelf)
        self.assertEqual(len(self.events(lots, "internal")), 4)

    def test_unpacking_at_the_customer_keeps_history(self):
        pallet, cases, lots = self.build_pallet(cases=2, units=2, prefix="UC")
        self.ship_packages(pallet)
        history = lots.serial_event_ids
        pallet.unpack()
        self.assertFalse(cases.parent_id)
        self.assertFalse(lots.sscc_pallet_id)
        self.assertEqual(len(self.events(lots, "unpack")), 4)
        cases[0].unpack()
        unpacked = lots.filtered(lambda lot: not lot.sscc_case_id)
        self.assertEqual(len(unpacked), 2)
        self.assertEqual(self.events(unpacked, "unpack")[-2:].package_id, cases[0])
        # still delivered to the same customer, nothing else happened to them
        self.assertEqual(set(lots.mapped("lifecycle_state")), {"delivered"})
        self.assertEqual(lots.current_holder_id, self.customer_contact)
        self.assertLessEqual(history, lots.serial_event_ids)
        self.assertEqual(set((lots.serial_event_ids - history).mapped("event_type")), {"unpack"})
        self.assertEqual(len(self.events(lots, "delivery")), 4)

    def test_return_takes_the_unit_out_of_its_case(self):
        pallet, cases, lots = self.build_pallet(cases=1, units=3, prefix="RT")
        delivery = self.ship_packages(pallet)
        lot = lots[0]
        self.return_picking(delivery, lot)
        self.assertEqual(lot.lifecycle_state, "returned")
        self.assertEqual(lot.current_location_id, self.stock)
        self.assertFalse(lot.sscc_case_id)
        self.assertFalse(lot.sscc_pallet_id)
        (unpacked,) = self.events(lot, "unpack")
        self.assertEqual(unpacked.package_id, cases)
        self.assertEqual(
            lot.serial_event_ids.sorted("id").mapped("event_type"),
            ["receipt", "pack", "pack", "delivery", "customer_return", "unpack"],
        )
        # the case at the customer's holds the two others
        self.assertEqual(cases.contained_quant_ids.lot_id, lots[1:])
        self.assertEqual((lots[1:].sscc_case_id, lots[1:].sscc_pallet_id), (cases, pallet))

    # ------------------------------------------------------------------
    # Finding and showing
    # ------------------------------------------------------------------

    def test_scanning_an_sscc_finds_the_package(self):
        pallet, _cases, _lots = self.build_pallet(cases=1, units=1, prefix="SC")
        for text in (pallet.name, f"(00){pallet.name}", f"]C100{pallet.name}"):
            with self.subTest(text=text):
                self.assertEqual(self.Package.name_search(text), [(pallet.id, pallet.name)])
                self.assertEqual(self.Package.search([("display_name", "ilike", text)]), pallet)
        self.assertFalse(self.Package.name_search(f"(00){pallet.name[:-1]}0"))

    def test_pallet_form_lists_its_serials(self):
        pallet, _cases, lots = self.build_pallet(cases=2, units=3, prefix="FM")
        other = self.env["product.product"].create(
            {"name": "SI Charger", "is_storable": True, "tracking": "serial"}
        )
        (empty,) = self.cases(1)
        empty.parent_id = pallet
        form = Form(pallet)
        self.assertEqual(form.contained_serial_count, 6)
        self.assertEqual(form.contained_package_count, 3)
        self.assertIn("SI Scanner", str(form.contents_summary))
        self.assertIn(">6<", str(form.contents_summary))
        self.assertEqual(pallet.contained_quant_ids.lot_id, lots)
        # the record a form edits (onchange) reads its origin's contents
        edited = self.Package.new({"pack_date": "2026-01-02"}, origin=pallet)
        self.assertEqual(edited.contained_serial_count, 6)
        action = pallet.action_view_contained_serials()
        self.assertEqual(self.env["stock.lot"].search(action["domain"]), lots)
        self.assertTrue(other)

    def test_lot_form_and_traceability_show_case_and_pallet(self):
        pallet, cases, lots = self.build_pallet(cases=1, units=1, prefix="TR")
        form = Form(lots)
        self.assertEqual(form.sscc_case_id, cases)
        self.assertEqual(form.sscc_pallet_id, pallet)
        pdf, _kind = self.env["ir.actions.report"]._render(
            "serialized_inventory.action_report_serial_traceability", lots.ids
        )
        text = pdf_text(pdf)
        self.assertIn(cases.name, text)
        self.assertIn(pallet.name, text)
        self.assertIn("Packed", text)

    def test_sscc_labels_decode_as_gs1(self):
        pallet, cases, _lots = self.build_pallet(cases=2, units=3, prefix="LB")
        pdf, kind = self.env["ir.actions.report"]._render(
            "serialized_inventory.action_report_sscc_label", (cases[0] | pallet).ids
        )
        self.assertEqual(kind, "pdf")
        found = sorted(
            (identifier, text) for page in rasterise(pdf) for identifier, text, _p in decode(page)
        )
        self.assertEqual(
            found,
            sorted(
                [
                    ("]C1", f"00{cases[0].name}"),
                    ("]C1", "0204006381333931373"),
                    ("]C1", f"00{pallet.name}"),
                ]
            ),
        )
        text = pdf_text(pdf)
        self.assertIn(f"(00) {pallet.name}", text)
        self.assertIn("6 x SI Scanner", text)
        self.assertIn("2 cases", text)
        self.assertIn("3 x SI Scanner", text)

    def test_label_wizard_prints_sscc_labels(self):
        pallet = self.pallet()
        wizard = Form(
            self.env["serial.label.wizard"].with_context(
                active_model="stock.quant.package", active_ids=pallet.ids
            )
        ).save()
        self.assertEqual(wizard.package_ids, pallet)
        self.assertEqual(wizard.layout, "thermal_4x6")
        action = wizard.action_print()
        self.assertEqual(action["report_name"], "serialized_inventory.report_sscc_label")
        plain = self.Package.create({})
        with self.refused(UserError, "named by an SSCC"):
            wizard.package_ids = plain
            wizard.action_print()
