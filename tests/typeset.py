"""A small typesetter: a report's text as a fresh PDF in a chosen layout.

It does its own line breaking, so that each layout controls what published PDFs vary in:
one or two columns, the font, the character at a hyphenated line end ("-", U+2010 or a soft
hyphen), the running header and footer, and a cover page with a large title. Used by the
layout-variant tests and by the benchmark archive. Real pymupdf writes the PDF.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pymupdf

from extractor.read.load import load
from extractor.text.clean import clean
from extractor.text.segment import classify_heading


@dataclass(frozen=True)
class Layout:
    name: str
    columns: int = 1
    font: str = "helv"
    bold: str = "hebo"
    size: float = 10.5
    hyphen: str = "-"  # "" disables hyphenation
    header: str = "Syrian Network for Human Rights"
    footer_numbers: bool = True
    width: float = 595
    height: float = 842
    margin: float = 60
    gutter: float = 20


LAYOUTS = [
    Layout("one-column"),
    Layout("two-columns", columns=2, size=9.5),
    Layout("times-u2010", font="tiro", bold="tibo", hyphen="\u2010", header="SNHR monthly report"),
    Layout(
        "courier-soft-hyphen",
        font="cour",
        bold="cobo",
        size=9.5,
        hyphen="\u00ad",
        header="snhr.org | death toll",
    ),
    Layout("letter-no-hyphens", width=612, height=792, hyphen="", header="SNHR", margin=50),
]


@dataclass(frozen=True)
class Block:
    kind: str  # "cover", "heading", "bullet", "body"
    text: str


def blocks_from_text_edition(path: Path) -> list[Block]:
    """The text edition's paragraphs, marked as cover, heading, bullet or body."""
    paragraphs = clean(load(path))
    out: list[Block] = []
    in_cover = True
    for para in paragraphs:
        heading = classify_heading(para.text)
        if heading is not None and heading.top_level:
            in_cover = False
        if in_cover:
            out.append(Block("cover", para.text))
        elif heading is not None:
            out.append(Block("heading", para.text))
        elif para.text.startswith("- "):
            out.append(Block("bullet", para.text[2:]))
        else:
            out.append(Block("body", para.text))
    return out


class _Writer:
    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.doc = pymupdf.open()
        self.fonts = {"regular": pymupdf.Font(layout.font), "bold": pymupdf.Font(layout.bold)}
        self.page: pymupdf.Page | None = None
        self.column = 0
        self.y = 0.0
        self.writer: pymupdf.TextWriter | None = None

    # geometry -----------------------------------------------------------------------
    def column_box(self) -> tuple[float, float]:
        lay = self.layout
        inner = lay.width - 2 * lay.margin
        width = (inner - (lay.columns - 1) * lay.gutter) / lay.columns
        x0 = lay.margin + self.column * (width + lay.gutter)
        return x0, width

    def new_page(self) -> None:
        self.flush()
        self.page = self.doc.new_page(width=self.layout.width, height=self.layout.height)
        self.writer = pymupdf.TextWriter(self.page.rect)
        self.column = 0
        self.y = self.layout.margin

    def next_column(self) -> None:
        if self.column + 1 < self.layout.columns:
            self.column += 1
            self.y = self.layout.margin
        else:
            self.new_page()

    def flush(self) -> None:
        if self.page is not None and self.writer is not None:
            self.writer.write_text(self.page)
            self.writer = None

    # text ---------------------------------------------------------------------------
    def lines_for(self, text: str, font: pymupdf.Font, size: float, width: float) -> list[str]:
        hyphen = self.layout.hyphen
        lines: list[str] = []
        current = ""
        for word in text.split():
            candidate = f"{current} {word}" if current else word
            if font.text_length(candidate, size) <= width:
                current = candidate
                continue
            if hyphen and word.isalpha() and len(word) >= 8:
                for cut in range(len(word) - 3, 2, -1):
                    head = f"{current} {word[:cut]}{hyphen}" if current else word[:cut] + hyphen
                    if font.text_length(head, size) <= width:
                        lines.append(head)
                        current = word[cut:]
                        break
                else:
                    lines.append(current)
                    current = word
                continue
            if current:
                lines.append(current)
            current = word
        if current:
            lines.append(current)
        return lines

    def paragraph(
        self,
        text: str,
        style: str,
        size: float,
        indent: float = 0.0,
        space_before: float = 0.0,
        prefix: str = "",
    ) -> None:
        font = self.fonts[style]
        x0, width = self.column_box()
        leading = size * 1.35
        self.y += space_before
        for i, line in enumerate(self.lines_for(text, font, size, width - indent)):
            if self.y + leading > self.layout.height - self.layout.margin:
                self.next_column()
                x0, width = self.column_box()
            assert self.writer is not None
            if i == 0 and prefix:
                self.writer.append(
                    (x0 + indent - 10, self.y + size), prefix, font=font, fontsize=size
                )
            self.writer.append((x0 + indent, self.y + size), line, font=font, fontsize=size)
            self.y += leading
        self.y += size * 0.7

    def furniture(self) -> None:
        lay = self.layout
        small = self.fonts["regular"]
        for number, page in enumerate(self.doc, start=1):
            writer = pymupdf.TextWriter(page.rect)
            writer.append((lay.margin, lay.margin * 0.45), lay.header, font=small, fontsize=7)
            if lay.footer_numbers:
                writer.append(
                    (lay.width / 2 - 6, lay.height - lay.margin * 0.4),
                    str(number),
                    font=small,
                    fontsize=8,
                )
            writer.write_text(page)


def typeset(blocks: list[Block], layout: Layout) -> bytes:
    w = _Writer(layout)
    w.new_page()
    cover = [b for b in blocks if b.kind == "cover"]
    for block in cover:
        w.paragraph(
            block.text,
            "bold" if block is cover[0] else "regular",
            layout.size * 1.9,
            space_before=layout.size,
        )
    if cover:
        w.new_page()
    for block in blocks:
        if block.kind == "heading":
            w.paragraph(block.text, "bold", layout.size * 1.25, space_before=layout.size)
        elif block.kind == "bullet":
            w.paragraph(block.text, "regular", layout.size, indent=12, prefix="•")
        elif block.kind == "body":
            w.paragraph(block.text, "regular", layout.size)
    w.flush()
    w.furniture()
    data: bytes = w.doc.tobytes(garbage=1, deflate=True)
    return data


def typeset_file(text_edition: Path, layout: Layout, out: Path) -> Path:
    out.write_bytes(typeset(blocks_from_text_edition(text_edition), layout))
    return out
