"""Reading hand-typed key figures: the files and a walk through a record's JSON written
here, independently of the extractor's own figure paths (tests must not compute their
expectations with production code)."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any


def load_key(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def json_at(data: Any, path: str) -> Any:
    """The value a dotted figure path names in a record's JSON: `civilians.total`,
    `parties.russia.children` (list entries by their `party` or `id`)."""
    node = data
    for token in path.split("."):
        if isinstance(node, list):
            node = next((i for i in node if token in (i.get("party"), i.get("id"))), None)
        elif isinstance(node, dict):
            node = node.get(token)
        else:
            return None
        if node is None:
            return None
    return node
