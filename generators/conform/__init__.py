"""GB/T 9704-2012 conformance: the .docx XML and the rendered PDF held against templates/layout.yaml."""

from .docx_checks import check_docx
from .pdf_checks import check_pdf
from .report import format_table
from .result import Check
from .targets import NothingToCheck, check_charts, check_file, check_issued, check_opinion

__all__ = [
    "Check",
    "NothingToCheck",
    "check_charts",
    "check_docx",
    "check_file",
    "check_issued",
    "check_opinion",
    "check_pdf",
    "format_table",
]
