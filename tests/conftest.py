"""Shared fixtures. Tests use a real SQLite (or PostgreSQL with DATABASE_URL), real servers."""

from __future__ import annotations

import os
import tempfile

# Each test run gets its own data folder, so no test touches a developer's database.
os.environ.setdefault("NEWSSTAND_DATA_DIR", tempfile.mkdtemp(prefix="newsstand-test-"))
