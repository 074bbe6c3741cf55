"""People, organisations and places named in an article, by a light offline method.

No model: runs of capitalised words are the candidates ("Luiz Inácio Lula da Silva", "Bank
of England", "U.S."), cut at titles ("Secretary of State J. Kenneth Blackwell"), cleaned of
sentence-initial common words, nationality adjectives, possessives and hyphenated suffixes
("Delhi-based"), then typed in this order:

1. gazetteers: known organisations and places (GeoNames countries, states, cities and a
   hand-kept list of regions and aliases, see ``entity_lexicon``);
2. cues in the name: organisation words ("... Party", "Ministry of ...", "... FC"), place
   words ("... Street", "Gulf of ...") and sports teams ("Detroit Pistons");
3. cues around it: a title before it ("President", "Mr") or a verb of speech after it
   ("... said") make a person, "in"/"near" before it a place;
4. a given name first ("Colin Powell"), or two to four words none of which is a common
   English word: a person. An unknown acronym is an organisation.

Within an article the mentions of one entity are merged: "Obama" and "Mr Obama" into
"Barack Obama", "NBA" into "National Basketball Association", "(SPOE)" into the name it
follows. English only (other languages get no entities): capitalisation rules differ.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from newsstand.core import entity_cues as cues
from newsstand.core.entity_cues import ORG, PERSON, PLACE
from newsstand.core.entity_lexicon import Lexicon, fold, lexicon
from newsstand.core.entity_merge import CUE, STRONG, WEAK, Typed, merge_entities

SUPPORTED_LANGUAGES = frozenset({"en", ""})
MAX_WORDS = 6
MAX_NAME_LENGTH = 200


@dataclass(frozen=True)
class Mention:
    """One entity named in an article, and how many times it is named."""

    kind: str  # "person" | "org" | "place"
    name: str
    count: int


@dataclass
class _Word:
    text: str  # as written, trailing possessive removed
    cap: bool  # False for the connectors inside a name ("of", "da")
    initial: bool  # the first word of a sentence (or after a dash)
    possessive: bool = False
    cut_after: bool = False  # "Delhi-based": the name ends here
    question: bool = False  # the first word of a sentence that ends with "?"


@dataclass
class _Candidate:
    words: list[_Word]
    cue: str = ""  # a kind suggested by the context
    prev: str = ""  # the word before, lower case ("" after punctuation)
    next: str = ""  # the word after, lower case
    acronym: str = ""  # "(SPOE)" right after the name

    @property
    def name(self) -> str:
        return " ".join(w.text for w in self.words)


def extract_entities(title: str, text: str, *, language: str = "en") -> list[Mention]:
    """People, organisations and places named in ``title`` and ``text`` (plain text), most
    named first. Languages other than English (and unknown, "") give an empty list."""
    if language.split("-")[0].lower() not in SUPPORTED_LANGUAGES:
        return []
    lex = lexicon()
    title = _without_label(title, lex)
    candidates = _candidates(text, lex)
    if _is_title_case(title):
        surfaces = {fold(c.name) for c in candidates}
        candidates = _title_case_candidates(title, surfaces, lex) + candidates
    else:
        candidates = _candidates(title, lex) + candidates
    return _merge(candidates, lex)


# --- words ---------------------------------------------------------------------------

# "WATCH: ", "UPDATE 2-", "IRELAND: ", "DEAN: " at the start of a headline.
_LABEL = re.compile(r"^\s*([A-Z][A-Z.&' ]{1,24}?)(?:\s+\d+)?\s*(?::|\s[-\u2013\u2014|]|-(?=\S))\s*")


def _without_label(title: str, lex: Lexicon) -> str:
    """The headline less a leading label in capitals ("WATCH:", "UPDATE 2-", a columnist's
    name), unless the label is a known place or organisation (a dateline: "IRELAND:")."""
    match = _LABEL.match(title)
    if match is None:
        return title
    label = match.group(1).strip()
    if fold(label) in lex.places or lex.org(label) is not None:
        return title
    return title[match.end() :]


def _char_class(test: Callable[[str], bool]) -> str:
    """A regular-expression class of the characters of the Basic Multilingual Plane that
    pass ``test``, as ranges ("[A-ZÀ-ÖØ-Þ...]"): Python's ``re`` has no \\p{Lu}."""
    ranges: list[tuple[int, int]] = []
    for code in range(0x41, 0x10000):
        if test(chr(code)):
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))
    return "[" + "".join(chr(a) if a == b else f"{chr(a)}-{chr(b)}" for a, b in ranges) + "]"


_U = _char_class(str.isupper)
_NAME_WORD = (
    rf"(?:(?:{_U}\.){{2,}}"  # U.S., U.K.
    rf"|(?:{'|'.join(a.capitalize() for a in sorted(cues.ABBREVIATIONS, key=len, reverse=True))})\."
    rf"|{_U}\."  # an initial
    rf"|(?:al|el|ad|as|ash|an|ar|az)-{_U}[\w'\u2019]*(?:-[\w'\u2019]+)*"  # al-Qaeda
    rf"|{_U}[\w'\u2019]*(?:[-&][\w'\u2019]+)*"
    rf"|[ei]{_U}\w+)"  # eBay
)
_LINK = rf"[ \t]+(?:(?:{'|'.join(sorted(cues.CONNECTORS - {'&'}))}|&)[ \t]+)*"
_RUN = re.compile(rf"(?<![\w'\u2019.-]){_NAME_WORD}(?:{_LINK}{_NAME_WORD})*")
_NEXT_WORD = re.compile(r"[ \t]+([\w'\u2019]+)")
_ACRONYM_AFTER = re.compile(r"\s*\(\s*([A-Z]{2,6})\s*\)")
_OPENERS = " \t\r\"“”\u2018'(«[*"


@dataclass
class _Run:
    words: list[_Word]
    prev: str = ""
    next: str = ""
    acronym: str = ""


def _runs(text: str) -> list[_Run]:
    """Runs of capitalised words joined by connectors ("Bank of the West"), each with the
    words around it; cut after possessives ("Bush's") and hyphenated suffixes ("Delhi-based")."""
    runs: list[_Run] = []
    for match in _RUN.finditer(text):
        start, end = match.span()
        before = text[max(0, start - 40) : start]
        following = _NEXT_WORD.match(text, end)
        acronym = _ACRONYM_AFTER.match(text, end)
        words = [_word(token) for token in match.group().split()]
        words[0].initial = _starts_sentence(before)
        words[0].question = words[0].initial and _ends_in_question(text, end)
        runs.extend(
            _cut(
                words,
                prev=_last_word(before),
                nxt=following.group(1).lower() if following else "",
                acronym=acronym.group(1) if acronym else "",
            )
        )
    return runs


def _last_word(before: str) -> str:
    """The word just before a run, lower case; "" when punctuation comes between."""
    tail = before.rstrip(" \t")
    if len(tail) == len(before):
        return ""
    i = len(tail)
    while i and (tail[i - 1].isalnum() or tail[i - 1] in "'\u2019"):
        i -= 1
    return tail[i:].lower()


def _ends_in_question(text: str, start: int) -> bool:
    """Whether the sentence going on at ``start`` ends with a question mark."""
    match = _SENTENCE_END.search(text, start)
    return match is not None and match.group() == "?"


_SENTENCE_END = re.compile(r"[.!?\n]")


def _starts_sentence(before: str) -> bool:
    stripped = before.rstrip(_OPENERS)
    if not stripped or "\n" in before[len(stripped) :]:
        return True
    return stripped[-1] in cues.SENTENCE_END or stripped[-1] in cues.SOFT_START


def _word(token: str) -> _Word:
    if any(c.isdigit() for c in token) or token.lower() in cues.BREAKS:
        return _Word(token, False, False, cut_after=True)  # "A330", "Saturday"
    possessive = False
    for suffix in ("'s", "\u2019s"):
        if token.endswith(suffix) and len(token) > 2:
            token, possessive = token[: -len(suffix)], True
    token = token.rstrip("'\u2019")
    cut = False
    if "-" in token:
        head, _, tail = token.rpartition("-")
        if tail.islower() and head and tail in lexicon().common_words:
            token, cut = head, True  # "Delhi-based", "Obama-era"
    cap = not (token.lower() in cues.CONNECTORS and token.islower())
    return _Word(token, cap, False, possessive=possessive, cut_after=cut)


def _cut(words: list[_Word], *, prev: str, nxt: str, acronym: str) -> list[_Run]:
    runs: list[_Run] = [_Run([], prev=prev)]
    for i, word in enumerate(words):
        runs[-1].words.append(word)
        last = i == len(words) - 1
        if word.possessive and not last and word.text.lower() in lexicon().common_words:
            word.text += "'s"  # "People's Republic", "Children's Hospital"
            word.possessive = False
        elif (word.possessive or word.cut_after) and not last:
            runs.append(_Run([]))
    for run in runs:
        while run.words and not run.words[-1].cap:
            run.words.pop()
        while run.words and not run.words[0].cap:
            run.words.pop(0)
    runs[-1].next, runs[-1].acronym = nxt, acronym
    return [run for run in runs if run.words]


def _is_title_case(title: str) -> bool:
    """A headline In Title Case, where capitals say nothing about names."""
    content = [w for w in title.split() if len(w) > 3 and w[0].isalpha()]
    return len(content) >= 3 and all(w[0].isupper() for w in content)


# --- candidates ----------------------------------------------------------------------


def _candidates(text: str, lex: Lexicon) -> list[_Candidate]:
    found: list[_Candidate] = []
    for run in _runs(text):
        for candidate in _split_at_titles(run.words, lex):
            is_last = candidate.words[-1] is run.words[-1]
            candidate.prev = "" if candidate.cue else run.prev
            candidate.next = run.next if is_last else ""
            candidate.acronym = run.acronym if is_last else ""
            cleaned = _clean(candidate, lex)
            if cleaned is not None:
                found.append(cleaned)
    return found


def _is_title(words: list[_Word], i: int) -> bool:
    key = fold(words[i].text)
    if key not in cues.TITLES and not (key.endswith("s") and key[:-1] in cues.TITLES):
        return False
    return i == 0 or words[i - 1].text.lower() != "of"  # "Department of Justice"


def _split_at_titles(run: list[_Word], lex: Lexicon) -> list[_Candidate]:
    """ "Ohio Republican Secretary of State J. Kenneth Blackwell" -> "Ohio", "J. Kenneth
    Blackwell" (a person, after a title); "President of Brazil" -> "Brazil" (no cue)."""
    last = fold(run[-1].text)
    if _is_title(run, 0) and (last in cues.ORG_SUFFIXES or last in cues.PLACE_SUFFIXES):
        return [_Candidate(run)]  # "General Motors", "Prince Edward Island"
    pieces: list[_Candidate] = []
    current: list[_Word] = []
    cue = ""
    i = 0
    while i < len(run):
        if not _is_title(run, i):
            current.append(run[i])
            i += 1
            continue
        while current and (
            fold(current[-1].text) in cues.TITLE_MODIFIERS or _is_demonym(current[-1], lex)
        ):
            current.pop()
        if current:
            pieces.append(_Candidate(current, cue=cue))
        current = []
        while i < len(run) and (_is_title(run, i) or fold(run[i].text) in cues.TITLE_MODIFIERS):
            i += 1
        of_follows = i < len(run) and run[i].text.lower() == "of"
        cue = "" if of_follows else PERSON
    if current:
        pieces.append(_Candidate(current, cue=cue))
    offices = [part for piece in pieces for part in _split_office(piece, lex)]
    return [part for piece in offices for part in _split_affiliation(piece, lex)]


def _split_affiliation(piece: _Candidate, lex: Lexicon) -> list[_Candidate]:
    """ "Wu Chi-wai of the Democratic Party" -> "Wu Chi-wai" (a person), "Democratic Party":
    a person's name, "of", then the organisation or place they belong to. A name that opens
    with an organisation's word ("Bank of England", "University of Texas") is left whole."""
    words = piece.words
    for k in range(1, len(words) - 1):
        if words[k].text != "of":
            continue
        left, right = words[:k], _trim_connectors(list(words[k + 1 :]))
        if not right or not 2 <= len(left) <= 4:
            continue
        first = fold(left[0].text)
        heads = cues.ORG_HEADS | cues.TITLES | cues.PLACE_HEADS | cues.FOREIGN_ORG_HEADS
        if first in lex.given_names and not any(fold(w.text) in heads for w in left):
            return [_Candidate(left, cue=PERSON), _Candidate(right)]
    return [piece]


def _split_office(piece: _Candidate, lex: Lexicon) -> list[_Candidate]:
    """ "of State J. Kenneth Blackwell" (after "Secretary"): the office's object, then a
    person, who starts at an initial or a given name."""
    words = piece.words
    if piece.cue or not words or words[0].text.lower() != "of":
        return [piece]
    for k in range(2, len(words) - 1):
        text = words[k].text
        if (len(text) == 2 and text.endswith(".")) or fold(text) in lex.given_names:
            return [_Candidate(words[:k]), _Candidate(words[k:], cue=PERSON)]
    return [piece]


def _is_demonym(word: _Word, lex: Lexicon) -> bool:
    return fold(word.text) in lex.demonyms


_DEMONYM_ENDINGS = ("ns", "n", "ians", "ian", "ese", "is", "i")


def _is_demonym_phrase(key: str, lex: Lexicon) -> bool:
    """ "Costa Rican", "Sri Lankans": a country's name with a nationality ending."""
    for ending in _DEMONYM_ENDINGS:
        if key.endswith(ending):
            place = lex.places.get(key[: -len(ending)])
            if place is not None and place.kind == "country":
                return True
    return False


def _clean(candidate: _Candidate, lex: Lexicon) -> _Candidate | None:
    """Trim connectors, sentence-initial common words and nationality adjectives."""
    words = _trim_connectors(list(candidate.words))
    if words and words[0].initial and len(words) > 1 and _strippable_initial(words, lex):
        words = _trim_connectors(words[1:])
    while words and _is_demonym(words[-1], lex):
        words.pop()
    if words and _is_demonym(words[0], lex) and not _has_name_cue(words[1:]):
        words = list(words[1:])
        while words and words[0].text.lower() in cues.CONNECTORS:
            words.pop(0)
    if not words or len(words) > MAX_WORDS:
        return None
    candidate.words = words
    return candidate


def _trim_connectors(words: list[_Word]) -> list[_Word]:
    while words and (words[0].text.lower() in cues.CONNECTORS or words[0].text == "The"):
        words.pop(0)
    while words and words[-1].text.lower() in cues.CONNECTORS:
        words.pop()
    return words


def _strippable_initial(words: list[_Word], lex: Lexicon) -> bool:
    """ "Four National Basketball Association": a sentence starts with a common word."""
    first = words[0].text
    if first.lower() in cues.QUESTION_OPENERS and words[0].question:
        return True
    key = fold(" ".join(w.text for w in words))
    if key in lex.places or lex.org(" ".join(w.text for w in words)) is not None:
        return False
    return first.lower() in lex.common_words and fold(first) not in lex.given_names


def _has_name_cue(words: list[_Word]) -> bool:
    """ "Austrian Social Democrat Party": the rest names an organisation or place itself."""
    if not words:
        return False
    last = fold(words[-1].text)
    return last in cues.ORG_SUFFIXES or last in cues.PLACE_SUFFIXES


def _title_case_candidates(title: str, surfaces: set[str], lex: Lexicon) -> list[_Candidate]:
    """In a Title Case headline only names also found in the text, or in the gazetteers,
    count: the longest that fits, left to right."""
    found: list[_Candidate] = []
    for whole in _runs(title):
        run = whole.words
        i = 0
        while i < len(run):
            for j in range(min(len(run), i + MAX_WORDS), i, -1):
                key = fold(" ".join(w.text for w in run[i:j]))
                written = " ".join(w.text for w in run[i:j])
                known = lex.org(written) is not None or (
                    key in lex.places
                    and not _weak_place(key, lex)
                    and not _given_name_city(run, i, j, lex)
                )
                if key in surfaces or known:
                    found.append(_Candidate(run[i:j]))
                    i = j
                    break
            else:
                i += 1
    return found


def _weak_place(key: str, lex: Lexicon) -> bool:
    """A city whose name is also a common word ("Reading", "Mobile", "Nice")."""
    place = lex.places.get(key)
    return place is not None and place.kind == "city" and key in lex.common_words


def _is_facility(words: list[_Word]) -> bool:
    last = fold(words[-1].text)
    if last in cues.FACILITY_SUFFIXES:
        return True
    return last in {"center", "centre"} and fold(words[-2].text) in cues.FACILITY_CENTRES


def _given_name_city(run: list[_Word], i: int, j: int, lex: Lexicon) -> bool:
    """ "Taylor Swift", "Jennifer Lawrence": a town named like a person's first or last name,
    next to another capitalised word of the headline."""
    if j - i != 1:
        return False
    place = lex.places.get(fold(run[i].text))
    if place is None or place.kind != "city":
        return False
    before = i > 0 and fold(run[i - 1].text) in lex.given_names
    after = j < len(run) and fold(run[i].text) in lex.given_names and run[j].cap
    return before or after


def _given_name_alone(candidate: _Candidate, lex: Lexicon) -> bool:
    """A single word that is a given name and a town: a person ("Prince George") unless a
    place preposition comes before it ("in George")."""
    key = fold(candidate.words[0].text)
    place = lex.places.get(key)
    if key not in lex.given_names or place is None or place.kind != "city":
        return False
    return candidate.prev not in cues.PLACE_PREPOSITIONS


# --- typing ----------------------------------------------------------------------------


def _type(candidate: _Candidate, lex: Lexicon) -> Typed | None:
    """The kind and name of a candidate, or None when nothing says what it is."""
    words = candidate.words
    name = candidate.name
    key = fold(name)
    single = len(words) == 1
    if key in cues.NOT_NAMES or _is_demonym_phrase(key, lex):
        return None
    org = lex.org(name)
    if org is not None:
        return _typed(ORG, org, STRONG, words)
    place = lex.places.get(key)
    if place is not None and single and _given_name_alone(candidate, lex):
        place = None  # "George", "Taylor": a first name, not the town of that name
    if place is not None and not (single and words[0].initial and _weak_place(key, lex)):
        # A city's name is often a surname too ("Bush"): it may still join a person.
        strength = CUE if place.kind == "city" else STRONG
        return _typed(PLACE, place.name, strength, words)
    first, last = fold(words[0].text), fold(words[-1].text)
    if not single and last in cues.EVENT_SUFFIXES:
        return None  # "Republican National Convention", "Nobel Peace Prize"
    second = words[1].text.lower() if len(words) > 1 else ""
    if not single and _is_facility(words):
        return _typed(PLACE, name, STRONG, words)  # "Kennedy Space Center", "Tate Museum"
    if not single and last in cues.ORG_SUFFIXES:
        return _typed(ORG, name, STRONG, words)
    if (first in cues.ORG_HEADS and second in {"of", "for"}) or (
        not single
        and (first in cues.FOREIGN_ORG_HEADS or first in cues.ORG_PREFIXES or first in lex.orgs)
    ):
        return _typed(ORG, name, STRONG, words)
    if not single and (last in cues.PLACE_SUFFIXES or first in cues.PLACE_HEADS):
        return _typed(PLACE, name, STRONG, words)
    if _is_team(words, lex):
        return _typed(ORG, name, STRONG, words)
    return _type_by_context(candidate, lex)


def _type_by_context(candidate: _Candidate, lex: Lexicon) -> Typed | None:
    words = candidate.words
    name = candidate.name
    single = len(words) == 1
    if candidate.cue == PERSON or candidate.prev in cues.PERSON_NOUNS:
        return _typed(PERSON, name, CUE, words)
    if candidate.prev in cues.ORG_NOUNS or (
        candidate.next in cues.PERSON_NOUNS and not (single and _is_modifier(words[0].text, lex))
    ):
        return _typed(ORG, name, CUE, words)  # "airline Lufthansa", "Uralsib analyst"
    if candidate.next in cues.PLACE_NOUNS:
        return _typed(PLACE, name, CUE, words)  # "John F. Kennedy airport"
    if not single and fold(words[0].text) in lex.given_names:
        return _typed(PERSON, name, WEAK, words)
    if single and _is_acronym(words[0].text, lex):
        return _typed(ORG, name, WEAK, words)
    if candidate.prev in cues.PLACE_PREPOSITIONS:
        return _typed(PLACE, name, CUE, words)
    spoken = candidate.next in cues.SPEECH_VERBS or candidate.prev in {"said", "says"}
    if spoken and not (single and words[0].text.lower() in lex.common_words):
        return _typed(PERSON, name, CUE, words)
    if 2 <= len(words) <= 4 and _looks_like_a_name(words, lex):
        return _typed(PERSON, name, WEAK, words)
    return None


def _is_modifier(word: str, lex: Lexicon) -> bool:
    """ "Chief executive", "Presidential official": a word that qualifies a role."""
    key = fold(word)
    return (
        key in lex.common_words
        or key in cues.TITLE_MODIFIERS
        or key in cues.TITLES
        or key.endswith("al")
    )


def _typed(kind: str, name: str, strength: int, words: list[_Word]) -> Typed:
    key_words = tuple(
        fold(w.text).rstrip(".") for w in words if w.text.lower() not in cues.NAME_PARTICLES
    )
    return Typed(kind, name[:MAX_NAME_LENGTH], strength, key_words)


def _is_team(words: list[_Word], lex: Lexicon) -> bool:
    """ "Detroit Pistons", "New York Yankees": a place, then a plural."""
    if len(words) < 2 or not words[-1].text.endswith("s"):
        return False
    head = fold(" ".join(w.text for w in words[:-1]))
    return head in lex.places and words[-1].text.lower() not in lex.common_words


def _is_acronym(text: str, lex: Lexicon) -> bool:
    letters = text.replace(".", "").replace("&", "")
    return (
        2 <= len(letters) <= 5
        and letters.isalpha()
        and letters.isupper()
        and letters.lower() not in cues.ACRONYM_STOP
        and letters.lower() not in cues.HEADLINE_LABELS
        and letters.lower() not in lex.common_words
        and not set(letters) <= set("IVXLCDM")  # "XXI"
    )


def _looks_like_a_name(words: list[_Word], lex: Lexicon) -> bool:
    """Two to four capitalised words, none a common English word ("Roh Moo-hyun")."""
    parts = [w for w in words if w.text.lower() not in cues.NAME_PARTICLES]
    if any(w.text.lower() in cues.CONNECTORS for w in parts):
        return False
    return all(
        w.text.lower() not in lex.common_words and not _is_acronym(w.text, lex) for w in parts
    )


# --- merging ---------------------------------------------------------------------------


def _merge(candidates: list[_Candidate], lex: Lexicon) -> list[Mention]:
    entities: dict[tuple[str, str], Typed] = {}
    loose: list[tuple[int, _Candidate]] = []  # untyped single words: "Gusenbauer received"
    acronyms: dict[str, tuple[str, str]] = {}
    for position, candidate in enumerate(candidates):
        typed = _type(candidate, lex)
        if typed is None:
            if len(candidate.words) == 1:
                loose.append((position, candidate))
            continue
        key = (typed.kind, typed.name)
        if key in entities:
            entities[key].count += 1
        else:
            typed.first = position
            entities[key] = typed
        if candidate.acronym:
            acronyms[fold(candidate.acronym)] = key
    ranked = merge_entities(entities, acronyms, [(p, fold(c.words[0].text)) for p, c in loose])
    return [Mention(kind=e.kind, name=e.name, count=e.count) for e in ranked]
