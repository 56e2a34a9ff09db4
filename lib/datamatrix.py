"""Data Matrix ECC 200 encoder (ISO/IEC 16022), square symbols 10x10 to 52x52, with GS1.

Free of the ORM and of any drawing: `encode` returns the symbol as rows of ``0``/``1``
and `dark_spans` its dark modules merged into horizontal runs, one rectangle each for the
renderer.

Why our own encoder
===================

ReportLab's ``ECC200DataMatrix`` widget cannot start with FNC1 (codeword 232), so it can
never make a GS1 DataMatrix (symbology identifier ``]d2``), and it pads some data with a
NUL character that scanners then report (measured with ReportLab 3.6.12 and zxing-cpp:
upper-case text of length 3k + 1, e.g. ``AAAA`` scans as ``AAAA\0``); drawing through its
widgets also costs tens of milliseconds a label.  zxing-cpp's writer (``create_barcode``
with ``gs1=True``) does make correct GS1 symbols and takes about 30 us each, but it would
be a new compiled dependency of the Odoo server, only for this, and its output could then
only be checked with zxing-cpp's own reader.  This encoder is about 200 lines, depends on
nothing, takes 75 to 95 us for a typical label's 22x22 symbol (measured on the 2-core
development VM), and the tests check it against zxing-cpp's reader, a decoder we did not
write, for every size and every codeword count.

What it does
============

* ASCII encodation only: two digits per codeword, other characters one codeword,
  characters 128 to 255 behind an upper shift (235).  C40/Text/X12/EDIFACT/Base 256 would
  make symbols of mostly upper-case letters a little smaller; a label's serial, lot and
  GTIN fit anyway.
* GS1 (``gs1=True``): FNC1 (232) as first codeword, and each ``GS`` (ASCII 29) of the
  data, which `gs1.Gs1Payload.data` puts after a variable-length field, as FNC1 too.
* Pad codewords (129, then 253-state randomised), Reed-Solomon error correction over
  GF(256) with the field polynomial 0x12D, two interleaved blocks in 52x52.
* The standard module placement (ISO/IEC 16022 annex F), computed once per size into a
  permutation from codeword bits to symbol modules, finder and clock patterns included;
  Reed-Solomon multiplications are tabulated per error correction length.
"""

import re
from functools import cache
from operator import itemgetter, xor

QUIET_ZONE = 1  # module around the symbol, ISO/IEC 16022 section 7.1

# Square ECC 200 symbols: size, data codewords, error correction codewords, data regions
# per side, interleaved blocks (ISO/IEC 16022 table 7).
SIZES = (
    (10, 3, 5, 1, 1),
    (12, 5, 7, 1, 1),
    (14, 8, 10, 1, 1),
    (16, 12, 12, 1, 1),
    (18, 18, 14, 1, 1),
    (20, 22, 18, 1, 1),
    (22, 30, 20, 1, 1),
    (24, 36, 24, 1, 1),
    (26, 44, 28, 1, 1),
    (32, 62, 36, 2, 1),
    (36, 86, 42, 2, 1),
    (40, 114, 48, 2, 1),
    (44, 144, 56, 2, 1),
    (48, 174, 68, 2, 1),
    (52, 204, 84, 2, 2),
)
FNC1 = 232
UPPER_SHIFT = 235
PAD = 129
GS = "\x1d"

# GF(256) with the field polynomial x^8 + x^5 + x^3 + x^2 + 1 (0x12D), generator 2.
EXP = [0] * 512
LOG = [0] * 256
_value = 1
for _power in range(255):
    EXP[_power] = EXP[_power + 255] = _value
    LOG[_value] = _power
    _value <<= 1
    if _value & 0x100:
        _value ^= 0x12D
BITS = tuple(format(byte, "08b") for byte in range(256))
_DIGITS = re.compile(r"[0-9]{2}")


def codewords(data, gs1=False):
    """The data codewords of ``data`` in ASCII encodation, before padding."""
    result = [FNC1] if gs1 else []
    index, size = 0, len(data)
    while index < size:
        if _DIGITS.match(data, index):
            result.append(130 + int(data[index : index + 2]))
            index += 2
            continue
        char = data[index]
        code = ord(char)
        if gs1 and char == GS:
            result.append(FNC1)
        elif code < 128:
            result.append(code + 1)
        elif code < 256:
            result.extend((UPPER_SHIFT, code - 127))
        else:
            raise ValueError(f"Data Matrix cannot encode {char!r} (Latin-1 only).")
        index += 1
    return result


def symbol_size(count):
    """The entry of `SIZES` of the smallest symbol holding ``count`` data codewords."""
    for entry in SIZES:
        if entry[1] >= count:
            return entry
    raise ValueError(
        f"{count} codewords are too many for a Data Matrix of at most "
        f"{SIZES[-1][0]}x{SIZES[-1][0]} modules ({SIZES[-1][1]} codewords)."
    )


def _padded(words, capacity):
    words = list(words)
    if len(words) < capacity:
        words.append(PAD)
    while len(words) < capacity:
        pseudo = (149 * (len(words) + 1)) % 253 + 1
        value = PAD + pseudo
        words.append(value - 254 if value > 254 else value)
    return words


@cache
def _products(ecc_count):
    """For each feedback byte, its products with the generator polynomial's coefficients
    (all but the leading 1): the XOR masks of the Reed-Solomon shift register."""
    generator = [1]
    for power in range(1, ecc_count + 1):
        # multiply by (x + 2^power), coefficients from the highest degree
        root = EXP[power]
        generator = [
            high ^ (_multiply(low, root))
            for high, low in zip([*generator, 0], [0, *generator], strict=True)
        ]
    coefficients = generator[1:]
    return tuple(
        tuple(_multiply(feedback, coefficient) for coefficient in coefficients)
        for feedback in range(256)
    )


def _multiply(left, right):
    return EXP[LOG[left] + LOG[right]] if left and right else 0


def reed_solomon(data, ecc_count):
    """The ``ecc_count`` error correction codewords of one block of data codewords."""
    products = _products(ecc_count)
    ecc = [0] * ecc_count
    for word in data:
        ecc.append(0)
        ecc = list(map(xor, ecc[1:], products[word ^ ecc[0]]))
    return ecc


def _with_ecc(words, entry):
    _size, capacity, ecc_count, _regions, blocks = entry
    if blocks == 1:
        return words + reed_solomon(words, ecc_count)
    result = words + [0] * ecc_count
    for block in range(blocks):
        ecc = reed_solomon(words[block::blocks], ecc_count // blocks)
        result[capacity + block :: blocks] = ecc
    return result


@cache
def _layout(entry):
    """The symbol of size ``entry`` as one string getter: it picks, for each module in
    reading order (rows top to bottom, then a ``0`` closing each row), a character of the
    codeword bit string followed by ``"01"`` (index ``-2`` light, ``-1`` dark)."""
    size, capacity, ecc_count, regions, _blocks = entry
    bit_count = (capacity + ecc_count) * 8
    light, dark = bit_count, bit_count + 1
    region = size // regions - 2
    mapping = _placement(region * regions)
    block = region + 2
    picks = []
    for row in range(size):
        block_row = row % block
        for col in range(size):
            block_col = col % block
            if block_col == 0 or block_row == block - 1:
                picks.append(dark)
            elif block_row == 0:
                picks.append(light if block_col % 2 else dark)
            elif block_col == block - 1:
                picks.append(dark if block_row % 2 else light)
            else:
                mapped = mapping[row // block * region + block_row - 1][
                    col // block * region + block_col - 1
                ]
                picks.append({-1: light, -2: dark}.get(mapped, mapped))
        picks.append(light)
    return itemgetter(*picks)


def _placement(count):
    """ISO/IEC 16022 annex F: for each module of the ``count`` x ``count`` mapping matrix,
    the index of its bit in the codeword bit string (codeword * 8 + bit, most significant
    bit first), ``-1`` for light and ``-2`` for dark fixed modules of the corner."""
    nrow = ncol = count
    array = [[None] * ncol for _ in range(nrow)]

    def module(row, col, word, bit):
        if row < 0:
            row += nrow
            col += 4 - ((nrow + 4) % 8)
        if col < 0:
            col += ncol
            row += 4 - ((ncol + 4) % 8)
        array[row][col] = word * 8 + bit

    def place(word, cells):
        for bit, (row, col) in enumerate(cells):
            module(row, col, word, bit)

    def utah(row, col, word):
        place(
            word,
            (
                (row - 2, col - 2),
                (row - 2, col - 1),
                (row - 1, col - 2),
                (row - 1, col - 1),
                (row - 1, col),
                (row, col - 2),
                (row, col - 1),
                (row, col),
            ),
        )

    n, c = nrow, ncol
    corners = (
        ((n - 1, 0), (n - 1, 1), (n - 1, 2), (0, c - 2), (0, c - 1), (1, c - 1), (2, c - 1),
         (3, c - 1)),
        ((n - 3, 0), (n - 2, 0), (n - 1, 0), (0, c - 4), (0, c - 3), (0, c - 2), (0, c - 1),
         (1, c - 1)),
        ((n - 3, 0), (n - 2, 0), (n - 1, 0), (0, c - 2), (0, c - 1), (1, c - 1), (2, c - 1),
         (3, c - 1)),
        ((n - 1, 0), (n - 1, c - 1), (0, c - 3), (0, c - 2), (0, c - 1), (1, c - 3),
         (1, c - 2), (1, c - 1)),
    )  # fmt: skip
    word, row, col = 0, 4, 0
    while True:
        if row == nrow and col == 0:
            place(word, corners[0])
            word += 1
        if row == nrow - 2 and col == 0 and ncol % 4:
            place(word, corners[1])
            word += 1
        if row == nrow - 2 and col == 0 and ncol % 8 == 4:
            place(word, corners[2])
            word += 1
        if row == nrow + 4 and col == 2 and not ncol % 8:
            place(word, corners[3])
            word += 1
        while True:  # sweep up and right
            if row < nrow and col >= 0 and array[row][col] is None:
                utah(row, col, word)
                word += 1
            row -= 2
            col += 2
            if row < 0 or col >= ncol:
                break
        row += 1
        col += 3
        while True:  # sweep down and left
            if row >= 0 and col < ncol and array[row][col] is None:
                utah(row, col, word)
                word += 1
            row += 2
            col -= 2
            if row >= nrow or col < 0:
                break
        row += 3
        col += 1
        if row >= nrow and col >= ncol:
            break
    if array[nrow - 1][ncol - 1] is None:  # the unused 2x2 corner of some sizes
        array[nrow - 1][ncol - 1] = array[nrow - 2][ncol - 2] = -2
        array[nrow - 1][ncol - 2] = array[nrow - 2][ncol - 1] = -1
    return array


def _modules(data, gs1):
    """(size, modules): the symbol as one string of ``0``/``1``, row after row, each row
    followed by a ``0``."""
    words = codewords(data, gs1)
    entry = symbol_size(len(words))
    bits = "".join(map(BITS.__getitem__, _with_ecc(_padded(words, entry[1]), entry)))
    return entry[0], "".join(_layout(entry)(bits + "01"))


def encode(data, gs1=False):
    """The symbol of ``data`` as a tuple of rows (top first) of ``0``/``1`` integers,
    without the quiet zone (`QUIET_ZONE` module each side)."""
    size, modules = _modules(data, gs1)
    return tuple(
        tuple(int(bit) for bit in modules[row * (size + 1) : row * (size + 1) + size])
        for row in range(size)
    )


_RUN = re.compile("1+")


def dark_spans(data, gs1=False):
    """(size, spans): the symbol's side in modules and its runs of dark modules, each a
    ``(start, end)`` span of the rows written one after the other with a light module
    after each (``size + 1`` characters a row, row 0 at the top), ready for one
    rectangle per run."""
    size, modules = _modules(data, gs1)
    return size, [match.span() for match in _RUN.finditer(modules)]
