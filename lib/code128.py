"""Code 128 and GS1-128 encoder (ISO/IEC 15417), free of the ORM and of any drawing.

`bars` turns a string into the widths of the symbol's bars and spaces, in modules,
starting with a bar; the renderer draws them.  The code sets are chosen by a small dynamic
programme over the three sets A, B and C (with the shift character), so the symbol is the
shortest Code 128 can make, which matters on narrow labels.

GS1-128 (``gs1=True``): FNC1 follows the start character and every ``GS`` (ASCII 29) of
the data stands for FNC1 as a separator, as in `gs1.Gs1Payload.data`.  Scanners then report
the symbology identifier ``]C1`` instead of ``]C0``.

Only ASCII (0 to 127) is supported: the FNC4 extension to Latin-1 is not.
"""

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


def _value(code_set, char):
    """The symbol value of one character in code set A or B, else ``None``."""
    code = ord(char)
    if code_set == "A":
        if code < 32:
            return code + 64
        return code - 32 if code < 96 else None
    return code - 32 if 32 <= code < 128 else None


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
    # best[i][s] = (symbol count, previous set, characters consumed, symbol values) of the
    # last step of the shortest encoding of data[:i] that ends in code set s; the step
    # comes from best[i - characters consumed][previous set].  A step encodes one character (two
    # digits in set C) in the current set, possibly after a switch; in A or B a single
    # character of the other set can also take a shift.
    size = len(data)
    best = [{} for _ in range(size + 1)]
    for code_set, start in START.items():
        best[0][code_set] = (2 if gs1 else 1, None, 0, (start, FNC1) if gs1 else (start,))
    for index in range(size):
        char = data[index]
        fnc1 = gs1 and char == GS
        steps = {target: _step(data, index, target, fnc1) for target in "ABC"}
        states = best[index]
        # A state costing more than the cheapest is never better than switching from the
        # cheapest one: drop it.
        cheapest = min(count for count, *_last in states.values())
        for code_set, (count, *_last) in states.items():
            if count > cheapest:
                continue
            for target, step in steps.items():
                if step is None:
                    continue
                consumed, values = step
                if target != code_set:
                    values = (SWITCH[target], *values)
                _keep(
                    best[index + consumed], target, count + len(values), code_set, consumed, values
                )
            if code_set != "C" and not fnc1:
                value = _value("B" if code_set == "A" else "A", char)
                if value is not None:
                    _keep(best[index + 1], code_set, count + 2, code_set, 1, (SHIFT, value))
    code_set = min(best[size], key=lambda name: best[size][name][0])
    index, chunks = size, []
    while True:
        _count, previous, consumed, values = best[index][code_set]
        chunks.append(values)
        if previous is None:
            break
        index -= consumed
        code_set = previous
    values = [value for chunk in reversed(chunks) for value in chunk]
    check = (values[0] + sum(pos * value for pos, value in enumerate(values[1:], 1))) % 103
    return [*values, check, STOP]


def _step(data, index, code_set, fnc1):
    """(characters consumed, symbol values) of encoding ``data[index:]``'s next character
    in ``code_set``, or ``None`` if that set cannot."""
    if fnc1:
        return 1, (FNC1,)
    if code_set == "C":
        pair = data[index : index + 2]
        if len(pair) == 2 and pair.isdigit() and pair.isascii():
            return 2, (int(pair),)
        return None
    value = _value(code_set, data[index])
    return None if value is None else (1, (value,))


def _keep(states, code_set, count, previous, consumed, values):
    known = states.get(code_set)
    if known is None or count < known[0]:
        states[code_set] = (count, previous, consumed, values)


def bars(data, gs1=False):
    """Widths in modules of the bars and spaces of ``data``'s symbol, bar first, without
    the quiet zones (`QUIET_ZONE` modules each side)."""
    widths = []
    for value in encode(data, gs1):
        widths.extend(PATTERNS[value])
    return widths
