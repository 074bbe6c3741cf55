"""The text encoder the use cases share, its quantised model kept on disk for the next process."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsstand.core.stories import TextEncoder


def text_encoder(cache_dir: Path | None, threads: int = 1) -> TextEncoder:
    """The process's MiniLM encoder; the int8 model is kept in ``cache_dir`` (the
    composition root's ``default_cache_dir``; ``None``: built in memory each process)."""
    from newsstand.core.stories import load_text_encoder

    return load_text_encoder(threads, cache_dir=cache_dir)


def default_cache_dir(environ: Mapping[str, str], home: Path | None = None) -> Path:
    """``$XDG_CACHE_HOME/newsstand`` (else ``~/.cache/newsstand``) of the environment
    ``environ``: the quantised model (~59 MB) is rebuilt there when missing, so the folder
    may be deleted at any time."""
    base = environ.get("XDG_CACHE_HOME") or str((home or Path.home()) / ".cache")
    return Path(base) / "newsstand"
