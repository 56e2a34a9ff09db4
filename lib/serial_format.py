"""Serial number formats: a small template language, generation and validation.

Free of the ORM (no Odoo import) so the rules can be unit-tested on their own and reused by
the "serial format rules" models, imports and wizards alike.

Template language
=================

A template is a sequence of parts; everything outside braces is literal text::

    ACME-{model}-{yy}{mm}-{seq:6}{check:luhn}

``{{`` and ``}}`` stand for literal ``{`` and ``}``.  The parts:

``{mfr}`` ``{model}`` ``{batch}``
    Manufacturer code, product reference (``default_code``) and batch/lot code, supplied by
    the caller.  ``{batch:4}`` fixes the width (1 to 64 characters); without a width the
    part holds one or more characters.  A value may use any character of the rule's
    ``charset`` (``upper_alnum`` by default, see `FormatRule`).  At validation a part
    matches the value the caller gives, or any run of ``charset`` characters when none is
    given (of the right width if fixed).
``{yyyy}`` ``{yy}`` ``{mm}`` ``{dd}`` ``{ww}`` ``{ddd}``
    Year, year within the century, month, day of month, ISO 8601 week number (01-53) and
    day of the year (001-366), generated from the ``date`` argument.  ``{yyyy}``/``{yy}``
    is always the calendar year (``date.year``), never the ISO week-based year.  Validation
    checks real calendar values: month 01-12; day 01-31 and valid for the month (for the
    year too when a year part is present; ``{yy}`` means 20yy); week 01-53; day of year
    001-366 (001-365 in a common year).  When year, month and day are all present, ``{ww}``
    and ``{ddd}`` must agree with that date.
``{seq:N}``
    The sequence, zero-padded to N decimal digits (1 to 18).  At most one.
``{check:ALGO}``
    A check character (two digits for ``mod97_10``), at most one, after every other
    non-literal part (only literal text may follow it).

Check characters
================

Every algorithm is python-stdnum's; this module only chooses what is fed to it:

========  ================================  ==========  ====================================
ALGO      stdnum function                   fed         check characters
========  ================================  ==========  ====================================
luhn      ``luhn.calc_check_digit``         ``0-9``     one digit
gs1       ``ean.calc_check_digit``          ``0-9``     one digit: GS1 mod 10, weights 3 and 1
                                                        from the right, as in GTIN and SSCC
mod11_2   ``mod_11_2.calc_check_digit``     ``0-9``     one of ``0-9`` or ``X``
mod97_10  ``mod_97_10.calc_check_digits``   ``0-9``     two digits, ``02`` to ``98``
mod37_36  ``mod_37_36.calc_check_digit``    ``0-9A-Z``  one of ``0-9A-Z``
========  ================================  ==========  ====================================

What a check covers: the characters of the serial before the check part, in order, keeping
only those in the algorithm's alphabet ("characters fed" above).  Characters outside the
alphabet are dropped, which is only ever literal text: separators such as ``-`` or a fixed
prefix such as ``ACME`` (fixed text is verified exactly by the pattern, so the check loses
nothing by ignoring it).  A *variable* part before the check whose characters could fall
outside the alphabet (say ``{model}`` with letters and ``luhn``) is rejected when the rule
is built: silently skipping those characters would leave them unprotected.  So a rule with
``luhn`` and a ``{model}`` needs a digits-only character set, and letters call for
``mod37_36``.

``mod97_10`` takes digits only, although stdnum would expand letters IBAN-style (A=10 ...
Z=35): a letter then stands for two digits, so replacing a digit by a letter changes the
length of the number and is not always detected (``mod_97_10.calc_check_digits('13')`` and
``('1A')`` are both ``'59'``).  Keeping digits only preserves ISO 7064's guarantee.

A check is compared exactly with what stdnum computes (for ``mod97_10`` ``'01'`` and
``'98'`` both make some numbers pass ISO 7064's test, only stdnum's ``'98'`` is accepted).

Errors the checks guarantee to catch (for any position, derived from the algorithms and
verified exhaustively by the tests):

* every single-character substitution, by all five;
* adjacent transpositions ``ab`` -> ``ba`` of fed characters: ``mod11_2`` and ``mod97_10``
  (pure ISO 7064 systems, prime modulus) catch all; ``luhn`` all but ``09``/``90``;
  ``gs1`` all but the pairs differing by 5 (``05 16 27 38 49``), since the weights 3 and 1
  only change the sum by 2(a-b) mod 10; ``mod37_36`` (an ISO 7064 *hybrid* system) all but
  neighbours in its alphabet (values differing by 1 modulo 36: ``01``, ``9A``, ``YZ``,
  ``Z0`` ...), each of which goes unnoticed for one of the 36 running states.

To make the guarantees hold for the whole serial and not only the fed characters, a
template with a check may have at most one free-width part (``{model}`` without a width)
before it: with two, moving a separator from one to the other (``12-34`` -> ``1-234``)
changes no checked character.

Characters and case
===================

The rule's ``charset`` is what the caller's ``{mfr}``/``{model}``/``{batch}`` values may
use; what the template produces (literal text, date and sequence digits, check characters)
is always allowed.  With ``case='upper'`` (the default) the serial, the literal text, the
character set and the values are upper-cased first, so input is case-insensitive and
generated serials are upper case.

Validation and parsing
======================

A rule compiles its template once into a regular expression with a named group per part.
``validate`` then checks, in this order: characters not allowed anywhere, the length, the
pattern (on failure, the first part that does not match is found and named), and the
semantics: expected values, calendar values and the check, all reported.

A free-width part must be followed by literal text whose first character is outside the
character set, or be the last free-width part (its length then follows from the serial's
length), so a valid serial splits into parts in exactly one way and ``parse`` gives back
what ``generate`` used.

Generation builds everything but the sequence and the check once per call; per serial it
only formats the number and calls stdnum on the fed characters.

Messages
========

Errors carry a ``code``, the English message ``template`` (``MESSAGES[code]``) and its
``params`` separately, plus the ``message`` they make.  `Message` is a ``str`` that keeps the
three.  The templates are wrapped in a local no-op ``_lt`` so that Odoo's term extraction
(which looks for ``_lt("...")`` calls in the addon's Python files) exports them; the Odoo
layer translates with ``_(message.template, **message.params)``.  Positions in messages and
in the structured errors are 1-based character positions.
"""

import calendar
import contextlib
import datetime
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from stdnum import ean, luhn
from stdnum.iso7064 import mod_11_2, mod_37_36, mod_97_10


def _lt(source: str) -> str:
    """Return ``source``: marks a message template for Odoo's term extraction."""
    return source


MESSAGES: dict[str, str] = {
    # Template syntax and structure.
    "template_empty": _lt("the template is empty"),
    "template_not_str": _lt("the template must be a string"),
    "unclosed_brace": _lt(
        "'{' at position %(position)s is not closed by '}' (write '{{' for a literal brace)"
    ),
    "lone_close_brace": _lt(
        "'}' at position %(position)s closes nothing (write '}}' for a literal brace)"
    ),
    "empty_part": _lt("empty part {} at position %(position)s"),
    "unknown_part": _lt("unknown part %(part)s at position %(position)s (known: %(known)s)"),
    "unexpected_argument": _lt("part %(part)s at position %(position)s takes no ':' argument"),
    "bad_field_width": _lt(
        "part %(part)s at position %(position)s: the width must be a whole number from 1 to %(max)s"
    ),
    "bad_seq_width": _lt(
        "part %(part)s at position %(position)s: the sequence needs a width from 1 to %(max)s, "
        "as in {seq:6}"
    ),
    "unknown_algorithm": _lt(
        "part %(part)s at position %(position)s: unknown check algorithm '%(algorithm)s' "
        "(known: %(known)s)"
    ),
    "duplicate_part": _lt("part %(part)s at position %(position)s appears more than once"),
    "duplicate_year": _lt(
        "part %(part)s at position %(position)s: the template already has a year part"
    ),
    "check_not_last": _lt(
        "part %(part)s at position %(position)s comes after the check %(check)s; "
        "only literal text may follow the check"
    ),
    "check_covers_nothing": _lt(
        "part %(part)s at position %(position)s has no variable part before it to check"
    ),
    "check_two_free_parts": _lt(
        "part %(part)s at position %(position)s: with a check, at most one part before it "
        "may have a free width (a separator moving between two of them would go unnoticed); "
        "give it a width such as %(example)s"
    ),
    # Template against the rule's options.
    "ambiguous_free_part": _lt(
        "part %(part)s at position %(position)s has no width and is not followed by a "
        "separator outside the character set, so serials could not be split; give it a "
        "width such as %(example)s or put such a separator after it"
    ),
    "check_cannot_cover": _lt(
        "part %(part)s at position %(position)s may contain '%(char)s', which the check "
        "%(check)s cannot cover (it takes only %(alphabet)s); restrict the character set or "
        "use mod37_36"
    ),
    # Rule options.
    "unknown_case": _lt("unknown case handling '%(case)s' (known: %(known)s)"),
    "bad_charset": _lt(
        "the character set must be one of %(known)s or a non-empty string of characters"
    ),
    "bad_length": _lt("the %(which)s length must be a whole number of at least 1"),
    "length_range_inverted": _lt(
        "the minimum length %(min)s is greater than the maximum length %(max)s"
    ),
    "length_impossible": _lt(
        "the template makes serials of %(template_min)s to %(template_max)s characters, "
        "outside the allowed %(min)s to %(max)s"
    ),
    # Generation.
    "bad_sequence": _lt("the start of the sequence must be a whole number of at least 0"),
    "bad_count": _lt("the count must be a whole number of at least 0"),
    "no_sequence": _lt("the template has no {seq} part, so it cannot make %(count)s serials"),
    "sequence_overflow": _lt(
        "sequence %(value)s does not fit in %(width)s digits (the largest is %(max)s)"
    ),
    "date_missing": _lt("a date is required by part %(part)s"),
    "value_missing": _lt("a value is required for part %(part)s"),
    "value_empty": _lt("the value for part %(part)s is empty"),
    "value_width": _lt(
        "the value '%(value)s' for part %(part)s has %(got)s characters, expected %(width)s"
    ),
    "value_char": _lt(
        "character '%(char)s' of the value '%(value)s' for part %(part)s is not allowed"
    ),
    "generated_length": _lt(
        "the serials would have %(got)s characters, outside the allowed %(min)s to %(max)s"
    ),
    # Validation.
    "serial_empty": _lt("the serial is empty"),
    "char_not_allowed": _lt("character '%(char)s' at position %(position)s is not allowed"),
    "length_exact": _lt("expected %(expected)s characters, got %(got)s"),
    "length_min": _lt("expected at least %(min)s characters, got %(got)s"),
    "length_max": _lt("expected at most %(max)s characters, got %(got)s"),
    "expected_literal": _lt("expected '%(expected)s' at position %(position)s, got '%(got)s'"),
    "expected_digits": _lt(
        "expected %(width)s digits for %(part)s at position %(position)s, got '%(got)s'"
    ),
    "expected_value": _lt("expected %(part)s at position %(position)s, got '%(got)s'"),
    "expected_check": _lt("expected the check %(part)s at position %(position)s, got '%(got)s'"),
    "ended_early": _lt("the serial ends at position %(position)s, where %(part)s was expected"),
    "unexpected_trailing": _lt("unexpected '%(got)s' at position %(position)s"),
    "value_mismatch": _lt("%(part)s should be '%(expected)s', got '%(got)s'"),
    "invalid_year": _lt("year %(value)s is not valid"),
    "invalid_month": _lt("month %(value)s is not valid"),
    "invalid_day": _lt("day %(value)s is not valid"),
    "invalid_day_for_month": _lt("day %(value)s is not valid for month %(month)s"),
    "invalid_day_for_year": _lt("day %(value)s is not valid for month %(month)s of %(year)s"),
    "invalid_week": _lt("week %(value)s is not valid"),
    "invalid_day_of_year": _lt("day of year %(value)s is not valid"),
    "invalid_day_of_year_for_year": _lt("day of year %(value)s is not valid in %(year)s"),
    "week_mismatch": _lt("week %(value)s does not match the date %(date)s (week %(expected)s)"),
    "day_of_year_mismatch": _lt(
        "day of year %(value)s does not match the date %(date)s (day %(expected)s)"
    ),
    "wrong_check_digit": _lt("check digit should be %(expected)s"),
    "wrong_check_digits": _lt("check digits should be %(expected)s"),
    "wrong_check_character": _lt("check character should be %(expected)s"),
    "duplicate_serial": _lt("duplicate of line %(line)s"),
    # GS1.
    "gs1_length": _lt("a GS1 AI (21) serial has 1 to 20 characters, got %(got)s"),
    "gs1_char": _lt("character '%(char)s' at position %(position)s is not in GS1 character set 82"),
    # Any serial name, with or without a rule.
    "name_empty": _lt("a serial number cannot be empty or only spaces"),
    "name_too_long": _lt("a serial number has at most %(max)s characters, got %(got)s"),
    "name_control": _lt(
        "invisible or control character %(char)s at position %(position)s (a pasted tab, "
        "line break or escape?)"
    ),
    "name_mixed_scripts": _lt(
        "it mixes %(scripts)s letters, which look alike: retype it in one alphabet"
    ),
}


class Message(str):
    """An English message that also keeps its ``code``, ``template`` and ``params``.

    It is a plain ``str`` for every other purpose; the Odoo layer translates it with
    ``_(message.template, **message.params)``.
    """

    code: str
    template: str
    params: dict[str, Any]

    def __new__(cls, code: str, params: Mapping[str, Any] | None = None) -> "Message":
        params = dict(params or {})
        template = MESSAGES[code]
        self = super().__new__(cls, template % params)
        self.code = code
        self.template = template
        self.params = params
        return self

    def __getnewargs__(self) -> tuple[str, dict[str, Any]]:  # pickle and copy
        return self.code, self.params


class FormatError(ValueError):
    """Base of the errors this module raises; ``str(error)`` is the English message.

    ``code``/``params`` (see `MESSAGES`) allow translation, ``part`` and ``position``
    (1-based, in the template for template errors) locate the cause when there is one.
    """

    def __init__(
        self, code: str, *, part: str | None = None, position: int | None = None, **params: Any
    ) -> None:
        if part is not None:
            params.setdefault("part", part)
        if position is not None:
            params.setdefault("position", position)
        self.code = code
        self.params = params
        self.part = part
        self.position = position
        self.message = Message(code, params)
        super().__init__(self.message)

    def __reduce__(self):  # pickle and copy, whatever the subclass's __init__
        return _restore_error, (type(self), dict(self.__dict__))


def _restore_error(cls: type[FormatError], state: dict[str, Any]) -> FormatError:
    error = cls.__new__(cls)
    Exception.__init__(error, state["message"])
    error.__dict__.update(state)
    return error


class TemplateError(FormatError):
    """The template is malformed, or cannot work with the rule's options."""


class RuleError(FormatError):
    """An option of the rule other than the template is invalid."""


class GenerationError(FormatError):
    """Serials cannot be generated with the given arguments."""


class InvalidSerialError(FormatError):
    """Raised by `FormatRule.parse` for an invalid serial; ``result`` has every error."""

    def __init__(self, result: "ValidationResult") -> None:
        error = result.errors[0]
        super().__init__(error.code, **error.params)
        self.part = error.part
        self.position = error.position
        self.result = result


# --------------------------------------------------------------------------- characters

DIGITS = "0123456789"
UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
LOWER = UPPER.lower()
#: GS1 AI encodable character set 82 (GS1 General Specifications), in code order.
GS1_AI82 = "!\"%&'()*+,-./" + DIGITS + ":;<=>?" + UPPER + "_" + LOWER

#: Named character sets of `FormatRule.charset`; any other string is a custom set.
CHARSETS: dict[str, str] = {
    "digits": DIGITS,
    "upper_alnum": DIGITS + UPPER,
    "alnum": DIGITS + UPPER + LOWER,
    "gs1_ai82": GS1_AI82,
}

CASES = ("upper", "exact")

_GS1_AI82_SET = frozenset(GS1_AI82)


def _upper_char(char: str) -> str:
    """Upper-case one character, unless that would change the length (``'ß'``)."""
    upper = char.upper()
    return upper if len(upper) == 1 else char


def _upper(text: str) -> str:
    """Upper-case ``text`` character by character, keeping its length and positions."""
    upper = text.upper()
    if len(upper) == len(text):
        return upper
    return "".join(_upper_char(char) for char in text)


def _char_class(chars: Iterable[str]) -> str:
    """A regular-expression character class matching exactly ``chars``."""
    return "[" + "".join(re.escape(char) for char in sorted(set(chars))) + "]"


def _describe(chars: str) -> str:
    """Short English-neutral description of an alphabet, e.g. ``0-9A-Z``."""
    return {DIGITS: "0-9", DIGITS + UPPER: "0-9A-Z"}.get(chars, chars)


# --------------------------------------------------------------------------- algorithms


@dataclass(frozen=True)
class CheckAlgorithm:
    """A check algorithm: which characters it takes and which it may produce.

    ``calc`` is python-stdnum's function computing the check characters of a string made
    only of ``alphabet`` characters.
    """

    name: str
    alphabet: str
    check_chars: str
    width: int
    calc: Callable[[str], str]
    message_code: str


ALGORITHMS: dict[str, CheckAlgorithm] = {
    algo.name: algo
    for algo in (
        CheckAlgorithm("luhn", DIGITS, DIGITS, 1, luhn.calc_check_digit, "wrong_check_digit"),
        CheckAlgorithm("gs1", DIGITS, DIGITS, 1, ean.calc_check_digit, "wrong_check_digit"),
        CheckAlgorithm(
            "mod11_2", DIGITS, DIGITS + "X", 1, mod_11_2.calc_check_digit, "wrong_check_character"
        ),
        CheckAlgorithm(
            "mod97_10", DIGITS, DIGITS, 2, mod_97_10.calc_check_digits, "wrong_check_digits"
        ),
        CheckAlgorithm(
            "mod37_36",
            DIGITS + UPPER,
            DIGITS + UPPER,
            1,
            mod_37_36.calc_check_digit,
            "wrong_check_character",
        ),
    )
}


# --------------------------------------------------------------------------- template

LITERAL = "literal"
FIELD = "field"
DATE = "date"
SEQ = "seq"
CHECK = "check"

FIELD_NAMES = ("mfr", "model", "batch")
DATE_WIDTHS = {"yyyy": 4, "yy": 2, "mm": 2, "dd": 2, "ww": 2, "ddd": 3}
MAX_FIELD_WIDTH = 64
MAX_SEQ_WIDTH = 18
_KNOWN_PARTS = ", ".join(
    "{" + name + "}" for name in (*FIELD_NAMES, *DATE_WIDTHS, "seq:N", "check:ALGO")
)


@dataclass(frozen=True)
class Part:
    """One part of a parsed template.

    ``kind`` is one of ``literal``, ``field``, ``date``, ``seq``, ``check``; ``name`` is the
    placeholder name (``model``, ``mm``, ``seq``, ``check``...) or ``literal``; ``source``
    is the template text of the part and ``position`` its 1-based position in the template;
    ``text`` is a literal's text (escapes resolved); ``width`` the number of characters the
    part takes (``None`` for a free-width field); ``algorithm`` the check's algorithm name.
    """

    kind: str
    name: str
    source: str
    position: int
    text: str = ""
    width: int | None = None
    algorithm: str | None = None

    @property
    def label(self) -> str:
        """How messages name the part: ``{seq:6}``, or a literal's text in quotes."""
        return f"'{self.text}'" if self.kind == LITERAL else self.source

    @property
    def variable(self) -> bool:
        """Whether the part's characters vary from serial to serial (all but literals)."""
        return self.kind != LITERAL


def _is_number(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _make_part(body: str, source: str, position: int) -> Part:
    """Build the part for the placeholder ``{body}`` found at ``position``."""
    if not body:
        raise TemplateError("empty_part", position=position)
    name, colon, arg = body.partition(":")
    if name in FIELD_NAMES:
        width = None
        if colon:
            if not _is_number(arg) or not 1 <= int(arg) <= MAX_FIELD_WIDTH:
                raise TemplateError(
                    "bad_field_width", part=source, position=position, max=MAX_FIELD_WIDTH
                )
            width = int(arg)
        return Part(FIELD, name, source, position, width=width)
    if name in DATE_WIDTHS:
        if colon:
            raise TemplateError("unexpected_argument", part=source, position=position)
        return Part(DATE, name, source, position, width=DATE_WIDTHS[name])
    if name == SEQ:
        if not _is_number(arg) or not 1 <= int(arg) <= MAX_SEQ_WIDTH:
            raise TemplateError("bad_seq_width", part=source, position=position, max=MAX_SEQ_WIDTH)
        return Part(SEQ, SEQ, source, position, width=int(arg))
    if name == CHECK:
        if arg not in ALGORITHMS:
            raise TemplateError(
                "unknown_algorithm",
                part=source,
                position=position,
                algorithm=arg,
                known=", ".join(ALGORITHMS),
            )
        return Part(CHECK, CHECK, source, position, width=ALGORITHMS[arg].width, algorithm=arg)
    raise TemplateError("unknown_part", part=source, position=position, known=_KNOWN_PARTS)


def _check_structure(parts: list[Part]) -> None:
    """Reject templates whose parts do not make sense together (charset aside)."""
    seen: set[str] = set()
    check: Part | None = None
    free_before_check = 0
    for part in parts:
        if part.kind == LITERAL:
            continue
        if part.name in seen:
            raise TemplateError("duplicate_part", part=part.source, position=part.position)
        if part.name in ("yy", "yyyy") and ({"yy", "yyyy"} & seen):
            raise TemplateError("duplicate_year", part=part.source, position=part.position)
        seen.add(part.name)
        if check is not None:
            raise TemplateError(
                "check_not_last", part=part.source, position=part.position, check=check.source
            )
        if part.kind == CHECK:
            check = part
            if not any(p.variable for p in parts if p.position < part.position):
                raise TemplateError(
                    "check_covers_nothing", part=part.source, position=part.position
                )
    if check is None:
        return
    for part in parts:
        if part.kind == FIELD and part.width is None and part.position < check.position:
            free_before_check += 1
            if free_before_check > 1:
                raise TemplateError(
                    "check_two_free_parts",
                    part=part.source,
                    position=part.position,
                    example=f"{{{part.name}:6}}",
                )


def parse_template(template: str) -> tuple[Part, ...]:
    """Split ``template`` into its parts, or raise `TemplateError` naming the bad part.

    Adjacent literal text (escapes included) makes one literal part.  This checks what does
    not depend on the rule's other options: syntax, part names and arguments, duplicates,
    the place of the check; `FormatRule` checks the rest.
    """
    if not isinstance(template, str):
        raise TemplateError("template_not_str")
    if not template:
        raise TemplateError("template_empty")
    parts: list[Part] = []
    literal: list[str] = []
    literal_start = 0

    def flush(end: int) -> None:
        if literal:
            text = "".join(literal)
            parts.append(
                Part(
                    LITERAL,
                    LITERAL,
                    template[literal_start:end],
                    literal_start + 1,
                    text,
                    len(text),
                )
            )
            literal.clear()

    i = 0
    while i < len(template):
        char = template[i]
        if char in "{}" and template.startswith(char * 2, i):
            if not literal:
                literal_start = i
            literal.append(char)
            i += 2
        elif char == "{":
            end = template.find("}", i + 1)
            nested = template.find("{", i + 1)
            if end == -1 or -1 < nested < end:
                raise TemplateError("unclosed_brace", position=i + 1)
            flush(i)
            parts.append(_make_part(template[i + 1 : end], template[i : end + 1], i + 1))
            i = end + 1
        elif char == "}":
            raise TemplateError("lone_close_brace", position=i + 1)
        else:
            if not literal:
                literal_start = i
            literal.append(char)
            i += 1
    flush(len(template))
    _check_structure(parts)
    return tuple(parts)


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class SerialError:
    """Why a serial is invalid, structured for the UI and for translation.

    ``part`` names the failing part as the template writes it (``{mm}``, ``{check:luhn}``,
    a literal in quotes) or is ``None`` for whole-serial problems (length, characters);
    ``position`` is the 1-based position in the serial; ``expected``/``got`` the text.
    """

    code: str
    params: dict[str, Any] = field(default_factory=dict)
    part: str | None = None
    position: int | None = None
    expected: str | None = None
    got: str | None = None

    @property
    def template(self) -> str:
        """The English message template (``MESSAGES[code]``)."""
        return MESSAGES[self.code]

    @property
    def message(self) -> Message:
        """The English message."""
        return Message(self.code, self.params)

    def __str__(self) -> str:
        return str(self.message)


def _serial_error(
    code: str,
    *,
    part: str | None = None,
    position: int | None = None,
    expected: Any = None,
    got: Any = None,
    **params: Any,
) -> SerialError:
    """Build a `SerialError` whose params also hold part/position/expected/got."""
    for key, value in (("part", part), ("position", position), ("expected", expected)):
        if value is not None:
            params.setdefault(key, value)
    if got is not None:
        params.setdefault("got", got)
    return SerialError(
        code,
        params,
        part,
        position,
        None if expected is None else str(expected),
        None if got is None else str(got),
    )


@dataclass(slots=True)
class ValidationResult:
    """Outcome of `FormatRule.validate`: truthy when valid; read-only by convention (not
    frozen, which would make creating it, once per serial, several times slower).

    ``serial`` is the normalised serial (upper-cased when the rule says so), ``errors`` every
    error found (empty when valid, sorted by position among the semantic checks), ``parts``
    the parsed values when the serial has the template's shape (see `FormatRule.parse`).
    """

    serial: str
    errors: tuple[SerialError, ...] = ()
    _match: re.Match | None = field(default=None, repr=False, compare=False)
    _rule: "_Compiled | None" = field(default=None, repr=False, compare=False)

    @property
    def valid(self) -> bool:
        return not self.errors

    def __bool__(self) -> bool:
        return not self.errors

    @property
    def error(self) -> SerialError | None:
        """The first error, or ``None``."""
        return self.errors[0] if self.errors else None

    @property
    def message(self) -> Message | None:
        """The first error's English message, or ``None`` when valid."""
        return self.errors[0].message if self.errors else None

    def __reduce__(self):  # pickle and copy; the match (so ``parts``) is not kept
        return ValidationResult, (self.serial, self.errors)

    @property
    def parts(self) -> dict[str, Any] | None:
        """The parsed parts when the serial has the template's shape, else ``None``."""
        if self._match is None or self._rule is None:
            return None
        return self._rule.values(self._match)


class InvalidLine(NamedTuple):
    """One invalid entry reported by `FormatRule.validate_many`."""

    line: int
    serial: str
    message: Message


# --------------------------------------------------------------------------- rule


@dataclass(frozen=True)
class FormatRule:
    """A serial number format: template plus options, compiled once when created.

    ``charset`` is a name of `CHARSETS` (``digits``, ``upper_alnum``, ``alnum``,
    ``gs1_ai82``) or a custom string: the characters the caller's values of ``{mfr}``,
    ``{model}`` and ``{batch}`` may use, the only part of a serial the template does not
    spell out.  What the template produces is always allowed: its literal text, the digits
    of date and sequence parts and the check characters (``X`` of ``mod11_2`` with a
    ``digits`` set, say).  So a serial may hold exactly those characters, and any other is
    reported as not allowed.  (`gs1_ai21_error` tells whether a serial fits a GS1 barcode.)

    ``case``: ``upper`` upper-cases the serial (and the template's literal text, the
    character set and the caller's values) before anything else, so ``acme-1`` is read as
    ``ACME-1`` and generated serials are upper case; ``exact`` compares as given.

    ``min_length``/``max_length`` bound the serial's length on top of what the template
    allows.  Invalid options or a template that cannot work with them raise `RuleError` or
    `TemplateError` on creation.
    """

    template: str
    charset: str = "upper_alnum"
    case: str = "upper"
    min_length: int | None = None
    max_length: int | None = None
    _compiled: "_Compiled" = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_compiled", _Compiled(self))

    @property
    def parts(self) -> tuple[Part, ...]:
        """The template's parts (as written, before case normalisation)."""
        return self._compiled.parts

    @property
    def length_range(self) -> tuple[int, int | None]:
        """The smallest and largest allowed length (``None``: no maximum)."""
        return self._compiled.min_len, self._compiled.max_len

    @property
    def pattern(self) -> str:
        """The regular expression a serial must match (after normalisation)."""
        return self._compiled.regex.pattern

    def normalize(self, serial: str) -> str:
        """The serial as the rule compares it (upper-cased with ``case='upper'``)."""
        return _upper(serial) if self._compiled.upper else serial

    def generate(
        self,
        start_sequence: int,
        count: int,
        *,
        date: datetime.date | None,
        mfr: str | None = None,
        model: str | None = None,
        batch: str | None = None,
    ) -> list[str]:
        """Make ``count`` serials with sequences ``start_sequence``, ``start_sequence + 1``...

        ``date`` feeds the date parts (may be ``None`` when there is none); ``mfr``,
        ``model``, ``batch`` are required by the parts that use them and ignored otherwise.
        Everything but the sequence and the check is built once.  Raises `GenerationError`
        when the sequence overflows its width or a value does not fit its part.
        """
        return self._compiled.generate(start_sequence, count, date, mfr, model, batch)

    def validate(
        self,
        serial: str,
        *,
        mfr: str | None = None,
        model: str | None = None,
        batch: str | None = None,
    ) -> ValidationResult:
        """Check ``serial``; the result is truthy when valid and otherwise says why.

        Checks run in this order, each stopping at its first problem: characters outside
        the allowed ones, the length, the shape (pattern), then the semantics, all reported:
        the caller's expected ``mfr``/``model``/``batch`` when given, calendar values and
        the check.
        """
        return self._compiled.validate(serial, mfr, model, batch)

    def parse(self, serial: str) -> dict[str, Any]:
        """The parts of a valid serial: ``mfr``/``model``/``batch`` and ``check`` as text,
        date parts and ``seq`` as ``int``, plus ``date`` (a `datetime.date`) when the year
        and the month and day (or the day of year) are present; ``{yy}`` means 20yy.

        Raises `InvalidSerialError` when the serial is not valid.
        """
        result = self._compiled.validate(serial, None, None, None)
        if result.errors:
            raise InvalidSerialError(result)
        return result.parts

    def validate_many(
        self,
        serials: str | Iterable[str],
        *,
        mfr: str | None = None,
        model: str | None = None,
        batch: str | None = None,
        allow_duplicates: bool = False,
    ) -> list[InvalidLine]:
        """Every invalid entry of a list, as ``(line, serial, message)`` tuples.

        ``serials`` is an iterable or a pasted text (one serial a line).  ``line`` is the
        1-based position in it; entries are stripped and blank ones skipped (but counted).
        Unless ``allow_duplicates``, a serial repeating an earlier one (after
        normalisation) is reported as a duplicate of that line.
        """
        if isinstance(serials, str):
            serials = serials.splitlines()
        compiled = self._compiled
        seen: dict[str, int] = {}
        invalid = []
        for line, raw in enumerate(serials, 1):
            serial = raw.strip()
            if not serial:
                continue
            result = compiled.validate(serial, mfr, model, batch)
            if result.errors:
                invalid.append(InvalidLine(line, serial, result.errors[0].message))
            elif not allow_duplicates:
                first = seen.setdefault(result.serial, line)
                if first != line:
                    invalid.append(
                        InvalidLine(line, serial, Message("duplicate_serial", {"line": first}))
                    )
        return invalid


class _Compiled:
    """Everything a `FormatRule` precomputes: patterns, part layout, check set-up."""

    def __init__(self, rule: FormatRule) -> None:
        self.upper = self._check_case(rule.case)
        self.charset = self._check_charset(rule.charset)
        self.parts = parse_template(rule.template)
        # Parts as compared: literal text upper-cased under case='upper'.
        parts = [
            Part(p.kind, p.name, p.source, p.position, _upper(p.text), p.width, p.algorithm)
            if self.upper and p.kind == LITERAL
            else p
            for p in self.parts
        ]
        self.cparts = parts
        self.field_names = {p.name for p in parts if p.kind == FIELD}
        self.date_names = tuple(p.name for p in parts if p.kind == DATE)
        self.seq = next((p for p in parts if p.kind == SEQ), None)
        self.check = next((p for p in parts if p.kind == CHECK), None)
        self.algo = ALGORITHMS[self.check.algorithm] if self.check else None
        self._check_against_charset(parts)
        self._set_lengths(rule, parts)

        literal_chars = {char for p in parts if p.kind == LITERAL for char in p.text}
        allowed = set(literal_chars)
        if self.field_names:
            allowed |= self.charset
        if self.date_names or self.seq:
            allowed |= set(DIGITS)
        if self.algo:
            allowed |= set(self.algo.check_chars)
        self.bad_char = re.compile("[^" + _char_class(allowed)[1:])
        self.part_patterns = [self._pattern(i, p) for i, p in enumerate(parts)]
        self.regex = re.compile("".join(self.part_patterns))
        # Groups whose text the check is fed, in order (see _pattern).
        check_group = self.regex.groupindex.get("check", 0)
        self.fed_groups = tuple(range(1, check_group))
        self.max_len_or_inf = sys.maxsize if self.max_len is None else self.max_len
        self.part_regexes = [re.compile(pattern) for pattern in self.part_patterns]
        self.prefix_regexes = [
            re.compile("".join(self.part_patterns[: i + 1])) for i in range(len(parts))
        ]
        # What the check does not see: literal characters outside its alphabet (variable
        # parts before the check only ever hold alphabet characters, see above).  Used to
        # generate; validation reads the same characters from the match's groups.
        self.drop = (
            str.maketrans("", "", "".join(c for c in literal_chars if c not in self.algo.alphabet))
            if self.algo
            else {}
        )
        self.good_dates: set[tuple[str, ...]] = set()

    # -- compilation ------------------------------------------------------------------

    @staticmethod
    def _check_case(case: str) -> bool:
        if case not in CASES:
            raise RuleError("unknown_case", case=case, known=", ".join(CASES))
        return case == "upper"

    def _check_charset(self, charset: str) -> frozenset[str]:
        if not isinstance(charset, str) or not charset:
            raise RuleError("bad_charset", known=", ".join(CHARSETS))
        chars = CHARSETS.get(charset, charset)
        return frozenset(_upper_char(c) for c in chars) if self.upper else frozenset(chars)

    def _check_against_charset(self, parts: list[Part]) -> None:
        """Reject value parts the check cannot cover or the pattern could not delimit."""
        charset = self.charset
        free = [i for i, p in enumerate(parts) if p.kind == FIELD and p.width is None]
        self.delimited_free = False
        if self.check:
            outside = sorted(charset - set(self.algo.alphabet))
            for part in parts:
                if part.kind == FIELD and part.position < self.check.position and outside:
                    raise TemplateError(
                        "check_cannot_cover",
                        part=part.source,
                        position=part.position,
                        char=outside[0],
                        check=self.check.source,
                        alphabet=_describe(self.algo.alphabet),
                    )
        for index in free:
            following = parts[index + 1] if index + 1 < len(parts) else None
            delimited = (
                following is not None
                and following.kind == LITERAL
                and following.text[0] not in charset
            )
            if delimited:
                self.delimited_free = True
            elif index != free[-1]:
                part = parts[index]
                raise TemplateError(
                    "ambiguous_free_part",
                    part=part.source,
                    position=part.position,
                    example=f"{{{part.name}:6}}",
                )

    def _set_lengths(self, rule: FormatRule, parts: list[Part]) -> None:
        for which, value in (("minimum", rule.min_length), ("maximum", rule.max_length)):
            if value is not None and (
                not isinstance(value, int) or isinstance(value, bool) or value < 1
            ):
                raise RuleError("bad_length", which=which)
        if rule.min_length and rule.max_length and rule.min_length > rule.max_length:
            raise RuleError("length_range_inverted", min=rule.min_length, max=rule.max_length)
        self.fixed_len = sum(p.width for p in parts if p.width is not None)
        self.free_count = sum(1 for p in parts if p.width is None)
        template_min = self.fixed_len + self.free_count
        template_max = None if self.free_count else template_min
        self.min_len = max(template_min, rule.min_length or 0)
        self.max_len = template_max
        if rule.max_length is not None:
            self.max_len = min(template_max or rule.max_length, rule.max_length)
        if self.max_len is not None and self.min_len > self.max_len:
            raise RuleError(
                "length_impossible",
                template_min=template_min,
                template_max="-" if template_max is None else template_max,
                min=rule.min_length or 1,
                max="-" if rule.max_length is None else rule.max_length,
            )

    def _pattern(self, index: int, part: Part) -> str:
        """The pattern of a part; every variable part is a named group, and so is literal
        text before the check that the check is fed (``_l<part>_<run>``), so that the fed
        characters are the groups before ``check``, in order."""
        if part.kind == LITERAL:
            if not self.check or part.position > self.check.position:
                return re.escape(part.text)
            fed = _char_class(self.algo.alphabet)
            runs = re.findall(f"{fed}+|[^{fed[1:]}+", part.text)
            return "".join(
                f"(?P<_l{index}_{number}>{re.escape(run)})"
                if run[0] in self.algo.alphabet
                else re.escape(run)
                for number, run in enumerate(runs)
            )
        if part.kind == FIELD:
            repeat = "+" if part.width is None else f"{{{part.width}}}"
            return f"(?P<{part.name}>{_char_class(self.charset)}{repeat})"
        if part.kind == CHECK:
            return f"(?P<check>{_char_class(self.algo.check_chars)}{{{part.width}}})"
        return f"(?P<{part.name}>[0-9]{{{part.width}}})"

    # -- generation -------------------------------------------------------------------

    def _value(self, part: Part, value: str | None) -> str:
        if value is None:
            raise GenerationError("value_missing", part=part.source)
        value = _upper(value) if self.upper else value
        if not value:
            raise GenerationError("value_empty", part=part.source)
        if part.width is not None and len(value) != part.width:
            raise GenerationError(
                "value_width", part=part.source, value=value, got=len(value), width=part.width
            )
        for char in value:
            if char not in self.charset:
                raise GenerationError("value_char", part=part.source, value=value, char=char)
        return value

    @staticmethod
    def _date_text(name: str, date: datetime.date) -> str:
        if name == "yyyy":
            return f"{date.year:04d}"
        if name == "yy":
            return f"{date.year % 100:02d}"
        if name == "mm":
            return f"{date.month:02d}"
        if name == "dd":
            return f"{date.day:02d}"
        if name == "ww":
            return f"{date.isocalendar()[1]:02d}"
        return f"{date.timetuple().tm_yday:03d}"

    def generate(self, start, count, date, mfr, model, batch) -> list[str]:
        for value, code in ((start, "bad_sequence"), (count, "bad_count")):
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise GenerationError(code)
        supplied = {"mfr": mfr, "model": model, "batch": batch}
        pieces: list[str] = []  # text of each part, "" for the sequence and the check
        for part in self.cparts:
            if part.kind == LITERAL:
                pieces.append(part.text)
            elif part.kind == FIELD:
                pieces.append(self._value(part, supplied[part.name]))
            elif part.kind == DATE:
                if not isinstance(date, datetime.date):
                    raise GenerationError("date_missing", part=part.source)
                pieces.append(self._date_text(part.name, date))
            else:
                pieces.append("")
        length = sum(map(len, pieces)) + (self.seq.width if self.seq else 0)
        length += self.check.width if self.check else 0
        if length < self.min_len or (self.max_len is not None and length > self.max_len):
            raise GenerationError(
                "generated_length",
                got=length,
                min=self.min_len,
                max="-" if self.max_len is None else self.max_len,
            )
        check_at = self.cparts.index(self.check) if self.check else len(pieces)
        seq_at = self.cparts.index(self.seq) if self.seq else check_at
        head = "".join(pieces[:seq_at])
        mid = "".join(pieces[seq_at + 1 : check_at])
        tail = "".join(pieces[check_at + 1 :])
        if self.seq is None:
            if count > 1:
                raise GenerationError("no_sequence", count=count)
            seqs = [""] * count
        else:
            width = self.seq.width
            last = start + count - 1
            if count and last >= 10**width:
                raise GenerationError(
                    "sequence_overflow", value=last, width=width, max=10**width - 1
                )
            seqs = list(map(f"{{:0{width}d}}".format, range(start, start + count)))
        if self.check is None:
            return [head + seq + mid + tail for seq in seqs]
        calc = self.algo.calc
        fed_head = head.translate(self.drop)
        fed_mid = mid.translate(self.drop)
        return [f"{head}{seq}{mid}{calc(fed_head + seq + fed_mid)}{tail}" for seq in seqs]

    # -- validation -------------------------------------------------------------------

    def validate(self, serial, mfr, model, batch) -> ValidationResult:
        """See `FormatRule.validate`; the common case (valid) is kept short."""
        text = serial
        if self.upper:
            text = serial.upper()
            if len(text) != len(serial):
                text = _upper(serial)
        match = self.regex.fullmatch(text)
        length = len(text)
        if match is None or length < self.min_len or length > self.max_len_or_inf:
            return ValidationResult(text, (self._structure_error(serial, text),))
        errors: list[SerialError] = []
        if mfr is not None or model is not None or batch is not None:
            errors += self._value_errors(match, {"mfr": mfr, "model": model, "batch": batch})
        if self.date_names:
            key = match.group(*self.date_names)
            if key not in self.good_dates:
                date_errors = self._date_errors(match)
                if date_errors:
                    errors += date_errors
                elif len(self.good_dates) < 100_000:
                    self.good_dates.add(key)
        if self.check is not None:
            fed = match.group(*self.fed_groups)
            expected = self.algo.calc(fed if len(self.fed_groups) == 1 else "".join(fed))
            got = match["check"]
            if got != expected:
                start = match.start("check")
                errors.append(
                    _serial_error(
                        self.algo.message_code,
                        part=self.check.source,
                        position=start + 1,
                        expected=expected,
                        got=got,
                    )
                )
        if errors:
            errors.sort(key=lambda error: error.position or 0)
            return ValidationResult(text, tuple(errors), match, self)
        return ValidationResult(text, (), match, self)

    def _structure_error(self, serial: str, text: str) -> SerialError:
        """Why ``text`` (``serial`` normalised) does not match: the first character allowed
        nowhere, else the length, else the first part that does not match."""
        if not text:
            return _serial_error("serial_empty")
        bad = self.bad_char.search(text)
        if bad is not None:
            index = bad.start()
            char = serial[index]  # as typed
            return _serial_error("char_not_allowed", position=index + 1, got=char, char=char)
        length = len(text)
        if length < self.min_len or length > self.max_len_or_inf:
            return self._length_error(length)
        return self._shape_error(text)

    def _length_error(self, length: int) -> SerialError:
        if self.min_len == self.max_len:
            return _serial_error("length_exact", expected=self.min_len, got=length)
        if length < self.min_len:
            return _serial_error("length_min", expected=self.min_len, got=length, min=self.min_len)
        return _serial_error("length_max", expected=self.max_len, got=length, max=self.max_len)

    def _layout(self, text: str) -> list[int] | None:
        """Start of each part when the serial's length fixes every boundary (no free-width
        part, or one not followed by a separator), else ``None``: then a prefix of the
        pattern that fails tells the part instead, a separator ending a free-width part."""
        if self.free_count > 1 or self.delimited_free:
            return None
        free_len = len(text) - self.fixed_len
        starts, at = [], 0
        for part in self.cparts:
            starts.append(at)
            at += free_len if part.width is None else part.width
        return starts

    def _shape_error(self, text: str) -> SerialError:
        """Name the first part that does not match (the length is known to be allowed).

        With a layout fixed by the length, each part is matched at its place; otherwise
        the longest prefix of the pattern that matches tells where the serial goes wrong.
        """
        parts = self.cparts
        starts = self._layout(text)
        if starts is not None:
            for index, part in enumerate(parts):
                start = starts[index]
                width = part.width if part.width is not None else len(text) - self.fixed_len
                if not self.part_regexes[index].fullmatch(text, start, start + width):
                    return self._part_error(part, text, start, width)
        previous_end = 0
        for index, part in enumerate(parts):
            match = self.prefix_regexes[index].match(text)
            if match is None:
                return self._part_error(part, text, previous_end, part.width)
            previous_end = match.end()
        return _serial_error(
            "unexpected_trailing", position=previous_end + 1, got=text[previous_end:]
        )

    def _part_error(self, part: Part, text: str, start: int, width: int | None) -> SerialError:
        got = text[start : start + width] if width is not None else text[start:]
        position = start + 1
        if not got:
            return _serial_error("ended_early", part=part.label, position=position, got="")
        if part.kind == LITERAL:
            return _serial_error(
                "expected_literal", part=part.label, position=position, expected=part.text, got=got
            )
        if part.kind in (DATE, SEQ):
            return _serial_error(
                "expected_digits", part=part.source, position=position, got=got, width=part.width
            )
        if part.kind == CHECK:
            return _serial_error("expected_check", part=part.source, position=position, got=got)
        return _serial_error("expected_value", part=part.source, position=position, got=got)

    def _value_errors(self, match: re.Match, expected: dict[str, str | None]) -> list[SerialError]:
        errors = []
        for part in self.cparts:
            if part.kind != FIELD or expected[part.name] is None:
                continue
            want = _upper(expected[part.name]) if self.upper else expected[part.name]
            got = match[part.name]
            if got != want:
                errors.append(
                    _serial_error(
                        "value_mismatch",
                        part=part.source,
                        position=match.start(part.name) + 1,
                        expected=want,
                        got=got,
                    )
                )
        return errors

    def _date_errors(self, match: re.Match) -> list[SerialError]:
        """Calendar checks of the date parts (see the module docstring)."""
        parts = {p.name: p for p in self.cparts if p.kind == DATE}
        raw = {name: match[name] for name in parts}
        num = {name: int(value) for name, value in raw.items()}
        errors = []

        def error(name: str, code: str, expected: str, **params: Any) -> None:
            errors.append(
                _serial_error(
                    code,
                    part=parts[name].source,
                    position=match.start(name) + 1,
                    expected=expected,
                    got=raw[name],
                    value=raw[name],
                    **params,
                )
            )

        year = None
        if "yyyy" in num:
            if num["yyyy"] == 0:
                error("yyyy", "invalid_year", "0001-9999")
            else:
                year = num["yyyy"]
        elif "yy" in num:
            year = 2000 + num["yy"]
        month = num.get("mm")
        if month is not None and not 1 <= month <= 12:
            error("mm", "invalid_month", "01-12")
            month = None
        day = num.get("dd")
        if day is not None:
            if not 1 <= day <= 31:
                error("dd", "invalid_day", "01-31")
                day = None
            elif month is not None:
                last = calendar.monthrange(year or 2000, month)[1]  # 2000: Feb. 29 allowed
                if day > last:
                    if year and calendar.monthrange(2000, month)[1] >= day:
                        error(
                            "dd",
                            "invalid_day_for_year",
                            f"01-{last:02d}",
                            month=raw["mm"],
                            year=year,
                        )
                    else:
                        error("dd", "invalid_day_for_month", f"01-{last:02d}", month=raw["mm"])
                    day = None
        week = num.get("ww")
        if week is not None and not 1 <= week <= 53:
            error("ww", "invalid_week", "01-53")
            week = None
        yday = num.get("ddd")
        if yday is not None:
            days = 366 if year is None or calendar.isleap(year) else 365
            if not 1 <= yday <= days:
                if year is not None and yday == 366:
                    error("ddd", "invalid_day_of_year_for_year", "001-365", year=year)
                else:
                    error("ddd", "invalid_day_of_year", f"001-{days:03d}")
                yday = None
        if year and month and day:
            date = datetime.date(year, month, day)
            if week is not None and week != date.isocalendar()[1]:
                wanted = f"{date.isocalendar()[1]:02d}"
                error("ww", "week_mismatch", wanted, date=date.isoformat())
            if yday is not None and yday != date.timetuple().tm_yday:
                wanted = f"{date.timetuple().tm_yday:03d}"
                error("ddd", "day_of_year_mismatch", wanted, date=date.isoformat())
        return errors

    def values(self, match: re.Match) -> dict[str, Any]:
        """The parts of a matched serial (see `FormatRule.parse`)."""
        values: dict[str, Any] = {}
        for part in self.cparts:
            if part.kind in (FIELD, CHECK):
                values[part.name] = match[part.name]
            elif part.kind in (DATE, SEQ):
                values[part.name] = int(match[part.name])
        year = values.get("yyyy", 2000 + values["yy"] if "yy" in values else None)
        date = None
        if year and "mm" in values and "dd" in values:
            with contextlib.suppress(ValueError):  # an invalid serial's parts: best effort
                date = datetime.date(year, values["mm"], values["dd"])
        elif (
            year
            and "ddd" in values
            and 1 <= values["ddd"] <= (366 if calendar.isleap(year) else 365)
        ):
            date = datetime.date(year, 1, 1) + datetime.timedelta(values["ddd"] - 1)
        if date is not None:
            values["date"] = date
        return values


# --------------------------------------------------------------------------- GS1


def gs1_ai21_error(serial: str) -> Message | None:
    """``None`` when ``serial`` can be a GS1 AI (21) serial number, else why not.

    AI (21) holds 1 to 20 characters of GS1 AI encodable character set 82:
    ``!"%&'()*+,-./0-9:;<=>?A-Z_a-z``.
    """
    if not 1 <= len(serial) <= 20:
        return Message("gs1_length", {"got": len(serial)})
    for index, char in enumerate(serial):
        if char not in _GS1_AI82_SET:
            return Message("gs1_char", {"char": char, "position": index + 1})
    return None


# ------------------------------------------------------------------ Serial names

# Longest serial name accepted: far above any real serial (GS1 AI (21) holds 20),
# short enough for the unique index and for labels.
MAX_SERIAL_LENGTH = 128
# Most serials the generate dialog makes at once (the dialog builds them all in memory).
MAX_GENERATED = 100_000
# Unicode categories refused in a serial: control (tab, line breaks, NUL, escape),
# format (zero-width and direction marks), surrogate, private use, line and
# paragraph separators; they are invisible or cannot be stored or printed.
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Zl", "Zp"})
# Alphabets with letters that look like Latin ones (Cyrillic U+0410, Greek U+0391): a
# serial mixing two of them is a lookalike of another serial.
_LOOKALIKE_SCRIPTS = ("LATIN", "GREEK", "CYRILLIC", "ARMENIAN", "CHEROKEE")


def _script(char: str) -> str | None:
    """The lookalike alphabet of the letter ``char`` (full-width forms count as
    their alphabet), else ``None``."""
    if not unicodedata.category(char).startswith("L"):
        return None
    words = unicodedata.name(char, "").split()
    for word in words[:2]:
        if word in _LOOKALIKE_SCRIPTS:
            return word
    return None


def shown_value(value: Any, limit: int = 40) -> str:
    """``value`` quoted for a message, control characters escaped (``\\x00``)
    and cut at ``limit`` characters."""
    if not isinstance(value, str):
        value = "" if value is None or value is False else str(value)
    text = value
    return repr(text if len(text) <= limit else text[: limit - 1] + "\u2026")


def clean_serial_name(name: str) -> str:
    """``name`` with its surrounding spaces dropped, as it is stored."""
    return name.strip() if isinstance(name, str) else name


def serial_name_error(name: str) -> Message | None:
    """``None`` when ``name`` (surrounding spaces dropped) can be a serial
    number, else why not: empty, longer than `MAX_SERIAL_LENGTH`, holding a
    control or invisible character, or mixing lookalike alphabets. Applies to
    every serial, with or without a format rule."""
    name = clean_serial_name(name) if isinstance(name, str) else ""
    if not name:
        return Message("name_empty")
    if len(name) > MAX_SERIAL_LENGTH:
        return Message("name_too_long", {"max": MAX_SERIAL_LENGTH, "got": len(name)})
    for index, char in enumerate(name):
        if unicodedata.category(char) in _REFUSED_CATEGORIES:
            return Message("name_control", {"char": f"U+{ord(char):04X}", "position": index + 1})
    scripts = {script for script in map(_script, name) if script}
    if len(scripts) > 1:
        order = {script: index for index, script in enumerate(_LOOKALIKE_SCRIPTS)}
        titled = [script.title() for script in sorted(scripts, key=order.get)]
        return Message("name_mixed_scripts", {"scripts": " and ".join(titled)})
    return None
