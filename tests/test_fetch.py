"""`snhr fetch` against a real HTTP server on 127.0.0.1 that serves the corpus PDFs and a
feed, and that fails, stalls and truncates on demand."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor.cli import main

from .archive_helpers import assert_consistent
from .conftest import CORPUS
from .loopback import serving

PDFS = sorted(CORPUS.glob("*.pdf"))


@dataclass
class Behaviour:
    """How the server answers each file: ok, fail (500), slow, truncated."""

    modes: dict[str, str] = field(default_factory=dict)
    hits: dict[str, int] = field(default_factory=dict)
    not_modified: int = 0


def _handler(behaviour: Behaviour) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            if self.path == "/feed.xml":
                items = "".join(
                    f'<item><title>{p.stem}</title><enclosure url="/reports/{p.name}" '
                    'type="application/pdf"/></item>'
                    for p in PDFS
                )
                body = f"<?xml version='1.0'?><rss><channel>{items}</channel></rss>".encode()
                self._send(200, body, "application/rss+xml")
                return
            name = self.path.rsplit("/", 1)[-1]
            behaviour.hits[name] = behaviour.hits.get(name, 0) + 1
            source = CORPUS / name
            if not source.exists():
                self._send(404, b"not found", "text/plain")
                return
            data = source.read_bytes()
            etag = '"' + hashlib.sha256(data).hexdigest()[:16] + '"'
            mode = behaviour.modes.get(name, "ok")
            if mode == "fail":
                self._send(500, b"boom", "text/plain")
                return
            if mode == "slow":
                time.sleep(3)
            if self.headers.get("If-None-Match") == etag:
                behaviour.not_modified += 1
                self.send_response(304)
                self.end_headers()
                return
            if mode == "truncated":
                self.send_response(200)
                self.send_header("Content-Type", "application/pdf")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("ETag", etag)
                self.end_headers()
                self.wfile.write(data[: len(data) // 2])
                self.wfile.flush()
                self.close_connection = True
                return
            self._send(200, data, "application/pdf", etag)

        def _send(self, code: int, body: bytes, kind: str, etag: str | None = None) -> None:
            self.send_response(code)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            if etag:
                self.send_header("ETag", etag)
            self.end_headers()
            self.wfile.write(body)

    return Handler


@pytest.fixture
def server() -> Iterator[tuple[str, Behaviour]]:
    behaviour = Behaviour()
    with serving(_handler(behaviour)) as base:
        yield f"{base}/feed.xml", behaviour


def _fetch(feed: str, tmp_path: Path, *extra: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        main,
        [
            "fetch",
            "--feed",
            feed,
            "--archive",
            str(tmp_path / "a"),
            "--db",
            str(tmp_path / "snhr.db"),
            "--timeout",
            "1",
            "--retries",
            "2",
            *extra,
        ],
    )
    return result.exit_code, result.output


def test_fetch_downloads_ingests_and_then_uses_conditional_get(
    server: tuple[str, Behaviour], tmp_path: Path
) -> None:
    feed, behaviour = server
    code, out = _fetch(feed, tmp_path)
    assert code == 0, out
    assert f"{len(PDFS)} downloaded, {len(PDFS)} ingested" in out
    assert assert_consistent(tmp_path / "snhr.db") == len(PDFS)
    code, out = _fetch(feed, tmp_path)
    assert code == 0
    assert f"Nothing new: {len(PDFS)} unchanged" in out
    assert behaviour.not_modified == len(PDFS)


def test_faults_lose_nothing_and_half_ingest_nothing(
    server: tuple[str, Behaviour], tmp_path: Path
) -> None:
    feed, behaviour = server
    failing, slow, cut = PDFS[0].name, PDFS[1].name, PDFS[2].name
    behaviour.modes.update({failing: "fail", slow: "slow", cut: "truncated"})
    code, out = _fetch(feed, tmp_path)
    assert code == 1
    assert "1 downloaded, 1 ingested" in out
    assert behaviour.hits[failing] == 3  # the first attempt and --retries 2 more
    archive = tmp_path / "a"
    sha = hashlib.sha256(PDFS[3].read_bytes()).hexdigest()
    # no partial files; the one download is named by its content
    assert sorted(p.name for p in archive.iterdir()) == [f"{PDFS[3].stem}-{sha[:16]}.pdf"]
    assert assert_consistent(tmp_path / "snhr.db") == 1
    behaviour.modes.clear()
    code, out = _fetch(feed, tmp_path)
    assert code == 0, out
    assert "3 downloaded, 3 ingested, 1 unchanged" in out
    assert assert_consistent(tmp_path / "snhr.db") == len(PDFS)


def test_unreachable_feed_is_a_clean_error(tmp_path: Path) -> None:
    code, out = _fetch("http://127.0.0.1:9/feed.xml", tmp_path)
    assert code == 12
    assert "could not be read" in out
