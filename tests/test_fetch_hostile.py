"""`snhr fetch` against a hostile feed, on a real HTTP server on 127.0.0.1 (issue 12 items
1, 5-8 and 11; issue 10's announcement pages). Each test reproduces what used to go wrong."""

from __future__ import annotations

import hashlib
import html
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import unquote

import pytest
from click.testing import CliRunner

from extractor.archive.fetch import report_links
from extractor.archive.ingest import discover
from extractor.cli import main

from .archive_helpers import assert_consistent
from .conftest import CORPUS
from .loopback import serving

Route = Callable[[BaseHTTPRequestHandler], None]


class Site:
    """Routes by exact (unquoted) path; every request is logged."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[str] = []

    def file(self, path: str, body: bytes, kind: str = "application/pdf") -> None:
        def send(h: BaseHTTPRequestHandler) -> None:
            h.send_response(200)
            h.send_header("Content-Type", kind)
            h.send_header("Content-Length", str(len(body)))
            h.end_headers()
            h.wfile.write(body)

        self.routes[path] = send

    def redirect(self, path: str, location: str) -> None:
        def send(h: BaseHTTPRequestHandler) -> None:
            h.send_response(302)
            h.send_header("Location", location)
            h.send_header("Content-Length", "0")
            h.end_headers()

        self.routes[path] = send

    def drip(self, path: str, body: bytes) -> None:
        """64 bytes a second: each read is quick, the whole takes minutes."""

        def send(h: BaseHTTPRequestHandler) -> None:
            h.send_response(200)
            h.send_header("Content-Type", "application/pdf")
            h.send_header("Content-Length", str(len(body)))
            h.end_headers()
            try:
                for i in range(0, len(body), 64):
                    h.wfile.write(body[i : i + 64])
                    h.wfile.flush()
                    time.sleep(1)
            except OSError:
                pass

        self.routes[path] = send


@pytest.fixture
def site() -> Iterator[tuple[str, Site]]:
    state = Site()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            path = unquote(self.path)
            state.requests.append(path)
            route = state.routes.get(path)
            if route is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            route(self)

    with serving(Handler) as base:
        yield base, state


def rss(*items: str, encoding: str = "utf-8") -> str:
    return (
        f'<?xml version="1.0" encoding="{encoding}"?>\n<rss version="2.0"><channel>'
        f"<title>SNHR</title><link>https://example.org/</link>{''.join(items)}</channel></rss>"
    )


def enclosure(url: str) -> str:
    return f'<item><title>r</title><enclosure url="{url}" type="application/pdf"/></item>'


def run_fetch(feed: str, tmp_path: Path, *extra: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        main,
        [
            "fetch",
            "--feed",
            feed,
            "--archive",
            str(tmp_path / "archive"),
            "--db",
            str(tmp_path / "snhr.db"),
            "--timeout",
            "2",
            "--retries",
            "0",
            *extra,
        ],
    )
    return result.exit_code, result.stdout, result.stderr


def reports(tmp_path: Path) -> list[str]:
    conn = sqlite3.connect(tmp_path / "snhr.db")
    try:
        return [r[0] for r in conn.execute("SELECT period FROM reports ORDER BY period")]
    finally:
        conn.close()


def kinds(tmp_path: Path) -> list[tuple[str, str, str]]:
    """(period, kind, format) of the archive's current rows."""
    conn = sqlite3.connect(tmp_path / "snhr.db")
    try:
        return conn.execute(
            "SELECT period, kind, format FROM reports WHERE superseded_by IS NULL "
            "ORDER BY period, kind"
        ).fetchall()
    finally:
        conn.close()


def _no_traceback(err: str) -> None:
    assert "Traceback" not in err


# --- item 1: names never collide, nothing is replaced ---------------------------------------


def test_same_file_name_under_two_urls_keeps_both_and_replaces_nothing(
    site: tuple[str, Site], tmp_path: Path
) -> None:
    base, s = site
    first, second = (CORPUS / "2021-02.pdf").read_bytes(), (CORPUS / "2023-12.pdf").read_bytes()
    s.file("/a/report.pdf", first)
    s.file("/b/report.pdf", second)
    s.file("/c/2024-11.pdf", (CORPUS / "2020-07.pdf").read_bytes())  # named like a kept file
    s.file(
        "/feed",
        rss(
            *(enclosure(f"{base}{p}") for p in ("/a/report.pdf", "/b/report.pdf", "/c/2024-11.pdf"))
        ).encode(),
        "application/rss+xml",
    )
    archive = tmp_path / "archive"
    archive.mkdir()
    kept = (CORPUS / "2024-11.pdf").read_bytes()
    (archive / "2024-11.pdf").write_bytes(kept)
    code, _out, err = run_fetch(f"{base}/feed", tmp_path)
    assert code == 0, err
    assert (archive / "2024-11.pdf").read_bytes() == kept  # never replaced
    names = sorted(p.name for p in archive.iterdir())
    assert len(names) == 4, names
    assert reports(tmp_path) == ["2020-07", "2021-02", "2023-12"]
    conn = sqlite3.connect(tmp_path / "snhr.db")
    urls = dict(conn.execute("SELECT url, path FROM fetch_state").fetchall())
    conn.close()
    assert set(urls) == {f"{base}/a/report.pdf", f"{base}/b/report.pdf", f"{base}/c/2024-11.pdf"}
    assert len(set(urls.values())) == 3  # the URL is kept with the file it gave


# --- item 5: only http and https ------------------------------------------------------------


def test_only_http_and_https_are_fetched_and_links_are_judged_by_path(
    site: tuple[str, Site], tmp_path: Path
) -> None:
    base, s = site
    secret = tmp_path / "secret.pdf"
    secret.write_bytes((CORPUS / "2021-02.pdf").read_bytes())
    s.redirect("/to-file.pdf", f"file://{secret}")
    s.redirect("/to-ftp.pdf", "ftp://127.0.0.1/x.pdf")
    s.file("/ok.pdf", (CORPUS / "2023-12.pdf").read_bytes())
    s.file("/internal", b"%PDF-1.4 internal")
    items = [
        enclosure(f"file://{secret}"),
        enclosure("data:application/pdf;base64,JVBERi0xLjQK#.pdf"),
        enclosure("ftp://127.0.0.1/r.pdf"),
        enclosure(f"{base}/to-file.pdf"),
        enclosure(f"{base}/to-ftp.pdf"),
        enclosure(f"{base}/ok.pdf"),
        enclosure(f"{base}/internal#.pdf"),
    ]
    s.file("/feed", rss(*items).encode(), "application/rss+xml")
    code, _out, err = run_fetch(f"{base}/feed", tmp_path)
    assert code == 1  # refused items are failures, cron sees them
    assert reports(tmp_path) == ["2023-12"]
    assert "/internal" not in s.requests  # judged by its path, which is not a PDF's
    pdfs = [p for p in (tmp_path / "archive").iterdir() if p.suffix == ".pdf"]
    assert len(pdfs) == 1
    size = str(secret.stat().st_size)
    for line in err.splitlines():
        if "secret.pdf" in line or "ftp:" in line or "data:" in line:
            assert "refused" in line
            assert size not in line  # nothing said about a local file beyond its URL
    assert err.count("refused") == 4, err  # file:, ftp:, and the redirects to them
    assert "data:" not in err  # its path is not a PDF's: never attempted
    _no_traceback(err)


def test_feed_url_must_be_http(tmp_path: Path) -> None:
    for feed in ("not a url", f"file://{CORPUS}/2021-02.pdf", "ftp://127.0.0.1/feed"):
        code, _out, err = run_fetch(feed, tmp_path)
        assert code == 12, err
        assert len(err.strip().splitlines()) == 1
        assert "not an http or https URL" in err


# --- item 6: a deadline per download; partial files where ingest never looks ----------------


def test_a_dripping_download_stops_at_its_deadline(site: tuple[str, Site], tmp_path: Path) -> None:
    base, s = site
    s.drip("/slow.pdf", (CORPUS / "2021-02.pdf").read_bytes())
    s.file("/feed", rss(enclosure(f"{base}/slow.pdf")).encode(), "application/rss+xml")
    code, _out, err = run_fetch(f"{base}/feed", tmp_path, "--deadline", "3")
    assert code == 1
    assert "not complete within the 3 s deadline" in err
    assert discover([tmp_path / "archive"]) == []
    _no_traceback(err)


def test_sigterm_mid_download_leaves_nothing_ingest_reads(
    site: tuple[str, Site], tmp_path: Path
) -> None:
    base, s = site
    s.drip("/slow.pdf", (CORPUS / "2021-02.pdf").read_bytes())
    s.file("/feed", rss(enclosure(f"{base}/slow.pdf")).encode(), "application/rss+xml")
    archive = tmp_path / "archive"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "extractor",
            "fetch",
            "--feed",
            f"{base}/feed",
            "--archive",
            str(archive),
            "--db",
            str(tmp_path / "snhr.db"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(600):  # until the download has begun
            if "/slow.pdf" in s.requests and any(archive.glob(".*")):
                break
            time.sleep(0.05)
        time.sleep(1.5)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
    assert any(archive.iterdir())  # the partial download is there...
    assert discover([archive]) == []  # ...and ingest never reads it


# --- item 7: a feed with no items is an error ------------------------------------------------


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        (b"<!doctype html><html><body><h1>Service unavailable</h1></body></html>", "text/html"),
        (b"\x00\x01garbage\xff" * 50, "application/octet-stream"),
        (rss().encode(), "application/rss+xml"),
    ],
    ids=["html-error-page", "junk", "rss-without-items"],
)
def test_a_feed_with_no_items_is_an_error_of_its_own(
    site: tuple[str, Site], tmp_path: Path, body: bytes, kind: str
) -> None:
    base, s = site
    s.file("/feed", body, kind)
    code, _out, err = run_fetch(f"{base}/feed", tmp_path)
    assert code == 14, err
    assert len(err.strip().splitlines()) == 1
    assert "lists no reports" in err


def test_a_utf16_feed_is_read_in_its_declared_encoding(
    site: tuple[str, Site], tmp_path: Path
) -> None:
    base, s = site
    s.file("/r/تقرير.pdf", (CORPUS / "2021-02.pdf").read_bytes())
    feed = rss(enclosure(f"{base}/r/تقرير.pdf"), encoding="utf-16")
    s.file("/feed", feed.encode("utf-16"), "application/rss+xml")
    code, _out, err = run_fetch(f"{base}/feed", tmp_path)
    assert code == 0, err
    assert reports(tmp_path) == ["2021-02"]


# --- item 8: linear link parsing, URLs quoted ------------------------------------------------


def test_a_hundred_thousand_links_parse_once_each_in_order() -> None:
    links = "".join(
        f'<a href="/r/{i}.pdf">r</a><a href="/r/{i}.pdf">again</a>' for i in range(100_000)
    )
    got = report_links(f"<html><body>{links}</body></html>", "http://127.0.0.1/")
    assert len(got) == 100_000
    assert got[0] == "http://127.0.0.1/r/0.pdf"
    assert got[-1] == "http://127.0.0.1/r/99999.pdf"


def test_urls_with_spaces_and_non_ascii_letters_are_fetched(
    site: tuple[str, Site], tmp_path: Path
) -> None:
    base, s = site
    s.file("/reports/monthly report 2021-02.pdf", (CORPUS / "2021-02.pdf").read_bytes())
    s.file("/reports/تقرير 2023-12.pdf", (CORPUS / "2023-12.pdf").read_bytes())
    page = (
        f'<html><body><a href="{base}/reports/monthly report 2021-02.pdf">a</a>'
        f'<a href="/reports/تقرير 2023-12.pdf">b</a></body></html>'
    )
    s.file("/index.html", page.encode("utf-8"), "text/html; charset=utf-8")
    code, _out, err = run_fetch(f"{base}/index.html", tmp_path)
    assert code == 0, err
    assert reports(tmp_path) == ["2021-02", "2023-12"]


# --- item 11: --retries 0, normal permissions -----------------------------------------------


def test_retries_zero_means_one_attempt(site: tuple[str, Site], tmp_path: Path) -> None:
    base, s = site
    hits: list[int] = []

    def fail(h: BaseHTTPRequestHandler) -> None:
        hits.append(1)
        h.send_response(503)
        h.send_header("Content-Length", "0")
        h.end_headers()

    s.routes["/down.pdf"] = fail
    s.file("/feed", rss(enclosure(f"{base}/down.pdf")).encode(), "application/rss+xml")
    code, _out, err = run_fetch(f"{base}/feed", tmp_path)
    assert code == 1
    assert len(hits) == 1
    assert "HTTP 503" in err
    _no_traceback(err)


def test_downloads_get_normal_permissions(site: tuple[str, Site], tmp_path: Path) -> None:
    base, s = site
    s.file("/r.pdf", (CORPUS / "2021-02.pdf").read_bytes())
    s.file("/feed", rss(enclosure(f"{base}/r.pdf")).encode(), "application/rss+xml")
    old = os.umask(0o022)
    try:
        code, _out, err = run_fetch(f"{base}/feed", tmp_path)
    finally:
        os.umask(old)
    assert code == 0, err
    (pdf,) = (tmp_path / "archive").glob("*.pdf")
    assert stat.S_IMODE(pdf.stat().st_mode) == 0o644


# --- issue 10: announcement pages linking to their report -------------------------------------


def test_feed_item_is_followed_to_its_announcement_page_and_the_pdf_it_links(
    site: tuple[str, Site], tmp_path: Path
) -> None:
    """A WordPress feed: each item links to the announcement page; the page links to the
    report PDF inside <article>, and to other reports in its sidebar."""
    base, s = site
    page_path = "/2024/12/02/snhr-monthly-report-november-2024/"
    s.file("/wp-content/uploads/2024/12/M241202E.pdf", (CORPUS / "2024-11.pdf").read_bytes())
    s.file("/wp-content/uploads/2021/03/other.pdf", (CORPUS / "2021-02.pdf").read_bytes())
    # The announcement's own text (corpus/eras/2024-11.press_release.txt) as a WordPress post.
    title, *paragraphs = [
        p.strip()
        for p in (CORPUS / "eras" / "2024-11.press_release.txt").read_text().split("\n\n")
        if p.strip()
    ]
    page = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Announcement</title></head><body>"
        "<aside><a href='/wp-content/uploads/2021/03/other.pdf'>older report</a></aside>"
        f"<article class='post'><h1>{html.escape(title)}</h1>"
        + "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
        + "<p><a href='/wp-content/uploads/2024/12/M241202E.pdf'>Full report</a></p>"
        "</article></body></html>"
    )
    s.file(page_path, page.encode(), "text/html; charset=UTF-8")
    item = (
        "<item><title>Monthly report November 2024</title>"
        f"<link>{base}{page_path}</link>"
        "<dc:creator><![CDATA[SNHR]]></dc:creator><category><![CDATA[Reports]]></category>"
        "<description><![CDATA[The Syrian Network for Human Rights announced ...]]></description>"
        "</item>"
    )
    feed = (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>SNHR</title><link>{base}/</link>{item}</channel></rss>"
    )
    s.file("/feed/", feed.encode(), "application/rss+xml; charset=UTF-8")
    code, out, err = run_fetch(f"{base}/feed/", tmp_path)
    assert code == 0, err
    pages = list((tmp_path / "archive").glob("*.html"))
    assert len(pages) == 1
    assert pages[0].read_bytes() == page.encode()  # the announcement, kept as served
    # Its report PDF and the page itself, ingested side by side for the month (issue 10).
    assert kinds(tmp_path) == [("2024-11", "monthly", "pdf"), ("2024-11", "press_release", "html")]
    assert "/wp-content/uploads/2021/03/other.pdf" not in s.requests  # the sidebar's is not
    assert "1 announcement page(s) kept" in out
    assert_consistent(tmp_path / "snhr.db")
    conn = sqlite3.connect(tmp_path / "snhr.db")
    try:
        # The series takes the report (six women, p. 8), saying so.
        assert conn.execute(
            "SELECT total, children, women, source FROM monthly_civilians"
        ).fetchall() == [(71, 20, 6, "report")]
    finally:
        conn.close()
    # A second night: the page and the PDF are unchanged on disk and nothing is duplicated.
    digest = hashlib.sha256(pages[0].read_bytes()).hexdigest()
    code, out, err = run_fetch(f"{base}/feed/", tmp_path)
    assert code == 0, err
    assert [
        hashlib.sha256(p.read_bytes()).hexdigest() for p in (tmp_path / "archive").glob("*.html")
    ] == [digest]
    assert kinds(tmp_path) == [("2024-11", "monthly", "pdf"), ("2024-11", "press_release", "html")]
