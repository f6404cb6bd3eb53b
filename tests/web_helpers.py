"""A small database for the web tests, built from hand-made Documents through the store's
writer, so that the web tests test the web app and not the quality of extraction.

It holds: an article with a direct quote (content, cue and mention) and an indirect one, a
wire copy of it in another outlet, a second Garnier, an article whose text and title carry
``<script>`` and other markup, 25 quotes by one person spread over two years (pages and a
chart), an unattributed quote, and one recorded failure.
"""

from __future__ import annotations

from pathlib import Path

from ingest_helpers import quote

from propos.model import Document, Entity, Failure
from propos.store.db import connect
from propos.store.speakers import rebuild_directory
from propos.store.writer import Writer, write_document

DIGUE = ("« La digue sera rehaussée avant l'hiver », a déclaré la ministre Hélène Garnier. "
         "Selon la préfecture, 412 habitations ont été endommagées par la crue de la Lère.")
RUGBY = ("Le président du club, Paul Garnier, a estimé que la saison était compromise. "
         "« Nos joueurs n'ont pas à payer pour la météo », a-t-il ajouté.")
HOSTILE = ("Un lecteur a écrit <script>alert('pwned')</script> dans le formulaire. "
           "« Il ne faut jamais faire confiance à <b>l'entrée</b> & aux chevrons », a expliqué "
           "l'ingénieure Inès Duval.")
HOSTILE_TITLE = "Sécurité : <script>alert(1)</script> & <img src=x onerror=alert(2)>"
BUDGET = ("Le conseil a voté le budget {n}. « Le budget {n} protège les services publics », a "
          "affirmé la déléguée Nadia Cherif, qui siège depuis {n} ans.")
ANONYMOUS = "Des habitants ont affirmé que la route était dangereuse depuis des années."


def _entities(text: str, *names: str) -> tuple[Entity, ...]:
    out = []
    for name in names:
        start = text.index(name)
        out.append(Entity("PER", start, start + len(name), name))
    return tuple(out)


def digue(doc_id: str = "digue", text: str = DIGUE) -> Document:
    return Document(doc_id, "fr", text, (
        quote(text, "La digue sera rehaussée avant l'hiver", "Hélène Garnier",
              cue="a déclaré", mention="la ministre Hélène Garnier"),
        quote(text, "412 habitations ont été endommagées par la crue de la Lère",
              "la préfecture", type="organization", kind="indirect", cue="Selon",
              mention="la préfecture"),
    ), _entities(text, "Hélène Garnier"))


def rugby() -> Document:
    return Document("rugby", "fr", RUGBY, (
        quote(RUGBY, "la saison était compromise", "Paul Garnier", kind="indirect",
              cue="a estimé", mention="Paul Garnier", cue_type="belief"),
        quote(RUGBY, "Nos joueurs n'ont pas à payer pour la météo", "Paul Garnier",
              cue="a-t-il ajouté", cue_type="speech"),
    ), _entities(RUGBY, "Paul Garnier"))


def hostile() -> Document:
    return Document("hostile", "fr", HOSTILE, (
        quote(HOSTILE, "Il ne faut jamais faire confiance à <b>l'entrée</b> & aux chevrons",
              "Inès Duval", cue="a expliqué", mention="l'ingénieure Inès Duval"),
    ), _entities(HOSTILE, "Inès Duval"))


def budget(n: int) -> Document:
    text = BUDGET.format(n=2000 + n)
    return Document(f"budget-{n}", "fr", text, (
        quote(text, f"Le budget {2000 + n} protège les services publics", "Nadia Cherif",
              cue="a affirmé", mention="la déléguée Nadia Cherif"),
    ), _entities(text, "Nadia Cherif"))


def anonymous() -> Document:
    return Document("anon", "fr", ANONYMOUS, (
        quote(ANONYMOUS, "la route était dangereuse depuis des années", "Des habitants",
              type="anonymous", kind="indirect", cue="ont affirmé", mention="Des habitants"),
    ))


def build_web_db(path: Path) -> Path:
    """Write the test corpus to ``path`` (a new database) and build its speaker directory."""
    conn = connect(path)
    write_document(conn, digue(), title="Digue des Tanneurs : la ministre promet des travaux",
                   date="2024-03-05", source="Le Courrier", url="https://courrier.example/digue",
                   author="Julie Marchand")
    write_document(conn, digue("digue-apo", DIGUE + " (Avec agences.)"),
                   title="Digue : la ministre promet (APO)", date="2024-03-05", source="APO")
    write_document(conn, rugby(), title="Rugby : le club privé de stade", date="2024-04-07",
                   source="L'Écho")
    write_document(conn, hostile(), title=HOSTILE_TITLE, date="2024-05-01",
                   source="<i>Le Piège</i>", url="javascript:alert(3)")
    for n in range(25):  # 25 budgets over two years: pages and a chart
        write_document(conn, budget(n), title=f"Budget {2000 + n}",
                       date=f"{2023 + n // 12}-{1 + n % 12:02d}-15", source="Ouest Matin")
    write_document(conn, anonymous(), title="Route dangereuse", source="Ouest Matin")
    Writer(conn).record_failure(Failure("corpus/broken.html",
                                        "no article text found in the HTML page",
                                        path="corpus/broken.html"))
    rebuild_directory(conn)
    conn.close()
    return path


def speaker_id(path: Path, name: str) -> int:
    conn = connect(path, readonly=True)
    try:
        row = conn.execute("SELECT id FROM speakers WHERE name = ?", (name,)).fetchone()
        assert row, f"no speaker {name!r}"
        return int(row[0])
    finally:
        conn.close()


def article_key(path: Path, doc_id: str) -> str:
    conn = connect(path, readonly=True)
    try:
        return conn.execute("SELECT hash FROM articles WHERE doc_id = ?", (doc_id,)).fetchone()[0]
    finally:
        conn.close()
