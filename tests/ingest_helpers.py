"""Helpers for the corpus tests: hand-made Documents, tiny corpora, running an ingest.

Store, speaker and search tests write hand-made :class:`propos.Document` objects through the
writer, so they test the store and not the quality of extraction.
"""

from __future__ import annotations

import json
import random
import sqlite3
from pathlib import Path

from propos.model import Attribution, Document, Entity, Span, Speaker


def quote(text: str, content: str, speaker: str, *, type: str = "person",
          kind: str = "direct", mention: str | None = None, cue: str | None = None,
          cue_type: str | None = None) -> Attribution:
    """An attribution whose spans are found in ``text`` (first occurrence)."""
    def span(fragment: str | None) -> Span | None:
        if fragment is None:
            return None
        start = text.index(fragment)
        return Span(start, start + len(fragment), fragment)

    return Attribution(kind=kind, content=span(content), speaker=Speaker(speaker, type),
                       cue=span(cue), source=span(mention), confidence=0.9, rule="test",
                       cue_type=cue_type)


def person(text: str, name: str) -> Entity:
    start = text.index(name)
    return Entity("PER", start, start + len(name), name)


def document(doc_id: str, text: str, quotes: list[tuple], entities: tuple[str, ...] = (),
             lang: str = "fr") -> Document:
    """``quotes``: (content, speaker[, type[, kind[, mention]]]) tuples."""
    attributions = []
    for q in quotes:
        content, speaker, *rest = q
        qtype = rest[0] if len(rest) > 0 else "person"
        kind = rest[1] if len(rest) > 1 else "direct"
        mention = rest[2] if len(rest) > 2 else None
        attributions.append(quote(text, content, speaker, type=qtype, kind=kind,
                                  mention=mention))
    return Document(doc_id, lang, text, tuple(attributions),
                    tuple(person(text, e) for e in entities))


def table_count(conn: sqlite3.Connection, table: str) -> int:
    return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


# --------------------------------------------------------------------------- corpora

_PEOPLE = [("Claire", "Dumoutier", "la maire"), ("Marc", "Olivier", "le conseiller"),
           ("Nadia", "Cherif", "la déléguée syndicale"), ("Bruno", "Lacaze", "le directeur"),
           ("Sophie", "Lemaire", "la présidente"), ("Julien", "Roche", "l'adjoint"),
           ("Anne", "Morel", "la directrice"), ("Thomas", "Keller", "le porte-parole")]
_TOWNS = ["Villeneuve-sur-Lère", "Saint-Aubin-des-Prés", "Montrevel", "Castelnau-le-Vieux",
          "Pont-Sainte-Marie", "Les Ormeaux", "Beaulieu-sur-Dore", "Vauclair"]
_TOPICS = ["le budget", "la piscine municipale", "la fermeture de l'usine", "la crue",
           "le nouveau collège", "la ligne de bus", "le marché couvert", "la digue"]
_SAID = ["a déclaré", "a affirmé", "a expliqué", "a assuré", "a indiqué", "a souligné"]


def french_article(index: int, paragraphs: int = 3) -> tuple[str, str]:
    """A distinct, plausible French news article (title, text), deterministic per index."""
    rng = random.Random(index)
    town = rng.choice(_TOWNS)
    topic = rng.choice(_TOPICS)
    title = f"{town} : débat sur {topic} (n° {index})"
    parts = [f"Le conseil municipal de {town} a examiné jeudi le dossier de {topic}, "
             f"inscrit à l'ordre du jour de la séance numéro {index}."]
    for p in range(paragraphs):
        first, last, role = rng.choice(_PEOPLE)
        amount = rng.randint(2, 900) * 1000
        parts.append(
            f"« Nous avons besoin de {amount} euros pour {topic} », {rng.choice(_SAID)} "
            f"{role}, {first} {last}. Selon {first} {last}, le chantier pourrait débuter "
            f"dans {rng.randint(2, 30)} mois si l'État confirme sa participation "
            f"au projet numéro {index * 10 + p}.")
    return title, "\n\n".join(parts)


def write_jsonl_corpus(folder: Path, count: int, per_file: int = 40, start: int = 0) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for first in range(start, start + count, per_file):
        with (folder / f"part-{first:05d}.jsonl").open("w", encoding="utf-8") as handle:
            for i in range(first, min(first + per_file, start + count)):
                title, text = french_article(i)
                handle.write(json.dumps({"id": f"a{i}", "title": title,
                                         "date": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}",
                                         "source": "Test", "text": text},
                                        ensure_ascii=False) + "\n")
    return folder
