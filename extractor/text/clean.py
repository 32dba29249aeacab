"""Stage 2, clean: lines to paragraphs, with the noise of both editions removed.

Handles what the two text editions and the PDFs really contain: end-of-line hyphenation
(with "-", U+2010 and the soft hyphen), sentences broken across blank lines or pages,
markdown markup, photo captions, bare URL lines and footnote markers glued to words.
The report wording it acts on (captions, bullets, numbered headings, compounds) is data in
patterns/clean.toml. Linear in the lines: no rule re-reads the paragraph being built.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass
from functools import cache
from typing import Literal

from ..document import Document, Line, Paragraph
from ..language.patterns import clean_patterns

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
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MD_MARKUP = re.compile(
    r"\*\*|__|</?u>|</?b>|</?i>|</?em>|</?strong>|(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w)"
)
_MD_HEADING = re.compile(r"^#{1,6}\s+")
_MD_ESCAPE = re.compile(r"\\([()\[\]*_#.\-])")
_SPACES = re.compile(r"[ ]{2,}")
_DIGIT = re.compile(r"\d")
_ASCII_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_TERMINAL = (".", "!", "?", ":", ";", '"', "”", ")")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*(?:-[A-Za-z][A-Za-z'’]*)*")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# A character that _CHAR_FIXES maps, a control character or a superscript digit: the line
# takes the full path of normalise_line.
_NEEDS_MAPPING = re.compile(
    "["
    + "".join(re.escape(chr(code)) for code in _CHAR_FIXES)
    + r"\x00-\x08\x0b-\x1f\x7f\u00b9\u00b2\u00b3\u2070-\u2079]"
)


@dataclass(frozen=True)
class _Wording:
    """The report wording clean acts on, from patterns/clean.toml (see the comments there)."""

    caption: re.Pattern[str]
    bullet: re.Pattern[str]
    numbered: re.Pattern[str]
    heading_continues: re.Pattern[str]
    compound_first: re.Pattern[str]
    compound_second: re.Pattern[str]
    name_particles: re.Pattern[str]
    list_line: re.Pattern[str]


@cache
def _wording() -> _Wording:
    spec = clean_patterns()
    return _Wording(
        **{name: re.compile(getattr(spec, name).pattern) for name in _Wording.__dataclass_fields__}
    )


def normalise_line(text: str) -> str:
    """One line without markup, footnote markers, odd spaces and ligatures."""
    if _NEEDS_MAPPING.search(text):
        text = _CONTROL.sub("", text.translate(_CHAR_FIXES))
        text = _MD_LINK.sub(r"\1", text)
        text = _MD_HEADING.sub("", text)
        text = _MD_MARKUP.sub("", text)
        text = _MD_ESCAPE.sub(r"\1", text)
        text = _SUPERSCRIPTS.sub("", text)
        text = _GLUED_MARKER.sub("", text)
        return _SPACES.sub(" ", text).strip()
    # The fast path, for the ordinary line (most of every report): nothing to map, so only
    # the substitutions whose trigger character occurs run, in the same order.
    if "[" in text:
        text = _MD_LINK.sub(r"\1", text)
    if text[:1] == "#":
        text = _MD_HEADING.sub("", text)
    if "*" in text or "_" in text or "<" in text:
        text = _MD_MARKUP.sub("", text)
    if "\\" in text:
        text = _MD_ESCAPE.sub(r"\1", text)
    if _DIGIT.search(text):
        text = _GLUED_MARKER.sub("", text)
    if "  " in text:
        text = _SPACES.sub(" ", text)
    return text.strip()


# What clean did with each of the document's lines (see `clean_lines`).
Decision = Literal["dropped", "start", "join", "hyphen"]


@dataclass
class Work:
    """Characters the paragraph joiner read or copied: the measure tests use to show that
    cleaning is linear in its input (never a timing)."""

    chars: int = 0


class _Draft:
    """A paragraph being assembled.

    Every joining rule looks only at the end of the paragraph, so the text is kept as
    finished chunks plus its last line (`tail`), and what the rules need from the rest (how
    many words, whether one is a lower-case word) is counted once, when a line is finished.
    Appending a line therefore costs that line's length, never the paragraph's: re-reading
    the growing paragraph for every line made 20,000 unbroken lines take minutes.
    """

    __slots__ = (
        "chunks", "last_page", "lower_word", "marks", "page", "size", "tail", "words", "work"
    )  # fmt: skip

    def __init__(self, text: str, page: int | None, work: Work) -> None:
        self.work = work
        self.chunks: list[str] = []
        self.size = 0  # characters in the chunks
        self.tail = text
        self.page = page
        self.last_page = page
        # (offset in the untidied text, page) where each later page's part begins.
        self.marks: list[tuple[int, int | None]] = []
        self.words = 0  # whitespace-separated words in the chunks, counted up to 4
        self.lower_word = False  # a lower-case word (not a name particle) in the chunks

    def append(self, text: str, page: int | None) -> None:
        """Join the next line with a space."""
        # _freeze and _turn_page written out: most lines of a report come through here.
        chunk = self.tail + " "
        self.work.chars += len(chunk)
        self.chunks.append(chunk)
        self.size += len(chunk)
        if self.words < 4 or not self.lower_word:
            self._count(chunk)
        if page != self.last_page:
            self.marks.append((self.size, page))
            self.last_page = page
        self.tail = text

    def set_tail(self, tail: str, page: int | None, added: int) -> None:
        """Replace the last line (a hyphenated join whose last `added` characters are the
        new line), finishing all but its last word so that a long run of hyphen joins
        still costs each character once."""
        self._turn_page(self.size + len(tail) - added, page)
        cut = tail.rfind(" ")
        self.work.chars += len(tail)
        if cut > 0:
            self._freeze(tail[: cut + 1])
            tail = tail[cut + 1 :]
        self.tail = tail

    def _turn_page(self, offset: int, page: int | None) -> None:
        if page != self.last_page:
            self.marks.append((offset, page))
            self.last_page = page

    def _freeze(self, chunk: str) -> None:
        self.work.chars += len(chunk)
        self.chunks.append(chunk)
        self.size += len(chunk)
        if self.words < 4 or not self.lower_word:
            self._count(chunk)

    def _count(self, chunk: str) -> None:
        # The words are counted only as far as mid_sentence asks (four), and searched for a
        # lower-case word until one is found.
        words = chunk.split()
        self.words += len(words)
        if not self.lower_word:
            self.lower_word = any(_prose_word(w) for w in words)

    def mid_sentence(self) -> bool:
        """Does a paragraph cut by a page or column boundary look like a sentence in
        progress? An unpunctuated name there is a photo caption ("Naser Muhammad al
        Akleh"), not prose."""
        if self.tail.endswith(_TERMINAL):
            return False
        words = self.tail.split()
        self.work.chars += len(self.tail)
        return self.words + len(words) >= 4 and (
            self.lower_word or any(_prose_word(w) for w in words)
        )

    def text(self) -> str:
        return "".join(self.chunks) + self.tail


def _prose_word(word: str) -> bool:
    return word.isalpha() and word.islower() and not _wording().name_particles.match(word)


def clean(doc: Document) -> list[Paragraph]:
    """Assemble the document's lines into paragraphs."""
    return clean_lines(doc.lines)[0]


def clean_lines(
    raw_lines: list[Line], work: Work | None = None
) -> tuple[list[Paragraph], list[Decision]]:
    """The paragraphs, and for each input line what was decided: dropped (empty or noise),
    the start of a paragraph, joined to the paragraph above, or joined by undoing an
    end-of-line hyphen. Linear in the number and length of the lines."""
    wording = _wording()
    # The patterns' methods, looked up once rather than once a line.
    bullet_match, bullet_sub = wording.bullet.match, wording.bullet.sub
    list_match, numbered_match = wording.list_line.match, wording.numbered.match
    work = work if work is not None else Work()
    paragraphs: list[_Draft] = []
    draft: _Draft | None = None  # the last paragraph
    heading_open = False
    read = 0  # characters read here, added to work.chars at the end
    kept, decisions = _usable_lines(raw_lines)
    vocabulary = _vocabulary([usable[1] for usable in kept])
    for index, text, page, break_before, soft, styled in kept:
        numbered_line: bool | None = None  # numbered_match(text), once it is needed
        bullet = bullet_match(text) is not None
        if bullet:
            text = "- " + bullet_sub("", text)
        if draft is not None:
            current = draft.tail  # every rule below reads only the paragraph's end
            read += len(current) + len(text)
            # A line ending in a hyphen after a letter, or in a soft hyphen, then a line
            # starting with a letter. Lines are stripped, so the last two characters decide
            # (a regex anchored with "$" would scan the whole text).
            end = current[-1:]
            broken = end == _SOFT_HYPHEN or (end == "-" and current[-2:-1] in _ASCII_LETTERS)
            if broken and text[:1].isalpha():
                draft.set_tail(_join_hyphenated(current, text, vocabulary), page, len(text))
                decisions[index] = "hyphen"
                continue
            # "- Syrian Democratic Forces: One individual." then "B. Other parties: Two
            # individuals." on the next line (2021-02): a numbered item after a full stop.
            # A numbered line after any break (a page's first line included) is a heading.
            # A bullet-less list item ("HTS: One individual.") after a full stop, or right
            # under another one-line item ("Syrian regime forces: Five deaths due to
            # torture" then "SDF: One death due to torture"), starts its own paragraph too,
            # so that each item keeps its own figure and sentence.
            # The patterns are matched only where the decision needs them: a wrapped line
            # of prose (no break, no full stop above) needs neither.
            if current.endswith(_TERMINAL) or break_before:
                numbered_line = numbered_match(text) is not None
                numbered = numbered_line or list_match(text) is not None
            else:
                numbered = (
                    not draft.chunks
                    and list_match(text) is not None
                    and list_match(current) is not None
                )
            continues = (
                not bullet
                and not numbered
                and (not break_before or _runs_on(current, text) or (soft and draft.mid_sentence()))
            )
            if continues and not heading_open and not current.endswith(":"):
                draft.append(text, page)
                decisions[index] = "join"
                continue
            wrapped = not break_before and (
                styled or bool(wording.heading_continues.search(current)) or text[:1].islower()
            )
            if heading_open and wrapped and not current.endswith(":"):
                draft.append(text, page)
                decisions[index] = "join"
                continue
        if numbered_line is None:
            numbered_line = numbered_match(text) is not None
        draft = _Draft(text, page, work)
        paragraphs.append(draft)
        decisions[index] = "start"
        heading_open = numbered_line and len(text) < 120
    work.chars += read
    out: list[Paragraph] = []
    for draft in paragraphs:
        work.chars += len(draft.tail) + draft.size
        tidy, starts = _tidy(draft.text(), draft.marks)
        if tidy:
            out.append(Paragraph(tidy, draft.page, len(out), starts))
    return out, decisions


_SPACE_BEFORE_PUNCT = re.compile(r"\s+([.,;:])(?=\s|$)")
_PUNCT_FIRST = re.compile(r"[.,;:](?=\s|$)")


def _spaced(text: str) -> str:
    """Every run of whitespace as one space, and none before a full stop, comma, semicolon
    or colon that ends a word (_SPACE_BEFORE_PUNCT), as a regex substitution of each run of
    whitespace by a space would leave it, with the runs collapsed first, by split and join
    in C (the same runs: both split on str.isspace()). Removing the run before such a mark
    and collapsing runs act on the same whole runs, so the order does not matter."""
    spaced = _collapsed(text)
    if spaced and text[0].isspace():
        spaced = " " + spaced
    if text and text[-1].isspace():
        spaced += " "
    return _no_space_before_punct(spaced)


def _collapsed(text: str) -> str:
    """The text's runs of whitespace as single spaces, stripped: " ".join(text.split()),
    without the split where it would give the text back. Every whitespace character but
    the space is unprintable, so a printable text without a double space or a space at
    either end is already collapsed (most paragraphs are: they are stripped lines joined
    by single spaces)."""
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return " ".join(text.split())


def _no_space_before_punct(spaced: str) -> str:
    # Collapsed, a run is one space: only a text with a space before such a mark needs the
    # regex.
    if " ." in spaced or " ," in spaced or " ;" in spaced or " :" in spaced:
        return _SPACE_BEFORE_PUNCT.sub(r"\1", spaced)
    return spaced


def _tidy(
    raw: str, marks: list[tuple[int, int | None]]
) -> tuple[str, tuple[tuple[int, int | None], ...]]:
    """The paragraph's text with spacing tidied, and where each later page begins in it.
    Each page's part is tidied on its own (so the offsets move with the text), and the
    joins between parts are tidied as the whole text would be."""
    if not marks:
        # Stripped before the punctuation rule, which can neither leave nor remove a space
        # at either end of a stripped text.
        return _no_space_before_punct(_collapsed(raw)), ()
    bounds = [0, *(offset for offset, _ in marks), len(raw)]
    parts: list[str] = []
    starts: list[tuple[int, int | None]] = []
    length = 0
    for number, (begin, end) in enumerate(itertools.pairwise(bounds)):
        part = _spaced(raw[begin:end])
        if number:
            if parts and parts[-1].endswith(" ") and _PUNCT_FIRST.match(part):
                parts[-1] = parts[-1][:-1]
                length -= 1
            starts.append((length, marks[number - 1][1]))
        parts.append(part)
        length += len(part)
    text = "".join(parts)
    lead = len(text) - len(text.lstrip())
    return text.strip(), tuple((max(at - lead, 0), page) for at, page in starts)


# A usable line as the joiner reads it: (index in the input, text, page, break before, soft,
# styled). A tuple, not a Line: it lives only inside clean_lines.
_Usable = tuple[int, str, int | None, bool, bool, bool]


def _usable_lines(lines: list[Line]) -> tuple[list[_Usable], list[Decision]]:
    texts = _normalised([line.text for line in lines])
    urls = _url_lines(texts)
    caption = _wording().caption.match
    out: list[_Usable] = []
    decisions: list[Decision] = ["dropped"] * len(lines)
    pending_break = after_noise = False
    for index, (_, page, break_before, soft, styled) in enumerate(lines):
        text = texts[index]
        # Noise: a bare URL line or a photo caption.
        noise = bool(text) and (
            (index in urls and _URL_LINE.match(text) is not None) or caption(text) is not None
        )
        if not text or noise:
            pending_break = pending_break or break_before or noise
            after_noise = after_noise or noise
            continue
        # A page that ends in a list of link URLs (the line-by-line editions) ends its last
        # paragraph there: what follows the URLs never runs on from a caption above them.
        out.append(
            (index, text, page, break_before or pending_break, soft and not after_noise, styled)
        )
        pending_break = after_noise = False
    return out, decisions


def _ascii_lowered(text: str) -> str:
    """The text with its ASCII letters lowered and every other character as it is
    (bytes.lower() lowers only those; str.lower() would also turn some other characters,
    such as the Kelvin sign, into ASCII letters)."""
    return text.encode("utf-8", "surrogatepass").lower().decode("utf-8", "surrogatepass")


def _url_lines(texts: list[str]) -> set[int]:
    """The indices of the lines that may be URL lines: _URL_LINE needs "://" or "www." (in
    any case, and re.IGNORECASE matches only W and w to w)."""
    joined = "\n".join(texts)
    lowered = _ascii_lowered(joined)
    if "://" not in joined and "www." not in lowered:
        return set()
    lines = lowered.split("\n")
    if len(lines) != len(texts):  # a line holding a line break: search the lines apart
        return {i for i, text in enumerate(texts) if _URL_HINT.search(text)}
    return {i for i, line in enumerate(lines) if "://" in line or "www." in line}


def _lines_matching(pattern: re.Pattern[str], texts: list[str], joined: str) -> set[int]:
    """The indices of the texts in which `pattern` (which never matches a line break)
    matches, searched in their join by line breaks: one search of the document for what
    few lines hold."""
    first = pattern.search(joined)
    if first is None:
        return set()
    # Where each text's line break falls in the joined texts: the text a match is in is
    # the number of line breaks before it.
    breaks = list(itertools.accumulate(len(text) + 1 for text in texts))
    return {
        bisect.bisect_right(breaks, found.start())
        for found in pattern.finditer(joined, first.start())
    }


# A character that only normalise_line's full path handles, or that starts one of the
# substitutions of its fast path but the last two (a markdown link, heading, markup or
# escape), or a soft hyphen.
_NEEDS_LINE_BY_LINE = re.compile(_NEEDS_MAPPING.pattern[:-1] + r"\[#*_<\\\u00ad]")
_URL_HINT = re.compile(r"://|www\.", re.I)
# _GLUED_MARKER needs a digit right after [a-z)’'”]. On the UTF-8 bytes, mapped through this
# table, such a pair becomes "a0": those characters' (last) bytes map to "a" (0x99 and 0x9D
# end ’ and ” and a few other characters, which only adds lines to look at), the ASCII
# digits to "0", line breaks stay and every other byte is a space. The other digits that
# \d matches (Arabic-Indic, say) are not ASCII, and the table cannot see them: a document
# that has one is looked at line by line.
_GLUE_TABLE = bytes(
    ord("a")
    if byte in b"abcdefghijklmnopqrstuvwxyz)'\x99\x9d"
    else ord("0")
    if byte in b"0123456789"
    else byte
    if byte == ord("\n")
    else ord(" ")
    for byte in range(256)
)
_ASCII = bytes(range(128))
_OTHER_DIGIT = re.compile(r"[^\D0-9]")


def _normalised(texts: list[str]) -> list[str]:
    """normalise_line of every line, with clean's handling of soft hyphens.

    Most lines of a report need only normalise_line's last step, strip. A few searches of
    the whole document find the lines that need more: those with a character that a step
    before the last three acts on (the full path), and those where a footnote marker may
    be glued to a word or with a double space (the last three steps)."""
    joined = "\n".join(texts)
    out = [text.strip() for text in texts]
    full = _lines_matching(_NEEDS_LINE_BY_LINE, texts, joined)
    glued = _glue_lines(texts, joined)
    if "  " in joined:
        glued |= {i for i, text in enumerate(texts) if "  " in text}
    for index in full:
        out[index] = _normalised_line(texts[index])
    for index in glued - full:
        text = texts[index]
        if _DIGIT.search(text):
            text = _GLUED_MARKER.sub("", text)
        if "  " in text:
            text = _SPACES.sub(" ", text)
        out[index] = text.strip()
    return out


def _glue_lines(texts: list[str], joined: str) -> set[int]:
    """The indices of the lines where _GLUED_MARKER may match (see _GLUE_TABLE)."""
    data = joined.encode("utf-8", "surrogatepass")
    others = data.translate(None, _ASCII).decode("utf-8", "surrogatepass")
    if joined.count("\n") != len(texts) - 1 or _OTHER_DIGIT.search(others):
        return set(range(len(texts)))
    pairs = data.translate(_GLUE_TABLE)
    lines: set[int] = set()
    line = last = 0
    at = pairs.find(b"a0")
    while at >= 0:
        line += pairs.count(b"\n", last, at)  # line breaks since the last pair: linear
        lines.add(line)
        last = at
        at = pairs.find(b"a0", at + 1)
    return lines


def _normalised_line(text: str) -> str:
    if _SOFT_HYPHEN in text:
        text = text.replace(_SOFT_HYPHEN + " ", _SOFT_HYPHEN)
        soft = text.rstrip().endswith(_SOFT_HYPHEN)
        text = normalise_line(text.replace(_SOFT_HYPHEN, ""))
        if soft:
            text += _SOFT_HYPHEN  # keep the marker: a soft hyphen at a line end always joins
        return text
    return normalise_line(text)


# _WORD in ASCII-lowered text.
_LOWER_WORD = re.compile(r"[a-z][a-z'’]*(?:-[a-z][a-z'’]*)*")
# Characters around a word that are never part of it (a word starts with a letter, and a
# hyphen belongs to it only between letters): stripped from a token, they leave its words
# as they were.
_WORD_EDGES = '.,;:!?()[]{}"“”-\u00ad'


def _vocabulary(texts: list[str]) -> set[str]:
    """Every word and hyphenated compound the document uses inside its lines, lowered. The
    last word of a line may itself be broken, so it does not count.

    A word never holds a space, so a line's words are those of its whitespace-separated
    tokens. The tokens are split and deduplicated in C; a token of plain letters is a word
    as it is, and only the others are searched for words. A line's last token is set
    aside when it is one word (once stripped of punctuation), and the line searched for its
    words when it is not (a line ending in a number, say)."""
    joined = "\n".join(texts)
    lowered = _ascii_lowered(joined)
    lines = lowered.split("\n")
    if len(lines) != len(texts):  # a line holding a line break: line by line
        found: list[str] = []
        for text in texts:
            found += _WORD.findall(text.rstrip(_SOFT_HYPHEN + "-"))[:-1]
        return set(" ".join(found).lower().split())
    heads: list[str] = []  # the lines without their last word, where that is a token
    vocabulary: set[str] = set()
    for line in lines:
        parts = line.rsplit(None, 1)
        if not parts:
            continue
        last = parts[-1].strip(_WORD_EDGES)
        if last.isalpha() and last.isascii():
            if len(parts) == 2:
                heads.append(parts[0])
        else:
            vocabulary.update(_LOWER_WORD.findall(line)[:-1])
    tokens = set(" ".join(heads).split())
    plain = set(filter(str.isascii, filter(str.isalpha, tokens)))
    vocabulary |= plain
    vocabulary.update(_LOWER_WORD.findall(" ".join(tokens - plain)))
    return vocabulary


def _join_hyphenated(current: str, nxt: str, vocabulary: set[str]) -> str:
    if current.endswith(_SOFT_HYPHEN):
        return current[:-1] + nxt
    stem = current[:-1]
    # The stem's last word: what follows its last space, slash or bracket (the stem ends in
    # a letter, so no trailing space is lost to rsplit).
    first = stem.rsplit(None, 1)[-1].rsplit("/", 1)[-1].rsplit("(", 1)[-1]
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
    wording = _wording()
    if wording.compound_first.match(last_part) or wording.compound_second.match(first_part):
        return current + nxt
    return stem + nxt


def _runs_on(current: str, nxt: str) -> bool:
    """A sentence broken by a blank line or a page break: no terminal punctuation before,
    a lower-case word after ("bringing the death toll of victims" / "who died due to ...")."""
    return not current.endswith(_TERMINAL) and nxt[:1].islower()
