"""`snhr fetch`: download the reports a feed lists that the archive lacks, then ingest them.

The feed is an RSS/Atom feed or an HTML index page; every link to a `.pdf` is a report.
Downloads use conditional GET (ETag / Last-Modified, remembered in the `fetch_state`
table), timeouts, retries with back-off, and a size cap. A download is written to a
temporary file and renamed into the archive folder only when complete (its length matches
Content-Length and it starts like a PDF), so an interrupted or truncated transfer is never
ingested and is tried again next time.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlparse

from .store import now, open_db

_LINK = re.compile(
    r"""(?:href|url|src)\s*=\s*["']([^"']+?\.pdf(?:\?[^"']*)?)["']|<link>\s*([^<\s]+?\.pdf)\s*</link>""",
    re.I,
)


class FetchError(Exception):
    """The feed itself could not be read."""

    exit_code = 12


@dataclass(frozen=True)
class FetchSettings:
    timeout_s: float = 30.0
    retries: int = 3
    backoff_s: float = 1.0
    max_bytes: int = 100 * 1024 * 1024
    user_agent: str = "snhr-extractor (+https://pypi.org/project/snhr-extractor/)"


@dataclass
class FetchResult:
    downloaded: list[Path] = field(default_factory=list)
    not_modified: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)


def report_links(feed_text: str, base_url: str) -> list[str]:
    """Absolute URLs of the PDFs a feed or index page links to, in order, once each."""
    seen: list[str] = []
    for match in _LINK.finditer(feed_text):
        url = urljoin(base_url, unescape(match.group(1) or match.group(2)))
        if url not in seen:
            seen.append(url)
    return seen


def _request(url: str, settings: FetchSettings, headers: dict[str, str] | None = None) -> Any:
    request = urllib.request.Request(
        url, headers={"User-Agent": settings.user_agent, **(headers or {})}
    )
    last: Exception | None = None
    for attempt in range(settings.retries):
        try:
            return urllib.request.urlopen(request, timeout=settings.timeout_s)
        except urllib.error.HTTPError as exc:
            if exc.code == 304 or exc.code < 500:
                raise
            last = exc
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            last = exc
        time.sleep(settings.backoff_s * (2**attempt))
    assert last is not None
    raise last


def _download(
    url: str, folder: Path, state: dict[str, Any] | None, settings: FetchSettings
) -> tuple[Path | None, dict[str, Any]]:
    headers = {}
    if state and state.get("etag"):
        headers["If-None-Match"] = state["etag"]
    if state and state.get("last_modified"):
        headers["If-Modified-Since"] = state["last_modified"]
    try:
        response = _request(url, settings, headers)
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return None, dict(state or {})
        raise
    with response:
        declared = response.headers.get("Content-Length")
        if declared is not None and int(declared) > settings.max_bytes:
            raise ValueError(f"{url}: {declared} bytes is over the {settings.max_bytes} byte cap")
        name = Path(unquote(urlparse(url).path)).name or "report.pdf"
        fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=".part-", suffix=".pdf")
        digest, size = hashlib.sha256(), 0
        try:
            with os.fdopen(fd, "wb") as out:
                while block := response.read(1 << 16):
                    size += len(block)
                    if size > settings.max_bytes:
                        raise ValueError(f"{url}: over the {settings.max_bytes} byte cap")
                    digest.update(block)
                    out.write(block)
            if declared is not None and size != int(declared):
                raise ValueError(f"{url}: truncated, {size} of {declared} bytes arrived")
            with open(tmp_name, "rb") as fh:
                if b"%PDF-" not in fh.read(1024):
                    raise ValueError(f"{url}: the server did not send a PDF")
            target = folder / name
            os.replace(tmp_name, target)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise
        return target, {
            "etag": response.headers.get("ETag"),
            "last_modified": response.headers.get("Last-Modified"),
            "sha256": digest.hexdigest(),
            "path": str(target),
        }


def fetch(
    feed_url: str,
    archive: Path,
    db_path: Path,
    *,
    settings: FetchSettings | None = None,
    on_file: Callable[[str, str], Any] | None = None,
) -> FetchResult:
    """Download what the feed lists and the archive lacks. Ingesting is the caller's next step."""
    settings = settings or FetchSettings()
    archive.mkdir(parents=True, exist_ok=True)
    try:
        with _request(feed_url, settings) as response:
            feed = response.read(settings.max_bytes).decode("utf-8", errors="replace")
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
        raise FetchError(
            f"{feed_url}: the feed could not be read ({exc}). Check the URL and "
            "the network; nothing was changed."
        ) from exc
    db = open_db(db_path)
    result = FetchResult()
    try:
        for url in report_links(feed, feed_url):
            rows = list(db["fetch_state"].rows_where("url = ?", [url]))
            state = rows[0] if rows else None
            if state and state.get("path") and not Path(state["path"]).exists():
                state = None  # the file went missing: fetch it again unconditionally
            try:
                path, new_state = _download(url, archive, state, settings)
            except Exception as exc:  # this URL fails; the others go on
                result.failed.append((url, str(exc)))
                if on_file:
                    on_file(url, f"failed: {exc}")
                continue
            if path is None:
                result.not_modified.append(url)
                if on_file:
                    on_file(url, "not modified")
                continue
            db["fetch_state"].upsert({"url": url, **new_state, "fetched_at": now()}, pk="url")
            result.downloaded.append(path)
            if on_file:
                on_file(url, f"downloaded to {path}")
    finally:
        db.close()
    return result
