"""GUM's news documents as labelled samples for bench/entities_quality.py.

GUM (Zeldes 2017; github.com/amir-zeldes/gum, the ``dep/GUM_news_*.conllu`` files: 24
Wikinews articles, text CC BY 2.5, annotations CC BY 4.0) marks every mention of every
entity with its type and coreference chain, and links named entities to Wikipedia. This
module turns it into the samples the bench scores: for each chain of type person,
organization or place, its named forms (mentions ending in a proper noun, the Wikipedia
title, the name less leading titles such as "Prime Minister") become the entity's name and
aliases; named chains of other types (events, objects, works) become optional names. A
chain typed organization whose name is a country or state is counted as a place, as
OntoNotes counts geopolitical entities whatever their role ("North Korea puts military on
alert"). The conversion rules are ours; GUM's own annotators typed the chains.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote


def _countries() -> frozenset[str]:
    from importlib import resources

    text = resources.files("newsstand.data").joinpath("entities", "places.tsv").read_text("utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    return frozenset(r[0].lower() for r in rows if len(r) > 1 and r[1] in ("country", "state"))


COUNTRIES = _countries()
KINDS = {"person": "person", "organization": "org", "place": "place"}
_OPEN = re.compile(r"\((\d+)-([a-z]+)[^()]*")
_CLOSE = re.compile(r"(\d+)\)")


def _tokens(lines):
    for line in lines:
        cols = line.split("\t")
        if len(cols) == 10 and cols[0].isdigit():
            yield cols


def gum_samples(folder: Path) -> list[dict]:
    samples = []
    for path in sorted(Path(folder).glob("GUM_news_*.conllu")):
        text = path.read_text(encoding="utf-8")
        title = re.search(r"^# meta::title = (.*)$", text, re.M).group(1).strip()
        sentences, tokens = [], []  # tokens: (form, upos, space_after, sentence_no)
        chains: dict[str, dict] = {}
        stack: list[tuple[str, str, int]] = []
        for block in text.split("\n\n"):
            lines = block.splitlines()
            sent = next((x[len("# text = ") :] for x in lines if x.startswith("# text = ")), None)
            if sent is None:
                continue
            sentences.append((sent, any(x.startswith("# newpar") for x in lines)))
            for cols in _tokens(lines):
                misc = dict(kv.split("=", 1) for kv in cols[9].split("|") if "=" in kv)
                index = len(tokens)
                tokens.append((cols[1], cols[4], misc.get("SpaceAfter") != "No"))
                entity = misc.get("Entity", "")
                for m in re.finditer(r"\(([^()]+)\)|\(([^()]+)|(\d+)\)", entity):
                    if m.group(1):  # one-token mention
                        _mention(chains, m.group(1), tokens[index : index + 1])
                    elif m.group(2):
                        stack.append((m.group(2).split("-")[0], m.group(2), index))
                    else:
                        for k in range(len(stack) - 1, -1, -1):
                            if stack[k][0] == m.group(3):
                                _, opening, start = stack.pop(k)
                                _mention(chains, opening, tokens[start : index + 1])
                                break
        body = [s for s, _ in sentences]
        if body and body[0].strip() == title:
            body = body[1:]
        entities, optional = [], []
        for chain in chains.values():
            if not chain["names"]:
                continue
            names = sorted(chain["names"], key=len, reverse=True)
            kind = chain["kind"]
            if kind == "organization" and any(n.lower() in COUNTRIES for n in names):
                kind = (
                    "place"  # a country acting (a government, a team): a GPE, as OntoNotes has it
                )
            if kind in KINDS:
                entities.append({"kind": KINDS[kind], "name": names[0], "aliases": names[1:]})
            else:
                optional.extend(names)
        samples.append(
            {
                "id": path.stem,
                "title": title,
                "text": "\n".join(body),
                "entities": entities,
                "optional": optional,
            }
        )
    return samples


TITLES = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "professor",
    "president",
    "prime",
    "minister",
    "secretary",
    "senator",
    "chairman",
    "director",
    "general",
    "governor",
    "mayor",
    "king",
    "queen",
    "prince",
    "princess",
    "sir",
    "lord",
    "judge",
    "chief",
    "executive",
    "ceo",
    "premier",
    "chancellor",
    "pope",
}


def _mention(chains, opening, span):
    # id-etype-infstat-salience-centering-minspan-link-identity
    fields = opening.split("-", 7)
    cid, kind = fields[0], fields[1]
    chain = chains.setdefault(cid, {"kind": kind, "names": set()})
    if len(fields) == 8 and fields[7]:
        identity = re.sub(r"_\(.*\)$", "", unquote(fields[7])).replace("_", " ")
        chain["names"].add(identity)
        chain["names"].add(identity.split(",")[0])
    words = list(span)
    while words and words[-1][1] in (",", ".", ":", "POS", "``", "''", "-RRB-", "HYPH"):
        words.pop()
    while words and (words[0][1] in ("DT", ",", "``", "-LRB-") or words[0][0].lower() == "the"):
        words = words[1:]
    if not words or (
        words[-1][1] not in ("NNP", "NNPS")
        and not (words[-1][1] == "CD" and len(words) > 1 and words[-2][1] in ("NNP", "NNPS"))
    ):
        return
    proper = ("NNP", "NNPS", "CD", "HYPH")
    start = len(words)
    while start > 0 and (
        words[start - 1][1] in proper or words[start - 1][0] in ("of", "and", "&", "de")
    ):
        start -= 1
    while start < len(words) and words[start][1] not in ("NNP", "NNPS"):
        start += 1
    tail = words[start:]
    head = []
    for w in words:
        if w[1] not in proper and w[0] not in ("of", "and", "&", "de"):
            break
        head.append(w)
    while head and head[-1][1] not in ("NNP", "NNPS"):
        head.pop()
    if head:
        chain["names"].add("".join(w[0] + (" " if w[2] else "") for w in head).strip())
    if tail:
        chain["names"].add("".join(w[0] + (" " if w[2] else "") for w in tail).strip())
    if not all(
        w[1] in ("NNP", "NNPS", "CD", "IN", "CC", "DT", "HYPH", "POS") or w[0][:1].isupper()
        for w in words
    ):
        words = tail
    if not words:
        return
    name = "".join(w[0] + (" " if w[2] else "") for w in words).strip()
    chain["names"].add(name)
    if kind == "person":
        while len(words) > 1 and words[0][0].lower().rstrip(".") in TITLES:
            words = words[1:]
        chain["names"].add("".join(w[0] + (" " if w[2] else "") for w in words).strip())
