"""The text encoder the use cases share, its quantised model cached for the next process."""

from __future__ import annotations

import os
from pathlib import Path

from newsstand.core.stories import TextEncoder, load_text_encoder


def text_encoder(threads: int = 1) -> TextEncoder:
    """The process's MiniLM encoder; the int8 model is kept in ``encoder_cache_dir()``."""
    return load_text_encoder(threads, cache_dir=encoder_cache_dir())


def encoder_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/newsstand`` (else ``~/.cache/newsstand``): the quantised model (~59 MB)
    is rebuilt there when missing, so the folder may be deleted at any time."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "newsstand"
