"""PDF for printing: LibreOffice converts the built documents, pypdf joins the letters into one print file."""

from .convert import BadSelection, PdfReport, convert_outputs
from .soffice import FONTS_CONF, LibreOfficeMissing, find_soffice
from .targets import PDF_KINDS

__all__ = [
    "FONTS_CONF",
    "PDF_KINDS",
    "BadSelection",
    "LibreOfficeMissing",
    "PdfReport",
    "convert_outputs",
    "find_soffice",
]
