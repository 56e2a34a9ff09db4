"""Code 128 and GS1-128 encoder (ISO/IEC 15417), free of the ORM and of any drawing.

`bars` turns a string into the widths of the symbol's bars and spaces, in modules,
starting with a bar; the renderer draws them.  The code sets are chosen by a small dynamic
programme over the three sets A, B and C (with the shift character), so the symbol is the
shortest Code 128 can make, which matters on narrow labels.  The choice only depends on the
kind of each character (digit, control, lower case...), so it is cached per string of
kinds: serials of one format are planned once.

GS1-128 (``gs1=True``): FNC1 follows the start character and every ``GS`` (ASCII 29) of
the data stands for FNC1 as a separator, as in `gs1.Gs1Payload.data`.  Scanners then report
the symbology identifier ``]C1`` instead of ``]C0``.

Only ASCII (0 to 127) is supported: the FNC4 extension to Latin-1 is not.
"""

from functools import lru_cache

# Bar/space widths of symbol values 0 to 106 (103-105: start A, B, C; 106: stop with its
# final bar), as in ISO/IEC 15417 table 1.
PATTERNS = tuple(
    tuple(int(width) for width in pattern)
    for pattern in """
    212222 222122 222221 121223 121322 131222 122213 122312 132212 221213 221312 231212 112232
    122132 122231 113222 123122 123221 223211 221132 221231 213212 223112 312131 311222 321122
    321221 312212 322112 322211 212123 212321 232121 111323 131123 131321 112313 132113 132311
    211313 231113 231311 112133 112331 132131 113123 113321 133121 313121 211331 231131 213113
    213311 213131 311123 311321 331121 312113 312311 332111 314111 221411 431111 111224 111422
    121124 121421 141122 141221 112214 112412 122114 122411 142112 142211 241211 221114 413111
    241112 134111 111242 121142 121241 114212 124112 124211 411212 421112 421211 212141 214121
    412121 111143 111341 131141 114113 114311 411113 411311 113141 114131 311141 411131 211412
    211214 211232 2331112
    """.split()
)
FNC1 = 102
SHIFT = 98
START = {"A": 103, "B": 104, "C": 105}
STOP = 106
# The symbol value that switches to a code set, from any other set.
SWITCH = {"A": 101, "B": 100, "C": 99}
QUIET_ZONE = 10  # modules each side, ISO/IEC 15417 section 4.4.2
GS = "\x1d"


# What the code set choice depends on: the kind of each character.  ``d`` digit, ``x`` in
# code sets A and B, ``a`` only in A (controls), ``b`` only in B (lower case...), ``f`` FNC1.
_KINDS = {code: "d" if chr(code).isdigit() else "x" for code in range(32, 96)}
_KINDS.update(dict.fromkeys(range(32), "a"))
_KINDS.update(dict.fromkeys(range(96, 128), "b"))
_KINDS_GS1 = {**_KINDS, ord(GS): "f"}


def _value(code_set, char):
    """The symbol value of one character in code set A or B."""
    code = ord(char)
    if code_set == "A" and code < 32:
        return code + 64
    return code - 32


def encode(data, gs1=False):
    """The symbol values of ``data``: start, data, check character and stop.

    Raises ``ValueError`` on empty data or a character outside ASCII.
    """
    if not data:
        raise ValueError("Code 128 cannot encode an empty string.")
    bad = sorted({char for char in data if ord(char) > 127})
    if bad:
        raise ValueError(
            f"Code 128 cannot encode {' '.join(repr(char) for char in bad)} (ASCII only)."
        )
    start, steps = _plan(data.translate(_KINDS_GS1 if gs1 else _KINDS))
    values = [START[start], FNC1] if gs1 else [START[start]]
    index = 0
    for prefix, code_set in steps:
        values.extend(prefix)
        if code_set == "C":
            values.append(int(data[index : index + 2]))
            index += 2
        elif code_set == "F":
            values.append(FNC1)
            index += 1
        else:
            values.append(_value(code_set, data[index]))
            index += 1
    check = (values[0] + sum(pos * value for pos, value in enumerate(values[1:], 1))) % 103
    return [*values, check, STOP]


_ENCODABLE = {"A": "dxaf", "B": "dxbf"}


@lru_cache(maxsize=1024)
def _plan(kinds):
    """(start code set, steps) of the shortest symbol for a string of character kinds;
    a step is (switch or shift symbol values, code set of the character(s) encoded, or
    ``F`` for FNC1).  Cached: serials of one format share their kinds."""
    # best[i][s] = (symbol count, previous set, characters consumed, step) of the last
    # step of the shortest encoding of kinds[:i] ending in code set s; the step comes from
    # best[i - characters consumed][previous set].  A step encodes one character (two
    # digits in C) in the current set, possibly after a switch; in A or B a character of
    # the other set can also take a shift.
    size = len(kinds)
    best = [{} for _ in range(size + 1)]
    best[0] = dict.fromkeys("ABC", (1, None, None))
    for index, kind in enumerate(kinds):
        states = best[index]
        # A state costing more than the cheapest is never better than switching from the
        # cheapest one: drop it.
        cheapest = min(state[0] for state in states.values())
        for code_set, (count, *_last) in states.items():
            if count > cheapest:
                continue
            for target in "ABC":
                switch = () if target == code_set else (SWITCH[target],)
                if kind == "f":
                    step, consumed = (switch, "F"), 1
                elif target == "C":
                    if kinds[index : index + 2] != "dd":
                        continue
                    step, consumed = (switch, "C"), 2
                elif kind in _ENCODABLE[target]:
                    step, consumed = (switch, target), 1
                else:
                    continue
                _keep(best[index + consumed], target, count + len(switch) + 1, code_set, step)
            if code_set != "C" and kind != "f":
                other = "B" if code_set == "A" else "A"
                if kind in _ENCODABLE[other]:
                    _keep(best[index + 1], code_set, count + 2, code_set, ((SHIFT,), other))
    code_set = min(best[size], key=lambda name: best[size][name][0])
    index, steps = size, []
    while index:
        _count, previous, step = best[index][code_set]
        steps.append(step)
        index -= 2 if step[1] == "C" else 1
        code_set = previous
    return code_set, tuple(reversed(steps))


def _keep(states, code_set, count, previous, step):
    known = states.get(code_set)
    if known is None or count < known[0]:
        states[code_set] = (count, previous, step)


def bars(data, gs1=False):
    """Widths in modules of the bars and spaces of ``data``'s symbol, bar first, without
    the quiet zones (`QUIET_ZONE` modules each side)."""
    widths = []
    for value in encode(data, gs1):
        widths.extend(PATTERNS[value])
    return widths
