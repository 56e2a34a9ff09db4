# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The serial format engine alone, without a database.

Besides examples, property tests generate random rules and serials and check that every
generated serial validates and parses back, that the check catches every single-character
substitution, and every adjacent transposition its algorithm guarantees to catch.  What each
algorithm guarantees is written down in `GUARANTEED_TRANSPOSITION` and itself checked
exhaustively against python-stdnum (`TestCheckAlgorithmKnowledge`): both that the promised
errors are always caught and that the exceptions are real.
"""

import ast
import datetime
import pathlib
import pickle
import unittest

from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum import ean, luhn
from stdnum.iso7064 import mod_11_2, mod_37_36, mod_97_10

from ..lib import serial_format as sf

DIGITS = "0123456789"
UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ALNUM36 = DIGITS + UPPER

# The characters each algorithm is fed, the characters its check may be made of, and
# python-stdnum's function, written down independently of the module under test.
FED = {"luhn": DIGITS, "gs1": DIGITS, "mod11_2": DIGITS, "mod97_10": DIGITS, "mod37_36": ALNUM36}
CHECK_CHARS = {**FED, "mod11_2": DIGITS + "X"}
STDNUM = {
    "luhn": luhn.calc_check_digit,
    "gs1": ean.calc_check_digit,
    "mod11_2": mod_11_2.calc_check_digit,
    "mod97_10": mod_97_10.calc_check_digits,
    "mod37_36": mod_37_36.calc_check_digit,
}
ALGORITHMS = tuple(FED)
CHECK_WORD = {
    "luhn": "check digit",
    "gs1": "check digit",
    "mod11_2": "check character",
    "mod97_10": "check digits",
    "mod37_36": "check character",
}


def _mod37_value(char):
    return ALNUM36.index(char)


# Adjacent transpositions ab -> ba (a != b) of checked characters, check included, that each
# algorithm detects wherever they occur:
# - luhn doubles every second digit from the right, so the sum changes by
#   (D(a) - a) - (D(b) - b) with D(x) - x = x for x < 5 and x - 9 for x >= 5: this is 0 mod 10
#   only for {0, 9}.
# - gs1 weighs digits 3 and 1 alternately: the sum changes by 2(a - b), 0 mod 10 exactly when
#   a and b differ by 5.
# - mod11_2 and mod97_10 are pure ISO 7064 systems with a prime modulus p and radix r: the
#   value changes by (a - b) r^i (r - 1), never 0 mod p (all values < p, r and r-1 invertible).
#   (A transposition moving mod11_2's check 'X' into the digits breaks the shape anyway.)
# - mod37_36 is a hybrid system: for each of its 36 running states exactly one pair of
#   neighbouring values (v, v + 1 mod 36) collides, so only neighbours are not guaranteed.
GUARANTEED_TRANSPOSITION = {
    "luhn": lambda a, b: {a, b} != {"0", "9"},
    "gs1": lambda a, b: abs(int(a) - int(b)) != 5,
    "mod11_2": lambda a, b: True,
    "mod97_10": lambda a, b: True,
    "mod37_36": lambda a, b: (_mod37_value(a) - _mod37_value(b)) % 36 not in (1, 35),
}

DAY = datetime.date(2024, 12, 30)  # ISO week 1 of 2025, day 365 of 2024


def _rule(template, **options):
    return sf.FormatRule(template, **options)


class TestTemplateParser(unittest.TestCase):
    def test_parts_of_example(self):
        parts = sf.parse_template("ACME-{model}-{yy}{mm}-{seq:6}{check:luhn}")
        self.assertEqual(
            [(p.kind, p.name, p.position, p.width) for p in parts],
            [
                ("literal", "literal", 1, 5),
                ("field", "model", 6, None),
                ("literal", "literal", 13, 1),
                ("date", "yy", 14, 2),
                ("date", "mm", 18, 2),
                ("literal", "literal", 22, 1),
                ("seq", "seq", 23, 6),
                ("check", "check", 30, 1),
            ],
        )
        self.assertEqual(parts[0].text, "ACME-")
        self.assertEqual(parts[-1].algorithm, "luhn")
        self.assertEqual(parts[1].label, "{model}")

    def test_widths_and_escapes(self):
        parts = sf.parse_template("{{x}}{batch:4}}}{{{seq:18}")
        self.assertEqual([p.text for p in parts if p.kind == "literal"], ["{x}", "}{"])
        self.assertEqual(parts[1].width, 4)
        self.assertEqual(parts[3].width, 18)
        rule = _rule("{{{seq:2}}}", charset="digits")
        self.assertEqual(rule.generate(7, 1, date=None), ["{07}"])
        self.assertEqual(rule.parse("{07}"), {"seq": 7})

    def test_errors(self):
        cases = [
            ("", "template_empty", None, "the template is empty"),
            ("AB{seq:3", "unclosed_brace", 3, "'{' at position 3 is not closed"),
            ("{mm{seq:3}", "unclosed_brace", 1, "position 1"),
            ("A}B", "lone_close_brace", 2, "'}' at position 2 closes nothing"),
            ("X{}", "empty_part", 2, "empty part {} at position 2"),
            ("X-{serial}", "unknown_part", 3, "unknown part {serial} at position 3"),
            ("{Seq:3}", "unknown_part", 1, "unknown part {Seq:3}"),
            ("{mm:2}", "unexpected_argument", 1, "part {mm:2} at position 1 takes no"),
            ("{batch:0}", "bad_field_width", 1, "part {batch:0} at position 1"),
            ("{batch:x}", "bad_field_width", 1, "from 1 to 64"),
            ("{model:65}", "bad_field_width", 1, "{model:65}"),
            ("AB{seq}", "bad_seq_width", 3, "part {seq} at position 3"),
            ("{seq:0}", "bad_seq_width", 1, "from 1 to 18"),
            ("{seq:19}", "bad_seq_width", 1, "{seq:19}"),
            ("{seq:٣}", "bad_seq_width", 1, "{seq:٣}"),
            ("{seq:3}{check:crc}", "unknown_algorithm", 8, "unknown check algorithm 'crc'"),
            ("{seq:3}{check}", "unknown_algorithm", 8, "{check} at position 8"),
            ("{seq:3}-{seq:2}", "duplicate_part", 9, "{seq:2} at position 9 appears more"),
            ("{model}{model}", "duplicate_part", 8, "{model} at position 8"),
            ("{yy}{yyyy}{seq:2}", "duplicate_year", 5, "{yyyy} at position 5"),
            ("{seq:3}{check:luhn}{dd}", "check_not_last", 20, "{dd} at position 20 comes after"),
            ("{seq:3}{check:luhn}{check:gs1}", "duplicate_part", 20, "{check:gs1}"),
            ("AB-{check:luhn}", "check_covers_nothing", 4, "{check:luhn} at position 4"),
            (
                "{model}-{batch}-{seq:3}{check:luhn}",
                "check_two_free_parts",
                9,
                "{batch} at position 9: with a check",
            ),
        ]
        for template, code, position, text in cases:
            with self.subTest(template=template):
                with self.assertRaises(sf.TemplateError) as caught:
                    sf.parse_template(template)
                error = caught.exception
                self.assertIsInstance(error, ValueError)
                self.assertEqual(error.code, code)
                self.assertEqual(error.position, position)
                self.assertIn(text, str(error))
                self.assertEqual(str(error), error.message.template % error.message.params)

    def test_literal_after_check_is_fine(self):
        parts = sf.parse_template("{seq:3}{check:luhn}-X")
        self.assertEqual(parts[-1].text, "-X")

    def test_errors_against_rule_options(self):
        cases = [
            # A variable part the check cannot cover is rejected, not skipped.
            ({"template": "ACME-{model}-{seq:4}{check:luhn}"}, "check_cannot_cover", 6),
            ({"template": "{batch:2}{seq:4}{check:mod97_10}"}, "check_cannot_cover", 1),
            (
                {
                    "template": "{model}-{seq:4}{check:mod37_36}",
                    "charset": "alnum",
                    "case": "exact",
                },
                "check_cannot_cover",
                1,
            ),
            (
                {"template": "{model}-{seq:4}{check:mod37_36}", "charset": "gs1_ai82"},
                "check_cannot_cover",
                1,
            ),
            ({"template": "{model}{batch}-{seq:3}"}, "ambiguous_free_part", 1),
            # '-' is in the GS1 set, so it does not end {model}.
            ({"template": "{model}-{batch}", "charset": "gs1_ai82"}, "ambiguous_free_part", 1),
        ]
        for options, code, position in cases:
            with self.subTest(**options):
                with self.assertRaises(sf.TemplateError) as caught:
                    _rule(**options)
                self.assertEqual(caught.exception.code, code)
                self.assertEqual(caught.exception.position, position)
        # Separators outside the character set make free-width parts unambiguous.
        rule = _rule("{mfr}-{model}/{batch}.{seq:2}")
        self.assertEqual(rule.parse("A-BC/D1.07")["batch"], "D1")
        # Letters in literal text are simply not fed to a digits-only check.
        _rule("ACME-{model}-{yy}{mm}-{seq:6}{check:luhn}", charset="digits")
        # The character set is the values'; digits and check characters are always allowed.
        rule = _rule("{batch:2}{yy}{seq:2}{check:mod11_2}", charset="digits")
        self.assertTrue(rule.validate("1224" + "05" + mod_11_2.calc_check_digit("122405")))
        self.assertTrue(_rule("{mfr}{seq:2}", charset="ABC").validate("CAB07"))
        self.assertEqual(
            _rule("{mfr}{seq:2}", charset="ABC").validate("CAD07").message,
            "character 'D' at position 3 is not allowed",
        )

    def test_rule_option_errors(self):
        cases = [
            ({"case": "lower"}, "unknown_case"),
            ({"charset": ""}, "bad_charset"),
            ({"min_length": 0}, "bad_length"),
            ({"max_length": True}, "bad_length"),
            ({"min_length": 9, "max_length": 8}, "length_range_inverted"),
            ({"max_length": 5}, "length_impossible"),
            ({"min_length": 8}, "length_impossible"),
        ]
        for options, code in cases:
            with self.subTest(**options):
                with self.assertRaises(sf.RuleError) as caught:
                    _rule("AB-{seq:4}", **options)
                self.assertEqual(caught.exception.code, code)
        self.assertEqual(_rule("AB-{seq:4}", min_length=7, max_length=7).length_range, (7, 7))
        self.assertEqual(_rule("AB-{model}", max_length=9).length_range, (4, 9))
        # Rules are values: equal and hashable by their options.
        self.assertEqual(_rule("AB-{seq:4}"), _rule("AB-{seq:4}"))
        self.assertEqual(len({_rule("AB-{seq:4}"), _rule("AB-{seq:4}"), _rule("A{seq:2}")}), 2)


class TestGeneration(unittest.TestCase):
    def test_example(self):
        rule = _rule("ACME-{model}-{yy}{mm}-{seq:6}{check:luhn}", charset="digits")
        serials = rule.generate(5, 2, date=DAY, model="1234")
        self.assertEqual(
            serials,
            [
                "ACME-1234-2412-000005" + luhn.calc_check_digit("12342412000005"),
                "ACME-1234-2412-000006" + luhn.calc_check_digit("12342412000006"),
            ],
        )

    def test_each_algorithm_uses_stdnum_over_the_fed_characters(self):
        cases = [
            ("luhn", "digits", "12345"),
            ("gs1", "digits", "12345"),
            ("mod11_2", "digits", "12345"),
            ("mod97_10", "digits", "12345"),
            ("mod37_36", "upper_alnum", "AB1Z5"),
        ]
        for algo, charset, batch in cases:
            with self.subTest(algo=algo):
                rule = _rule(f"Ab-{{batch:5}}-{{seq:3}}{{check:{algo}}}-z", charset=charset)
                (serial,) = rule.generate(42, 1, date=None, batch=batch)
                # Case 'upper' (the default) upper-cases literals; '-' is never fed, nor
                # are letters to digit algorithms.
                fed = ("AB" if algo == "mod37_36" else "") + batch + "042"
                self.assertEqual(serial, f"AB-{batch}-042{STDNUM[algo](fed)}-Z")
                self.assertTrue(rule.validate(serial.lower()))

    def test_date_parts(self):
        rule = _rule("{yyyy}-{mm}{dd}{ww}{ddd}", charset="digits")
        self.assertEqual(rule.generate(0, 1, date=DAY), ["2024-123001365"])
        # The year is the calendar year even when the ISO week belongs to the next year.
        self.assertEqual(_rule("{yyyy}{ww}").generate(0, 1, date=DAY), ["202401"])
        self.assertEqual(
            _rule("{yy}{ddd}").generate(0, 1, date=datetime.date(2008, 2, 3)), ["08034"]
        )

    def test_sequence_limits(self):
        rule = _rule("S{seq:3}")
        self.assertEqual(rule.generate(998, 2, date=None), ["S998", "S999"])
        self.assertEqual(rule.generate(5, 0, date=None), [])
        with self.assertRaises(sf.GenerationError) as caught:
            rule.generate(998, 3, date=None)
        self.assertEqual(caught.exception.code, "sequence_overflow")
        self.assertEqual(
            str(caught.exception), "sequence 1000 does not fit in 3 digits (the largest is 999)"
        )
        for start, count in ((-1, 1), (1, -1), (True, 1), (1.0, 1)):
            with self.subTest(start=start, count=count), self.assertRaises(sf.GenerationError):
                rule.generate(start, count, date=None)

    def test_value_errors(self):
        rule = _rule("{mfr:3}-{model}-{yy}{seq:2}", charset="upper_alnum")
        cases = [
            ({"mfr": "AC", "model": "X"}, "value_width", "has 2 characters, expected 3"),
            ({"mfr": "ACM"}, "value_missing", "a value is required for part {model}"),
            ({"mfr": "ACM", "model": ""}, "value_empty", "{model}"),
            ({"mfr": "ACM", "model": "X-1"}, "value_char", "character '-' of the value 'X-1'"),
        ]
        for values, code, text in cases:
            with self.subTest(**values):
                with self.assertRaises(sf.GenerationError) as caught:
                    rule.generate(1, 1, date=DAY, **values)
                self.assertEqual(caught.exception.code, code)
                self.assertIn(text, str(caught.exception))
        with self.assertRaises(sf.GenerationError) as caught:
            rule.generate(1, 1, date=None, mfr="ACM", model="X")
        self.assertEqual(str(caught.exception), "a date is required by part {yy}")
        with self.assertRaises(sf.GenerationError) as caught:
            _rule("AB{mfr}", max_length=4).generate(0, 1, date=None, mfr="XYZ")
        self.assertEqual(caught.exception.code, "generated_length")

    def test_without_sequence(self):
        rule = _rule("{mfr}-{yy}")
        self.assertEqual(rule.generate(0, 1, date=DAY, mfr="x1"), ["X1-24"])
        with self.assertRaises(sf.GenerationError) as caught:
            rule.generate(0, 2, date=DAY, mfr="X1")
        self.assertEqual(caught.exception.code, "no_sequence")

    def test_case_handling(self):
        upper = _rule("sn-{model}-{seq:3}", charset="alnum")
        self.assertEqual(upper.generate(1, 1, date=None, model="ab"), ["SN-AB-001"])
        result = upper.validate("sn-ab-001", model="AB")
        self.assertTrue(result)
        self.assertEqual(result.serial, "SN-AB-001")
        self.assertEqual(upper.normalize("sn-ab-001"), "SN-AB-001")
        exact = _rule("sn-{model}-{seq:3}", charset="alnum", case="exact")
        self.assertEqual(exact.generate(1, 1, date=None, model="ab"), ["sn-ab-001"])
        self.assertFalse(exact.validate("SN-ab-001"))
        self.assertFalse(exact.validate("sn-ab-001", model="AB"))


class TestValidation(unittest.TestCase):
    rule = _rule("ACME-{yy}{mm}-{seq:6}{check:luhn}")

    def _serial(self, seq=5, date=DAY):
        return self.rule.generate(seq, 1, date=date)[0]

    def test_wrong_check_says_what_it_should_be(self):
        serial = self._serial()
        good = serial[-1]
        bad = serial[:-1] + str((int(good) + 3) % 10)
        result = self.rule.validate(bad)
        self.assertFalse(result)
        self.assertFalse(result.valid)
        self.assertEqual(result.message, f"check digit should be {good}")
        error = result.error
        self.assertEqual(
            (error.code, error.part, error.position, error.expected, error.got),
            ("wrong_check_digit", "{check:luhn}", 17, good, bad[-1]),
        )
        self.assertEqual(error.message.template, "check digit should be %(expected)s")
        self.assertEqual(error.message.params["expected"], good)
        self.assertEqual(error.template % error.params, str(error))

    def test_check_messages_per_algorithm(self):
        for algo, charset in (("mod97_10", "digits"), ("mod37_36", "upper_alnum")):
            with self.subTest(algo=algo):
                rule = _rule(f"{{seq:4}}{{check:{algo}}}", charset=charset)
                serial = rule.generate(1, 1, date=None)[0]
                want = STDNUM[algo]("0001")
                wrong = "00" if algo == "mod97_10" else ("A" if want != "A" else "B")
                result = rule.validate("0001" + wrong)
                self.assertEqual(result.message, f"{CHECK_WORD[algo]} should be {want}")
                self.assertTrue(rule.validate(serial))

    def test_mod97_10_accepts_only_stdnum_check_digits(self):
        rule = _rule("{seq:4}{check:mod97_10}", charset="digits")
        # 98 and 01 both satisfy "number mod 97 == 1" when the body is 0 mod 97.
        self.assertEqual(mod_97_10.calc_check_digits("0097"), "98")
        self.assertTrue(mod_97_10.is_valid("009701"))
        self.assertTrue(rule.validate("009798"))
        self.assertEqual(rule.validate("009701").message, "check digits should be 98")

    def test_length(self):
        serial = self._serial()
        result = self.rule.validate(serial[:-1])
        self.assertEqual(
            result.message, f"expected {len(serial)} characters, got {len(serial) - 1}"
        )
        self.assertEqual(
            (result.error.code, result.error.expected, result.error.got),
            ("length_exact", str(len(serial)), str(len(serial) - 1)),
        )
        ranged = _rule("AB-{model}", max_length=6)
        self.assertEqual(ranged.validate("AB-1234").message, "expected at most 6 characters, got 7")
        self.assertEqual(ranged.validate("AB-").message, "expected at least 4 characters, got 3")
        self.assertEqual(ranged.validate("").message, "the serial is empty")

    def test_characters(self):
        result = self.rule.validate("ACMEé2412-0000058")
        self.assertEqual(result.message, "character 'é' at position 5 is not allowed")
        self.assertEqual((result.error.position, result.error.got), (5, "é"))
        # Reported as typed, although compared upper-cased.
        self.assertEqual(
            self.rule.validate("acme-2412-00000x8").message,
            "character 'x' at position 16 is not allowed",
        )

    def test_shape(self):
        cases = [
            ("ACMA-2412-0000058", "expected 'ACME-' at position 1, got 'ACMA-'", "'ACME-'", 1),
            ("ACME-2412E0000058", "expected '-' at position 10, got 'E'", "'-'", 10),
            (
                "ACME-24A2-0000058",
                "expected 2 digits for {mm} at position 8, got 'A2'",
                "{mm}",
                8,
            ),
            (
                "ACME-2412-00E0058",
                "expected 6 digits for {seq:6} at position 11, got '00E005'",
                "{seq:6}",
                11,
            ),
        ]
        # Characters that are allowed somewhere, in the wrong place: the pattern tells.
        rule = self.rule
        for serial, message, part, position in cases:
            with self.subTest(serial=serial):
                error = rule.validate(serial).error
                self.assertEqual(str(error), message)
                self.assertEqual((error.part, error.position), (part, position))

    def test_shape_with_free_width_part(self):
        # Alone and not followed by a separator, its length follows from the serial's.
        rule = _rule("{model}{seq:4}", charset="upper_alnum")
        self.assertEqual(
            rule.validate("AB12X").message,
            "expected 4 digits for {seq:4} at position 2, got 'B12X'",
        )
        self.assertEqual(rule.parse("AB121234"), {"model": "AB12", "seq": 1234})

    def test_shape_with_separated_free_width_part(self):
        rule = _rule("{model}-{yy}-{seq:4}", charset="upper_alnum")
        self.assertEqual(
            rule.validate("AB12-24-123").message,
            "expected 4 digits for {seq:4} at position 9, got '123'",
        )
        self.assertEqual(
            rule.validate("AB12-24-123X").message,
            "expected 4 digits for {seq:4} at position 9, got '123X'",
        )
        self.assertEqual(rule.validate("AB12-24-1234-5").message, "unexpected '-5' at position 13")
        self.assertEqual(
            rule.validate("AB12-241234").message,
            "expected '-' at position 8, got '1'",
        )

    def test_ended_early(self):
        rule = _rule("{model}-{seq:4}", charset="upper_alnum")
        self.assertEqual(
            rule.validate("ABCDEF").message,
            "the serial ends at position 7, where '-' was expected",
        )

    def test_dates(self):
        rule = _rule("{yyyy}{mm}{dd}-{ww}-{ddd}-{seq:2}")
        cases = [
            ("20241330-01-001-01", "month 13 is not valid", "{mm}", 5),
            ("20240000-01-001-01", "month 00 is not valid", "{mm}", 5),
            ("20240432-01-001-01", "day 32 is not valid", "{dd}", 7),
            ("20240431-01-001-01", "day 31 is not valid for month 04", "{dd}", 7),
            ("20230229-01-001-01", "day 29 is not valid for month 02 of 2023", "{dd}", 7),
            ("00000101-01-001-01", "year 0000 is not valid", "{yyyy}", 1),
            ("20240101-54-001-01", "week 54 is not valid", "{ww}", 10),
            (
                "20240101-02-001-01",
                "week 02 does not match the date 2024-01-01 (week 01)",
                "{ww}",
                10,
            ),
            ("20240101-01-367-01", "day of year 367 is not valid", "{ddd}", 13),
            (
                "20240102-01-001-01",
                "day of year 001 does not match the date 2024-01-02 (day 002)",
                "{ddd}",
                13,
            ),
        ]
        for serial, message, part, position in cases:
            with self.subTest(serial=serial):
                result = rule.validate(serial)
                self.assertEqual(result.message, message)
                self.assertEqual((result.error.part, result.error.position), (part, position))
        self.assertTrue(rule.validate("20240229-09-060-01"))
        self.assertTrue(rule.validate("20241230-01-365-01"))  # ISO week 1 of 2025
        # Several problems are all reported, in order.
        result = rule.validate("20241332-54-367-01")
        self.assertEqual(
            [str(error) for error in result.errors],
            [
                "month 13 is not valid",
                "day 32 is not valid",
                "week 54 is not valid",
                "day of year 367 is not valid",
            ],
        )
        # Without a year, Feb. 29 is fine; without a month, day 31 is fine.
        self.assertTrue(_rule("{mm}{dd}{seq:1}").validate("02291"))
        self.assertFalse(_rule("{mm}{dd}{seq:1}").validate("02301"))
        self.assertTrue(_rule("{dd}{seq:1}").validate("311"))
        yearly = _rule("{yy}{ddd}")
        self.assertTrue(yearly.validate("24366"))
        self.assertEqual(yearly.validate("23366").message, "day of year 366 is not valid in 2023")
        self.assertEqual(yearly.validate("23000").message, "day of year 000 is not valid")

    def test_expected_values(self):
        rule = _rule("{mfr:2}-{model}-{seq:3}")
        self.assertTrue(rule.validate("AC-X1-001", mfr="ac", model="X1"))
        result = rule.validate("AC-X1-001", mfr="AD", model="X2")
        self.assertEqual(
            [str(error) for error in result.errors],
            ["{mfr:2} should be 'AD', got 'AC'", "{model} should be 'X2', got 'X1'"],
        )
        self.assertEqual((result.errors[1].part, result.errors[1].position), ("{model}", 4))
        # Values of parts the template does not have are ignored.
        self.assertTrue(rule.validate("AC-X1-001", batch="whatever"))

    def test_parse(self):
        rule = _rule("{mfr:2}{model}-{yy}{ww}{ddd}-{seq:5}{check:mod37_36}")
        (serial,) = rule.generate(77, 1, date=DAY, mfr="ac", model="m9")
        self.assertEqual(
            rule.parse(serial),
            {
                "mfr": "AC",
                "model": "M9",
                "yy": 24,
                "ww": 1,
                "ddd": 365,
                "seq": 77,
                "check": serial[-1],
                "date": DAY,
            },
        )
        with self.assertRaises(sf.InvalidSerialError) as caught:
            rule.parse(serial[:-1] + ("0" if serial[-1] != "0" else "1"))
        self.assertEqual(caught.exception.code, "wrong_check_character")
        self.assertFalse(caught.exception.result)
        self.assertEqual(caught.exception.position, len(serial))
        self.assertIsInstance(caught.exception, ValueError)

    def test_validate_many_reports_every_bad_line(self):
        serials = self.rule.generate(1, 500, date=DAY)
        bad = list(serials)
        wrong_check = bad[16][:-1] + str((int(bad[16][-1]) + 1) % 10)
        bad[16] = wrong_check  # line 17
        bad[249] = bad[249][:-2]  # line 250
        bad[499] = bad[499].replace("-", "_", 1)  # line 500
        report = self.rule.validate_many(bad)
        self.assertEqual(
            [(line, serial) for line, serial, _message in report],
            [
                (17, wrong_check),
                (250, bad[249]),
                (500, bad[499]),
            ],
        )
        self.assertEqual(report[0].message, f"check digit should be {serials[16][-1]}")
        self.assertEqual(report[1].message, "expected 17 characters, got 15")
        self.assertEqual(report[2].message, "character '_' at position 5 is not allowed")
        self.assertEqual(report[2].message.code, "char_not_allowed")
        # Pasted text: stripped lines, blank ones skipped but counted; duplicates reported.
        pasted = f"{serials[0]}\n\n  {serials[1]}  \n{serials[0].lower()}\nnope\n"
        self.assertEqual(
            self.rule.validate_many(pasted),
            [
                (4, serials[0].lower(), "duplicate of line 1"),
                (5, "nope", "character 'n' at position 1 is not allowed"),
            ],
        )
        self.assertEqual(self.rule.validate_many(pasted, allow_duplicates=True)[0][0], 5)
        self.assertEqual(self.rule.validate_many(serials), [])


class TestGs1(unittest.TestCase):
    def test_character_set_82(self):
        self.assertEqual(len(sf.GS1_AI82), 82)
        self.assertEqual(len(set(sf.GS1_AI82)), 82)
        for char in "#$@ [\\]^`{|}~é":
            self.assertNotIn(char, sf.GS1_AI82)

    def test_ai21(self):
        self.assertIsNone(sf.gs1_ai21_error("A"))
        self.assertIsNone(sf.gs1_ai21_error("aZ09!\"%&'()*+,-./:;<=>?_"[:20]))
        self.assertEqual(
            sf.gs1_ai21_error(""), "a GS1 AI (21) serial has 1 to 20 characters, got 0"
        )
        self.assertEqual(sf.gs1_ai21_error("1" * 21).params, {"got": 21})
        self.assertEqual(
            sf.gs1_ai21_error("AB C"), "character ' ' at position 3 is not in GS1 character set 82"
        )
        self.assertEqual(sf.gs1_ai21_error("AB#").code, "gs1_char")


class TestCheckAlgorithmKnowledge(unittest.TestCase):
    """What `GUARANTEED_TRANSPOSITION` claims, checked exhaustively against stdnum."""

    @staticmethod
    def _contexts(alphabet):
        # Every running state of the ISO 7064 systems is reached after one character, and
        # '' / one / two trailing characters cover both parities of luhn and gs1.
        prefixes = ["", *alphabet, "73"]
        return [(prefix, suffix) for prefix in prefixes for suffix in ("", "0", "58")]

    def test_single_substitutions_always_change_the_check(self):
        for algo, calc in STDNUM.items():
            alphabet = FED[algo]
            for prefix, suffix in self._contexts(alphabet):
                checks = {calc(prefix + char + suffix) for char in alphabet}
                self.assertEqual(len(checks), len(alphabet), (algo, prefix, suffix))

    def test_transposition_guarantees_are_exact(self):
        for algo, calc in STDNUM.items():
            alphabet = FED[algo]
            guaranteed = GUARANTEED_TRANSPOSITION[algo]
            missed = set()
            for prefix, suffix in self._contexts(alphabet):
                for a in alphabet:
                    for b in alphabet:
                        if a == b:
                            continue
                        # Inside the checked characters.
                        if calc(prefix + a + b + suffix) == calc(prefix + b + a + suffix):
                            missed.add((a, b))
                        # The last checked character and (the first character of) the check.
                        body = prefix + suffix + a
                        check = calc(body)
                        if check[0] != a and check[0] in alphabet:
                            if calc(prefix + suffix + check[0]) == a + check[1:]:
                                missed.add((a, check[0]))
            with self.subTest(algo=algo):
                never_missed = {
                    (a, b) for a in alphabet for b in alphabet if a != b and guaranteed(a, b)
                }
                self.assertFalse(missed & never_missed, "a guaranteed transposition was missed")
                # And the exceptions are real: each of them is missed somewhere.
                exceptions = {
                    (a, b) for a in alphabet for b in alphabet if a != b and not guaranteed(a, b)
                }
                self.assertEqual(missed, exceptions)

    def test_known_misses_at_serial_level(self):
        # Luhn: 09 <-> 90 goes unnoticed; gs1: 16 <-> 61.
        rule = _rule("{seq:4}{check:luhn}", charset="digits")
        (serial,) = rule.generate(900, 1, date=None)  # 0900
        self.assertTrue(rule.validate("9000" + serial[-1]))
        rule = _rule("{seq:4}{check:gs1}", charset="digits")
        (serial,) = rule.generate(1600, 1, date=None)
        self.assertTrue(rule.validate("6100" + serial[-1]))


# --------------------------------------------------------------------------- properties

CHECKED_CHARSETS = {
    "luhn": [("digits", "exact"), ("digits", "upper")],
    "gs1": [("digits", "exact")],
    "mod97_10": [("digits", "upper")],
    "mod11_2": [("digits", "exact"), ("digits", "upper")],
    "mod37_36": [("upper_alnum", "exact"), ("alnum", "upper"), ("digits", "exact")],
    None: [
        ("digits", "exact"),
        ("upper_alnum", "upper"),
        ("alnum", "exact"),
        ("gs1_ai82", "exact"),
        ("gs1_ai82", "upper"),
        ("0123456789ABCxyz.", "exact"),
    ],
}
SEPARATORS = ["", "", "-", "/", ".", "{{", "}}", "Ab", "7", "é"]


def _effective(charset, case):
    chars = sf.CHARSETS.get(charset, charset)
    return "".join(sorted({c.upper() for c in chars} if case == "upper" else set(chars)))


@st.composite
def scenarios(draw, checked=False):
    """A random rule with the arguments of one `generate` call."""
    algo = draw(st.sampled_from(ALGORITHMS if checked else (None, *ALGORITHMS)))
    charset, case = draw(st.sampled_from(CHECKED_CHARSETS[algo if algo else None]))
    # Values are drawn from the set as given: lower case letters test normalisation.
    raw = sf.CHARSETS.get(charset, charset)
    year = draw(st.sampled_from([None, "yy", "yyyy"]))
    dates = draw(st.lists(st.sampled_from(["mm", "dd", "ww", "ddd"]), unique=True, max_size=4))
    dates = ([year] if year else []) + dates
    fields = draw(st.lists(st.sampled_from(sf.FIELD_NAMES), unique=True))
    free = draw(st.sampled_from([None, *fields])) if fields else None  # at most one free width
    widths = {name: None if name == free else draw(st.integers(1, 5)) for name in fields}
    seq_width = draw(st.integers(1, 18))
    placeholders = [
        "{" + name + ("" if widths[name] is None else f":{widths[name]}") + "}" for name in fields
    ]
    placeholders += ["{" + name + "}" for name in dates] + [f"{{seq:{seq_width}}}"]
    placeholders = draw(st.permutations(placeholders))
    template = draw(st.sampled_from(SEPARATORS))
    for placeholder in placeholders:
        template += placeholder + draw(st.sampled_from(SEPARATORS))
    if algo:
        template += f"{{check:{algo}}}" + draw(st.sampled_from(SEPARATORS))
    values = {
        name: draw(
            st.text(
                st.sampled_from(raw),
                min_size=widths[name] or 1,
                max_size=widths[name] or 6,
            )
        )
        for name in fields
    }
    start = draw(st.integers(0, 10**seq_width - 1))
    count = draw(st.integers(1, min(3, 10**seq_width - start)))
    date = draw(st.dates(datetime.date(2000, 1, 1), datetime.date(2099, 12, 31)))
    rule = sf.FormatRule(template, charset=charset, case=case)
    return {
        "rule": rule,
        "algo": algo,
        "start": start,
        "count": count,
        "date": date,
        "values": values,
    }


def _layout(rule, values):
    """For each character of a generated serial, whether it comes from literal text; and
    where the check starts (0-based, None without a check)."""
    literal, check_at = [], None
    for part in rule.parts:
        if part.kind == "check":
            check_at = len(literal)
        if part.kind == "literal":
            literal += [True] * len(part.text)
        else:
            literal += [False] * (part.width or len(values[part.name]))
    return literal, check_at


def _generate(case):
    return case["rule"].generate(case["start"], case["count"], date=case["date"], **case["values"])


class TestProperties(unittest.TestCase):
    @settings(max_examples=200, deadline=None)
    @given(scenarios())
    def test_generated_serials_validate_and_parse_back(self, case):
        rule, date = case["rule"], case["date"]
        upper = rule.case == "upper"
        serials = _generate(case)
        self.assertEqual(len(serials), case["count"])
        self.assertEqual(len(set(serials)), case["count"])
        for offset, serial in enumerate(serials):
            self.assertTrue(rule.validate(serial), rule.validate(serial).errors)
            self.assertTrue(rule.validate(serial, **case["values"]))
            parts = rule.parse(serial)
            self.assertEqual(parts["seq"], case["start"] + offset)
            for name, value in case["values"].items():
                self.assertEqual(parts[name], value.upper() if upper else value)
            expected_dates = {
                "yyyy": date.year,
                "yy": date.year % 100,
                "mm": date.month,
                "dd": date.day,
                "ww": date.isocalendar()[1],
                "ddd": date.timetuple().tm_yday,
            }
            for name, value in expected_dates.items():
                if name in parts:
                    self.assertEqual(parts[name], value, name)
            has_year = "yy" in parts or "yyyy" in parts
            if has_year and ("ddd" in parts or ("mm" in parts and "dd" in parts)):
                self.assertEqual(parts["date"], date)
            check_at = _layout(rule, case["values"])[1]
            if case["algo"]:
                self.assertEqual(parts["check"], serial[check_at : check_at + len(parts["check"])])
                self.assertEqual(len(parts["check"]), 2 if case["algo"] == "mod97_10" else 1)
        self.assertEqual(rule.validate_many(serials), [])

    @settings(max_examples=100, deadline=None)
    @given(scenarios(checked=True))
    def test_every_substitution_is_detected(self, case):
        rule = case["rule"]
        serial = _generate(case)[0]
        literal_chars = {
            c for p in rule.parts if p.kind == "literal" for c in rule.normalize(p.text)
        }
        allowed = set(_effective(rule.charset, rule.case)) | literal_chars
        allowed |= set(DIGITS) | set(CHECK_CHARS[case["algo"]])
        for index, original in enumerate(serial):
            for char in sorted(allowed - {original}):
                changed = serial[:index] + char + serial[index + 1 :]
                self.assertFalse(rule.validate(changed), (serial, changed))

    @settings(max_examples=300, deadline=None)
    @given(scenarios(checked=True))
    def test_guaranteed_transpositions_are_detected(self, case):
        rule, algo = case["rule"], case["algo"]
        serial = _generate(case)[0]
        literal = _layout(rule, case["values"])[0]
        self.assertEqual(len(literal), len(serial))
        for i in range(len(serial) - 1):
            a, b = serial[i], serial[i + 1]
            if a == b:
                continue
            swapped = serial[:i] + b + a + serial[i + 2 :]
            if literal[i] or literal[i + 1] or GUARANTEED_TRANSPOSITION[algo](a, b):
                self.assertFalse(rule.validate(swapped), (serial, swapped))

    @settings(max_examples=100, deadline=None)
    @given(scenarios(checked=True), st.data())
    def test_wrong_check_message(self, case, data):
        rule, algo = case["rule"], case["algo"]
        serial = _generate(case)[0]
        check = rule.parse(serial)["check"]
        at = _layout(rule, case["values"])[1]
        wrong = data.draw(
            st.text(st.sampled_from(CHECK_CHARS[algo]), min_size=len(check), max_size=len(check))
        )
        if wrong == check:
            return
        result = rule.validate(serial[:at] + wrong + serial[at + len(check) :])
        self.assertEqual(result.message, f"{CHECK_WORD[algo]} should be {check}")
        self.assertEqual((result.error.expected, result.error.got), (check, wrong))
        self.assertEqual(result.error.position, at + 1)


class TestPurePython(unittest.TestCase):
    def test_errors_and_messages_pickle(self):
        with self.assertRaises(sf.InvalidSerialError) as caught:
            _rule("{seq:2}{check:luhn}").parse("123")
        for value in (caught.exception, caught.exception.message, sf.gs1_ai21_error("")):
            copy = pickle.loads(pickle.dumps(value))
            self.assertEqual(str(copy), str(value))
            self.assertEqual((copy.code, copy.params), (value.code, value.params))
        self.assertIsInstance(copy, sf.Message)
        error = pickle.loads(pickle.dumps(caught.exception))
        self.assertIsInstance(error, sf.InvalidSerialError)
        self.assertEqual((error.position, error.result.serial), (3, "123"))

    def test_no_odoo_import(self):
        source = pathlib.Path(sf.__file__).read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            self.assertFalse([n for n in names if n.split(".")[0] == "odoo"], names)
