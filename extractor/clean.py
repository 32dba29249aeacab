"""Stage 2, clean: lines to paragraphs, with the noise of both editions removed.

Handles what the two text editions and the PDFs really contain: end-of-line hyphenation
(with "-", U+2010 and the soft hyphen), sentences broken across blank lines or pages,
markdown markup, photo captions, bare URL lines and footnote markers glued to words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .document import Document, Line, Paragraph

_CHAR_FIXES = str.maketrans(
    {
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\u200b": "",
        "\ufeff": "",
        "\u2010": "-",
        "\u2011": "-",
        "\ufb01": "fi",
        "\ufb02": "fl",
        "\ufb00": "ff",
        "\ufb03": "ffi",
        "\ufb04": "ffl",
        "\t": " ",
    }
)
_SOFT_HYPHEN = "\u00ad"
_SUPERSCRIPTS = re.compile(r"[\u00b9\u00b2\u00b3\u2070-\u2079]+")
# A footnote marker glued to the end of a word or bracket: "link3." "al Sham2" "militias)1".
# Two digits at most, so "n249" or a year stays.
_GLUED_MARKER = re.compile(r"(?<=[a-z\)’'”])\d{1,2}(?=[\s.,;:]|$)")
_URL_LINE = re.compile(r"^\s*(?:<)?(?:https?://|www\.)\S+\s*(?:>)?\s*$", re.I)
# Photo captions in the markdown editions start with an arrow and an eye (2023-12)
# or a card suit (2024-11).
_CAPTION = re.compile(r"^\s*(?:[↑↓]\s*)?[👁♠♣]")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MD_MARKUP = re.compile(
    r"\*\*|__|</?u>|</?b>|</?i>|</?em>|</?strong>|(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w)"
)
_MD_HEADING = re.compile(r"^#{1,6}\s+")
_MD_ESCAPE = re.compile(r"\\([()\[\]*_#.\-])")
_BULLET = re.compile(r"^(?:[•■➤▪◦●▸►‣·]|[-–*](?=\s))\s*")
_HEADING_LIKE = re.compile(r"^(?:[IVX]{1,6}|V1|[A-H]|[1-9]|[ivx]{1,4})\s*[.)\-]\s+\S")
_TERMINAL = (".", "!", "?", ":", ";", '"', "”", ")")
# When a line ends in "word-" and the report never shows the joined or the hyphenated form
# elsewhere, these first and second parts mark a real compound ("pro-regime", "Kurdish-led",
# "laser-guided", "16-year-old"); anything else is a word broken by hyphenation.
_COMPOUND_FIRST = {
    "pro",
    "anti",
    "non",
    "self",
    "well",
    "half",
    "semi",
    "cross",
    "far",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "fixed",
    "rotary",
    "long",
    "short",
    "high",
    "low",
    "so",
}
_COMPOUND_SECOND = {
    "led",
    "based",
    "backed",
    "old",
    "year",
    "run",
    "made",
    "held",
    "wing",
    "guided",
    "related",
    "owned",
    "affiliated",
    "controlled",
    "scale",
    "term",
    "level",
    "like",
    "free",
    "day",
    "month",
    "week",
    "speaking",
    "ranking",
    "regime",
    "government",
    "aligned",
    "supported",
    "funded",
    "linked",
    "armor",
    "range",
    "born",
    "lasting",
    "known",
    "called",
    "appointed",
    "proclaimed",
}
_NAME_PARTICLES = {"al", "el", "bin", "ibn", "bint", "abu", "de", "la", "van", "von"}
_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*(?:-[A-Za-z][A-Za-z'’]*)*")


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def normalise_line(text: str) -> str:
    text = _CONTROL.sub("", text.translate(_CHAR_FIXES))
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_HEADING.sub("", text)
    text = _MD_MARKUP.sub("", text)
    text = _MD_ESCAPE.sub(r"\1", text)
    text = _SUPERSCRIPTS.sub("", text)
    text = _GLUED_MARKER.sub("", text)
    return re.sub(r"[ ]{2,}", " ", text).strip()


def is_noise(text: str) -> bool:
    return bool(_URL_LINE.match(text) or _CAPTION.match(text))


@dataclass
class _Draft:
    """A paragraph being assembled."""

    text: str
    page: int | None


def clean(doc: Document) -> list[Paragraph]:
    """Assemble the document's lines into paragraphs."""
    paragraphs: list[_Draft] = []
    heading_open = False
    lines = _usable_lines(doc.lines)
    vocabulary = _vocabulary(lines)
    for line in lines:
        text = line.text
        bullet = bool(_BULLET.match(text))
        if bullet:
            text = "- " + _BULLET.sub("", text)
        if paragraphs:
            current = paragraphs[-1].text
            if _ends_with_break_hyphen(current) and text[:1].isalpha():
                paragraphs[-1].text = _join_hyphenated(current, text, vocabulary)
                continue
            # "- Syrian Democratic Forces: One individual." then "B. Other parties: Two
            # individuals." on the next line (2021-02): a numbered item after a full stop.
            # A numbered line after any break (a page's first line included) is a heading.
            numbered = bool(_HEADING_LIKE.match(text)) and (
                current.endswith(_TERMINAL) or line.break_before
            )
            continues = (
                not bullet
                and not numbered
                and (
                    not line.break_before
                    or _runs_on(current, text)
                    or (line.soft and _mid_sentence(current))
                )
            )
            if continues and not heading_open and not current.endswith(":"):
                paragraphs[-1].text = current + " " + text
                continue
            wrapped = not line.break_before and (
                line.styled or _heading_continues(current) or text[:1].islower()
            )
            if heading_open and wrapped and not current.endswith(":"):
                paragraphs[-1].text = current + " " + text
                continue
        paragraphs.append(_Draft(text, line.page))
        heading_open = bool(_HEADING_LIKE.match(text)) and len(text) < 120
    out: list[Paragraph] = []
    for draft in paragraphs:
        tidy = re.sub(r"\s+([.,;:])(?=\s|$)", r"\1", draft.text)
        tidy = re.sub(r"\s+", " ", tidy).strip()
        if tidy:
            out.append(Paragraph(tidy, draft.page, len(out)))
    return out


def _usable_lines(lines: list[Line]) -> list[Line]:
    out: list[Line] = []
    pending_break = after_noise = False
    for line in lines:
        text = line.text.replace(_SOFT_HYPHEN + " ", _SOFT_HYPHEN)
        soft = text.rstrip().endswith(_SOFT_HYPHEN)
        text = normalise_line(text.replace(_SOFT_HYPHEN, ""))
        if soft:
            text += _SOFT_HYPHEN  # keep the marker: a soft hyphen at a line end always joins
        if not text or is_noise(text):
            pending_break = pending_break or line.break_before or is_noise(text)
            after_noise = after_noise or is_noise(text)
            continue
        # A page that ends in a list of link URLs (the line-by-line editions) ends its last
        # paragraph there: what follows the URLs never runs on from a caption above them.
        brk = line.break_before or pending_break
        soft = line.soft and not after_noise
        out.append(Line(text, line.page, brk, soft=soft, styled=line.styled))
        pending_break = after_noise = False
    return out


def _ends_with_break_hyphen(text: str) -> bool:
    return text.endswith(_SOFT_HYPHEN) or bool(re.search(r"[A-Za-z]-$", text))


def _vocabulary(lines: list[Line]) -> set[str]:
    """Every word and hyphenated compound the document uses inside its lines."""
    words: set[str] = set()
    for line in lines:
        # The last word of a line may itself be broken, so it does not count.
        words.update(w.lower() for w in _WORD.findall(line.text.rstrip(_SOFT_HYPHEN + "-"))[:-1])
    return words


def _join_hyphenated(current: str, nxt: str, vocabulary: set[str]) -> str:
    if current.endswith(_SOFT_HYPHEN):
        return current[:-1] + nxt
    stem = current[:-1]
    first = re.split(r"[\s/(]", stem)[-1]
    second = _WORD.match(nxt)
    second_text = second.group(0) if second else ""
    joined = (first + second_text).lower()
    hyphenated = f"{first}-{second_text}".lower()
    if hyphenated in vocabulary and joined not in vocabulary:
        return current + nxt  # the report writes "Kurdish-led" elsewhere
    if joined in vocabulary and hyphenated not in vocabulary:
        return stem + nxt  # "PERSON-" + "NEL": the report writes "personnel"
    if nxt[:1].isupper() or first[-1:].isdigit():
        return current + nxt  # "Deir Ez-" + "Zour", "16-" + "year-old"
    if joined in vocabulary:
        return stem + nxt
    last_part = first.rsplit("-", 1)[-1].lower()
    first_part = second_text.split("-", 1)[0].lower()
    if last_part in _COMPOUND_FIRST or first_part in _COMPOUND_SECOND:
        return current + nxt
    return stem + nxt


def _runs_on(current: str, nxt: str) -> bool:
    """A sentence broken by a blank line or a page break: no terminal punctuation before,
    a lower-case word after ("bringing the death toll of victims" / "who died due to ...")."""
    return not current.endswith(_TERMINAL) and nxt[:1].islower()


def _mid_sentence(current: str) -> bool:
    """Does a paragraph cut by a page or column boundary look like a sentence in progress?
    An unpunctuated name there is a photo caption ("Naser Muhammad al Akleh"), not prose."""
    if current.endswith(_TERMINAL):
        return False
    words = [w for w in current.split() if w.isalpha() and w.lower() not in _NAME_PARTICLES]
    return len(current.split()) >= 4 and any(w.islower() for w in words)


def _heading_continues(current: str) -> bool:
    """A heading wrapped over two lines ends its first line with a comma, "and", "of"..."""
    return bool(
        re.search(
            r"(?:,|-|\b(?:and|of|the|to|for|in|on|by|due|with|among|amongst|from|at))$", current
        )
    )
