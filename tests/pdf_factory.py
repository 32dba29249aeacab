"""Build the hostile and unusual files the bad-input tests feed to `snhr` (real PDFs, made
with real pymupdf, written to the test's temporary folder)."""

from __future__ import annotations

import io
import random
import zipfile
import zlib
from pathlib import Path

import pymupdf

from .conftest import CORPUS

SAMPLE = CORPUS / "2021-02.pdf"


def zero_bytes(folder: Path) -> Path:
    path = folder / "empty.pdf"
    path.write_bytes(b"")
    return path


def html_as_pdf(folder: Path) -> Path:
    path = folder / "report.pdf"
    path.write_text("<!DOCTYPE html><html><body><h1>SNHR</h1><p>107 civilians</p></body></html>")
    return path


def png_as_pdf(folder: Path) -> Path:
    path = folder / "chart.pdf"
    pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 8, 8), False)
    path.write_bytes(pix.tobytes("png"))
    return path


def zip_as_pdf(folder: Path) -> Path:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("report.pdf", SAMPLE.read_bytes())
    path = folder / "bundle.pdf"
    path.write_bytes(buf.getvalue())
    return path


def truncated(folder: Path) -> Path:
    data = SAMPLE.read_bytes()
    path = folder / "partial.pdf"
    path.write_bytes(data[: len(data) // 3])
    return path


def flipped_bytes(folder: Path) -> Path:
    data = bytearray(SAMPLE.read_bytes())
    rng = random.Random(1)
    for _ in range(200):
        data[rng.randrange(len(data))] ^= 0xFF
    path = folder / "flipped.pdf"
    path.write_bytes(bytes(data))
    return path


def encrypted(folder: Path, user_password: str | None) -> Path:
    path = folder / ("user-locked.pdf" if user_password else "owner-locked.pdf")
    with pymupdf.open(SAMPLE) as doc:
        doc.save(
            path,
            encryption=pymupdf.PDF_ENCRYPT_AES_256,
            owner_pw="owner-secret",
            user_pw=user_password or "",
            permissions=0 if user_password is None else -1,
        )
    return path


def image_only(folder: Path) -> Path:
    path = folder / "scan.pdf"
    out = pymupdf.open()
    with pymupdf.open(SAMPLE) as doc:
        for page in list(doc)[:2]:
            new = out.new_page(width=page.rect.width, height=page.rect.height)
            new.insert_image(new.rect, pixmap=page.get_pixmap(dpi=40))
    out.save(path)
    return path


def not_snhr(folder: Path) -> Path:
    path = folder / "sales.pdf"
    doc = pymupdf.open()
    for n in range(3):
        page = doc.new_page()
        page.insert_textbox(
            pymupdf.Rect(72, 100, 520, 700),
            f"Quarterly sales report, part {n}. Revenue grew by 12 percent in March "
            "2021 and the board met twice. Nothing here counts civilians.",
            fontsize=11,
        )
    doc.save(path)
    return path


def garbage_text(folder: Path) -> Path:
    """A text layer of private-use code points, as a broken font encoding produces."""
    path = folder / "garbled.pdf"
    rng = random.Random(2)
    doc = pymupdf.open()
    page = doc.new_page()
    junk = "".join(chr(0xE000 + rng.randrange(400)) for _ in range(1500))
    page.insert_textbox(pymupdf.Rect(50, 50, 550, 800), junk, fontsize=9)
    doc.save(path)
    return path


def many_pages(folder: Path, pages: int = 2000) -> Path:
    path = folder / "huge.pdf"
    doc = pymupdf.open()
    for n in range(pages):
        page = doc.new_page()
        page.insert_textbox(
            pymupdf.Rect(72, 300, 520, 500),
            f"Appendix line {n}: an inventory of nothing in particular.",
            fontsize=11,
        )
    doc.save(path, garbage=1, deflate=True)
    return path


def decompression_bomb(folder: Path, mib: int = 512) -> Path:
    """A few KB whose page content inflates (through two Flate filters) to `mib` MiB."""
    chunk = b"0 0 m 1 1 l S\n" * 74898  # ~1 MiB of drawing operators
    inner = zlib.compressobj(9)
    inflated = b"".join(inner.compress(chunk) for _ in range(mib)) + inner.flush()
    outer = zlib.compress(inflated, 9)
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R>>",
        b"<</Length %d/Filter[/FlateDecode/FlateDecode]>>stream\n" % len(outer)
        + outer
        + b"\nendstream",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer<</Root 1 0 R/Size %d>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path = folder / "bomb.pdf"
    path.write_bytes(out)
    return path
