"""The int8 ONNX Runtime encoder against the numpy reference, its threads and its cache."""

import numpy as np
import pytest

from newsstand.core.stories.encoder import BATCH, MiniLMEncoder, model_dir
from newsstand.core.stories.onnx_encoder import OrtMiniLMEncoder, cache_file

# Real headlines of the UCI News Aggregator corpus (the demo's), every 177th of its first 6,366.
HEADLINES = [
    "Fed official says weak data caused by weather, should not slow taper",
    "What Comes Next as the Bull Market Turns Five?",
    "Democrat donor William Ackman conspires to destroy Herbalife to win billion  ...",
    "Rest-stop pizza chain Sbarro files for bankruptcy",
    "Big Merger Creates the World's Largest Banana Company",
    "Chinese shares sink on growth data fears",
    "Titanfall Xbox One resolution likely to increase after launch",
    "Apple iPhone Air designer concept shows the iPhone 6 we all want",
    "Google Inc (GOOG) To Launch Software Development Kit For Wearable Devices",
    "Here's The Mind-Blowing Cosmic Calendar From The 'Cosmos' Premiere",
    "Apple Releases iOS 7.1 Update for iPad and iPhone",
    "Snowden's Solution: More Encryption, Better Watchdogs",
    "Edward Snowden to SXSW: I'd Do It All Over Again",
    "'Game of Thrones' Season 4 Trailer 3: Secrets",
    "Miley Cyrus fan arrested for sneaking into her dressing room before Omaha show",
    "Juan Pablo Galavis 'Worst Bachelor Ever': Producers 'Can't Wait' For End Of  ...",
    "SXSW 2014: 10 Artists to Watch",
    "'True Detective' finale crashes HBO Go streaming service",
    "Lena Dunham tweets and deletes molestation joke, apologizes to fans",
    "Neil Young's PonoMusic to launch this week with new PonoPlayer",
    "Justin Bieber Stands By Video Deposition Kiss-Off, 'We All Have A Right To  ...",
    "Stacy Kiebler marries in a surprise ceremony",
    "Cressida plays the punk princess with sparkly Converse",
    "Beyoncé wants to ban the word bossy",
    "Mobile Devices Distracting Parents?",
    "North Korean ship slips away from Libyan military",
    "Colorado collects $US2m in marijuana taxes",
    "US stocks dip on Chinese trade figures; Dow slides 0.21%",
    "Carney Faces Grilling as BOE Accused of Complacency",
    "Charter CEO Working to Reduce 'Cable Guy' Visits",
    "Men's Wearhouse Ties Deal",
    "Sprint Still Pushing for a T-Mobile Merger",
    "A Very Flappy Crowdtilted Journalism Experiment",
    "Google Offers Apps Referral Program",
    "Time to mech a move: Titanfall is out today (and you'll want to let it download  ...",
    "Volcanoes May Have Helped Plant And Animal Species Survive During Ice Ages",
]


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("model-cache")


@pytest.fixture(scope="module")
def encoder(cache_dir):
    return OrtMiniLMEncoder.load(model_dir(), cache_dir=cache_dir)


def test_int8_vectors_agree_with_the_numpy_reference(encoder):
    int8 = encoder.encode(HEADLINES)
    reference = MiniLMEncoder(model_dir()).encode(HEADLINES)
    assert int8.shape == (len(HEADLINES), 384)
    assert int8.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(int8, axis=1), 1.0, rtol=1e-5)
    cosines = (int8 * reference).sum(axis=1)
    assert float(cosines.min()) > 0.97
    assert float(cosines.mean()) > 0.99


def test_two_threads_give_the_same_vectors(encoder, cache_dir):
    texts = [*HEADLINES, *(f"Headline number {i} about the markets" for i in range(BATCH))]
    two = OrtMiniLMEncoder.load(model_dir(), threads=2, cache_dir=cache_dir)
    np.testing.assert_array_equal(encoder.encode(texts), two.encode(texts))


def test_the_same_texts_in_any_order_give_the_same_vectors(encoder):
    # A text's int8 vector depends a little on the other texts of its batch (activations are
    # quantised per batch), so batches are made from the texts, not from their order.
    texts = [*HEADLINES, *(f"Headline number {i} about the markets" for i in range(BATCH))]
    shuffled = np.random.default_rng(7).permutation(len(texts))
    forward = encoder.encode(texts)
    mixed = encoder.encode([texts[i] for i in shuffled])
    np.testing.assert_array_equal(forward[shuffled], mixed)


def test_the_model_is_cached_and_reused(encoder, cache_dir):
    path = cache_file(model_dir(), cache_dir)
    assert encoder.cache_path == path
    assert path.is_file()
    assert [p.name for p in cache_dir.iterdir()] == [path.name]  # no temporary file left
    written = path.stat().st_mtime_ns
    again = OrtMiniLMEncoder.load(model_dir(), cache_dir=cache_dir)
    assert path.stat().st_mtime_ns == written
    np.testing.assert_array_equal(again.encode(HEADLINES), encoder.encode(HEADLINES))


@pytest.mark.parametrize("damage", ["truncated", "garbage with a valid checksum"])
def test_a_damaged_cache_file_is_rebuilt(encoder, tmp_path, damage):
    import hashlib

    path = cache_file(model_dir(), tmp_path)
    good = encoder.cache_path.read_bytes()
    if damage == "truncated":
        path.write_bytes(good[: len(good) // 2])
    else:
        junk = b"not an onnx model" * 100
        path.write_bytes(hashlib.sha256(junk).digest() + junk)
    rebuilt = OrtMiniLMEncoder.load(model_dir(), cache_dir=tmp_path)
    assert path.read_bytes() == good
    np.testing.assert_array_equal(rebuilt.encode(HEADLINES[:5]), encoder.encode(HEADLINES[:5]))


def test_an_unwritable_cache_folder_is_not_fatal(tmp_path, caplog):
    import logging

    root = logging.getLogger()
    handlers, filters = list(root.handlers), list(root.filters)
    blocker = tmp_path / "file"
    blocker.write_text("a file where the folder should be")
    loaded = OrtMiniLMEncoder.load(model_dir(), cache_dir=blocker / "cache")
    assert loaded.encode(["Crimea votes to join Russia"]).shape == (1, 384)
    assert "cannot cache the text model" in caplog.text
    assert "pre-processing" not in caplog.text
    # Quantising leaves the root logger as it was.
    assert root.handlers == handlers
    assert root.filters == filters


def test_writing_a_model_removes_only_the_stale_models_of_other_versions(tmp_path):
    """Other versions' models go once stale (a month unwritten); a recent one may belong to
    another installation sharing the folder, and files not named as ours stay."""
    import os
    import time

    from newsstand.core.stories.onnx_encoder import STALE_AFTER_SECONDS

    stale = tmp_path / "minilm-l6-v2-int8-g0-ort1.0-onnx1.0-0123456789abcdef.onnx"
    recent = tmp_path / "minilm-l6-v2-int8-g0-ort2.0-onnx1.0-0123456789abcdef.onnx"
    unrelated = tmp_path / "someone-elses-model.onnx"
    old = time.time() - STALE_AFTER_SECONDS - 60
    for path in (stale, recent, unrelated):
        path.write_bytes(b"another model")
    for path in (stale, unrelated):
        os.utime(path, (old, old))
    loaded = OrtMiniLMEncoder.load(model_dir(), cache_dir=tmp_path)
    assert loaded.cache_path is not None and loaded.cache_path.is_file()
    assert not stale.exists()
    assert recent.exists() and unrelated.exists()
