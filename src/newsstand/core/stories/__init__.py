"""Stories: one story per event across publishers (pure core; numpy, no Django, no clock).

Final API (stable; helper code builds on these names)::

    from newsstand.core.stories import (
        StoryParams, ArticleSignal, StorySnapshot, Assignment, StoryClusterer, recluster,
        related_stories, TextEncoder, load_text_encoder, pack_vector, unpack_vector,
        NearDuplicateIndex, near_duplicate_signature, is_near_duplicate, signature_similarity,
    )

Clustering
    ``StoryParams(join_threshold, merge_threshold, cohesion, entity_weight, time_weight,
    window, quiet_period, candidates, regroup_similarity, regroup_words)``: frozen; the defaults are the measured values
    (bench/clustering_quality.py; its docstring says how each enters the score).
    ``ArticleSignal(id, title, text, published, publisher="", entities=frozenset(),
    vector=None)``: ``published`` aware UTC; ``vector`` a unit float32 (384,) array, encoded
    from ``title + ". " + text`` when None (``ArticleSignal.encoder_text()``).
    ``StoryClusterer(params=None, stories=(), encoder=None, *, keep_members=False)``:

    - ``assign(article) -> Assignment(article_id, story, created, similarity, merged)``:
      ``story`` is the key of the story the article is in after this step (merges included),
      ``created`` is True when the article founded it (then ``story == article.id``),
      ``merged`` the keys of stories folded into ``story`` by this step: re-point their
      articles to ``story`` and drop them.
    - ``assign_many(articles) -> list[Assignment]``: the same, in order, one encoding batch.
    - ``close_quiet(now) -> list[key]``: closes (forgets) stories quiet for ``quiet_period``.
    - ``snapshot(key) -> StorySnapshot``, ``snapshots() -> list[StorySnapshot]`` (oldest
      first), ``related(key, k) -> list[(key, cosine)]``, ``len()``, ``key in clusterer``.

    ``StorySnapshot(key, centroid, size, publishers: dict[str, int], entities: dict[str, int],
    first_published, last_published, members=[])``: what to persist per story; ``centroid`` is
    the mean of member vectors (pack it with ``pack_vector``). Giving the snapshots of the open
    stories back as ``stories=`` rebuilds the window exactly. A story's key is the id of its
    founding article (on a merge, the larger story's key survives; equal sizes: the older).
    Stories whose last article is more than ``params.window`` older than an article are not
    candidates for it.

    ``recluster(articles, params=None, encoder=None) -> dict[article_id, story_key]``: a
    window clustered afresh, articles taken by (published, given order); merges resolved;
    then stories close in vectors and sharing rare words are joined (``regroup``, the
    offline pass ``newsstand cluster`` also runs once its input ends).
    ``related_stories(centroid, candidates: Sequence[StorySnapshot], k, exclude=None)
    -> list[(key, cosine)]``: nearest first, never ``exclude``.

Text vectors
    ``TextEncoder`` protocol: ``encode(texts) -> (n, 384) float32 unit rows``, ``dimensions``.
    ``load_text_encoder(threads=1, cache_dir=None)``: all-MiniLM-L6-v2 from the installed
    package, quantised to int8 and run by ONNX Runtime (``onnx_encoder``; decision record
    0010), loaded on first call and cached per process and arguments (importing this package
    loads no model). ``threads``: ONNX Runtime's intra-op threads; the vectors are the same
    for any count. Building the int8 model costs ~2 s of CPU; ``cache_dir`` (a folder the
    caller chooses; the core reads no environment) keeps it on disk for later processes.
    The same texts give the same vectors in any order; a text's vector varies slightly
    (cosine ~0.98-1.0) with the other texts encoded in the same call. The numpy float32
    ``encoder.MiniLMEncoder`` is the reference it is tested against.
    ``pack_vector(v) -> bytes`` (float16, 768 bytes), ``unpack_vector(b) -> float32 array``.

Near-duplicates (wire copies)
    ``near_duplicate_signature(text) -> uint32[128]`` (MinHash of 3-word shingles; zeros for
    texts under 8 words, which are never near-duplicates; store as ``sig.tobytes()``, read
    with ``np.frombuffer(b, dtype=np.uint32)``), ``signature_similarity(a, b) -> float``,
    ``is_near_duplicate(a, b, threshold=0.6)`` on texts or signatures.
    ``NearDuplicateIndex(threshold=0.6)``: ``add(id, text_or_signature) -> id of the earliest
    near-duplicate already indexed, or None`` (indexes it either way), ``find(signature)``,
    ``discard(id)``, ``len()``.
"""

from newsstand.core.stories.clusterer import StoryClusterer, recluster
from newsstand.core.stories.encoder import (
    TextEncoder,
    load_text_encoder,
    pack_vector,
    unpack_vector,
)
from newsstand.core.stories.neardup import (
    NearDuplicateIndex,
    is_near_duplicate,
    near_duplicate_signature,
    signature_similarity,
)
from newsstand.core.stories.regroup import regroup
from newsstand.core.stories.related import related_stories
from newsstand.core.stories.signals import (
    ArticleSignal,
    Assignment,
    Key,
    StoryParams,
    StorySnapshot,
)

__all__ = [
    "ArticleSignal",
    "Assignment",
    "Key",
    "NearDuplicateIndex",
    "StoryClusterer",
    "StoryParams",
    "StorySnapshot",
    "TextEncoder",
    "is_near_duplicate",
    "load_text_encoder",
    "near_duplicate_signature",
    "pack_vector",
    "recluster",
    "regroup",
    "related_stories",
    "signature_similarity",
    "unpack_vector",
]
