"""The text a synthetic archive is made of: per language, a few hundred sentences made once.

Articles pick from these pools (a headline, a run of paragraphs, an intertitle); the database
puts the picks together. What each sentence needs in the database is made here once: its body
block as JSON, its stems for SQLite's full-text table, its folded text for PostgreSQL's parser.
"""

from __future__ import annotations

import json
import math
import random
from dataclasses import dataclass

from masthead.newsroom.services.text import article_slug
from masthead.search.query import fold, stem, words_of

WORDS = {
    "en": "city council harbour river bridge market budget school hospital train station museum "
    "festival minister parliament election vote summit trade energy grid wind solar farm "
    "farmers water flood storm winter summer football match league coach players season "
    "stadium record science study researchers university climate ocean satellite launch "
    "software data privacy court judge ruling company shares profits workers strike talks "
    "agreement plan report village mayor tourists museum gallery concert theatre film",
    "fr": "ville conseil port fleuve pont marché budget école hôpital gare musée festival "
    "ministre parlement élection vote sommet commerce énergie réseau vent solaire ferme "
    "agriculteurs eau crue tempête hiver été football match championnat entraîneur joueurs "
    "saison stade record science étude chercheurs université climat océan satellite "
    "lancement logiciel données tribunal juge décision entreprise actions bénéfices grève",
    "de": "Stadt Rat Hafen Fluss Brücke Markt Haushalt Schule Krankenhaus Bahnhof Museum "
    "Festival Ministerin Bundestag Wahl Abstimmung Gipfel Handel Energie Netz Wind Solar "
    "Bauern Wasser Hochwasser Sturm Winter Sommer Fußball Spiel Liga Trainer Spieler Saison "
    "Stadion Rekord Wissenschaft Studie Forscher Universität Klima Meer Satellit Start "
    "Software Daten Gericht Richter Urteil Unternehmen Aktien Gewinne Streik Gespräche",
    "it": "città consiglio porto fiume ponte mercato bilancio scuola ospedale stazione museo "
    "festival ministro parlamento elezioni voto vertice commercio energia rete vento solare "
    "agricoltori acqua alluvione tempesta inverno estate calcio partita campionato allenatore "
    "giocatori stagione stadio record scienza studio ricercatori università clima mare "
    "satellite lancio software dati tribunale giudice sentenza azienda azioni utili sciopero",
}

HEADLINES = 400
PARAGRAPHS = 400
INTERTITLES = 100
# A language's sentences are numbered from its index times STRIDE: paragraphs from 0,
# intertitles from INTERTITLE_BASE, headlines from HEADLINE_BASE (one table holds them all).
INTERTITLE_BASE = 500
HEADLINE_BASE = 600
STRIDE = 1000


@dataclass(frozen=True)
class Sentence:
    key: int  # its number in the pool tables
    text: str
    json: str  # as a body block: {"type": ..., "html": ...}
    weight: str  # in the search document: A for a headline, B for the body
    stems: str  # as SQLite's full-text table indexes it
    folded: str  # as PostgreSQL's parser is given it (accents off, like the queries)
    slug: str = ""


class Pool:
    """One language's sentences."""

    def __init__(self, rng: random.Random, language: str, index: int) -> None:
        words = WORDS.get(language, WORDS["en"]).split()
        cache: dict[str, str] = {}  # stems per word: the vocabulary is small, the text is not

        def stems_of(text: str) -> str:
            out = []
            for word in words_of(text):
                if word not in cache:
                    cache[word] = stem(word, language)
                out.append(cache[word])
            return " ".join(out)

        def sentence(length: int) -> str:
            text = " ".join(rng.choice(words) for _ in range(length))
            return text[0].upper() + text[1:]

        def made(key: int, kind: str, text: str, *, slug: str = "") -> Sentence:
            block = json.dumps({"type": kind, "html": text}, ensure_ascii=False)
            weight = "A" if kind == "headline" else "B"
            return Sentence(self.base + key, text, block, weight, stems_of(text), fold(text), slug)

        self.language = language
        self.base = index * STRIDE
        self.headlines = [
            made(HEADLINE_BASE + i, "headline", text, slug=article_slug(text))
            for i, text in enumerate(sentence(rng.randint(6, 11)) for _ in range(HEADLINES))
        ]
        self.blocks = [
            made(i, "paragraph", ". ".join(sentence(14) for _ in range(3)) + ".")
            for i in range(PARAGRAPHS)
        ] + [made(INTERTITLE_BASE + i, "intertitle", sentence(3)) for i in range(INTERTITLES)]
        self.sentences = self.blocks + self.headlines


# A body walks the paragraphs from a start by a stride prime to their number, so no paragraph
# comes twice in one article.
STEPS = [n for n in range(1, PARAGRAPHS) if math.gcd(n, PARAGRAPHS) == 1]
