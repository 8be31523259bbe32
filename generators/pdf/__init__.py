"""PDF for printing: LibreOffice converts the built documents, pypdf joins the letters into one print file."""

from .convert import PDF_KINDS, PdfReport, convert_outputs, printable
from .soffice import FONTS_CONF, LibreOfficeMissing, find_soffice

__all__ = [
    "FONTS_CONF",
    "PDF_KINDS",
    "LibreOfficeMissing",
    "PdfReport",
    "convert_outputs",
    "find_soffice",
    "printable",
]
