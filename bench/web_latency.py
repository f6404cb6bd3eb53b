"""Latency of the web API's search: p50/p95/p99 and requests/s, overall and per kind of query,
on a synthetic database of any size (10,000 articles by default; ``--articles 1000000``).

Targets: p95 of ``GET /api/search`` under 25 ms on 10,000 articles and a word found in most
quotes ("broad word") under 40 ms at p95; p95 at 300,000 articles at most twice p95 at 30,000;
the slowest kind under 100 ms at p95 on 1,000,000 articles (bench/README.md).

1. Builds (or reuses) a database of synthetic French articles written through the store's
   own writer (``Writer.write_articles``, 2,000 articles per transaction) from hand-made
   Documents: no spaCy, so 10,000 articles take seconds and a million well under an hour,
   and the rows, keys and full-text index are exactly what an ingest would write.
   Vocabulary, speakers, outlets and dates are varied so that queries range from rare words
   to words in most quotes; 3 % of articles are wire copies (same quotes, another outlet,
   linked as near-duplicates) so that grouping of copies has work to do. Build big ones
   once, outside the repository, and reuse them: ``--db /tmp/bench-1m.db``.
2. Serves it with ``propos serve`` (uvicorn) on 127.0.0.1 and a free port, in its own
   process, so that the client does not share the server's interpreter.
3. Sends a bounded number of requests (2,000 by default) over one keep-alive connection,
   cycling through varied searches (words, phrases, prefixes, OR, filters, relevance, later
   pages reached through their cursors), after an untimed warm-up.

    .venv/bin/python bench/web_latency.py                      # 10,000 articles, 2,000 requests
    .venv/bin/python bench/web_latency.py --articles 1000000 --db /tmp/bench-1m.db
    .venv/bin/python bench/web_latency.py --requests 5000 --json out/web-latency.json
    .venv/bin/python bench/web_latency.py --check              # exit 1 when a target is missed
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import httpx

from propos.article import Article
from propos.dedupe import signature
from propos.model import Attribution, Document, Entity, Span, Speaker
from propos.store.db import connect, get_meta, set_meta, transaction
from propos.query import BadQuery, SearchQuery
from propos.store.queries import search
from propos.store.speakers import rebuild_directory
from propos.store.writer import Writer
from propos.web.server import free_port

log = logging.getLogger("bench.web_latency")

FIRST = ["Claire", "Marc", "Nadia", "Bruno", "Sophie", "Julien", "Anne", "Thomas", "Léa",
         "Karim", "Isabelle", "Olivier", "Fatou", "Hugo", "Camille", "Pierre", "Inès", "Yann",
         "Martine", "Rachid", "Élodie", "Vincent", "Aurélie", "Paul", "Sarah", "Mathieu"]
LAST = ["Dumoutier", "Olivier", "Cherif", "Lacaze", "Lemaire", "Roche", "Morel", "Keller",
        "Garnier", "Benali", "Fournier", "Gauthier", "Diallo", "Perrin", "Rousseau", "Girard",
        "Mercier", "Blanc", "Guerin", "Boyer", "Faure", "André", "Chevalier", "Lambert",
        "Bonnet", "François", "Legrand", "Gaillard", "Brun", "Barbier", "Arnaud", "Martinez"]
ROLES = ["la maire", "le conseiller municipal", "la déléguée syndicale", "le directeur",
         "la présidente de région", "l'adjoint aux finances", "la directrice", "le porte-parole",
         "le préfet", "la députée", "le sénateur", "la ministre", "le syndicaliste"]
ORGS = ["la préfecture", "le ministère de l'Intérieur", "la mairie", "le syndicat CGT",
        "la direction de l'usine", "l'association des riverains", "la SNCF", "l'ARS",
        "le conseil départemental", "Météo-France", "la gendarmerie", "l'Insee"]
OUTLETS = ["Le Courrier de la Lère", "L'Écho du Val", "Ouest Matin", "La Dépêche du Centre",
           "Le Journal des Plaines", "Nord Éclair", "Le Progrès du Sud", "La Voix de l'Est",
           "APO (agence)", "Le Républicain", "Midi Soir", "La Gazette des Monts"]
TOWNS = ["Villeneuve-sur-Lère", "Saint-Aubin-des-Prés", "Montrevel", "Castelnau-le-Vieux",
         "Pont-Sainte-Marie", "Les Ormeaux", "Beaulieu-sur-Dore", "Vauclair", "Rochebrune",
         "Val-d'Argent", "Saint-Just-la-Forêt", "Mirande"]
TOPICS = ["le budget", "la piscine municipale", "la fermeture de l'usine", "la crue",
          "le nouveau collège", "la ligne de bus", "le marché couvert", "la digue",
          "la transition énergétique", "les impôts locaux", "l'hôpital", "la sécurité",
          "le logement social", "la sécheresse", "les pistes cyclables", "la fibre optique",
          "le festival d'été", "la réforme des retraites", "les agriculteurs", "le chômage"]
VERBS = ["a déclaré", "a affirmé", "a expliqué", "a assuré", "a indiqué", "a souligné",
         "a estimé", "a regretté", "a promis", "a reconnu", "a dénoncé", "a rappelé"]
CLAIMS = ["nous ne lâcherons rien sur {t}", "{t} coûtera {n} euros de plus que prévu",
          "personne n'avait anticipé {t}", "les habitants de {w} méritent mieux",
          "{t} sera réglé avant la fin de l'année", "il faut un plan d'urgence pour {t}",
          "l'État doit prendre ses responsabilités sur {t}", "{n} emplois sont menacés",
          "la concertation sur {t} a été un échec", "les travaux commenceront en {m}",
          "{t} reste la priorité absolue de {w}", "nous attendons des chiffres précis",
          "le dossier de {t} avance dans le bon sens", "les élus de {w} sont unanimes"]
RARE = ["ornithologie", "catamaran", "palimpseste", "xylophone", "quinquennat", "zeugma",
        "hydrogène", "bathyscaphe", "gerfaut", "orfèvrerie", "saxophone", "yourte"]
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "septembre", "octobre"]


def _people(rng: random.Random, count: int = 400) -> list[tuple[str, str]]:
    names = sorted({f"{f} {last}" for f in FIRST for last in LAST})
    rng.shuffle(names)
    return [(name, rng.choice(ROLES)) for name in names[:count]]


class _Text:
    """Builds an article's text piece by piece, returning spans with exact offsets."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0

    def add(self, piece: str) -> Span:
        span = Span(self.size, self.size + len(piece), piece)
        self.parts.append(piece)
        self.size += len(piece)
        return span

    @property
    def text(self) -> str:
        return "".join(self.parts)


def synthetic_article(index: int, people: list[tuple[str, str]]
                      ) -> tuple[Document, dict[str, str]]:
    """One deterministic article: a title, 3-8 paragraphs, 2-6 attributions."""
    rng = random.Random(index)
    town, topic = rng.choice(TOWNS), rng.choice(TOPICS)
    out = _Text()
    title = f"{town} : {topic} au cœur des débats"
    out.add(f"{title}\n\nLe dossier de {topic} a de nouveau occupé les élus de {town} "
            f"lors de la séance numéro {index}.")
    attributions: list[Attribution] = []
    entities: list[Entity] = []
    for _ in range(rng.randint(2, 6)):
        claim = rng.choice(CLAIMS).format(t=rng.choice(TOPICS), w=town,
                                          n=rng.randint(2, 900) * 10, m=rng.choice(MONTHS))
        if rng.random() < 0.05:
            claim += f", sans parler de {rng.choice(RARE)}"
        out.add("\n\n")
        style = rng.random()
        if style < 0.25:  # an organisation, indirect
            org = rng.choice(ORGS)
            cue = out.add("Selon")
            out.add(" ")
            source = out.add(org)
            out.add(", ")
            content = out.add(claim)
            out.add(".")
            attributions.append(Attribution("indirect", content, Speaker(org, "organization"),
                                            cue, source, confidence=0.8, rule="bench"))
            continue
        name, role = rng.choice(people)
        if style < 0.65:  # direct, with an incise
            out.add("« ")
            content = out.add(claim[:1].upper() + claim[1:])
            out.add(" », ")
            cue = out.add(rng.choice(VERBS))
            out.add(" ")
            source = out.add(f"{role}, {name}")
            kind = "direct"
        else:  # indirect, with que
            source = out.add(f"{role[:1].upper()}{role[1:]}, {name},")
            out.add(" ")
            cue = out.add(rng.choice(VERBS))
            out.add(" que ")
            content = out.add(claim)
            kind = "indirect" if rng.random() < 0.8 else "mixed"
        out.add(".")
        start = source.end - len(name) - (1 if source.text.endswith(",") else 0)
        entities.append(Entity("PER", start, start + len(name), name))
        attributions.append(Attribution(kind, content, Speaker(name, "person"), cue, source,
                                        confidence=0.9, rule="bench"))
    out.add(f"\n\nLa prochaine réunion publique est prévue à {town} en {rng.choice(MONTHS)}.")
    text = out.text
    day = rng.randrange(3 * 365)
    year, rest = divmod(day, 365)
    month, dom = min(rest // 30, 11) + 1, rest % 28 + 1
    meta = {"title": title, "date": f"{2022 + year}-{month:02d}-{dom:02d}",
            "source": rng.choice(OUTLETS), "url": f"https://news.example/{index}"}
    return Document(f"bench-{index}", "fr", text, tuple(attributions), tuple(entities)), meta


def build_database(path: Path, articles: int, seed: int = 7, batch: int = 2_000) -> None:
    """Write ``articles`` synthetic articles (and ~3 % wire copies) through the store's
    writer, ``batch`` articles per transaction (``Writer.write_articles``): the rows, keys
    and full-text index are what an ingest writes, at about 20,000 articles a minute."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    conn = connect(path)
    conn.execute("PRAGMA cache_size = -262144")  # 256 MB: the indexes of a big build
    writer = Writer(conn)
    people = _people(random.Random(seed))
    started = time.perf_counter()
    written = 0
    index = 0
    pending: list[tuple[Article, Document, str, bytes]] = []
    while written < articles:
        document, meta = synthetic_article(index, people)
        index += 1
        copies = [(document, meta)]
        if index % 33 == 0 and written + 1 < articles:  # a wire copy in another outlet
            text = document.text + "\n\n(Avec agences.)"
            copies.append((Document(document.id + "-copy", "fr", text, document.attributions,
                                    document.entities),
                           {**meta, "source": "APO (agence)", "title": meta["title"] + " (APO)"}))
        for doc, info in copies:
            article = Article(text=doc.text, path="bench", location=f"bench:{doc.id}",
                              format="jsonl", id=doc.id, **info)
            # Only wire pairs get a near-duplicate signature: the templates make every
            # article share bands with thousands of others, and comparing each new one with
            # 500 candidates would make the build, not the search, what the bench measures.
            pending.append((article, doc, "fr",
                            signature(doc.text) if len(copies) > 1 else None))
            written += 1
        if len(pending) >= batch or written >= articles:
            writer.write_articles(pending)
            pending = []
            if written % 100_000 < batch:
                log.info("%d articles written in %.0f s", written, time.perf_counter() - started)
    rebuild_directory(conn)
    set_meta(conn, "bench_articles", str(articles))
    conn.execute("PRAGMA optimize")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    log.info("built %s: %d articles in %.1f s", path, written, time.perf_counter() - started)


def grow(path: Path, articles: int) -> None:
    """Bring a built database to ``articles`` by copying its first articles in SQL (new ids,
    keys and article keys; same texts, dates and outlets), round after round: a million
    articles in minutes where the writer needs an hour on a shared machine. The copies'
    sort keys, group keys and facets follow the store's rules (the migration's SQL)."""
    conn = connect(path)
    conn.execute("PRAGMA cache_size = -262144")
    started = time.perf_counter()
    have = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    while have < articles:
        take = min(have, articles - have)
        last = conn.execute("SELECT id FROM articles ORDER BY id LIMIT 1 OFFSET ?",
                            (take - 1,)).fetchone()[0]
        shift, quote_shift = conn.execute(
            "SELECT (SELECT MAX(id) FROM articles), (SELECT MAX(id) FROM attributions)"
        ).fetchone()
        with transaction(conn):
            conn.execute(
                "INSERT INTO articles (id, hash, doc_id, url, title, date, source, author, "
                "lang, status, path, location, format, text, n_attributions, minhash, "
                "ingested_at) SELECT id + :s, printf('%032x', id + :s), doc_id || '+' || :s, "
                "url, title, date, source, author, lang, status, path, location || '+' || :s, "
                "format, text, n_attributions, minhash, ingested_at FROM articles "
                "WHERE id <= :last", {"s": shift, "last": last})
            conn.execute(
                "INSERT INTO attributions (id, article_id, seq, kind, content, content_start, "
                "content_end, cue, cue_start, cue_end, source, source_start, source_end, via, "
                "via_start, via_end, name_id, speaker_name, speaker_type, confidence, rule, "
                "sort_key, group_key) SELECT id + :q, article_id + :s, seq, kind, content, "
                "content_start, content_end, cue, cue_start, cue_end, source, source_start, "
                "source_end, via, via_start, via_end, name_id, speaker_name, speaker_type, "
                "confidence, rule, ((sort_key >> 32) << 32) | (id + :q), group_key + :q "
                "FROM attributions WHERE article_id <= :last",
                {"s": shift, "q": quote_shift, "last": last})
            conn.execute(
                "INSERT INTO quotes_fts (rowid, content, speaker, title, facets) "
                "SELECT a.sort_key, a.content, a.speaker_name, COALESCE(ar.title, ''), "
                "'k' || a.kind || ' t' || a.speaker_type || ' n' || a.name_id "
                "|| COALESCE(' o' || o.id, '') FROM attributions a "
                "JOIN articles ar ON ar.id = a.article_id "
                "LEFT JOIN outlets o ON o.name = ar.source WHERE a.id > :q",
                {"q": quote_shift})
            conn.execute('INSERT INTO entities (article_id, label, start, "end", text) '
                         'SELECT article_id + :s, label, start, "end", text FROM entities '
                         "WHERE article_id <= :last", {"s": shift, "last": last})
            conn.execute("INSERT INTO near_duplicates (article_id, other_id, similarity) "
                         "SELECT article_id + :s, other_id + :s, similarity "
                         "FROM near_duplicates WHERE article_id <= :last AND other_id <= :last",
                         {"s": shift, "last": last})
        have += take
        log.info("grown to %d articles in %.0f s", have, time.perf_counter() - started)
    with transaction(conn):
        conn.execute("UPDATE outlets SET n_articles = "
                     "(SELECT COUNT(*) FROM articles WHERE source = outlets.name)")
    rebuild_directory(conn)
    set_meta(conn, "bench_articles", str(articles))
    conn.execute("PRAGMA optimize")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def queries(rng: random.Random, count: int) -> list[tuple[str, dict[str, str | int]]]:
    """``count`` varied searches, labelled by kind (common word, rare word, filter…)."""
    common = ["budget", "travaux", "habitants", "État", "emplois", "concertation", "usine",
              "crue", "priorité", "chiffres", "euros", "plan"]
    makers = [
        ("common word", lambda: {"q": rng.choice(common)}),
        ("two words", lambda: {"q": f"{rng.choice(common)} {rng.choice(TOPICS).split()[-1]}"}),
        ("rare word", lambda: {"q": rng.choice(RARE)}),
        ("phrase", lambda: {"q": f'"{rng.choice(["plan d urgence", "la fin de l année", "bon sens", "les élus"])}"'}),
        ("prefix", lambda: {"q": rng.choice(["conc*", "trav*", "emp*", "hab*", "prior*"])}),
        ("speaker name", lambda: {"q": rng.choice(LAST)}),
        ("word + filters", lambda: {"q": rng.choice(common), "kind": rng.choice(
            ["direct", "indirect"]), "since": "2023-01", "until": "2023-12"}),
        ("word + outlet", lambda: {"q": rng.choice(common), "outlet": rng.choice(OUTLETS)}),
        ("word + type", lambda: {"q": rng.choice(common), "speaker_type": "organization"}),
        ("speaker filter", lambda: {"speaker": f"{rng.choice(FIRST)} {rng.choice(LAST)}"}),
        ("later page", lambda: {"q": rng.choice(common), "page": rng.randint(2, 10)}),
        ("filters only", lambda: {"kind": "mixed", "outlet": rng.choice(OUTLETS)}),
        ("date range only", lambda: {"since": "2024-03-01", "until": "2024-03-31"}),
        ("hostile text", lambda: {"q": rng.choice(['"; DROP TABLE articles; --', "NEAR(a b)",
                                                   "a AND OR NOT *", "«» ' \" ()"])}),
        ("broad word", lambda: {"q": rng.choice(["les", "la", "de", "le"])}),
        ("OR", lambda: {"q": f"{rng.choice(RARE)} OR {rng.choice(common)}"}),
        ("relevance", lambda: {"q": rng.choice(common), "order": "relevance"}),
    ]
    out = []
    for i in range(count):
        label, make = makers[i % len(makers)]
        out.append((label, make()))
    return out


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def run_loop(url: str, plan: list[tuple[str, dict[str, str | int]]], warmup: int
             ) -> tuple[list[float], dict[str, list[float]], float, int]:
    """Send the plan's requests in order; returns latencies (ms) overall and per label,
    the wall time of the timed part, and how many answers were not 200.

    A later page is reached as a reader reaches it, following each page's ``next`` cursor
    (untimed); only the request for the last page is timed.
    """
    per_label: dict[str, list[float]] = defaultdict(list)
    latencies: list[float] = []
    errors = 0
    with httpx.Client(base_url=url, timeout=60) as client:
        for _, params in plan[:warmup]:
            client.get("/api/search", params=_reached(client, params))
        started = time.perf_counter()
        untimed = 0.0
        for label, params in plan[warmup:]:
            t0 = time.perf_counter()
            params = _reached(client, params)
            t1 = time.perf_counter()
            untimed += t1 - t0
            response = client.get("/api/search", params=params)
            response.read()
            elapsed = (time.perf_counter() - t1) * 1000
            if response.status_code != 200:
                errors += 1
            latencies.append(elapsed)
            per_label[label].append(elapsed)
        wall = time.perf_counter() - started - untimed
    return latencies, per_label, wall, errors


def _reached(client: httpx.Client, params: dict[str, str | int]) -> dict[str, str | int]:
    """``params`` of a page N > 1 as the ``after`` cursor of page N - 1, followed there."""
    page = int(params.get("page", 1))
    if page == 1:
        return params
    first = {k: v for k, v in params.items() if k != "page"}
    cursor = None
    for _ in range(page - 1):
        body = client.get("/api/search", params={**first, **({"after": cursor} if cursor
                                                             else {})}).json()
        cursor = body.get("next")
        if not cursor:
            return params  # fewer pages than asked: time the page past the end
    return {**first, "after": cursor, "page": page}


def run_engine(db: Path, plan: list[tuple[str, dict[str, str | int]]], warmup: int
               ) -> tuple[list[float], dict[str, list[float]], float, int]:
    """The plan through the search engine itself, in this process (``--engine``): the
    latency without HTTP, and CPU time rather than wall time, which a busy machine inflates
    less. Later pages are reached through their cursors, untimed, as over HTTP."""
    conn = connect(db, readonly=True)
    per_label: dict[str, list[float]] = defaultdict(list)
    latencies: list[float] = []
    errors = 0

    def reached(params: dict[str, str | int]) -> SearchQuery:
        values = {k: v for k, v in params.items() if k != "page"}
        cursor = ""
        for _ in range(int(params.get("page", 1)) - 1):
            cursor = search(conn, SearchQuery(**values, after=cursor)).next or ""
            if not cursor:
                break
        return SearchQuery(**values, after=cursor, page=int(params.get("page", 1)))

    for _, params in plan[:warmup]:
        search(conn, reached(params))
    started = time.process_time()
    for label, params in plan[warmup:]:
        query = reached(params)
        t0 = time.process_time()
        try:
            search(conn, query)
        except BadQuery:
            errors += 1
        elapsed = (time.process_time() - t0) * 1000
        latencies.append(elapsed)
        per_label[label].append(elapsed)
    wall = time.process_time() - started
    conn.close()
    return latencies, per_label, wall, errors


class Server:
    """``propos serve`` in a child process, waited for until it answers."""

    def __init__(self, db: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.command = [sys.executable, "-c", "from propos.cli import main; main()", "serve",
                        "--db", str(db), "--port", str(self.port)]

    def __enter__(self) -> Server:
        self.process = subprocess.Popen(self.command, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"propos serve exited: {self.process.stderr.read()}")
            try:
                # the OpenAPI document: ready without reading the database (the corpus
                # figures of /api/stats scan it, a minute on a million cold articles)
                if httpx.get(self.url + "/api/openapi.json", timeout=2).status_code == 200:
                    return self
            except httpx.TransportError:
                time.sleep(0.1)
        self.process.kill()
        raise RuntimeError("propos serve did not answer within 60 s")

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, default=Path("out/bench-web.db"),
                        help="database to build or reuse (default: out/bench-web.db)")
    parser.add_argument("--articles", type=int, help=(
        "articles in the database (default 10,000); an existing --db of another size is "
        "rebuilt only when this is given"))
    parser.add_argument("--base", type=int, help=(
        "write only this many articles through the writer, then copy them in SQL up to "
        "--articles (a million in minutes); or, with --grow, the database to start from"))
    parser.add_argument("--grow", type=Path, help="copy this built database and grow it")
    parser.add_argument("--requests", type=int, default=2_000)
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--rebuild", action="store_true", help="rebuild the database")
    parser.add_argument("--engine", action="store_true", help=(
        "time the search engine in this process (CPU ms), without HTTP"))
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 when p95 >= 25 ms or the broad word's p95 >= 40 ms")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request otherwise

    reuse = False
    if args.db.exists() and not args.rebuild:
        conn = connect(args.db)
        built = get_meta(conn, "bench_articles")
        conn.close()
        reuse = args.articles is None or built == str(args.articles)
    articles = args.articles or 10_000
    if not reuse:
        print(f"building {args.db} with {articles:,} articles…", file=sys.stderr)
        if args.grow:
            for suffix in ("", "-wal", "-shm"):
                Path(str(args.db) + suffix).unlink(missing_ok=True)
            shutil.copyfile(args.grow, args.db)
        else:
            build_database(args.db, min(args.base or articles, articles))
        if args.grow or (args.base and args.base < articles):
            grow(args.db, articles)
    conn = connect(args.db, readonly=True)
    n_articles, n_quotes = conn.execute(
        "SELECT (SELECT COUNT(*) FROM articles), (SELECT COUNT(*) FROM attributions)").fetchone()
    conn.close()

    plan = queries(random.Random(11), args.warmup + args.requests)
    if args.engine:
        latencies, per_label, wall, errors = run_engine(args.db, plan, args.warmup)
    else:
        with Server(args.db) as server:
            latencies, per_label, wall, errors = run_loop(server.url, plan, args.warmup)

    figures = {
        "articles": n_articles, "attributions": n_quotes, "requests": len(latencies),
        "engine_only": args.engine, "load_average": round(os.getloadavg()[0], 1),
        "errors": errors, "p50_ms": round(percentile(latencies, 50), 2),
        "p95_ms": round(percentile(latencies, 95), 2),
        "p99_ms": round(percentile(latencies, 99), 2), "max_ms": round(max(latencies), 2),
        "mean_ms": round(statistics.fmean(latencies), 2),
        "requests_per_s": round(len(latencies) / wall, 1),
        "by_query": {label: {"n": len(v), "p50_ms": round(percentile(v, 50), 2),
                             "p95_ms": round(percentile(v, 95), 2),
                             "p99_ms": round(percentile(v, 99), 2)}
                     for label, v in per_label.items()},
    }
    if args.engine:
        print(f"search() on {n_articles:,} articles ({n_quotes:,} attributions), "
              f"{len(latencies):,} queries in this process, CPU ms")
    else:
        print(f"GET /api/search on {n_articles:,} articles ({n_quotes:,} attributions), "
              f"{len(latencies):,} sequential requests to 127.0.0.1, one keep-alive "
              f"connection")
    print(f"  p50 {figures['p50_ms']:.1f} ms   p95 {figures['p95_ms']:.1f} ms   "
          f"p99 {figures['p99_ms']:.1f} ms   max {figures['max_ms']:.1f} ms   "
          f"{figures['requests_per_s']:.0f} requests/s   errors (non-200): {errors}")
    for label, v in figures["by_query"].items():
        print(f"  {label:<16} n={v['n']:<5} p50 {v['p50_ms']:6.1f} ms   p95 {v['p95_ms']:6.1f} ms"
              f"   p99 {v['p99_ms']:6.1f} ms")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    broad = figures["by_query"].get("broad word", {}).get("p95_ms", 0.0)
    if args.check and not (figures["p95_ms"] < 25 and broad < 40):
        print(f"p95 {figures['p95_ms']} ms (target < 25), broad word p95 {broad} ms "
              f"(target < 40)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
