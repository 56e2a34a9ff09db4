# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Odoo's own GS1 parser (barcodes_gs1_nomenclature, what the Barcode app uses)
reads what the addon prints and what suppliers print: labels rendered to PDF,
decoded with zxing-cpp, parsed by the GS1 nomenclature, then looked up the way
the nomenclature's `_preprocess_gs1_search_args` rewrites a barcode search."""

import json

from odoo.tests import HttpCase, tagged
from odoo.tools.barcode import get_barcode_check_digit

from ..lib import label_layouts
from .common import SerialCommon
from .pdf_tools import decode, rasterise

GTIN = "4006381333931"
GTIN14 = "04006381333931"
LABELS = "serialized_inventory.action_report_serial_label"
SSCC_LABELS = "serialized_inventory.action_report_sscc_label"
# the symbology identifiers Odoo strips before parsing (gs1_decompose_extanded)
GS1_IDENTIFIERS = ("]C1", "]d2", "]Q3", "]e0")
GS = "\x1d"


def sscc(body17):
    return body17 + str(get_barcode_check_digit(body17 + "0"))


SUPPLIER_SSCC = sscc("03800123456789012")
# Suppliers' labels Odoo's rules alone reject (an AI without a rule fails the
# whole parse): (barcode as scanned, serial, {AI: value} of the unused AIs)
SUPPLIER_LABELS = [
    (f"01{GTIN14}1125011521SN81", "SN81", {"11": "250115"}),
    (f"]C101{GTIN14}112501151727011510LOT42{GS}21SN82", "SN82", {"11": "250115"}),
    (f"01{GTIN14}240REF-7{GS}21SN83", "SN83", {"240": "REF-7"}),
    (f"]d201{GTIN14}22CPV-A1{GS}10L1{GS}21SN84", "SN84", {"22": "CPV-A1"}),
    (f"]d201{GTIN14}152606301125063010B123{GS}21SN85", "SN85", {"11": "250630"}),
    (f"01{GTIN14}21SN86{GS}250SEC-2", "SN86", {"250": "SEC-2"}),
    (f"]d201{GTIN14}1727013110ABC123{GS}21SN87{GS}714ABC1234", "SN87", {"714": "ABC1234"}),
    (f"01{GTIN14}21SN88#240X1", "SN88", {"240": "X1"}),
    (f"01{GTIN14}330200125021SN89", "SN89", {"3302": "001250"}),
    (f"01{GTIN14}21SN90{GS}70032612312359", "SN90", {"7003": "2612312359"}),
    (f"]C100{SUPPLIER_SSCC}400PO-991{GS}02{GTIN14}3712", None, {"400": "PO-991"}),
]


@tagged("post_install", "-at_install")
class TestGs1Nomenclature(SerialCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product.barcode = GTIN
        cls.nomenclature = cls.env.ref("barcodes_gs1_nomenclature.default_gs1_nomenclature")
        cls.env.company.write(
            {
                "nomenclature_id": cls.nomenclature.id,
                "gs1_company_prefix": "0614141",
                "sscc_extension_digit": "1",
            }
        )
        _receipt, cls.lots = cls.receive(["SN-0001", "A/1.2"])
        cls.Package = cls.env["stock.quant.package"]
        cls.our_rules = cls.nomenclature.rule_ids.filtered(lambda rule: rule.type == "gs1_ignored")

    # ------------------------------------------------------------------
    # what the Barcode app does with a scan
    # ------------------------------------------------------------------

    def odoo_search(self, model, field, code, barcode_types):
        domain = self.env["barcode.nomenclature"]._preprocess_gs1_search_args(
            [(field, "=", code)], barcode_types, field
        )
        return self.env[model].search(domain)

    def odoo_finds(self, code):
        """(product, serial, package) that Odoo's GS1 search finds for ``code``."""
        return (
            self.odoo_search("product.product", "barcode", code, ["product"]),
            self.odoo_search("stock.lot", "name", code, ["lot"]),
            self.odoo_search("stock.quant.package", "name", code, ["package"]),
        )

    def scanned(self, pdf):
        """What a scanner sends for each barcode of the PDF's first page: GS1
        symbols with their symbology identifier, others without (the default
        of scanners)."""
        return sorted(
            (identifier + text if identifier in GS1_IDENTIFIERS else text)
            for identifier, text, _position in decode(rasterise(pdf, 1, 1)[0])
        )

    def elements(self, code):
        parsed = self.nomenclature.parse_barcode(code)
        self.assertTrue(parsed, f"Odoo's GS1 nomenclature rejects {code!r}")
        return {element["ai"]: element for element in parsed}

    # ------------------------------------------------------------------
    # our labels
    # ------------------------------------------------------------------

    def test_serial_labels_every_layout_and_symbology(self):
        lot = self.lots[1]
        report = self.env["ir.actions.report"]
        for layout in label_layouts.LAYOUTS:
            for symbology in ("gs1_128", "gs1_datamatrix", "gs1_datamatrix_code128"):
                with self.subTest(layout=layout, symbology=symbology):
                    pdf, _kind = report._render(
                        LABELS, lot.ids, data={"layout": layout, "symbology": symbology}
                    )
                    gs1_codes = [
                        code for code in self.scanned(pdf) if code.startswith(GS1_IDENTIFIERS)
                    ]
                    self.assertEqual(len(gs1_codes), 1, gs1_codes)
                    elements = self.elements(gs1_codes[0])
                    self.assertEqual(elements["01"]["value"], GTIN14)
                    self.assertEqual(elements["21"]["value"], lot.name)
                    self.assertEqual(elements["21"]["type"], "lot")
                    product, serial, _package = self.odoo_finds(gs1_codes[0])
                    self.assertEqual(product, self.product)
                    self.assertEqual(serial, lot)
            with self.subTest(layout=layout, symbology="code128"):
                pdf, _kind = report._render(
                    LABELS, lot.ids, data={"layout": layout, "symbology": "code128"}
                )
                self.assertEqual(self.scanned(pdf), [lot.name])
                # not GS1: Odoo searches the serial by its name
                self.assertFalse(self.nomenclature.parse_barcode(lot.name))
                _product, serial, _package = self.odoo_finds(lot.name)
                self.assertEqual(serial, lot)
                self.assertEqual(serial.product_id, self.product)

    def test_digital_link_labels_every_layout(self):
        """The QR code of the Digital Link reads as the URI; Odoo's parser (with
        models/barcode_nomenclature.py) reads it as its element string."""
        lot = self.lots[1]
        for layout in label_layouts.LAYOUTS:
            with self.subTest(layout=layout):
                pdf, _kind = self.env["ir.actions.report"]._render(
                    LABELS, lot.ids, data={"layout": layout, "symbology": "qr_digital_link"}
                )
                self.assertEqual(self.scanned(pdf), [lot.gs1_digital_link])
                elements = self.elements(lot.gs1_digital_link)
                self.assertEqual(elements["01"]["value"], GTIN14)
                self.assertEqual(elements["21"]["value"], "A/1.2")
                product, serial, _package = self.odoo_finds(lot.gs1_digital_link)
                self.assertEqual((product, serial), (self.product, lot))

    def test_suppliers_digital_links(self):
        """Qualifiers, a path prefix, query attributes and a GTIN-13, as GS1
        Digital Link URI syntax allows them; what is not a Digital Link is
        left to Odoo as it was."""
        link = f"https://brand.example/p/01/{GTIN}/22/C1/10/L%2F7/21/SN-0001?17=270131&x=1"
        elements = self.elements(link)
        self.assertEqual(
            {ai: elements[ai]["value"] for ai in ("01", "22", "10", "21")},
            {"01": GTIN14, "22": "C1", "10": "L/7", "21": "SN-0001"},
        )
        self.assertEqual(elements["17"]["value"].isoformat(), "2027-01-31")
        # Odoo's search takes the first lot-type AI, (10) before (21), as for GS1-128
        link = f"https://brand.example/p/01/{GTIN}/21/SN-0001?17=270131"
        self.assertEqual(self.odoo_finds(link)[:2], (self.product, self.lots[0]))
        for code in ("https://brand.example/about", f"https://x.example/01/{GTIN14}/21"):
            self.assertFalse(self.nomenclature.parse_barcode(code), code)

    def test_sscc_labels_every_layout(self):
        case_type = self.env["stock.package.type"].create({"name": "SI Case", "sscc_level": "case"})
        case = self.Package.create({"package_type_id": case_type.id})
        lot = self.env["stock.lot"].create({"name": "SN-CASE", "product_id": self.product.id})
        self.env["stock.quant"]._update_available_quantity(
            self.product, self.stock, 1, lot_id=lot, package_id=case
        )
        for layout in label_layouts.LAYOUTS:
            with self.subTest(layout=layout):
                pdf, _kind = self.env["ir.actions.report"]._render(
                    SSCC_LABELS, case.ids, data={"layout": layout}
                )
                codes = self.scanned(pdf)
                self.assertEqual(codes, sorted([f"]C100{case.name}", f"]C102{GTIN14}371"]))
                container, contents = codes
                self.assertEqual(self.elements(container)["00"]["value"], case.name)
                self.assertEqual(self.odoo_finds(container)[2], case)
                elements = self.elements(contents)
                self.assertEqual(elements["37"]["value"], 1)
                self.assertEqual(self.odoo_finds(contents)[0], self.product)

    def test_labels_with_lot_and_expiry(self):
        """(17) and (10) as lib/label_render prints them with product_expiry."""
        for code in (f"]C101{GTIN14}1727011510L-9{GS}21A/1.2", f"]d201{GTIN14}1727011521A/1.2"):
            with self.subTest(code=code):
                elements = self.elements(code)
                self.assertEqual(elements["21"]["value"], "A/1.2")
                self.assertEqual(str(elements["17"]["value"]), "2027-01-15")

    # ------------------------------------------------------------------
    # suppliers' labels
    # ------------------------------------------------------------------

    def test_suppliers_labels_parse_with_our_rules(self):
        package = self.Package.create({"name": SUPPLIER_SSCC})
        for code, serial, unused in SUPPLIER_LABELS:
            with self.subTest(code=code):
                elements = self.elements(code)
                for ai, value in unused.items():
                    self.assertEqual(elements[ai]["string_value"], value)
                    self.assertEqual(elements[ai]["type"], "gs1_ignored")
                product, _lot, found_package = self.odoo_finds(code)
                self.assertEqual(product, self.product)
                if serial:
                    self.assertEqual(elements["21"]["value"], serial)
                    self.assertEqual(elements["01"]["value"], GTIN14)
                else:
                    self.assertEqual(found_package, package)
                    self.assertEqual(elements["00"]["value"], SUPPLIER_SSCC)

    def test_suppliers_labels_fail_with_odoos_rules_alone(self):
        self.assertGreaterEqual(len(self.our_rules), 50)
        already = f"]C101{GTIN14}1727011510L1{GS}21SN1"
        before = self.nomenclature.parse_barcode(already)
        self.our_rules.unlink()
        self.assertEqual(self.nomenclature.parse_barcode(already), before)
        for code, _serial, _unused in SUPPLIER_LABELS:
            with self.subTest(code=code):
                self.assertIsNone(self.nomenclature.parse_barcode(code))

    def test_our_rules_are_valid_and_never_shadow_odoos(self):
        odoo_rules = self.nomenclature.rule_ids - self.our_rules
        self.assertEqual(set(self.our_rules.mapped("encoding")), {"gs1-128"})
        self.our_rules._check_pattern()
        self.assertGreater(
            min(self.our_rules.mapped("sequence")), max(odoo_rules.mapped("sequence"))
        )


# Reads codes with the web client's BarcodeParser and the GS1 nomenclature's
# rules (as every barcode screen does), logs "test successful" when each gives
# the expected AIs, else the AIs it gave.
WEB_CLIENT_PARSE = """
(async () => {
    const { BarcodeParser } = odoo.loader.modules.get("@barcodes/js/barcode_parser");
    const orm = odoo.__WOWL_DEBUG__.root.env.services.orm;
    const parser = new BarcodeParser({
        nomenclature: await BarcodeParser.fetchNomenclature(orm, %(nomenclature)s),
    });
    const expected = %(expected)s;
    const wrong = [];
    for (const [code, ais] of Object.entries(expected)) {
        let got;
        try {
            got = Object.fromEntries(parser.parse_barcode(code).map((e) => [e.ai, e.string_value]));
        } catch (error) {
            got = String(error);
        }
        const values = Object.keys(ais).map((ai) => got[ai]);
        if (JSON.stringify(values) !== JSON.stringify(Object.values(ais))) {
            wrong.push([code, got]);
        }
    }
    if (wrong.length) {
        console.error("web client parse: " + JSON.stringify(wrong));
    } else {
        console.log("test successful");
    }
})();
"""


@tagged("post_install", "-at_install")
class TestGs1NomenclatureWebClient(HttpCase):
    def test_web_client_parser_reads_digital_links_and_suppliers_labels(self):
        """static/src/js/barcode_parser_patch.js and the rules of
        data/barcode_rule_data.xml in the parser of the web client."""
        expected = {
            f"https://brand.example/p/01/{GTIN}/22/C1/10/L%2F7/21/SN-1?17=270131": {
                "01": GTIN14,
                "22": "C1",
                "10": "L/7",
                "21": "SN-1",
                "17": "270131",
            },
            f"https://id.gs1.org/01/{GTIN14}/21/A%2F1.2": {"01": GTIN14, "21": "A/1.2"},
        }
        expected.update(
            {code: {"21": serial, **ais} for code, serial, ais in SUPPLIER_LABELS if serial}
        )
        nomenclature = self.env.ref("barcodes_gs1_nomenclature.default_gs1_nomenclature")
        code = WEB_CLIENT_PARSE % {
            "nomenclature": nomenclature.id,
            "expected": json.dumps(expected),
        }
        self.browser_js("/odoo", code, ready="odoo.isReady", login="admin")
