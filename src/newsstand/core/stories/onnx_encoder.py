"""all-MiniLM-L6-v2 as an int8 ONNX graph run by ONNX Runtime (the production text encoder).

The graph is built here from the package's ``model.safetensors``; no ONNX file is downloaded or
shipped. It follows ``encoder.MiniLMEncoder`` (the readable numpy reference) step by step:
embeddings (word + position + token type 0) -> LayerNorm -> 6 x [attention, output MatMul,
residual + LayerNorm, MatMul up, GELU (tanh form), MatMul down, residual + LayerNorm] -> mean
pooling over real tokens -> L2 normalisation. Attention and bias + GELU use ONNX Runtime's
contrib ops (domain ``com.microsoft``: ``Attention`` does the QKV projection, the masked softmax
and the context in one kernel; ``FastGelu`` is the tanh GELU with the bias folded in), so the
graph runs on ONNX Runtime only.

``quantize`` then applies ONNX Runtime's dynamic quantisation: the weights of every MatMul and
Attention become int8 once (per output channel), activations are quantised to uint8 per call;
the embedding table stays float. Building and quantising costs ~2 s of CPU, so the result can
be kept in a cache folder given by the caller (``OrtMiniLMEncoder.load``): one file per ONNX Runtime
version, onnx version, weights (SHA-256 of ``model.safetensors``) and ``GRAPH_VERSION``.

Inputs of the graph: ``input_ids`` int64 (batch, width), ``attention_mask`` float32 (batch,
width), 1 on real tokens and 0 on padding. Output: ``vectors`` float32 (batch, 384), unit rows.

onnx and onnxruntime are imported inside the functions that need them: importing this module
loads neither.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from newsstand.core.stories.encoder import (
    DIMENSIONS,
    MAX_TOKENS,
    Vectors,
    _Weights,
    encode_in_batches,
    load_tokenizer,
    padded,
)

if TYPE_CHECKING:
    import onnx

log = logging.getLogger(__name__)

# Bump when the graph or the quantisation settings change: cached models of older versions
# are then ignored (removed once stale, see _remove_stale_models).
GRAPH_VERSION = 1
_CACHE_PREFIX = "minilm-l6-v2-int8-"
# A cached model of another version written longer ago than this is removed when a new one
# is written. Not at once: two installations of other versions may share the folder, and
# each would then delete the other's and rebuild its own at every start.
STALE_AFTER_SECONDS = 30 * 24 * 3600
HEADS = 12
HEAD = DIMENSIONS // HEADS
LAYERS = 6
EPS = 1e-12
OPSET = 17
_DIGEST = hashlib.sha256().digest_size

Tensor = Callable[[str], Vectors]


class _Graph:
    """Collects nodes and initializers under unique names."""

    def __init__(self) -> None:
        from onnx import helper, numpy_helper

        self._helper = helper
        self._numpy_helper = numpy_helper
        self.nodes: list[onnx.NodeProto] = []
        self.initializers: list[onnx.TensorProto] = []
        self._count = 0

    def name(self, stem: str) -> str:
        self._count += 1
        return f"{stem}_{self._count}"

    def const(self, stem: str, value: NDArray[Any] | float | Sequence[int]) -> str:
        """An initializer: a float32 scalar for a float, int64 for a list of ints."""
        if isinstance(value, float):
            array: NDArray[Any] = np.array(value, dtype=np.float32)
        elif isinstance(value, np.ndarray):
            array = value
        else:
            array = np.array(value, dtype=np.int64)
        name = self.name(stem)
        self.initializers.append(self._numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def op(
        self,
        op_type: str,
        inputs: Sequence[str],
        stem: str = "",
        *,
        domain: str = "",
        output: str = "",
        **attrs: Any,
    ) -> str:
        """Adds one node with a single output; returns the output's name."""
        out = output or self.name(stem or op_type.lower())
        self.nodes.append(
            self._helper.make_node(
                op_type, list(inputs), [out], name=f"{out}_node", domain=domain or None, **attrs
            )
        )
        return out


def build_model(model_dir: Path) -> onnx.ModelProto:
    """The float32 encoder graph of ``model_dir/model.safetensors``."""
    from onnx import TensorProto, helper

    weights = _Weights(model_dir / "model.safetensors")
    w: Tensor = weights.__getitem__
    g = _Graph()

    # Embeddings: words[ids] + positions[:width] + type 0, then LayerNorm.
    words = g.const("word_embeddings", w("embeddings.word_embeddings.weight"))
    positions = g.const("position_embeddings", w("embeddings.position_embeddings.weight"))
    type0 = g.const("token_type0", w("embeddings.token_type_embeddings.weight")[0])
    shape = g.op("Shape", ["input_ids"])
    width = g.op("Slice", [shape, g.const("one", [1]), g.const("two", [2])], "width")
    position_rows = g.op("Slice", [positions, g.const("zero", [0]), width, g.const("ax0", [0])])
    x = g.op("Gather", [words, "input_ids"], "word_vectors")
    x = g.op("Add", [g.op("Add", [x, position_rows]), type0])
    x = _layer_norm(g, x, w, "embeddings.LayerNorm")

    # Attention's mask input: 1 on real tokens, 0 on padding (masked with -1e9, as numpy).
    mask_int = g.op("Cast", ["attention_mask"], "mask_int", to=TensorProto.INT32)
    for i in range(LAYERS):
        x = _block(g, x, mask_int, w, f"encoder.layer.{i}")

    # Mean pooling over real tokens, then unit rows.
    mask3 = g.op("Unsqueeze", ["attention_mask", g.const("axis2", [2])])
    summed = g.op("ReduceSum", [g.op("Mul", [x, mask3]), g.const("axis1", [1])], keepdims=0)
    counts = g.op("ReduceSum", ["attention_mask", g.const("axis1", [1])], keepdims=1)
    pooled = g.op("Div", [summed, counts], "pooled")
    norms = g.op("ReduceL2", [pooled], axes=[1], keepdims=1)
    norms = g.op("Max", [norms, g.const("tiny", 1e-12)])
    g.op("Div", [pooled, norms], output="vectors")

    graph = helper.make_graph(
        g.nodes,
        "minilm_l6_v2",
        [
            helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "width"]),
            helper.make_tensor_value_info("attention_mask", TensorProto.FLOAT, ["batch", "width"]),
        ],
        [helper.make_tensor_value_info("vectors", TensorProto.FLOAT, ["batch", DIMENSIONS])],
        g.initializers,
    )
    model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", OPSET), helper.make_opsetid("com.microsoft", 1)],
        producer_name="newsstand",
    )
    model.ir_version = 8
    return model


def _layer_norm(g: _Graph, x: str, w: Tensor, prefix: str) -> str:
    scale = g.const(f"{prefix}.weight", w(f"{prefix}.weight"))
    shift = g.const(f"{prefix}.bias", w(f"{prefix}.bias"))
    return g.op("LayerNormalization", [x, scale, shift], "ln", axis=-1, epsilon=EPS)


def _matmul(g: _Graph, x: str, weight: Vectors) -> str:
    """x @ weight.T, the weight stored transposed (in, out) as MatMul wants it."""
    return g.op("MatMul", [x, g.const("W", np.ascontiguousarray(weight.T))], "matmul")


def _dense(g: _Graph, x: str, w: Tensor, prefix: str) -> str:
    product = _matmul(g, x, w(f"{prefix}.weight"))
    return g.op("Add", [product, g.const("B", w(f"{prefix}.bias"))])


def _block(g: _Graph, x: str, mask_int: str, w: Tensor, prefix: str) -> str:
    """One transformer layer, as MiniLMEncoder._block."""
    attention = f"{prefix}.attention.self"
    parts = ("query", "key", "value")
    qkv_weight = np.concatenate([w(f"{attention}.{p}.weight") for p in parts])
    qkv_bias = np.concatenate([w(f"{attention}.{p}.bias") for p in parts])
    context = g.op(
        "Attention",
        [
            x,
            g.const("Wqkv", np.ascontiguousarray(qkv_weight.T)),
            g.const("Bqkv", qkv_bias),
            mask_int,
        ],
        "context",
        domain="com.microsoft",
        num_heads=HEADS,
        mask_filter_value=-1e9,
    )
    out = _dense(g, context, w, f"{prefix}.attention.output.dense")
    x = _layer_norm(g, g.op("Add", [x, out]), w, f"{prefix}.attention.output.LayerNorm")
    up = _matmul(g, x, w(f"{prefix}.intermediate.dense.weight"))
    hidden = g.op(
        "FastGelu",
        [up, g.const("B", w(f"{prefix}.intermediate.dense.bias"))],
        "gelu",
        domain="com.microsoft",
    )
    down = _dense(g, hidden, w, f"{prefix}.output.dense")
    return _layer_norm(g, g.op("Add", [x, down]), w, f"{prefix}.output.LayerNorm")


def quantize(model: onnx.ModelProto) -> bytes:
    """The dynamically int8-quantised graph, serialised.

    Weights int8 per output channel (per-tensor scales cost too much accuracy: cosine to the
    float vectors down to 0.88; uint8 weights ran 3x slower). quantize_dynamic writes its result
    (and a shape-inferred copy of the input) to files: they live in a temporary folder."""
    from onnx import TensorProto
    from onnxruntime.quantization import QuantType, quantize_dynamic

    with (
        tempfile.TemporaryDirectory(prefix="newsstand-minilm-") as folder,
        _without_preprocessing_hint(),
    ):
        target = Path(folder) / "model.int8.onnx"
        quantize_dynamic(
            model,
            target,
            op_types_to_quantize=["MatMul", "Attention"],  # not Gather: embeddings stay float
            per_channel=True,
            weight_type=QuantType.QInt8,
            extra_options={
                "MatMulConstBOnly": True,
                # Shape inference cannot type the outputs of com.microsoft ops.
                "DefaultTensorType": TensorProto.FLOAT,
            },
        )
        return target.read_bytes()


class _DropHint(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "pre-processing" not in record.getMessage()


@contextlib.contextmanager
def _without_preprocessing_hint() -> Iterator[None]:
    """Drops quantize_dynamic's "Please consider to run pre-processing" warning (logged on the
    root logger; the pre-processing is shape inference and graph optimisation, which this
    hand-built graph does not need). The NullHandler keeps ``logging.warning`` from installing
    a default stderr handler on an unconfigured root logger."""
    root = logging.getLogger()
    hint, placeholder = _DropHint(), logging.NullHandler()
    root.addFilter(hint)
    root.addHandler(placeholder)
    try:
        yield
    finally:
        root.removeHandler(placeholder)
        root.removeFilter(hint)


def cache_file(model_dir: Path, cache_dir: Path) -> Path:
    """Where the quantised model of ``model_dir`` is kept in ``cache_dir``: named by the
    installed versions of ONNX Runtime, onnx (not imported: a cache hit needs only ONNX
    Runtime) and this graph, and the SHA-256 of the weights (~0.07 s of
    CPU for the 90 MB file; size and mtime would miss a same-sized replacement)."""
    from importlib.metadata import version

    import onnxruntime  # its distribution may be named otherwise (onnxruntime-gpu...)

    with (model_dir / "model.safetensors").open("rb") as weights:
        digest = hashlib.file_digest(weights, "sha256").hexdigest()
    name = (
        f"{_CACHE_PREFIX}g{GRAPH_VERSION}-ort{onnxruntime.__version__}"
        f"-onnx{version('onnx')}-{digest[:16]}.onnx"
    )
    return cache_dir / name


def _quantized_model(model_dir: Path, path: Path | None) -> tuple[bytes, bool]:
    """The int8 model's bytes and whether they came from the cache file ``path``: a cached copy
    is used when its checksum holds; a missing, corrupt or unreadable one is rebuilt."""
    if path is not None:
        cached = _read_cached(path)
        if cached is not None:
            return cached, True
    return _build(model_dir, path), False


def _build(model_dir: Path, path: Path | None) -> bytes:
    """Builds and quantises the model, and keeps it in ``path`` when given (written atomically:
    temporary file, then ``os.replace``; failing to write is logged, never fatal)."""
    model = quantize(build_model(model_dir))
    if path is not None:
        _write_cached(path, model)
    return model


def _read_cached(path: Path) -> bytes | None:
    """The model in ``path`` (a SHA-256 of the model, then the model), None if absent or bad."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        log.warning("cannot read the cached text model %s (%s); rebuilding it", path, error)
        return None
    digest, model = data[:_DIGEST], data[_DIGEST:]
    if len(data) <= _DIGEST or hashlib.sha256(model).digest() != digest:
        log.warning("the cached text model %s is corrupt; rebuilding it", path)
        return None
    return model


def _write_cached(path: Path, model: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(hashlib.sha256(model).digest())
                out.write(model)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError as error:
        log.warning("cannot cache the text model in %s (%s)", path.parent, error)
        return
    _remove_stale_models(path)


def _remove_stale_models(kept: Path) -> None:
    """Remove the other cached models of ``kept``'s folder (other versions: ~59 MB each)
    last written more than STALE_AFTER_SECONDS ago. Failing to is logged, never fatal."""
    cutoff = time.time() - STALE_AFTER_SECONDS
    for other in kept.parent.glob(f"{_CACHE_PREFIX}*.onnx"):
        try:
            if other != kept and other.stat().st_mtime < cutoff:
                other.unlink()
                log.info("removed the stale cached text model %s", other)
        except OSError as error:
            log.warning("cannot remove the stale cached text model %s (%s)", other, error)


class OrtMiniLMEncoder:
    """all-MiniLM-L6-v2, int8, in ONNX Runtime, with the interface and the batches of
    MiniLMEncoder (``encoder.batches``: BATCH texts per run, sorted by token count, then text).

    Activations are quantised with one scale per batch, so a text's vector depends slightly on
    the other texts of its batch (cosine ~0.98-1.0 to the same text encoded alone); the same
    texts, in any order, give the same batches and so exactly the same vectors. ``threads`` is
    ONNX Runtime's intra-op thread count; vectors are identical for 1 and 2 (tests check it)."""

    def __init__(
        self,
        model_dir: Path,
        model: bytes,
        *,
        threads: int = 1,
        max_tokens: int = MAX_TOKENS,
    ) -> None:
        self.threads = max(1, threads)
        self.cache_path: Path | None = None  # the cache file ``load`` used, if any
        self._session = _session(model, self.threads)
        self._tokenizer = load_tokenizer(model_dir, max_tokens)

    @classmethod
    def load(
        cls, model_dir: Path, *, threads: int = 1, cache_dir: Path | None = None
    ) -> OrtMiniLMEncoder:
        """Builds (or takes from ``cache_dir``) the int8 model of ``model_dir``. A cached model
        that ONNX Runtime refuses is rebuilt and replaced."""
        path = None if cache_dir is None else cache_file(model_dir, cache_dir)
        model, cached = _quantized_model(model_dir, path)
        try:
            encoder = cls(model_dir, model, threads=threads)
        except Exception as error:  # ONNX Runtime's errors derive from Exception only
            if not cached or path is None:
                raise
            log.warning("ONNX Runtime refused the cached text model (%s); rebuilding it", error)
            encoder = cls(model_dir, _build(model_dir, path), threads=threads)
        encoder.cache_path = path
        return encoder

    @property
    def dimensions(self) -> int:
        return DIMENSIONS

    def encode(self, texts: Sequence[str]) -> Vectors:
        """Unit vectors of ``texts`` (n, 384), in the order given."""
        return encode_in_batches(self._tokenizer, texts, self._encode_ids)

    def _encode_ids(self, batch: list[list[int]]) -> Vectors:
        ids, mask = padded(batch)
        outputs = self._session.run(["vectors"], {"input_ids": ids, "attention_mask": mask})
        vectors: Vectors = outputs[0]
        return vectors


def _session(model: bytes, threads: int) -> Any:
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    # Waiting threads block instead of spinning (spinning burns CPU a busy machine needs).
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(
        model,
        options,
        providers=["CPUExecutionProvider"],
        # ORT's SkipLayerNormalization kernel measured ~4x slower here than Add + LayerNorm.
        disabled_optimizers=["SkipLayerNormFusion"],
    )
