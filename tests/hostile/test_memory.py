"""The gzip bomb and billion laughs stay within a memory bound, in a process of their own.

The bound is about size, not time. The bomb inflates to 1 GiB and billion laughs expands
to about 3 GB of text: a pipeline that decoded either in full (``gzip.decompress`` on the
body, an XML parser that expands entities) would need at least 1 GiB resident. Ours stops
the bomb at the 8 MiB body cap, decoding in 64 KiB steps, and refuses the entities before
parsing, so its peak is the interpreter with Django, lxml and aiohttp loaded (about
90 MiB measured here) plus a few caps' worth of buffers. 512 MiB sits far above that and
at half of what the smallest naive pipeline would hold. The child also caps its address
space at 1.5 GiB, so a naive pipeline fails there instead of taking the machine's memory.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

CHILD = Path(__file__).resolve().parent / "memory_child.py"
ADDRESS_SPACE_LIMIT = 1536 * 1024 * 1024
PEAK_RSS_BOUND = 512 * 1024 * 1024


@pytest.mark.slow
def test_bombs_end_typed_within_the_memory_bound(tmp_path: Path) -> None:
    env = dict(os.environ, NEWSSTAND_DATA_DIR=str(tmp_path), DATABASE_URL="")
    child = subprocess.run(
        [sys.executable, str(CHILD), str(ADDRESS_SPACE_LIMIT)],
        env=env,
        capture_output=True,
        text=True,
        timeout=100,
        check=False,
    )
    assert child.returncode == 0, child.stderr[-3000:]
    result = json.loads(child.stdout.strip().splitlines()[-1])
    assert result["codes"] == {"bomb": "too_large", "laughs": "unsafe_xml", "good": ""}
    assert result["good_articles"] == 3
    assert 0 < result["peak_rss_bytes"] < PEAK_RSS_BOUND
