"""`snhr fetch`: download the reports a feed lists that the archive lacks (ingesting them is
the caller's next step).

The feed is an RSS/Atom feed (parsed by `feedparser`, which honours the declared encoding)
or an HTML index page (parsed by the standard library's HTML parser). A feed item is either
a report PDF (its link or enclosure) or an announcement page, as on SNHR's WordPress site:
the page is kept beside the PDFs as `.html` and the PDFs it links to are downloaded.

What a hostile feed or network cannot do (docs/reliability.md):
- reach anything but `http`/`https` (for items, pages and after every redirect): the opener
  has no file, ftp or data handler, and every URL is checked before it is requested;
- replace a file: a download is named by its content (`<name>-<sha256 prefix>.pdf`) and
  linked into place only if no file has that name, so two URLs never collide and a file in
  the archive is never overwritten; the URL is kept in the `fetch_state` table;
- run past a deadline: every download (feed, page, PDF) has a wall-clock deadline enforced
  by a watchdog that shuts the socket, besides the per-read `timeout`;
- leave a partial file ingest would read: downloads in progress are `.download-*.partial`
  files (ingest reads only .pdf/.txt/.md), removed on failure and swept when stale.

Conditional GET (ETag / Last-Modified, remembered in `fetch_state`), retries with back-off
for network errors and 5xx answers, and a size cap are kept from before.
"""

from __future__ import annotations

import hashlib
import http.client
import io
import os
import re
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urljoin, urlsplit, urlunsplit

from ..errors import EmptyFeed, FeedUnreadable, OutputRefused
from .ingest import sha256_of
from .safe_write import PARTIAL_SUFFIX
from .store import now, open_db

ALLOWED_SCHEMES = ("http", "https")  # as curl's --proto =http,https
PARTIAL_PREFIX = ".download-"
# Characters left as they are when quoting a URL's path and query: RFC 3986's reserved and
# unreserved ones, and "%" so that an already quoted URL is not quoted twice.
_PATH_SAFE = "/%:@!$&'()*+,;=~-._"
_QUERY_SAFE = _PATH_SAFE + "?"
_NAME_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class FetchSettings:
    timeout_s: float = 30.0  # one socket operation (connect, one read)
    deadline_s: float = 600.0  # one whole download, retries included, wall clock
    retries: int = 2  # further attempts after the first, as curl's --retry
    backoff_s: float = 1.0
    max_bytes: int = 100 * 1024 * 1024
    user_agent: str = "snhr-extractor (+https://pypi.org/project/snhr-extractor/)"


@dataclass
class FetchResult:
    downloaded: list[Path] = field(default_factory=list)  # report files new this run
    announcements: list[Path] = field(default_factory=list)  # pages new this run (.html)
    kept: list[Path] = field(default_factory=list)  # every report file the feed names
    not_modified: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class FeedItem:
    """What one feed item points to: report PDFs and/or an announcement page."""

    pdfs: tuple[str, ...] = ()
    page: str | None = None


class DownloadFailed(Exception):
    """One URL could not be downloaded; the message is one line and names the URL."""


# --- URLs --------------------------------------------------------------------------------


def is_allowed(url: str) -> bool:
    """Only http and https, with a host."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in ALLOWED_SCHEMES and bool(parts.hostname)


def is_pdf_link(url: str) -> bool:
    """A link is judged by its path: `/r.pdf?x=1` is a PDF, `/page#.pdf` and `/?f=.pdf` not."""
    try:
        return urlsplit(url).path.lower().endswith(".pdf")
    except ValueError:
        return False


def clean_url(url: str) -> str:
    """The URL as it goes on the wire: host in IDNA, path and query percent-quoted (spaces
    and non-ASCII letters included), fragment dropped. Raises ValueError if it cannot be."""
    parts = urlsplit(url.strip())
    host = parts.hostname or ""
    try:
        ascii_host = host.encode("idna").decode("ascii") if host else ""
    except UnicodeError as exc:
        raise ValueError(f"bad host name {host!r}") from exc
    if ":" in ascii_host:
        ascii_host = f"[{ascii_host}]"
    netloc = ascii_host + (f":{parts.port}" if parts.port is not None else "")
    if "@" in parts.netloc:
        netloc = parts.netloc.rsplit("@", 1)[0] + "@" + netloc
    path = quote(parts.path or "/", safe=_PATH_SAFE, encoding="utf-8")
    query = quote(parts.query, safe=_QUERY_SAFE, encoding="utf-8")
    return urlunsplit((parts.scheme.lower(), netloc, path, query, ""))


def _unique(urls: Iterable[str]) -> list[str]:
    """In order, once each; linear (a dict), so a feed of 100,000 links is no burden."""
    return list(dict.fromkeys(urls))


# --- parsing feeds and pages ---------------------------------------------------------------


class _LinkCollector(HTMLParser):
    """Every `<a href>` of a page, and those inside `<article>`/`<main>` (the post itself,
    on a WordPress page) separately, so a sidebar's links to other reports are left out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.content_links: list[str] = []
        self.has_content = False
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("article", "main"):
            self.has_content = True
            self._depth += 1
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)
                if self._depth:
                    self.content_links.append(href)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("article", "main") and self._depth:
            self._depth -= 1


def _decode_html(data: bytes, content_type: str | None) -> str:
    charset = None
    if content_type:
        match = re.search(r"charset=([\w.:-]+)", content_type, re.I)
        charset = match.group(1) if match else None
    if charset is None:
        meta = re.search(rb"""<meta[^>]+charset=["']?([\w.:-]+)""", data[:4096], re.I)
        charset = meta.group(1).decode("ascii") if meta else None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        charset = "utf-16"
    try:
        return data.decode(charset or "utf-8", errors="replace")
    except LookupError:
        return data.decode("utf-8", errors="replace")


def page_pdf_links(data: bytes, base_url: str, content_type: str | None = None) -> list[str]:
    """Absolute URLs of the PDFs an announcement page links to (from the post itself when
    the page marks it with <article> or <main>), in order, once each."""
    collector = _LinkCollector()
    collector.feed(_decode_html(data, content_type))
    collector.close()
    hrefs = collector.content_links if collector.has_content else collector.links
    return _unique(u for u in (urljoin(base_url, h.strip()) for h in hrefs) if is_pdf_link(u))


def report_links(data: bytes | str, base_url: str, content_type: str | None = None) -> list[str]:
    """Absolute URLs of every PDF an HTML index page links to, in order, once each."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    collector = _LinkCollector()
    collector.feed(_decode_html(raw, content_type))
    collector.close()
    return _unique(
        u for u in (urljoin(base_url, h.strip()) for h in collector.links) if is_pdf_link(u)
    )


def _looks_like_html(data: bytes, content_type: str | None) -> bool:
    if content_type and "html" in content_type.lower():
        return True
    head = data[:2048].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html"))


def parse_feed(data: bytes, base_url: str, content_type: str | None = None) -> list[FeedItem]:
    """The items of an RSS/Atom feed, or of an HTML index page (one item per PDF link).
    An empty list means the document lists nothing (the caller's EmptyFeed)."""
    import feedparser  # type: ignore[import-untyped]

    headers = {"content-location": base_url}
    if content_type:
        headers["content-type"] = content_type
    # A stream, never bytes or str: given a string, feedparser would open a URL or a local file
    # of that name.
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)
    if parsed.get("version"):
        items = []
        for entry in parsed.entries:
            hrefs = [e.get("href") for e in entry.get("enclosures", [])]
            hrefs += [link.get("href") for link in entry.get("links", [])]
            urls = _unique(urljoin(base_url, h.strip()) for h in hrefs if h)
            pdfs = tuple(u for u in urls if is_pdf_link(u))
            link = entry.get("link")
            page = urljoin(base_url, link.strip()) if link else None
            if page is not None and is_pdf_link(page):
                page = None
            if pdfs or page:
                items.append(FeedItem(pdfs, page))
        return items
    if _looks_like_html(data, content_type):
        return [FeedItem((url,)) for url in report_links(data, base_url, content_type)]
    return []


# --- HTTP ----------------------------------------------------------------------------------


class _Refused(Exception):
    pass


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects only to http/https (urllib alone would also follow ftp), and say
    "refused" for any other, as for a feed item."""

    def http_error_302(
        self, req: urllib.request.Request, fp: Any, code: int, msg: str, headers: Any
    ) -> Any:
        location = headers.get("location") or headers.get("uri")
        if location is not None and not is_allowed(urljoin(req.full_url, location.strip())):
            raise _Refused(location.strip())
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: Any,
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:
        if not is_allowed(newurl):
            raise _Refused(newurl)
        return super().redirect_request(req, fp, code, msg, headers, clean_url(newurl))


class _Watchdog:
    """Shuts every socket a download opened when its deadline passes, so neither a server
    dripping bytes nor one dripping headers can hold a download past it."""

    def __init__(self, seconds: float) -> None:
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(0.0, seconds), self._fire)
        self._timer.daemon = True
        self._timer.start()

    def track(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                self._shut(sock)

    def _fire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                self._shut(sock)

    @staticmethod
    def _shut(sock: socket.socket) -> None:
        with suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)

    def cancel(self) -> None:
        self._timer.cancel()


def _opener(watchdog: _Watchdog) -> urllib.request.OpenerDirector:
    class HTTP(http.client.HTTPConnection):
        def connect(self) -> None:
            super().connect()
            watchdog.track(self.sock)

    class HTTPS(http.client.HTTPSConnection):
        def connect(self) -> None:
            super().connect()
            watchdog.track(self.sock)

    class HTTPHandler(urllib.request.HTTPHandler):
        def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(HTTP, req)

    class HTTPSHandler(urllib.request.HTTPSHandler):
        def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(HTTPS, req)

    # Built by hand, not with build_opener: no file:, ftp: or data: handler exists at all.
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        HTTPHandler(),
        HTTPSHandler(),
        _Redirects(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


@dataclass
class _Answer:
    status: int  # 200, or 304 (not modified)
    headers: dict[str, str]
    size: int = 0
    sha256: str = ""


def _describe(exc: BaseException) -> str:
    if isinstance(exc, urllib.error.HTTPError):
        return f"HTTP {exc.code} {exc.reason}"
    if isinstance(exc, urllib.error.URLError):
        return str(exc.reason)
    return str(exc) or type(exc).__name__


@contextmanager
def _deadline(url: str, settings: FetchSettings) -> Iterator[_Watchdog]:
    watchdog = _Watchdog(settings.deadline_s)
    try:
        yield watchdog
    except Exception as exc:
        if watchdog.expired:
            raise DownloadFailed(
                f"{url}: not complete within the {settings.deadline_s:g} s deadline"
            ) from exc
        raise
    finally:
        watchdog.cancel()


def _get(
    url: str,
    settings: FetchSettings,
    out: io.BufferedWriter | io.BytesIO,
    headers: dict[str, str] | None = None,
) -> _Answer:
    """GET `url` into `out` with retries, the size cap and the deadline. A 304 writes
    nothing. Raises DownloadFailed with a one-line message."""
    if not is_allowed(url):
        raise DownloadFailed(f"{url}: refused: only http and https URLs are fetched")
    try:
        wire = clean_url(url)
    except ValueError as exc:
        raise DownloadFailed(f"{url}: not a valid URL ({exc})") from exc
    request = urllib.request.Request(
        wire, headers={"User-Agent": settings.user_agent, **(headers or {})}
    )
    started = time.monotonic()
    with _deadline(url, settings) as watchdog:
        opener = _opener(watchdog)
        for attempt in range(settings.retries + 1):
            try:
                response = opener.open(request, timeout=settings.timeout_s)
                break
            except _Refused as exc:
                raise DownloadFailed(
                    f"{url}: refused: redirected to {exc}, and only http and https URLs are fetched"
                ) from exc
            except urllib.error.HTTPError as exc:
                if exc.code == 304:
                    return _Answer(304, dict(exc.headers or {}))
                if exc.code < 500 or attempt == settings.retries:
                    raise DownloadFailed(f"{url}: {_describe(exc)}") from exc
            except (OSError, http.client.HTTPException) as exc:
                if watchdog.expired or attempt == settings.retries:
                    raise DownloadFailed(f"{url}: {_describe(exc)}") from exc
            pause = settings.backoff_s * (2**attempt)
            if time.monotonic() - started + pause > settings.deadline_s:
                raise DownloadFailed(
                    f"{url}: not complete within the {settings.deadline_s:g} s deadline"
                )
            time.sleep(pause)
        with response:
            declared = response.headers.get("Content-Length")
            if declared is not None and declared.isdigit() and int(declared) > settings.max_bytes:
                raise DownloadFailed(
                    f"{url}: {declared} bytes is over the {settings.max_bytes} byte cap"
                )
            digest, size = hashlib.sha256(), 0
            try:
                # read1: whatever arrived, so the deadline is looked at between small reads
                while block := response.read1(1 << 16):
                    size += len(block)
                    if size > settings.max_bytes:
                        raise DownloadFailed(f"{url}: over the {settings.max_bytes} byte cap")
                    digest.update(block)
                    out.write(block)
            except (OSError, http.client.HTTPException) as exc:
                if watchdog.expired:
                    raise
                raise DownloadFailed(f"{url}: the transfer broke off ({_describe(exc)})") from exc
            if watchdog.expired:
                raise DownloadFailed(
                    f"{url}: not complete within the {settings.deadline_s:g} s deadline"
                )
            if declared is not None and declared.isdigit() and size != int(declared):
                raise DownloadFailed(f"{url}: truncated, {size} of {declared} bytes arrived")
            return _Answer(200, dict(response.headers), size, digest.hexdigest())


# --- the archive folder -----------------------------------------------------------------


def _file_name(url: str, sha256: str, suffix: str) -> str:
    stem = Path(unquote(urlsplit(url).path)).stem
    stem = _NAME_UNSAFE.sub("-", stem).strip(".-")[:80] or "download"
    return f"{stem}-{sha256[:16]}{suffix}"


def _place(tmp: Path, folder: Path, url: str, sha256: str, suffix: str) -> tuple[Path, bool]:
    """Give the finished download its name, never replacing a file: a hard link fails if the
    name is taken. Returns (path, new): an identical file already there is reused."""
    for name in (_file_name(url, sha256, suffix), f"{sha256}{suffix}"):
        target = folder / name
        try:
            os.link(tmp, target)
            return target, True
        except FileExistsError:
            if sha256_of(target) == sha256:
                return target, False
    raise DownloadFailed(f"{url}: no free file name for it in {folder}")


def _sweep_partials(folder: Path, older_than_s: float) -> None:
    """Remove downloads a killed fetch left behind (never read by ingest, but they take
    space); a recent one may belong to a fetch running now, so it is left."""
    limit = time.time() - older_than_s
    for path in folder.glob(f"{PARTIAL_PREFIX}*{PARTIAL_SUFFIX}"):
        with suppress(OSError):
            if path.stat().st_mtime < limit:
                path.unlink()


def _download(
    url: str,
    folder: Path,
    state: dict[str, Any] | None,
    settings: FetchSettings,
    expect: str,
) -> tuple[Path | None, bool, dict[str, Any]]:
    """Download `url` into `folder` ("pdf" or "html" expected). Returns (path, new, state):
    path None means not modified."""
    headers = {}
    if state and state.get("etag"):
        headers["If-None-Match"] = state["etag"]
    if state and state.get("last_modified"):
        headers["If-Modified-Since"] = state["last_modified"]
    tmp = (
        folder
        / f"{PARTIAL_PREFIX}{os.getpid()}-{threading.get_ident()}-{time.time_ns()}{PARTIAL_SUFFIX}"
    )
    # 0666 less the umask, like any file a program writes; mkstemp's 0600 would hide the
    # archive from the group that reads it.
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as out:
            answer = _get(url, settings, out, headers)
        if answer.status == 304:
            return None, False, dict(state or {})
        with tmp.open("rb") as fh:
            head = fh.read(1024)
        if expect == "pdf" and b"%PDF-" not in head:
            raise DownloadFailed(f"{url}: the server did not send a PDF")
        if expect == "html" and b"%PDF-" in head:
            raise DownloadFailed(f"{url}: a PDF where an announcement page was expected")
        path, new = _place(tmp, folder, url, answer.sha256, ".pdf" if expect == "pdf" else ".html")
    finally:
        tmp.unlink(missing_ok=True)
    lowered = {k.lower(): v for k, v in answer.headers.items()}
    return (
        path,
        new,
        {
            "etag": lowered.get("etag"),
            "last_modified": lowered.get("last-modified"),
            "sha256": answer.sha256,
            "path": str(path),
        },
    )


# --- the whole run --------------------------------------------------------------------------


def read_feed(feed_url: str, settings: FetchSettings) -> list[FeedItem]:
    """Download and parse the feed. Raises FeedUnreadable or EmptyFeed."""
    if not is_allowed(feed_url):
        raise FeedUnreadable(
            repr(feed_url),
            "is not an http or https URL",
            "Give --feed the feed's full URL, e.g. https://example.org/feed/.",
        )
    buffer = io.BytesIO()
    try:
        answer = _get(feed_url, settings, buffer)
    except DownloadFailed as exc:
        raise FeedUnreadable(feed_url, f"the feed could not be read ({exc})") from exc
    content_type = {k.lower(): v for k, v in answer.headers.items()}.get("content-type")
    items = parse_feed(buffer.getvalue(), feed_url, content_type)
    if not items:
        raise EmptyFeed(
            feed_url,
            f"the feed lists no reports or announcements ({answer.size} bytes of "
            f"{content_type or 'unknown type'})",
        )
    return items


def fetch(
    feed_url: str,
    archive: Path,
    db_path: Path,
    *,
    settings: FetchSettings | None = None,
    on_file: Callable[[str, str], Any] | None = None,
) -> FetchResult:
    """Download what the feed lists and the archive lacks. Ingesting is the caller's next
    step (`ingestable(result)`)."""
    settings = settings or FetchSettings()

    def say(url: str, what: str) -> None:
        if on_file is not None:
            on_file(url, what)

    if archive.exists() and not archive.is_dir():
        raise OutputRefused(archive, "is not a folder", "Give --archive a folder.")
    db = open_db(db_path)  # a bad --db fails before anything is downloaded
    try:
        items = read_feed(feed_url, settings)
        archive.mkdir(parents=True, exist_ok=True)
        _sweep_partials(archive, max(3600.0, 2 * settings.deadline_s))
        result = FetchResult()
        seen: set[str] = set()

        def get(url: str, expect: str) -> Path | None:
            rows = list(db["fetch_state"].rows_where("url = ?", [url]))
            state = rows[0] if rows else None
            if state and state.get("path") and not Path(state["path"]).is_file():
                state = None  # the file went missing: fetch it again unconditionally
            try:
                path, new, new_state = _download(url, archive, state, settings, expect)
            except DownloadFailed as exc:  # this URL fails; the others go on
                result.failed.append((url, str(exc)))
                say(url, f"failed: {str(exc).removeprefix(url + ': ')}")
                return None
            if path is None:
                result.not_modified.append(url)
                say(url, "not modified")
                return Path(state["path"]) if state and state.get("path") else None
            db["fetch_state"].upsert({"url": url, **new_state, "fetched_at": now()}, pk="url")
            if new:
                (result.downloaded if expect == "pdf" else result.announcements).append(path)
                say(url, f"downloaded to {path}")
            else:
                say(url, f"same content as {path}")
            return path

        for item in items:
            pdfs = list(item.pdfs)
            if item.page is not None and item.page not in seen:
                seen.add(item.page)
                page = get(item.page, "html")
                if page is not None:
                    pdfs += page_pdf_links(page.read_bytes(), item.page)
            for url in _unique(pdfs):
                if url in seen:
                    continue
                seen.add(url)
                path = get(url, "pdf")
                if path is not None and path not in result.kept:
                    result.kept.append(path)
    finally:
        db.close()
    return result


def ingestable(result: FetchResult, suffixes: Iterable[str]) -> list[Path]:
    """The files of a fetch that `snhr ingest` reads: every report PDF the feed names (new or
    unchanged; ingest skips what it has), and the announcement pages once ingest reads
    `.html` (issue 10's `press_release` reader: add ".html" to ingest.REPORT_SUFFIXES)."""
    wanted = {s.lower() for s in suffixes}
    return [p for p in (*result.kept, *result.announcements) if p.suffix.lower() in wanted]
