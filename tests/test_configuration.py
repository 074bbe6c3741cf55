"""The configuration the composition root hands the use cases, built from the settings."""

from __future__ import annotations

from dataclasses import replace
from ipaddress import ip_network
from pathlib import Path

from django.conf import settings

from newsstand.configuration import build_configuration, configuration
from newsstand.net.fetch import USER_AGENT


def test_every_setting_reaches_the_use_case_that_needs_it(tmp_path):
    tuning = replace(
        settings.NEWSSTAND,
        allow_networks=("10.1.0.0/16",),
        fetch_timeout=7.5,
        refresh_batch=33,
        parse_workers=3,
        fulltext_batch=11,
        fulltext_per_host=4,
        min_interval=120,
        max_interval=7200,
    )
    built = build_configuration(tuning, data_dir=tmp_path, text_model_cache=tmp_path / "cache")
    assert built.refresh.policy.allow_networks == (ip_network("10.1.0.0/16"),)
    assert built.refresh.policy.timeout == 7.5
    assert built.refresh.policy.user_agent == USER_AGENT
    assert (built.refresh.batch, built.refresh.parse_workers) == (33, 3)
    assert (built.refresh.bounds.min_interval, built.refresh.bounds.max_interval) == (120, 7200)
    assert built.full_text.policy == built.refresh.policy == built.policy
    assert (built.full_text.batch, built.full_text.per_host) == (11, 4)
    assert (built.scheduling.refresh_batch, built.scheduling.extract_batch) == (33, 11)
    assert built.enrichment.section_model == tmp_path / "models" / "sections.zip"
    assert built.text_model_cache == tmp_path / "cache"


def test_no_parse_workers_set_means_one_per_core(tmp_path):
    tuning = replace(settings.NEWSSTAND, parse_workers=0)
    built = build_configuration(tuning, data_dir=tmp_path, text_model_cache=tmp_path, cores=6)
    assert built.refresh.parse_workers == 6


def test_the_process_builds_it_once_from_its_settings():
    assert configuration() is configuration()
    assert configuration().enrichment.section_model.parent.parent == Path(settings.DATA_DIR)
