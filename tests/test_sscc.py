# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""SSCC codec alone, without a database."""

import unittest

from hypothesis import given
from hypothesis import strategies as st

from ..lib import label_render, sscc
from ..lib.label_layouts import LAYOUTS, MM, Layout
from .pdf_tools import decode, pdf_text, rasterise

# (00) 1 0614141 123456789 7 is the SSCC of GS1's examples (GS1 General
# Specifications, AI 00; GS1 Logistic Label Guideline); the others share its
# layout, their check digits worked out by hand with GS1's mod 10 table.
KNOWN_GOOD = (
    "106141411234567897",  # (00) 1 0614141 123456789 7
    "006141411234567890",  # (00) 0 0614141 123456789 0
    "376104250021234569",  # (00) 3 7610425 002123456 9
    "340123450000000000",  # (00) 3 4012345 000000000 0
)


class TestSscc(unittest.TestCase):
    def test_known_good_examples(self):
        for code in KNOWN_GOOD:
            with self.subTest(code=code):
                self.assertIsNone(sscc.error(code))
                self.assertEqual(sscc.check_digit(code[:-1]), code[-1])
        self.assertEqual(sscc.make(1, "0614141", 123456789), "106141411234567897")
        self.assertEqual(sscc.make("0", "0614141", 123456789), "006141411234567890")
        self.assertEqual(sscc.make(3, "7610425", 2123456), "376104250021234569")

    def test_check_digit_by_hand(self):
        # weights 3, 1, 3... from the rightmost digit of the 17-digit body
        body = "10614141123456789"
        total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
        self.assertEqual(sscc.check_digit(body), str((10 - total % 10) % 10))
        self.assertEqual(str((10 - total % 10) % 10), "7")

    def test_invalid_codes(self):
        self.assertIn("check digit should be 7", sscc.error("106141411234567890"))
        self.assertIn("18 digits", sscc.error("10614141123456789"))
        self.assertIn("18 digits", sscc.error("1061414112345678977"))
        self.assertIn("18 digits", sscc.error("10614141123456789A"))
        self.assertIn("18 digits", sscc.error(""))
        self.assertIn("18 digits", sscc.error(None))
        self.assertFalse(sscc.is_valid("106141411234567898"))

    def test_prefix_and_capacity(self):
        self.assertEqual(sscc.capacity("0614141"), 10**9)
        self.assertEqual(sscc.capacity("061414112345"), 10**4)
        self.assertIn("extension digit", sscc.prefix_error(10, "0614141"))
        self.assertIn("extension digit", sscc.prefix_error("", "0614141"))
        self.assertIn("Company Prefix", sscc.prefix_error(1, "061"))
        self.assertIn("Company Prefix", sscc.prefix_error(1, "0614141234567"))
        self.assertIn("Company Prefix", sscc.prefix_error(1, "06141A1"))
        self.assertIsNone(sscc.prefix_error(0, "0614141"))
        with self.assertRaisesRegex(ValueError, "does not fit the 4 digits"):
            sscc.make(1, "061414112345", 10000)
        with self.assertRaisesRegex(ValueError, "Company Prefix"):
            sscc.make(1, "", 1)
        self.assertEqual(sscc.make(1, "061414112345", 9999)[:-1], "10614141123459999")

    def test_label_payloads(self):
        code = "106141411234567897"
        (only,) = sscc.label_payloads(code)
        self.assertEqual((only.data, only.hri), (f"00{code}", f"(00) {code}"))
        content, last = sscc.label_payloads(code, gtin="4006381333931", count=50)
        self.assertEqual(content.data, "020400638133393137" + "50")
        self.assertEqual(content.hri, "(02) 04006381333931 (37) 50")
        self.assertEqual(last.data, f"00{code}")
        # no GTIN, no count: the SSCC alone
        self.assertEqual(len(sscc.label_payloads(code, gtin="123", count=50)), 1)
        self.assertEqual(len(sscc.label_payloads(code, gtin="4006381333931", count=0)), 1)
        with self.assertRaisesRegex(ValueError, "not an SSCC"):
            sscc.label_payloads("106141411234567890")

    @given(
        extension=st.integers(0, 9),
        prefix=st.from_regex(r"\A[0-9]{4,12}\Z"),
        data=st.data(),
    )
    def test_made_codes_are_valid_and_one_digit_changes_are_caught(self, extension, prefix, data):
        reference = data.draw(st.integers(0, sscc.capacity(prefix) - 1))
        code = sscc.make(extension, prefix, reference)
        self.assertEqual(len(code), 18)
        self.assertTrue(code.startswith(f"{extension}{prefix}"))
        self.assertEqual(int(code[1 + len(prefix) : -1]), reference)
        self.assertTrue(sscc.is_valid(code))
        position = data.draw(st.integers(0, 17))
        digit = data.draw(st.sampled_from([d for d in "0123456789" if d != code[position]]))
        self.assertFalse(sscc.is_valid(code[:position] + digit + code[position + 1 :]))


class TestPackageLabels(unittest.TestCase):
    """SSCC labels drawn by lib/label_render, read back with poppler and zxing-cpp."""

    def test_labels_decode_on_every_layout_that_fits(self):
        label = label_render.PackageLabel(
            sscc="106141411234567897",
            title="Case — SI Company",
            lines=("50 x SI Scanner",),
            gtin="4006381333931",
            count=50,
        )
        for name in ("thermal_4x6", "a4_3x8", "letter_avery_5160"):
            with self.subTest(layout=name):
                pdf = label_render.render_package_labels([label], LAYOUTS[name], copies=2)
                found = sorted(
                    (identifier, text)
                    for page in rasterise(pdf)
                    for identifier, text, _position in decode(page)
                )
                self.assertEqual(
                    found,
                    [
                        ("]C1", "00106141411234567897"),
                        ("]C1", "00106141411234567897"),
                        ("]C1", "020400638133393137" + "50"),
                        ("]C1", "020400638133393137" + "50"),
                    ],
                )
                text = pdf_text(pdf)
                self.assertIn("(00) 106141411234567897", text)
                self.assertIn("Case — SI Company", text)
                if name != "letter_avery_5160":  # 1 inch high: no room left for contents
                    self.assertIn("50 x SI Scanner", text)

    def test_errors_name_the_sscc(self):
        with self.assertRaisesRegex(ValueError, "SSCC '106141411234567890'.*check digit"):
            label_render.render_package_labels(
                [label_render.PackageLabel(sscc="106141411234567890")], LAYOUTS["thermal_4x6"]
            )
        two = label_render.PackageLabel(
            sscc="106141411234567897", title="Case", gtin="4006381333931", count=50
        )
        strip = Layout(
            name="strip", title="Strip", page_size=(60 * MM, 15 * MM), label_size=(60 * MM, 15 * MM)
        )
        with self.assertRaisesRegex(
            ValueError, "SSCC 106141411234567897 do not fit a label of Strip"
        ):
            label_render.render_package_labels([two], strip)
