"""snhr-extractor: SNHR monthly death-toll reports to a checked dataset with evidence.

Public API: `extract`, `extract_text`, the models in `extractor.models` and the errors in
`extractor.errors`.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .api import extract, extract_document, extract_text
from .errors import ExtractionError
from .models import Record

__all__ = [
    "ExtractionError",
    "Record",
    "__version__",
    "extract",
    "extract_document",
    "extract_text",
]
