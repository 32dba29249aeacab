"""Stage 1, load: a file (PDF or text edition) to lines with page numbers.

The file's own bytes decide what it is, never its name: an HTML page or a ZIP renamed
`.pdf` is refused before any PDF library sees it, because PyMuPDF would happily open an
HTML page and return its text.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..document import Document, Line
from ..errors import (
    EmptyFile,
    ExtractionError,
    GarbledText,
    ImageOnlyPDF,
    InputNotFound,
    NotAPDF,
    ResourceLimit,
)
from ..pdf.engines import ENGINES, RawDocument, other_engines_remedy, unknown_engine_remedy
from ..pdf.layout import page_lines
from ..settings import DEFAULT_SETTINGS, Settings
from .sandbox import read_in_child

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}

# Leading bytes of formats that are sometimes served or saved in place of a report PDF.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"{\\rtf", "an RTF document"),
    (b"\xd0\xcf\x11\xe0", "an old Word document"),
)


# Byte-order marks of text editions saved as UTF-16/32 (Windows Notepad's "Unicode"). The
# UTF-32 marks come first: UTF-32-LE's starts with UTF-16-LE's.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
)


def text_encoding(head: bytes) -> str | None:
    """The encoding a byte-order mark declares, if the file starts with one."""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding
    return None


def _looks_like_bomless_utf16(head: bytes) -> bool:
    """ASCII text in UTF-16 without a mark: every other byte is NUL."""
    sample = head[:512]
    if len(sample) < 8:
        return False
    evens, odds = sample[0::2], sample[1::2]
    return evens.count(0) > 0.9 * len(evens) or odds.count(0) > 0.9 * len(odds)


def sniff(head: bytes) -> str:
    """What the leading bytes say the file is: 'pdf', 'text' or a description."""
    if text_encoding(head) is not None:
        return "text"
    if _looks_like_bomless_utf16(head):
        return "UTF-16 text without a byte-order mark"
    # Other formats first: a ZIP that stores a PDF has "%PDF-" in its first kilobyte too.
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return what
    lowered = head[:2048].lstrip().lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head", b"<body")):
        return "an HTML page"
    if b"%PDF-" in head[:1024]:
        return "pdf"
    try:
        head[:4096].decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut by the 4 KiB window is still text.
        if exc.start < len(head[:4096]) - 4:
            return "a binary file"
    return "text"


def load(
    path: Path,
    *,
    engine: str = "pymupdf",
    password: str | None = None,
    ocr: bool = False,
    sandbox: bool = True,
    settings: Settings = DEFAULT_SETTINGS,
) -> Document:
    """Load a report file into lines. Raises a subclass of ExtractionError."""
    if not path.exists():
        raise InputNotFound(path, "no such file")
    if path.is_dir():
        raise InputNotFound(path, "this is a directory, not a report file")
    if not path.is_file():
        raise InputNotFound(path, "this is not a regular file (a FIFO, socket or device)")
    size = path.stat().st_size
    if size == 0:
        raise EmptyFile(path, "the file is empty (0 bytes)")
    if size > settings.max_file_mb * 1024 * 1024:
        raise ResourceLimit(path, f"the file is larger than {settings.max_file_mb} MB")
    data = path.read_bytes()
    sha256 = hashlib.sha256(data).hexdigest()
    kind = sniff(data[:4096])
    if kind == "pdf":
        return _load_pdf(path, sha256, engine, password, ocr, sandbox, settings)
    if kind.startswith("UTF-16"):
        raise NotAPDF(
            path,
            f"the file is {kind}, which cannot be decoded safely",
            remedy="Save the text edition as UTF-8 (or as UTF-16 with a byte-order mark).",
        )
    if path.suffix.lower() != ".pdf" and kind == "an HTML page":
        # A saved web announcement (2019 on): read as a press release, never as a PDF.
        return _load_html(path, sha256, data)
    if path.suffix.lower() == ".pdf" or kind != "text":
        raise NotAPDF(path, f"the file is {kind}, not a PDF or a text edition")
    return _load_text(path, sha256, data)


# Elements whose text is not the announcement: site navigation, scripts, sharing widgets.
_HTML_NOISE = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form")
_HTML_BLOCKS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote")


def html_lines(html: str) -> list[Line]:
    """The lines of a saved announcement page: its title heading and the paragraphs of
    its article (WordPress `article`/`main`, else the body), one block element a line.
    Parsing is BeautifulSoup's; no tag is stripped by hand."""
    # Imported here: bs4 (with soupsieve) is a fifth of every command's start-up and only
    # saved web pages need it.
    from bs4 import BeautifulSoup, Tag

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(list(_HTML_NOISE)):
        tag.decompose()
    root = soup.find("article") or soup.find("main") or soup.body or soup
    lines: list[Line] = []
    blocks = root.find_all(list(_HTML_BLOCKS)) if isinstance(root, Tag) else []
    if root is not soup and not any(b.name == "h1" for b in blocks):
        heading = soup.find("h1")  # a theme may put the title outside the article
        if heading is not None:
            lines.append(Line(" ".join(heading.get_text(" ").split()), None, True))
    for block in blocks:
        if block.find(list(_HTML_BLOCKS)) is not None:
            continue  # a container (a list item holding paragraphs): its children come next
        text = " ".join(block.get_text(" ").split())
        if text:
            lines.append(Line(f"- {text}" if block.name == "li" else text, None, True))
    return lines


def _load_html(path: Path, sha256: str, data: bytes) -> Document:
    lines = html_lines(data.decode("utf-8", errors="replace"))
    if not lines:
        raise EmptyFile(path, "the HTML page holds no text")
    return Document(str(path), sha256, "html", "html", None, lines)


def text_lines(text: str) -> list[Line]:
    """A text edition's lines: a blank line is a paragraph break, and a line indented by one
    space (the line-by-line editions' page start) a soft one."""
    lines: list[Line] = []
    blank = True
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not raw.strip():
            blank = True
            continue
        page_start = raw[:1].isspace() and not blank
        lines.append(Line(raw.strip(), None, blank or page_start, soft=page_start))
        blank = False
    return lines


def _load_text(path: Path, sha256: str, data: bytes) -> Document:
    # A byte-order mark decides (UTF-16/32 editions); otherwise UTF-8.
    encoding = text_encoding(data[:4]) or "utf-8"
    lines = text_lines(data.decode(encoding, errors="replace"))
    return Document(str(path), sha256, "text", "text", None, lines)


def _load_pdf(
    path: Path,
    sha256: str,
    engine: str,
    password: str | None,
    ocr: bool,
    sandbox: bool,
    settings: Settings,
) -> Document:
    if engine not in ENGINES:
        raise ExtractionError(path, f"unknown engine {engine!r}", remedy=unknown_engine_remedy())
    raw = _read(path, engine, password, sandbox, settings)
    if _is_image_only(raw, settings):
        if not ocr:
            raise ImageOnlyPDF(
                path, "the PDF has no text layer (scanned pages, or text drawn as outlines)"
            )
        raw = _read(_ocr(path), engine, password, sandbox, settings)
    _refuse_garbage(path, raw, engine, settings)
    lines = page_lines(raw, settings)
    doc = Document(str(path), sha256, "pdf", raw.engine, len(raw.pages), lines, list(raw.warnings))
    empty = [p.number for p in raw.pages if p.image_count and not p.fragments]
    if empty:
        doc.warnings.append(f"pages {_ranges(empty)} carry images but no text")
    return doc


def _read(
    path: Path, engine: str, password: str | None, sandbox: bool, settings: Settings
) -> RawDocument:
    if sandbox:
        return read_in_child(path, engine, password, settings)
    return ENGINES[engine](path, password)


def _is_image_only(raw: RawDocument, settings: Settings) -> bool:
    """Fewer visible characters (each span's text stripped) than min_text_chars a page, and
    images or no text at all. Counting stops once the threshold is reached: a page of
    ordinary text reaches it within its first lines."""
    threshold = settings.min_text_chars * len(raw.pages)
    chars = 0
    for page in raw.pages:
        for frag in page.fragments:
            for span in frag.spans:
                chars += len(span.text.strip())
                if chars >= threshold:
                    return False
    images = sum(p.image_count for p in raw.pages)
    return chars < threshold and (images > 0 or chars == 0)


_SPACE = re.compile(r"\s+")
# What counts as a letter ([A-Za-z'’]), as bytes: in UTF-8 an ASCII byte is always that ASCII
# character (the bytes of every other character are 0x80 and above), so the ASCII letters
# are counted by deleting them from the encoded text, in C; the one other letter, ’, by
# str.count.
_ASCII_LETTERS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'"
_ASCII_SPACES = bytes(code for code in range(128) if chr(code).isspace())


def _refuse_garbage(path: Path, raw: RawDocument, engine: str, settings: Settings) -> None:
    """Refuse a text layer with no visible character, or too few letters among them."""
    text = "".join([s.text for p in raw.pages for f in p.fragments for s in f.spans])
    if not text or text.isspace():
        raise ImageOnlyPDF(path, "the PDF has no readable text")
    data = text.encode("utf-8", "surrogatepass")
    letters = len(data) - len(data.translate(None, _ASCII_LETTERS)) + text.count("’")
    # Every character but the ASCII spaces: at least as many as the visible characters
    # (which leave out the other Unicode spaces too), so a letter share over these that
    # passes is a pass over the visible ones; only a close call or a refusal counts them.
    most = len(text) - (len(data) - len(data.translate(None, _ASCII_SPACES)))
    if letters / most >= settings.min_letter_share:
        return
    share = letters / len(_SPACE.sub("", text))
    if share < settings.min_letter_share:
        raise GarbledText(
            path,
            f"only {share:.0%} of its text is letters; the text layer is garbage",
            remedy=f"{other_engines_remedy(engine)} Or try --ocr, or the text edition.".lstrip(),
        )


def _ocr(path: Path) -> Path:
    tool = shutil.which("ocrmypdf")
    if tool is None:
        raise ImageOnlyPDF(path, "the PDF has no text layer and ocrmypdf is not installed")
    out = Path(tempfile.mkdtemp(prefix="snhr-ocr-")) / path.name
    done = subprocess.run([tool, "--force-ocr", "--quiet", str(path), str(out)], check=False)
    if done.returncode != 0:
        raise ImageOnlyPDF(path, f"ocrmypdf failed with exit code {done.returncode}")
    return out


def _ranges(numbers: list[int]) -> str:
    return ", ".join(str(n) for n in numbers[:20]) + (" ..." if len(numbers) > 20 else "")
