# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""GS1 identifiers alone, without a database."""

import unittest

from ..lib import gs1


class TestGs1(unittest.TestCase):
    def test_gtin14(self):
        self.assertEqual(gs1.gtin14("4006381333931"), "04006381333931")
        self.assertEqual(gs1.gtin14("96385074"), "00000096385074")
        self.assertEqual(gs1.gtin14("00012345600012"), "00012345600012")
        self.assertIsNone(gs1.gtin14("4006381333932"))  # wrong check digit
        self.assertIsNone(gs1.gtin14("ABC"))
        self.assertIsNone(gs1.gtin14(""))
        self.assertIsNone(gs1.gtin14(False))

    def test_element_string_and_digital_link(self):
        self.assertEqual(gs1.element_string("04006381333931", "SN-1"), "(01)04006381333931(21)SN-1")
        self.assertEqual(
            gs1.digital_link("https://id.gs1.org/", "04006381333931", "A/B 1%"),
            "https://id.gs1.org/01/04006381333931/21/A%2FB%201%25",
        )
