"""The archive opens cleanly in Datasette, served on 127.0.0.1 with metadata.json."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from extractor.archive.ingest import ingest

from .conftest import CORPUS, ROOT


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_datasette_serves_the_tables(tmp_path: Path) -> None:
    db = tmp_path / "snhr.db"
    ingest([CORPUS / "2024-11.pdf", CORPUS / "2023-12.pdf"], db, workers=1)
    port = _free_port()
    exe = Path(sys.executable).parent / "datasette"
    proc = subprocess.Popen(
        [
            str(exe if exe.exists() else "datasette"),
            "serve",
            str(db),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--metadata",
            str(ROOT / "metadata.json"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        rows = json.loads(
            urllib.request.urlopen(
                f"{base}/snhr/monthly_civilians.json?_shape=array", timeout=5
            ).read()
        )
        assert [(r["period"], r["total"]) for r in rows] == [("2023-12", 91), ("2024-11", 71)]
        tables = json.loads(urllib.request.urlopen(f"{base}/snhr.json", timeout=5).read())
        names = {t["name"] for t in tables["tables"]}
        assert {"reports", "tolls", "evidence", "checks", "incidents"} <= names
        meta = json.loads(urllib.request.urlopen(f"{base}/-/metadata.json", timeout=5).read())
        assert "tolls" in meta["databases"]["snhr"]["tables"]
    finally:
        proc.terminate()
        proc.wait(timeout=10)
