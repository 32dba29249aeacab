"""sqlite-utils, imported without numpy and pandas.

sqlite-utils imports numpy and pandas, when they are installed, only to map their scalar
types to column types. snhr never writes either (they are in the environment for pyarrow
and matplotlib), and importing numpy was about a quarter of every archive command's
start-up (70 of 300 ms). So sqlite-utils is imported with both marked absent, unless this
process has already imported them; the marks are removed at once, so a later `import
numpy` (export to Parquet, plot) works as usual. Every module imports sqlite-utils from
here, so the first import is always this one.
"""

from __future__ import annotations

import sys

_ABSENT = [name for name in ("numpy", "pandas") if name not in sys.modules]
for _name in _ABSENT:
    sys.modules[_name] = None  # type: ignore[assignment]
try:
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations
finally:
    for _name in _ABSENT:
        if sys.modules.get(_name, 0) is None:
            del sys.modules[_name]

__all__ = ["Database", "Migrations"]
