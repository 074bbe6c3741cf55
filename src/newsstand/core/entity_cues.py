"""Cue words of the entity extractor: what comes before, inside and after a name.

Short lists, written for this project; the long lists (places, given names, common words)
are data files read by ``entity_lexicon``.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


PERSON = "person"
ORG = "org"
PLACE = "place"

SENTENCE_END = frozenset("\n!.:;?\u2026")
SOFT_START = frozenset("\u2013\u2014")
ABBREVIATIONS = _words(
    """
    apr aug capt co col corp dec dr feb gen gov inc jan jr lt ltd maj mar mr mrs ms mt no
    nov oct prof rep rev sen sep sept sgt sr st vs
    """
)
CONNECTORS = _words(
    """
    & bin da das de del della den der di do dos du ibn la le of the van von y
    """
)
NAME_PARTICLES = _words(
    """
    bin da das de del della den der di do dos du ibn la le van von y
    """
)
ARABIC_PREFIXES = ("al-", "el-", "ad-", "as-", "ash-", "an-", "ar-", "az-")
TITLES = _words(
    """
    admiral adviser advisor agent ambassador archbishop attorney ayatollah bishop capt.
    captain cardinal ceo chairman chairperson chairwoman chancellor coach col. colonel
    commander commissioner congressman congresswoman coordinator councillor councilman
    councilor councilwoman dame detective director dr dr. editor emir emperor empress
    father gen. general gov. governor imam inspector judge justice king lady lieutenant
    lord lt. maj. major manager marshal mayor minister miss mr mr. mrs mrs. ms ms. officer
    pastor pope premier president president-elect prince princess prof. professor
    prosecutor queen rabbi rep. representative rev. reverend secretary secretary-general
    sen. senator sergeant sgt. sheik sheikh sir speaker spokesman spokesperson spokeswoman
    superintendent treasurer vice-president
    """
)
TITLE_MODIFIERS = _words(
    """
    acting agriculture assistant associate chief communications crown culture defence
    defense deputy economy education energy environment executive federal finance first
    foreign former grand head health home information interim interior junior managing
    national political prime principal regional senior special sports state supreme trade
    transport vice
    """
)
ORG_SUFFIXES = _words(
    """
    academy administration ag agency airlines airways alliance army assembly association
    athletic authority bank board brigade broadcasting bureau cabinet capital center
    centre church club co. coalition college commission committee commons communications
    companies company congress consortium cooperative corp corp. corporation corps council
    court department directorate electric electronics entertainment exchange f.c. fc
    federation force forces forum foundation front fund gmbh government group guard herald
    holdings hospital inc inc. industries institute institution journal laboratories labs
    league llc lords ltd ltd. media ministry motors movement museum nations navy network
    news nv observatory office organisation organization parliament partners party
    petroleum pharmaceuticals pictures plc police post press records representatives
    reserve rovers s.a. school secretariat securities senate service services society
    software studios systems technologies telecom times tribunal tribune trust union
    united university
    """
)
ORG_HEADS = _words(
    """
    academy agency association bank board bureau center centre church college commission
    committee council court department federation fund house institute league ministry
    office organisation organization party school society union university
    """
)
FOREIGN_ORG_HEADS = _words(
    """
    agence agencia agenzia agência banca banco banque ministerio ministero ministère
    ministério parti partido partito universidad universidade universita universität
    université
    """
)
PLACE_SUFFIXES = _words(
    """
    abbey airport arena avenue basilica bay beach borough boulevard bridge canal canyon
    castle cathedral city coast county desert district falls farm forest governorate
    harbor harbour heights hills island islands kingdom lake lane mosque mountain
    mountains municipality oblast ocean palace parish park peninsula plaza prefecture
    province region republic river road sea square stadium station strait street temple
    territory theater theatre tower town township valley village
    """
)
PLACE_HEADS = _words(
    """
    avenida bay cape fort gulf isle kingdom lake mount mt. palacio palais palazzo palácio
    plaza port republic rio rua rue río saint san sankt santa sea st. strait são
    """
)
SPEECH_VERBS = _words(
    """
    acknowledged added admitted announced argued asked believes claimed commented conceded
    confirmed countered denied died explained insisted noted recalled replied resigned
    revealed said says stated testified thinks told tweeted urged warned wrote
    """
)
PLACE_PREPOSITIONS = _words(
    """
    across in near outside throughout
    """
)
ACRONYM_STOP = _words(
    """
    ai aids am cd ceo cfo coo dna dvd eu faq gdp gps hiv id ii iii it iv ix kg km lgbt
    lgbti lgbtq lgbtqi mp mps mw ok pc pdf pm suv tv ufo uk un us usb vi vii viii vip xi
    """
)
EVENT_SUFFIXES = _words(
    """
    accord act award awards bill championship championships conference convention cup
    election elections festival flight games olympics prize summit treaty war
    """
)
NOT_NAMES = _words(
    """
    april august december february friday january july june march may monday november
    october saturday september sunday thursday today tomorrow tuesday wednesday yesterday
    """
)
# Lower-case nouns around a name: "airline Lufthansa", "Airbus spokesman Stefan Schaffrath".
ORG_NOUNS = _words(
    """
    agency airline airlines bank banks broadcaster brokerage carrier channel club
    companies company conglomerate firm giant group insurer lender maker makers
    manufacturer network newspaper operator party publisher retailer startup studio
    studios team website
    """
)
PERSON_NOUNS = _words(
    """
    actor actress ambassador analyst analysts attorney author chairman chairwoman chief
    coach commander director economist editor envoy executive founder governor journalist
    judge lawyer mayor minister officer official player president professor reporter
    researcher secretary senator singer spokesman spokesperson spokeswoman strategist
    striker writer
    """
)
PLACE_NOUNS = _words(
    """
    airport city county district island province region river square state street town
    village
    """
)
# words that end a name ("Theresa May" aside)
BREAKS = _words(
    """
    april august december february friday january july june march monday november october
    saturday september sunday thursday today tomorrow tuesday wednesday yesterday
    """
)
# "Air France", "Air India"
ORG_PREFIXES = _words(
    """
    air
    """
)
# Labels that open a headline ("WATCH:", "UPDATE 2-"), and other words written in capitals
# that name nothing: never an organisation's acronym.
HEADLINE_LABELS = _words(
    """
    alert analysis audio breaking comment correction corrected editorial exclusive explainer
    factbox feature gallery graphic insight interview listen live latest letter letters must
    new news now opinion photo photos pictures podcast poll preview quiz recap refile report
    review sponsored timeline update updated urgent video videos watch wrapup
    """
)
# Sentence-opening words that are also given names: in a question ("Will Chaori default...?")
# they are the verb, not a name.
QUESTION_OPENERS = _words(
    """
    will may can could should would
    """
)
# Buildings and grounds that are places, not organisations ("Kennedy Space Center",
# "Tang Teaching Museum"): the last word, or "centre" after one of FACILITY_CENTRES.
FACILITY_SUFFIXES = _words(
    """
    aquarium museum planetarium zoo
    """
)
FACILITY_CENTRES = _words(
    """
    art arts convention conference exhibition science shopping space visitor
    """
)
