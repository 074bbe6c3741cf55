"""The text encoder (int8 ONNX Runtime) and the numpy MiniLM reference, on the real weights of
the installed package. test_onnx_encoder.py compares the two and checks the model cache."""

import numpy as np
import pytest

from newsstand.core.stories import load_text_encoder, pack_vector, unpack_vector


@pytest.fixture(scope="module")
def encoder():
    return load_text_encoder()


@pytest.fixture(scope="module")
def reference():
    from newsstand.core.stories.encoder import MiniLMEncoder, model_dir

    return MiniLMEncoder(model_dir())


def test_the_application_encoder_is_the_int8_one(encoder):
    from newsstand.core.stories.onnx_encoder import OrtMiniLMEncoder

    assert isinstance(encoder, OrtMiniLMEncoder)
    assert encoder.dimensions == 384


def test_vectors_are_unit_rows_of_384(encoder):
    vectors = encoder.encode(["Fed official says weak data caused by weather", "Hello"])
    assert vectors.shape == (2, 384)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-5)


def test_no_texts_no_rows(encoder):
    assert encoder.encode([]).shape == (0, 384)


def test_padding_does_not_change_a_reference_vector(reference):
    # Not so for the int8 encoder: its activations are quantised with one scale per batch.
    encoder = reference
    short = "Malaysia Airlines jet missing"
    alone = encoder.encode([short])[0]
    batched = encoder.encode(
        [
            "Search for the missing Malaysia Airlines flight MH370 widens to the Indian Ocean "
            "as investigators look at the pilots' flight simulator",
            short,
        ]
    )[1]
    np.testing.assert_allclose(alone, batched, atol=1e-5)


def test_paraphrased_headlines_are_nearer_than_other_stories(encoder):
    texts = [
        "Fed official says weak data caused by weather, should not slow taper",
        "Fed's Charles Plosser sees high bar for change in pace of tapering",
        "Apple and Samsung head back to court over smartphone patents",
        "Samsung, Apple return to court in new patent trial",
        "Kim Kardashian shows off her figure in Paris",
    ]
    v = encoder.encode(texts)
    sims = v @ v.T
    assert sims[0, 1] > max(sims[0, 2], sims[0, 3], sims[0, 4])
    assert sims[2, 3] > max(sims[2, 0], sims[2, 1], sims[2, 4])
    assert sims[2, 3] > 0.7


@pytest.mark.parametrize("which", ["encoder", "reference"])
def test_same_text_same_vector_in_any_order(which, request):
    encoder = request.getfixturevalue(which)
    texts = [
        "One headline about oil prices",
        "Another about the World Cup draw in Brazil",
        "Oil prices fall again",
        "Gold prices rise again",  # as many tokens as the one before
    ]
    forward = encoder.encode(texts)
    backward = encoder.encode(texts[::-1])
    np.testing.assert_array_equal(forward, backward[::-1])


def test_encoder_is_loaded_once_per_process():
    assert load_text_encoder() is load_text_encoder()


def test_packed_vector_round_trips_within_float16(encoder):
    vector = encoder.encode(["Crimea votes to join Russia"])[0]
    data = pack_vector(vector)
    assert len(data) == 768
    back = unpack_vector(data)
    assert back.dtype == np.float32
    assert float(back @ vector) > 0.9999


def test_fast_gelu_gives_the_vectors_of_the_exact_one(reference):
    from newsstand.core.stories.encoder import MiniLMEncoder, model_dir

    texts = [
        "Fed official says weak data caused by weather, should not slow taper",
        "Lena Dunham apologises for molestation joke on Twitter",
        "Titanfall review roundup: critics praise Respawn's mech shooter",
    ]
    exact = MiniLMEncoder(model_dir(), exact=True).encode(texts)
    fast = reference.encode(texts)
    assert float((exact * fast).sum(axis=1).min()) > 0.9999


def test_threads_give_the_same_vectors():
    from newsstand.core.stories.encoder import BATCH, MiniLMEncoder, model_dir

    texts = [f"Headline number {i} about the markets and the weather" for i in range(BATCH + 5)]
    one = MiniLMEncoder(model_dir()).encode(texts)
    two = MiniLMEncoder(model_dir(), threads=2).encode(texts)
    np.testing.assert_array_equal(one, two)


def test_importing_the_core_loads_no_model():
    import subprocess
    import sys

    code = (
        "import sys, newsstand.core.stories\n"
        "loaded = {'safetensors', 'tokenizers', 'scipy', 'onnxruntime', 'onnx'}\n"
        "loaded &= set(sys.modules)\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_batches_hold_at_most_batch_texts_and_batch_tokens():
    from newsstand.core.stories.encoder import BATCH, BATCH_TOKENS, batches

    lengths = [3] * (BATCH + 10) + [100] * 25 + [7] * 5
    texts = [f"text {i}" for i in range(len(lengths))]
    ids = [[1] * n for n in lengths]
    found = batches(texts, ids)
    assert sorted(i for batch in found for i in batch) == list(range(len(texts)))
    for batch in found:
        assert len(batch) <= BATCH
        assert len(batch) * max(lengths[i] for i in batch) <= BATCH_TOKENS
    # short texts fill whole batches; the long ones are split by the token budget
    assert len(found[0]) == BATCH
    assert any(len(b) == BATCH_TOKENS // 100 for b in found)


def test_batches_do_not_depend_on_the_order_of_the_texts():
    from newsstand.core.stories.encoder import batches

    texts = [f"headline {i} " * (i % 7 + 1) for i in range(150)]
    ids = [[1] * len(t.split()) for t in texts]
    forward = [[texts[i] for i in b] for b in batches(texts, ids)]
    backward = [[texts[::-1][i] for i in b] for b in batches(texts[::-1], ids[::-1])]
    assert forward == backward
