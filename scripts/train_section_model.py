#!/usr/bin/env python3
"""Train the default section model shipped in src/newsstand/data/models/ (offline, reproducible).

Only data whose licence allows shipping a model trained on it, read from local files:

- the hand-written seed lexicon src/newsstand/data/models/section-seeds.txt (our own words);
- UCI News Aggregator, first 6,366 headlines (CC BY 4.0): business, technology,
  entertainment, health from its category column;
- notnews/top_news items of 1-8 Dec 2022 (CC BY 4.0): titles rebuilt from URL slugs, the
  section from the outlet's URL path (mapped with newsstand.core.sections);
- Wikinews articles (public domain / CC BY 2.5): the section from their Wikinews categories;
- Global Voices articles (CC BY 3.0): international citizen-media reporting, as world;
- WordNet 3.0 (Princeton's WordNet licence, permissive; Debian package wordnet-base, read
  from /usr/share/wordnet): each synset under a chosen root concept (sport, disease,
  computer, politician...) or in a chosen topic domain becomes one example, its words and
  gloss labelled with that root's section.

Never AG News or BBC News (research-only licences): those are for the bench alone.

Needs ../shared/data (the demo corpora) and `apt-get install wordnet-base` (1:3.0-37).

    python scripts/train_section_model.py            # rebuild the shipped model
    python scripts/train_section_model.py --check    # rebuild in memory, compare to the file

The same inputs give the same bytes (deterministic solver, fixed zip dates).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from newsstand.core.classification.model import (  # noqa: E402
    SectionClassifier,
    TrainingOptions,
)
from newsstand.core.sections import section_from_categories  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "demo"
MODELS = ROOT / "src" / "newsstand" / "data" / "models"
SEEDS = MODELS / "section-seeds.txt"
OUTPUT = MODELS / "sections-default.zip"

Example = tuple[str, str, str]  # title, text, section slug

# Earlier slugs win when several sections are named (sport before world: "Football (soccer)",
# "Brazil"); world comes last so that a region named beside a topic does not decide.
PRIORITY = (
    "sport",
    "health",
    "science",
    "technology",
    "business",
    "entertainment",
    "culture",
    "opinion",
    "politics",
    "world",
)
EXTRA_KEYWORDS = {  # Wikinews' own category names that newsstand.core.sections does not know
    "Science and technology": "technology",
    "Economy and business": "business",
    "Culture and entertainment": "entertainment",
    "Crime and law": "",
    "Cricket": "sport",
    "Basketball": "sport",
    "Physics": "science",
    "Astronomy": "science",
    "Biology": "science",
    "Chemistry": "science",
    "Oceania": "world",
    "South America": "world",
    "North America": "",
    "Middle East": "world",
}
UCI_CATEGORIES = {"b": "business", "t": "technology", "e": "entertainment", "m": "health"}
SEMEVAL_TOPICS = {
    "Apple Inc.": "technology",
    "Airbus and Boeing": "business",
    "General Motors, Chrysler and Ford": "business",
    "Stock markets": "business",
}


def section_of(categories: list[str]) -> str:
    """One slug for a list of declared categories, by PRIORITY, or ""."""
    named = {EXTRA_KEYWORDS[c] for c in categories if c in EXTRA_KEYWORDS}
    for slug in PRIORITY:
        if slug in named or section_from_categories(
            [c for c in categories if c not in EXTRA_KEYWORDS], [slug]
        ):
            return slug
    return ""


SEED_REPEATS = 3  # each seed line counts three times: it is one phrase, chosen with care


def seed_examples(path: Path = SEEDS) -> Iterator[Example]:
    """One example per seed line (SEED_REPEATS times), the phrase as its title."""
    section = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
            continue
        for _ in range(SEED_REPEATS):
            yield line, "", section


def uci_examples(
    path: Path = DATA / "uci-news-aggregator" / "uci_news_prefix_6366.tsv",
) -> Iterator[Example]:
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            yield row["TITLE"], "", UCI_CATEGORIES[row["CATEGORY"]]


def notnews_examples(
    path: Path = DATA / "notnews-top-news" / "items_2022-12-01_to_08.jsonl",
) -> Iterator[Example]:
    """Slug titles whose outlet's URL path (or section field) names a section."""
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            item = json.loads(line)
            folders = [p for p in urlsplit(item["url"]).path.split("/")[1:-1] if p]
            declared = [item["section_from_url"] or "", *folders]
            section = section_of([d.replace("-", " ") for d in declared if d])
            if section:
                yield item["slug_title"], "", section


def wikinews_examples(folder: Path = DATA / "wikinews") -> Iterator[Example]:
    with (folder / "wikinews.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            article = json.loads(line)
            section = section_of(article["categories"])
            if section:
                yield article["title"], article["text"], section
    with (folder / "wikinews_semeval2015_task4.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            article = json.loads(line)
            topic = next(
                (SEMEVAL_TOPICS[c] for c in article["categories"] if c in SEMEVAL_TOPICS), ""
            )
            if topic:
                yield article["title"], article["text"], topic


def globalvoices_examples(
    path: Path = DATA / "globalvoices" / "globalvoices.jsonl",
) -> Iterator[Example]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            article = json.loads(line)
            yield article["title"], article["text"], "world"


# --- WordNet ------------------------------------------------------------------------------

WORDNET = Path("/usr/share/wordnet")
# Synsets under these (hyponyms and instances, by "lemma.sense") go to the section.
WORDNET_ROOTS = {
    "sport": ("sport.1", "athletic_game.1", "athlete.1"),
    "health": (
        "disease.1",
        "illness.1",
        "medicine.2",
        "medical_practitioner.1",
        "health_professional.1",
        "symptom.1",
    ),
    "technology": ("computer.1", "software.1", "computer_network.1", "electronic_equipment.1"),
    "science": ("natural_science.1", "scientist.1", "celestial_body.1"),
    "business": (
        "business.1",
        "commerce.1",
        "businessman.1",
        "financial_institution.1",
        "monetary_unit.1",
    ),
    "politics": ("politician.1", "legislature.1", "election.1", "political_party.1"),
    "world": ("country.2", "city.1", "military_unit.1", "weapon.1"),
    "culture": ("art.1", "literature.1", "artist.1", "writer.1", "musical_composition.1"),
    "entertainment": ("movie.1", "entertainer.1", "television_program.1"),
}
# Synsets whose topic domain (WordNet's ";c" pointer) is one of these, or under one.
WORDNET_DOMAINS = {
    "sport": ("sport.1",),
    "health": (
        "medicine.1",
        "medicine.3",
        "pathology.1",
        "surgery.1",
        "psychiatry.1",
        "pharmacology.1",
        "dentistry.1",
    ),
    "technology": (
        "computer_science.1",
        "electronics.1",
        "telecommunication.1",
        "computer.1",
        "programming.2",
    ),
    "science": ("natural_science.1", "mathematics.1", "statistics.1"),
    "business": (
        "commerce.1",
        "economics.1",
        "finance.1",
        "stock_exchange.1",
        "accounting.1",
        "investing.1",
        "tax.1",
        "business.1",
        "corporation.1",
        "commercial_enterprise.2",
    ),
    "politics": ("government.1", "politics.2", "election.1", "legislature.1"),
    "world": ("military.1", "terrorism.1", "war.1"),
    "culture": (
        "art.1",
        "literature.1",
        "architecture.1",
        "poetry.1",
        "performing_arts.1",
        "dance.1",
        "painting.1",
        "photography.1",
        "music.1",
    ),
    "entertainment": ("movie.1", "television.1", "broadcasting.1"),
}
_POS = {"n": "noun", "v": "verb", "a": "adj", "r": "adv"}
SynsetKey = tuple[str, str]  # part of speech, byte offset


def _read_synsets(
    folder: Path,
) -> dict[SynsetKey, tuple[list[str], list[tuple[str, SynsetKey]], str]]:
    """WordNet's data.* files: words, pointers and gloss of every synset."""
    synsets = {}
    for pos, name in _POS.items():
        for line in (folder / f"data.{name}").read_text(encoding="latin-1").splitlines():
            if line.startswith("  "):
                continue  # the licence header
            head, _, gloss = line.partition(" | ")
            fields = head.split()
            n_words = int(fields[3], 16)
            words = [fields[4 + 2 * i].replace("_", " ") for i in range(n_words)]
            at = 4 + 2 * n_words
            pointers = []
            for _ in range(int(fields[at])):
                symbol, offset, target = fields[at + 1], fields[at + 2], fields[at + 3]
                pointers.append((symbol, ("a" if target == "s" else target, offset)))
                at += 4
            synsets[(pos, fields[0])] = (words, pointers, gloss.strip())
    return synsets


def _noun_senses(folder: Path) -> dict[str, list[SynsetKey]]:
    senses = {}
    for line in (folder / "index.noun").read_text(encoding="latin-1").splitlines():
        if line.startswith("  "):
            continue
        fields = line.split()
        count = int(fields[2])
        senses[fields[0]] = [("n", offset) for offset in fields[-count:]]
    return senses


def wordnet_examples(folder: Path = WORDNET) -> Iterator[Example]:
    """One example per synset under a root or in a domain: (its words, its gloss, slug)."""
    synsets = _read_synsets(folder)
    senses = _noun_senses(folder)

    def synset(name: str) -> SynsetKey:
        lemma, sense = name.rsplit(".", 1)
        return senses[lemma][int(sense) - 1]

    def below(key: SynsetKey) -> set[SynsetKey]:
        found, stack = {key}, [key]
        while stack:
            for symbol, target in synsets[stack.pop()][1]:
                if symbol in ("~", "~i") and target not in found:
                    found.add(target)
                    stack.append(target)
        return found

    section: dict[SynsetKey, str] = {}
    for slug, roots in WORDNET_ROOTS.items():
        for root in roots:
            for key in sorted(below(synset(root))):
                section.setdefault(key, slug)
    domain: dict[SynsetKey, str] = {}
    for slug, names in WORDNET_DOMAINS.items():
        for name in names:
            for key in sorted(below(synset(name))):
                domain.setdefault(key, slug)
    for key in sorted(synsets):
        for symbol, target in synsets[key][1]:
            if symbol == ";c" and target in domain:
                section.setdefault(key, domain[target])
    for key in sorted(section):
        words, _, gloss = synsets[key]
        yield " ".join(words), gloss, section[key]


SOURCES = {
    "seed lexicon (Newsstand, hand-written)": seed_examples,
    "UCI News Aggregator prefix (CC BY 4.0)": uci_examples,
    "notnews/top_news Dec 2022 (CC BY 4.0)": notnews_examples,
    "Wikinews (public domain / CC BY 2.5 / CC BY 3.0)": wikinews_examples,
    "Global Voices (CC BY 3.0)": globalvoices_examples,
    "WordNet 3.0 (WordNet licence)": wordnet_examples,
}
OPTIONS = TrainingOptions(c=3.0, min_df=2)


def training_examples() -> tuple[list[Example], dict[str, Counter[str]]]:
    examples: list[Example] = []
    counts: dict[str, Counter[str]] = {}
    for name, source in SOURCES.items():
        rows = list(source())
        examples.extend(rows)
        counts[name] = Counter(section for _, _, section in rows)
    return examples, counts


def build() -> tuple[SectionClassifier, dict[str, Counter[str]]]:
    examples, counts = training_examples()
    about = {
        "trained_on": "; ".join(f"{name}: {sum(c.values())}" for name, c in counts.items()),
        "script": "scripts/train_section_model.py",
        "languages": "en",
        "seeds_sha256": hashlib.sha256(SEEDS.read_bytes()).hexdigest(),
    }
    return SectionClassifier.train(examples, options=OPTIONS, about=about), counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="compare with the shipped file")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    model, counts = build()
    data = model.to_bytes()
    for name, per_section in counts.items():
        print(f"{name}: {dict(sorted(per_section.items()))}")
    print(
        f"terms {len(model.space.terms)}, {len(data)} bytes, sha256 {hashlib.sha256(data).hexdigest()}"
    )
    if args.check:
        same = args.output.read_bytes() == data
        print("identical to the shipped model" if same else "DIFFERS from the shipped model")
        return 0 if same else 1
    args.output.write_bytes(data)
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
