"""The use cases' text encoder keeps its quantised model in the user's cache folder."""

from pathlib import Path

from newsstand.usecases.encoding import encoder_cache_dir


def test_cache_folder_follows_xdg_cache_home(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert encoder_cache_dir() == tmp_path / "newsstand"


def test_cache_folder_defaults_to_the_home_cache(monkeypatch, tmp_path):
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert encoder_cache_dir() == Path(tmp_path) / ".cache" / "newsstand"
