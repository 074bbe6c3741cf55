"""The text encoder keeps its quantised model in the user's cache folder (XDG)."""

from pathlib import Path

from newsstand.compute.text_model import default_cache_dir


def test_cache_folder_follows_xdg_cache_home(tmp_path):
    assert default_cache_dir({"XDG_CACHE_HOME": str(tmp_path)}) == tmp_path / "newsstand"


def test_cache_folder_defaults_to_the_home_cache(tmp_path):
    found = default_cache_dir({}, home=tmp_path)
    assert found == Path(tmp_path) / ".cache" / "newsstand"
    assert default_cache_dir({"XDG_CACHE_HOME": ""}, home=tmp_path) == found


def test_the_settings_follow_the_process_environment():
    import os

    from django.conf import settings

    assert default_cache_dir(os.environ) == settings.TEXT_MODEL_CACHE
