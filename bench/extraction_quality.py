"""Article-extraction quality and speed: Newsstand against trafilatura and readability-lxml.

Run: .venv/bin/python bench/extraction_quality.py [--sets zyte,trafeval] [--systems ...]
        [--repeat N] [--official] [--dump DIR] [--sensitivity]

Sets (read-only, ../shared/data/extraction):
  zyte      181 pages of the Zyte article-extraction benchmark, scored by its own scorer
            (evaluate.py: 4-gram shingle precision/recall per page, macro-averaged).
  trafeval  161 English pages of trafilatura's evaluation set, scored by its own primitives
            (eval_common.count_item: 'with' snippets found are true positives, 'without'
            snippets found false positives; micro-averaged over all snippets).

Systems:
  ours             newsstand.core.extract.extract_article(page, url=...).text, every page it
                   refuses (a paywall stub, a cookie wall, too little text: the pipeline keeps
                   the feed's summary instead) scoring as empty text: the headline figure
  ours-partial     the same, but a page refused as no article scores with the text read
                   before refusing (NotAnArticle.partial_text): what refusing costs
  trafilatura      trafilatura.extract(page, url=..., include_comments=False): its defaults
                   but for reader comments, which are not the article (the setting of the
                   figures quoted in the issue and of trafilatura's own evaluation)
  precision        the same with favor_precision=True
  readability      readability-lxml Document(page).summary(), its text by lxml

Every system is given the page's bytes. Pages/s: pages over the summed CPU time of the
calls (time.process_time, one thread, best of --repeat), which the other processes of a
busy machine disturb less than wall time; the systems take turns page by page, so a busy
spell slows them alike; ratio: a system's pages/s over trafilatura's. --official also writes the
outputs as Zyte prediction files beside the shipped ones and runs evaluate.py itself.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import lxml.html
import trafilatura
from readability import Document

from newsstand.core.errors import ExtractionError, NotAnArticle
from newsstand.core.extract import extract_article
from newsstand.core.extraction import select
from newsstand.core.extraction.engines import Candidate
from newsstand.core.extraction.page import Page

ROOT = Path(__file__).resolve().parent.parent
DATA = (ROOT / ".." / "shared" / "data" / "extraction").resolve()
ZYTE = DATA / "zyte"
TRAFEVAL = DATA / "trafilatura-eval-en"

Extractor = Callable[[bytes, str], str]
_WARM_UP = 10


@dataclass(frozen=True)
class Doc:
    key: str
    url: str
    page: bytes


def _module(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- systems -------------------------------------------------------------------


_READABILITY_RUNS = {"ran": 0, "chosen": 0}


def _counting_readability(page: Page) -> Candidate | None:
    _READABILITY_RUNS["ran"] += 1
    return _run_readability(page)


def ours(page: bytes, url: str) -> str:
    try:
        article = extract_article(page, url=url)
    except ExtractionError:
        return ""
    _READABILITY_RUNS["chosen"] += article.extractor == "readability"
    return article.text


def ours_partial(page: bytes, url: str) -> str:
    try:
        return extract_article(page, url=url).text
    except NotAnArticle as refused:
        return refused.partial_text
    except ExtractionError:
        return ""


def trafilatura_default(page: bytes, url: str) -> str:
    return trafilatura.extract(page, url=url, include_comments=False) or ""


def trafilatura_precision(page: bytes, url: str) -> str:
    return trafilatura.extract(page, url=url, include_comments=False, favor_precision=True) or ""


def readability_lxml(page: bytes, url: str) -> str:
    try:
        summary = Document(page, url=url).summary(html_partial=True)
    except Exception:
        return ""
    if not summary.strip():
        return ""
    return "\n".join(
        " ".join(block.split())
        for block in lxml.html.fragment_fromstring(summary, create_parent="div").itertext()
        if block.strip()
    )


SYSTEMS: dict[str, Extractor] = {
    "ours": ours,
    "ours-partial": ours_partial,
    "trafilatura": trafilatura_default,
    "precision": trafilatura_precision,
    "readability": readability_lxml,
}

# --- sets ----------------------------------------------------------------------


def zyte_docs() -> tuple[list[Doc], dict[str, Any]]:
    truth = json.loads((ZYTE / "ground-truth.json").read_text(encoding="utf-8"))
    docs = [
        Doc(
            key,
            item.get("url", ""),
            gzip.decompress((ZYTE / "html" / f"{key}.html.gz").read_bytes()),
        )
        for key, item in truth.items()
    ]
    return docs, truth


def trafeval_docs() -> tuple[list[Doc], dict[str, Any]]:
    truth = json.loads((TRAFEVAL / "evaldata_en_subset.json").read_text(encoding="utf-8"))
    docs = [
        Doc(url, url, (TRAFEVAL / "html" / item["file"]).read_bytes())
        for url, item in sorted(truth.items())
    ]
    return docs, truth


_run_readability = select.run_readability
select.run_readability = _counting_readability  # counts second opinions (bench only)

SENSITIVITY = {
    "CONTAINED": (0.85, 0.9, 0.95),
    "EXCESS_LOW": (0.45, 0.55, 0.65),
    "EXCESS_HIGH": (0.75, 0.8, 0.85),
    "INNER_SURPLUS": (0.02, 0.05, 0.1),
    "HALF": (0.4, 0.5, 0.6),
    "FRAGMENT_SHARE": (0.15, 0.2, 0.3),
    "MISSED_TEXT_RATIO": (1.5, 2.0, 3.0),
    "FURNITURE_SHARE": (0.5, 0.6, 0.7, 0.8),
    "INNER_FURNITURE": (0.05, 0.1, 0.2),
}


def run(
    systems: dict[str, Extractor], docs: list[Doc], repeat: int
) -> tuple[dict[str, dict[str, str]], dict[str, float]]:
    """Outputs by system and key, and each system's best total seconds over ``repeat`` runs.

    The systems take turns on each page, so a busy spell on the shared machine slows
    them alike and the ratios hold better than the absolute pages/s.
    """
    best = dict.fromkeys(systems, float("inf"))
    outputs: dict[str, dict[str, str]] = {name: {} for name in systems}
    for system in systems.values():  # first calls load lazy imports and fill caches
        for doc in docs[:_WARM_UP]:
            system(doc.page, doc.url)
    for _ in range(repeat):
        totals = dict.fromkeys(systems, 0.0)
        for doc in docs:
            for name, system in systems.items():
                start = time.process_time()
                outputs[name][doc.key] = system(doc.page, doc.url)
                totals[name] += time.process_time() - start
        best = {name: min(best[name], totals[name]) for name in systems}
    return outputs, best


def second_opinions(docs: list[Doc]) -> str:
    """How often ``ours`` ran readability, and kept its reading (one more pass)."""
    _READABILITY_RUNS.update(ran=0, chosen=0)
    for doc in docs:
        ours(doc.page, doc.url)
    ran, chosen = (_READABILITY_RUNS[k] / len(docs) for k in ("ran", "chosen"))
    return f"(ours: readability ran on {ran:.0%} of pages, its reading kept on {chosen:.0%})"


# --- scoring -------------------------------------------------------------------


def zyte_scores(
    evaluate: ModuleType, truth: dict[str, Any], outputs: dict[str, str], keys: list[str]
) -> tuple[float, float, float]:
    subset = {k: truth[k] for k in keys}
    prediction = {k: {"articleBody": outputs[k]} for k in keys}
    metrics = evaluate.evaluate(subset, prediction, n_bootstrap=0)
    return metrics["f1"], metrics["precision"], metrics["recall"]


def trafeval_scores(
    common: ModuleType, truth: dict[str, Any], outputs: dict[str, str], keys: list[str]
) -> tuple[float, float, float]:
    matrix = common.ConfusionMatrix()
    for key in keys:
        matrix.add(common.count_item(truth[key], outputs[key] or None))
    precision, recall, _accuracy, f1 = matrix.scores()
    return f1, precision, recall


def official_zyte(outputs_by_system: dict[str, dict[str, str]]) -> str:
    """Run the shipped evaluate.py over the shipped outputs and ours; return its table."""
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        shutil.copy(ZYTE / "evaluate.py", work / "evaluate.py")
        shutil.copy(ZYTE / "ground-truth.json", work / "ground-truth.json")
        shutil.copytree(ZYTE / "output", work / "output")
        for name, outputs in outputs_by_system.items():
            label = f"newsstand_{name}" if name.startswith("ours") else f"{name}_here"
            (work / "output" / f"{label}.json").write_text(
                json.dumps({k: {"articleBody": v} for k, v in outputs.items()}), encoding="utf-8"
            )
        done = subprocess.run(
            [sys.executable, "evaluate.py", "--n-bootstrap", "200"],
            cwd=work, capture_output=True, text=True, check=True,
        )  # fmt: skip
        return done.stdout


# --- report --------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sets", default="zyte,trafeval")
    parser.add_argument("--systems", default=",".join(SYSTEMS))
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--official", action="store_true", help="also run Zyte's evaluate.py")
    parser.add_argument("--dump", type=Path, help="write each system's outputs as JSON here")
    parser.add_argument(
        "--sensitivity", action="store_true", help="F1 of ours as each rule constant varies"
    )
    args = parser.parse_args()
    names = [n for n in args.systems.split(",") if n]
    evaluate = _module(ZYTE / "evaluate.py", "zyte_evaluate")
    sys.path.insert(0, str(TRAFEVAL))
    common = _module(TRAFEVAL / "eval_common.py", "trafeval_common")
    sets = {
        "zyte": (zyte_docs, lambda t, o, k: zyte_scores(evaluate, t, o, k)),
        "trafeval": (trafeval_docs, lambda t, o, k: trafeval_scores(common, t, o, k)),
    }
    if args.sensitivity:
        sensitivity(sets, [s for s in args.sets.split(",") if s])
        return
    for set_name in [s for s in args.sets.split(",") if s]:
        load, score = sets[set_name]
        docs, truth = load()
        keys = [d.key for d in docs]
        halves = (sorted(keys)[0::2], sorted(keys)[1::2])
        speed: dict[str, float] = {}
        print(f"\n== {set_name}: {len(docs)} pages ==")
        print(
            f"{'system':<12} {'F1':>6} {'prec':>6} {'recall':>6} {'pages/s':>8} {'ratio':>6}  F1 half A / B  empty"
        )
        rows = []
        outputs_by_system, seconds = run({n: SYSTEMS[n] for n in names}, docs, args.repeat)
        if "ours" in names:
            print(second_opinions(docs))
        for name in names:
            outputs = outputs_by_system[name]
            speed[name] = len(docs) / seconds[name]
            f1, precision, recall = score(truth, outputs, keys)
            half_a, half_b = (score(truth, outputs, h)[0] for h in halves)
            empty = sum(1 for v in outputs.values() if not v.strip())
            rows.append((name, f1, precision, recall, half_a, half_b, empty))
        for name, f1, precision, recall, half_a, half_b, empty in rows:
            ratio = speed[name] / speed["trafilatura"] if "trafilatura" in speed else float("nan")
            print(
                f"{name:<12} {f1:6.3f} {precision:6.3f} {recall:6.3f} {speed[name]:8.1f} {ratio:6.2f}"
                f"  {half_a:.3f} / {half_b:.3f}  {empty}"
            )
        if args.dump:
            args.dump.mkdir(parents=True, exist_ok=True)
            for name, outputs in outputs_by_system.items():
                (args.dump / f"{set_name}-{name}.json").write_text(
                    json.dumps(outputs), encoding="utf-8"
                )
        if set_name == "zyte" and args.official:
            print("\nZyte's evaluate.py (shipped outputs, and ours as newsstand / *_here):")
            print(official_zyte(outputs_by_system))


def sensitivity(sets: dict[str, Any], set_names: list[str]) -> None:
    """F1 of ours on each set as each constant of the second-opinion rule varies alone."""
    loaded = {name: sets[name][0]() for name in set_names}
    print(f"{'constant':<18} {'value':>6}  " + "  ".join(f"{n:>8}" for n in set_names))
    for constant, values in SENSITIVITY.items():
        default = getattr(select, constant)
        for value in values:
            setattr(select, constant, value)
            scores = []
            for name in set_names:
                docs, truth = loaded[name]
                outputs = {d.key: ours(d.page, d.url) for d in docs}
                scores.append(sets[name][1](truth, outputs, [d.key for d in docs])[0])
            mark = " (chosen)" if value == default else ""
            print(
                f"{constant:<18} {value:>6}  " + "  ".join(f"{f:8.3f}" for f in scores) + mark,
                flush=True,
            )
        setattr(select, constant, default)


if __name__ == "__main__":
    main()
