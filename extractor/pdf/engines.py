"""The PDF engines, and the one registry (`ENGINES`) that lists them.

Each engine turns a PDF into `RawPage`s of positioned text fragments and nothing more; the
geometry rules (headers, footnotes, columns, paragraphs) live in pdf/layout.py and are
shared, so every engine is judged by the same rules. The readers run inside the
resource-limited child process of sandbox.py.

Adding an engine is one `register(Engine(...))` call below plus its test: the CLI's
`--engine` choices, the remedies that name engines, `--engine both` (engines.py) and
`snhr audit` all read the registry.
"""

from __future__ import annotations

import itertools
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from ..errors import DamagedPDF, EncryptedPDF, NotAPDF


# Span and Fragment are named tuples, not dataclasses: a report has a few thousand of each,
# built one per MuPDF span, and a tuple is built in C (a frozen dataclass's __init__ sets
# each field through object.__setattr__). Their fields are read by name, as before.
class Span(NamedTuple):
    text: str
    size: float
    bold: bool


class Fragment(NamedTuple):
    """A run of text on one baseline, within one column."""

    x0: float
    y0: float
    x1: float
    y1: float
    spans: tuple[Span, ...]


@dataclass(slots=True)
class RawPage:
    number: int
    width: float
    height: float
    fragments: list[Fragment] = field(default_factory=list)
    image_count: int = 0


@dataclass(slots=True)
class RawDocument:
    pages: list[RawPage]
    engine: str
    warnings: list[str] = field(default_factory=list)


# Images are counted (`get_images`, about a fifth of MuPDF's time on a text page) only on
# pages without text, unless the whole document has fewer characters than this per page;
# read/load.py's image-only test (min_text_chars, default 40) needs them only in that case.
SPARSE_CHARS_PER_PAGE = 400


def pymupdf_module() -> Any:
    """Import PyMuPDF without its optional add-ons. PyMuPDF 2 imports an ONNX layout model
    and pymupdf4llm at start-up (about a second) if they are installed; this project never
    uses them, and marking them absent takes PyMuPDF's own "not installed" path."""
    for addon in ("pymupdf.layout", "pymupdf4llm"):
        sys.modules.setdefault(addon, None)  # type: ignore[arg-type]
    import pymupdf

    return pymupdf


def read_pymupdf(path: Path, password: str | None) -> RawDocument:
    pymupdf = pymupdf_module()

    pymupdf.TOOLS.mupdf_warnings()  # reset the warning buffer
    try:
        doc = pymupdf.open(str(path), filetype="pdf")
    except Exception as exc:  # MuPDF raises several types for unreadable files
        raise DamagedPDF(path, f"MuPDF cannot open it ({exc})") from exc
    with doc:
        _check_opened(doc, path, password)
        flags = pymupdf.TEXTFLAGS_DICT & ~pymupdf.TEXT_PRESERVE_IMAGES
        pages: list[RawPage] = []
        chars = 0
        # MuPDF's sizes, rounded once each: a report sets its text in a handful of sizes,
        # and a dict look-up costs a fraction of round(x, 2). A zero or NaN is rounded
        # every time, so that every span gets exactly what round() gives it.
        rounded: dict[float, float] = {}
        for number, page in enumerate(doc, start=1):
            rect = page.rect  # computed from the page's boxes on every access
            raw = RawPage(number, rect.width, rect.height)
            fragments = raw.fragments
            for block in page.get_text("dict", flags=flags)["blocks"]:
                for line in block.get("lines", ()):
                    found = line["spans"]
                    if len(found) == 1:
                        # The ordinary line (nineteen in twenty in the corpus): one span,
                        # kept unless it is empty or blank, as the general case decides.
                        s = found[0]
                        text = s["text"]
                        if not text or text.isspace():
                            continue
                        size = s["size"]
                        if (at := rounded.get(size)) is None:
                            at = round(float(size), 2)
                            if at and at == at:  # 0.0 and -0.0 are one key; NaN is none
                                rounded[size] = at
                        spans: tuple[Span, ...] = (_new(Span, (text, at, s["flags"] & 16 != 0)),)
                        chars += len(text)
                    else:
                        spans = _spans(found)
                        if not spans:
                            continue
                        chars += sum([len(s.text) for s in spans])
                    fragments.append(_new(Fragment, (*line["bbox"], spans)))
            if not fragments:
                raw.image_count = len(page.get_images(full=False))
            pages.append(raw)
        if chars < SPARSE_CHARS_PER_PAGE * len(pages):
            # Little text overall (a scan with a line of text per page, say): the image-only
            # test weighs the images of every page, so count them on pages with text too.
            for raw in pages:
                if raw.fragments:
                    raw.image_count = len(doc[raw.number - 1].get_images(full=False))
        warnings = pymupdf.TOOLS.mupdf_warnings()
        if doc.is_repaired or _mentions_repair(warnings):
            # A repaired file is a partial download or a damaged file: its figures would be
            # the figures of whatever pages survived, so it is refused, never half-read.
            raise DamagedPDF(path, "the PDF is damaged or truncated and MuPDF had to repair it")
        return RawDocument(pages, "pymupdf")


# A named tuple's own constructor is a Python function (it only passes its arguments on to
# tuple.__new__); calling tuple.__new__ directly builds the same tuple, in C, for the few
# thousand spans and lines of a report.
_new = tuple.__new__


def _spans(found: list[dict[str, Any]]) -> tuple[Span, ...]:
    """A line's non-empty spans, or none if they are all blank."""
    spans = tuple(
        [
            Span(text, round(float(s["size"]), 2), bool(s["flags"] & 16))
            for s in found
            if (text := s["text"])
        ]
    )
    if all(s.text.isspace() for s in spans):
        return ()
    return spans


def _check_opened(doc: object, path: Path, password: str | None) -> None:
    if not getattr(doc, "is_pdf", False):
        raise NotAPDF(path, "the file is not a PDF")
    if getattr(doc, "needs_pass", False):
        if password is None:
            raise EncryptedPDF(path, "the PDF is encrypted with a user password")
        if not doc.authenticate(password):  # type: ignore[attr-defined]
            raise EncryptedPDF(
                path,
                "the password given does not open the PDF",
                remedy="Check the password given with --password.",
            )
    if getattr(doc, "page_count", 0) == 0:
        raise DamagedPDF(path, "the PDF has no pages")


def _mentions_repair(warnings: str) -> bool:
    return bool(re.search(r"repair|trying to reconstruct|broken xref|xref", warnings, re.I))


def read_pdfplumber(path: Path, password: str | None) -> RawDocument:
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        pdf = pdfplumber.open(str(path), password=password or "")
    except PDFPasswordIncorrect as exc:
        raise EncryptedPDF(path, "the PDF is encrypted with a user password") from exc
    except PDFSyntaxError as exc:
        raise DamagedPDF(path, f"pdfminer cannot parse it ({exc})") from exc
    except Exception as exc:
        raise DamagedPDF(path, f"pdfplumber cannot open it ({type(exc).__name__})") from exc
    with pdf:
        if not pdf.pages:
            raise DamagedPDF(path, "the PDF has no pages")
        pages: list[RawPage] = []
        for number, page in enumerate(pdf.pages, start=1):
            try:
                raw = RawPage(number, float(page.width), float(page.height))
                raw.image_count = len(page.images)
                words = page.extract_words(extra_attrs=["size", "fontname"], use_text_flow=False)
                raw.fragments.extend(_words_to_fragments(words))
                pages.append(raw)
            finally:
                # pdfplumber caches every object of a page until it is closed; without this
                # a long document grows without bound.
                page.close()
        return RawDocument(pages, "pdfplumber")


def _words_to_fragments(words: list[dict[str, object]]) -> list[Fragment]:
    """Group words on one baseline into fragments, split where a gap looks like a gutter."""
    rows: list[list[dict[str, object]]] = []
    for word in sorted(words, key=lambda w: (round(float(str(w["top"]))), float(str(w["x0"])))):
        top = float(str(word["top"]))
        size = float(str(word["size"]))
        if rows and abs(float(str(rows[-1][0]["top"])) - top) < 0.5 * size:
            rows[-1].append(word)
        else:
            rows.append([word])
    fragments: list[Fragment] = []
    for row in rows:
        row.sort(key=lambda w: float(str(w["x0"])))
        current: list[dict[str, object]] = []
        for word in row:
            size = float(str(word["size"]))
            if current and float(str(word["x0"])) - float(str(current[-1]["x1"])) > 1.5 * size:
                fragments.append(_fragment(current))
                current = []
            current.append(word)
        if current:
            fragments.append(_fragment(current))
    return fragments


def _fragment(words: list[dict[str, object]]) -> Fragment:
    # No space where the next word touches this one: a hyphen glyph pdfplumber splits off.
    spaced = [
        float(str(b["x0"])) - float(str(a["x1"])) > 0.15 * float(str(a["size"]))
        for a, b in itertools.pairwise(words)
    ]
    spans = tuple(
        Span(
            str(w["text"]) + (" " if i < len(words) - 1 and spaced[i] else ""),
            round(float(str(w["size"])), 2),
            "bold" in str(w["fontname"]).lower(),
        )
        for i, w in enumerate(words)
    )
    return Fragment(
        min(float(str(w["x0"])) for w in words),
        min(float(str(w["top"])) for w in words),
        max(float(str(w["x1"])) for w in words),
        max(float(str(w["bottom"])) for w in words),
        spans,
    )


def _preload_pdfplumber() -> None:
    import pdfplumber  # noqa: F401


@dataclass(frozen=True)
class Engine:
    """A registered PDF engine.

    Calling it reads a file (`engine(path, password)`), so an `Engine` can be handed to the
    sandbox wherever a reader function is expected.
    """

    name: str
    # Reads one PDF into positioned fragments; raises ExtractionError subclasses.
    read: Callable[[Path, str | None], RawDocument]
    # Imports the library, so forked readers inherit it ready (ingest, sandbox).
    preload: Callable[[], None]
    # One line for --help and the docs.
    doc: str
    # Why a user would try this engine when another one fails on a file; remedies quote it.
    try_when: str

    def __call__(self, path: Path, password: str | None) -> RawDocument:
        return self.read(path, password)


ENGINES: dict[str, Engine] = {}
DEFAULT_ENGINE = "pymupdf"


def register(engine: Engine) -> Engine:
    """Add an engine to the registry (a name can be registered once)."""
    if engine.name in ENGINES or engine.name == BOTH:
        raise ValueError(f"engine name {engine.name!r} is already taken")
    ENGINES[engine.name] = engine
    return engine


# The `--engine` value that compares every registered engine (engines.extract_both).
BOTH = "both"

register(
    Engine(
        "pymupdf",
        read_pymupdf,
        pymupdf_module,
        doc="PyMuPDF (MuPDF): fast; the default",
        try_when="a different text decoder, MuPDF's",
    )
)
register(
    Engine(
        "pdfplumber",
        read_pdfplumber,
        _preload_pdfplumber,
        doc="pdfplumber (pdfminer.six): pure Python, slower; a second, independent reading",
        try_when="a different text decoder, pdfminer.six's",
    )
)


def engine_names() -> list[str]:
    """The registered engines, the default first."""
    return sorted(ENGINES, key=lambda name: (name != DEFAULT_ENGINE, name))


def get_engine(name: str) -> Engine:
    """The registered engine called `name`; KeyError names the ones there are."""
    try:
        return ENGINES[name]
    except KeyError:
        raise KeyError(f"unknown engine {name!r}; use one of {', '.join(engine_names())}") from None


def preload(engine: str) -> None:
    """Import an engine in this process, so that forked readers inherit it ready."""
    get_engine(engine).preload()


def unknown_engine_remedy() -> str:
    return f"Use one of: {', '.join(engine_names())}."


def other_engines_remedy(engine: str) -> str:
    """'Try --engine X (why)' for every registered engine but `engine`."""
    others = [e for name, e in ENGINES.items() if name != engine]
    if not others:
        return ""
    return "Try " + " or ".join(f"--engine {e.name} ({e.try_when})" for e in others) + "."
