# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Read rendered PDFs back with tools we did not write: poppler rasterises and
extracts text, zxing-cpp decodes the barcodes."""

import subprocess
import tempfile
from pathlib import Path

import zxingcpp
from PIL import Image

DPI = 300


def rasterise(pdf, first=None, last=None, dpi=DPI):
    """The pages of ``pdf`` (bytes) as grey images."""
    with tempfile.TemporaryDirectory(prefix="si-pdf-") as folder:
        path = Path(folder) / "doc.pdf"
        path.write_bytes(pdf)
        command = ["pdftoppm", "-r", str(dpi), "-gray"]
        if first:
            command += ["-f", str(first), "-l", str(last or first)]
        subprocess.run([*command, str(path), str(Path(folder) / "page")], check=True)
        pages = []
        for image_path in sorted(Path(folder).glob("page-*.pgm")):
            with Image.open(image_path) as image:
                image.load()
                pages.append(image)
        return pages


def pdf_text(pdf, *options):
    """``pdftotext`` of ``pdf`` (bytes), pages separated by form feeds."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        return subprocess.run(
            ["pdftotext", *options, file.name, "-"], check=True, capture_output=True, text=True
        ).stdout


def decode(image, formats=None):
    """(symbology identifier, text, position) of each barcode of ``image``."""
    kwargs = {"formats": formats} if formats is not None else {}
    return [
        (result.symbology_identifier, result.bytes.decode(), result.position)
        for result in zxingcpp.read_barcodes(image, **kwargs)
    ]
