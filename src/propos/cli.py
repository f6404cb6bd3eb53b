"""The ``propos`` command: one thin subcommand per library function."""

from __future__ import annotations

import json
import logging
import sys

import click

from .model import CUE_TYPES, KINDS, SPEAKER_TYPES


log = logging.getLogger("propos")


class ByteSize(click.ParamType):
    """A size in bytes: 1000, 64K, 32M, 8G (powers of 1024)."""

    name = "size"
    _UNITS = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}

    def convert(self, value, param, ctx):
        if isinstance(value, int):
            return value
        text = str(value).strip().upper().removesuffix("B").removesuffix("I")
        number, unit = text.rstrip("KMGT"), text[len(text.rstrip("KMGT")):]
        try:
            size = int(float(number) * self._UNITS[unit])
        except (KeyError, ValueError):
            self.fail(f"{value!r} is not a size (such as 4096, 64K, 32M, 8G)", param, ctx)
        if size < 1:
            self.fail(f"{value!r}: a size must be at least 1 byte", param, ctx)
        return size


def _limit_options(command):
    """The input bounds of propos.read.InputLimits, as options (defaults in --help)."""
    from .read import DEFAULT_LIMITS as default

    def mib(n: int) -> str:
        return f"{n // 1024**3}G" if n % 1024**3 == 0 else f"{n // 1024**2}M"

    options = [
        click.option("--max-document-size", type=ByteSize(), default=mib(default.max_document_bytes),
                     show_default=True, help="Largest document: a file's size, or a record's "
                                             "text in characters."),
        click.option("--max-line-length", type=ByteSize(), default=mib(default.max_line_bytes),
                     show_default=True, help="Longest line of a JSONL or CSV file."),
        click.option("--max-inflated-size", type=ByteSize(),
                     default=mib(default.max_inflated_bytes), show_default=True,
                     help="Most that one .gz file may inflate to."),
        click.option("--max-inflate-ratio", type=click.IntRange(min=1),
                     default=default.max_inflate_ratio, show_default=True,
                     help="Most inflated bytes per compressed byte (past 1M) before a .gz "
                          "file is taken for a decompression bomb."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _limits(max_document_size: int, max_line_length: int, max_inflated_size: int,
            max_inflate_ratio: int):
    from .read import InputLimits

    return InputLimits(max_document_bytes=max_document_size, max_line_bytes=max_line_length,
                       max_inflated_bytes=max_inflated_size, max_inflate_ratio=max_inflate_ratio)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", count=True, help="More logging on stderr (-vv for debug).")
@click.version_option(package_name="propos")
def main(verbose: int) -> None:
    """propos: who said what, when, about whom, according to whom.

    Extracts reported speech (direct, indirect and mixed quotes) from news text, with
    character offsets into the original, resolved speakers and relays.
    """
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, stream=sys.stderr,
                        format="%(levelname)s %(name)s: %(message)s")


@main.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["json", "jsonl", "text"]), default="jsonl",
              show_default=True,
              help="jsonl: one object per document; json: one array; text: for people.")
@click.option("--lang", default="auto", show_default=True,
              help="Language of the texts: auto (detected per document), en or fr "
                   "(a jsonl line's own \"lang\" wins). The output says which was used.")
@click.option("--batch-size", default=16, show_default=True, help="Documents per spaCy batch.")
@_limit_options
def extract(files: tuple[str, ...], fmt: str, lang: str, batch_size: int,
            **limits: int) -> None:
    """Extract attributions from FILES (.txt, or .jsonl lines {"id", "text", "lang"?, "date"?}).

    Use - to read standard input. Results go to stdout in input order; logs, progress and
    per-document errors go to stderr. Exit code 1 when any document failed. Only regular
    files are read (not devices or FIFOs), within the --max-* limits.
    """
    from .batch import run_extract

    def report(failure) -> None:
        click.echo(f"propos: {failure.id}: {failure.reason}", err=True)

    failures = run_extract(files, fmt=fmt, lang=lang, batch_size=batch_size, out=sys.stdout,
                           report=report, limits=_limits(**limits))
    if failures:
        click.echo(f"propos: {failures} document(s) failed, see messages above", err=True)
        sys.exit(1)


@main.command(name="eval")
@click.argument("gold", type=click.Path(exists=True))
@click.option("--errors", is_flag=True, help="Also list every miss and spurious prediction.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.option("--cofenet", type=click.Path(exists=True, dir_okay=False), default=None,
              help="CofeNet's valid.txt: add token-level exact/begin-match scores (PolNeAR only; "
                   "found by itself next to a PolNeAR dev/ folder).")
def eval_command(gold: str, errors: bool, fmt: str, cofenet: str | None) -> None:
    """Score extraction against GOLD (a jsonl file like ../shared/eval/fr/dev.jsonl, or a
    PolNeAR folder like ../shared/eval/polnear/dev).

    Prints content P/R/F1, speaker accuracy, end-to-end P/R/F1 and recall by kind.
    """
    from pathlib import Path

    from .evaluate import GoldError, evaluate_file, format_report
    from .evaluate.polnear import is_polnear

    if cofenet is None and is_polnear(gold):
        guess = Path(gold).resolve().parent / "cofenet" / "valid.txt"
        if Path(gold).resolve().name == "dev" and guess.is_file():
            cofenet = str(guess)
    try:
        report = evaluate_file(gold, cofenet=cofenet)
    except GoldError as exc:
        raise click.ClickException(str(exc)) from exc
    tokens = report.meta.get("cofenet")
    if fmt == "json":
        out = report.to_dict(errors=errors)
        if tokens is not None:
            out["cofenet"] = {mode: {c: k.to_dict() for c, k in per.items()}
                              for mode, per in tokens.items()}
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        click.echo(format_report(report, errors=errors))
        if tokens is not None:
            from .evaluate.cofenet import format_cofenet

            click.echo(format_cofenet(tokens, report.meta.get("cofenet_source", "")))


@main.command(name="train-tagger")
@click.argument("gold", type=click.Path(exists=True))
@click.option("--lang", default="en", show_default=True, help="Language whose tagger to train.")
@click.option("--out", type=click.Path(dir_okay=False), default=None,
              help="Where to write the weights (default: the profile's own file, "
                   "src/propos/lang/LANG/<tagger>).")
@click.option("--holdout", type=click.FloatRange(0, 0.5), default=0.0, show_default=True,
              help="Share of the articles kept out of training and scored afterwards.")
@click.option("--c1", type=float, default=None, help="L1 penalty (default: the shipped one).")
@click.option("--c2", type=float, default=None, help="L2 penalty (default: the shipped one).")
@click.option("--iterations", type=click.IntRange(min=1), default=None,
              help="L-BFGS iterations (default: the shipped number).")
def train_tagger_command(gold: str, lang: str, out: str | None, holdout: float,
                         c1: float | None, c2: float | None, iterations: int | None) -> None:
    """Train the attribution tagger of LANG on GOLD (a PolNeAR folder such as
    ../shared/eval/polnear/train, or a gold jsonl file).

    Parses every article, labels its tokens from the gold spans and fits the CRF; about
    12 minutes on one CPU core for PolNeAR train. Never train on a dev set.
    """
    from pathlib import Path

    from rich.progress import Progress

    from .evaluate import GoldError, format_report, read_gold
    from .evaluate.polnear import is_polnear, read_polnear
    from .profile import load_profile
    from .training import DEFAULT_C1, DEFAULT_C2, DEFAULT_ITERATIONS, train_tagger

    profile = load_profile(lang)
    if out is None:
        if not profile.get("tagger"):
            raise click.ClickException(f"the {lang!r} profile names no tagger file; give --out")
        out = str(profile.folder / profile.get("tagger"))
    try:
        gold_docs = read_polnear(gold) if is_polnear(gold) else read_gold(gold)
    except GoldError as exc:
        raise click.ClickException(str(exc)) from exc
    if not gold_docs:
        raise click.ClickException(f"{gold}: no annotated articles to train on")
    with Progress(transient=True) as progress:
        task = progress.add_task("parsing", total=len(gold_docs))
        summary = train_tagger(
            gold_docs, Path(out), lang=lang, holdout=holdout,
            c1=DEFAULT_C1 if c1 is None else c1, c2=DEFAULT_C2 if c2 is None else c2,
            max_iterations=iterations or DEFAULT_ITERATIONS,
            progress=lambda n: progress.advance(task, n))
    click.echo(f"trained on {summary.articles} articles ({summary.sequences:,} paragraphs, "
               f"{summary.tokens:,} tokens) in {summary.seconds:.0f} s; "
               f"{summary.size_bytes / 1e6:.1f} MB written to {summary.model}")
    if summary.holdout_report is not None:
        click.echo(f"held out: {summary.holdout_articles} articles")
        click.echo(format_report(summary.holdout_report))


# --------------------------------------------------------------------------- corpus commands

_DB_OPTION = click.option("--db", default="propos.db", envvar="PROPOS_DB", show_default=True,
                          type=click.Path(dir_okay=False),
                          help="SQLite database (also from $PROPOS_DB).")


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@_DB_OPTION
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Worker processes  [default: all cores].")
@click.option("--failed", "show_failed", is_flag=True,
              help="List the inputs that could not be ingested, with the reason, and exit.")
@click.option("--undated", "show_undated", is_flag=True,
              help="List the stored articles that have no date, and exit.")
@click.option("--progress/--no-progress", default=True, show_default=True,
              help="Progress bar with articles/s and ETA on stderr.")
@click.option("--reextract", is_flag=True,
              help="Then re-run the current engine on stored articles extracted by an older "
                   "one (from the stored text; PATHS may be left out).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True,
              help="Summary (or --failed, --undated list) for people or as JSON.")
@_limit_options
def ingest(paths: tuple[str, ...], db: str, workers: int | None, show_failed: bool,
           show_undated: bool, progress: bool, reextract: bool, fmt: str,
           **limits: int) -> None:
    """Ingest a corpus into the database: folders (recursively) and files.

    Reads .txt, .html/.htm (the page whole: headline, standfirst, paragraphs and list
    items; title, date, author and outlet), .jsonl ({"id"?, "url"?, "title"?, "date"?,
    "source"?, "text" | "html"}), .csv with a text column, and .warc/.warc.gz (HTML
    responses). An article whose metadata has no date is dated from its dateline, its
    page's "Publié le" stamp or its file name or URL; the summary warns about those left
    undated (see them with --undated). Articles are keyed by content hash: running it
    again skips what is stored and continues an interrupted run. Unreadable inputs are
    recorded, never fatal: see them with --failed.
    """
    from .ingest.runner import ingest as run_ingest
    from .store.runs import list_failures, list_undated
    from .store.db import StoreError

    try:
        if show_undated:
            undated = list_undated(db)
            if fmt == "json":
                for article in undated:
                    click.echo(json.dumps(article, ensure_ascii=False))
            elif not undated:
                click.echo(f"every article in {db} has a date", err=True)
            for article in undated if fmt == "text" else ():
                click.echo(f"{article['location']}\t{article['title'] or ''}")
            return
        if show_failed:
            failures = list_failures(db)
            if fmt == "json":
                for failure in failures:
                    click.echo(json.dumps(failure, ensure_ascii=False))
            elif not failures:
                click.echo(f"no failed inputs recorded in {db}", err=True)
            for failure in failures if fmt == "text" else ():
                times = f" (seen {failure['times']} times)" if failure["times"] > 1 else ""
                click.echo(f"{failure['location']}\t{failure['reason']}{times}")
            return
        if not paths and not reextract:
            raise click.UsageError("give files or folders to ingest (or --failed, "
                                   "--undated, --reextract)")
        if paths:
            summary = run_ingest(paths, db_path=db, workers=workers, progress=progress,
                                 limits=_limits(**limits))
            if fmt == "json":
                click.echo(json.dumps(summary.to_dict(), ensure_ascii=False))
            else:
                click.echo(summary.format())
            if summary.interrupted:
                sys.exit(130)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    if reextract:
        _reextract(db, progress, fmt)


def _reextract(db: str, progress: bool, fmt: str) -> None:
    from .ingest.reextract import reextract as run_reextract
    from .store.db import StoreError

    try:
        summary = run_reextract(db, progress=progress)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    if fmt == "json":
        click.echo(json.dumps(summary.to_dict(), ensure_ascii=False))
    else:
        click.echo(summary.format())
    if summary.interrupted:
        sys.exit(130)


@main.command(name="reextract")
@_DB_OPTION
@click.option("--progress/--no-progress", default=True, show_default=True,
              help="Progress bar on stderr.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Summary for people or as JSON.")
def reextract_command(db: str, progress: bool, fmt: str) -> None:
    """Re-run the current engine on stored articles extracted by an older one.

    Reads the stored text (not the inputs), swaps each article's attributions in one
    transaction (a killed run is continued by running it again), then rebuilds the speaker
    directory. Loads no model when every article is current.
    """
    _reextract(db, progress, fmt)


def _open_store(db: str):
    from .store.db import StoreError, open_existing
    from .store.provenance import ensure_quote_groups
    from .store.speakers import ensure_directory

    try:
        conn = open_existing(db)
        ensure_directory(conn)
        ensure_quote_groups(conn)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    return conn


@main.command()
@click.argument("query", required=False, default="")
@_DB_OPTION
@click.option("--speaker", help="Only quotes by this speaker (any of its names; "
                                "\"Kallas\" matches every Kallas).")
@click.option("--speaker-type", type=click.Choice(SPEAKER_TYPES),
              help="Only quotes by this type of speaker.")
@click.option("--kind", type=click.Choice(KINDS))
@click.option("--cue-type", type=click.Choice(CUE_TYPES),
              help="Only quotes whose cue is of this type (said, believes, shows, opposes, "
                   "criticism of).")
@click.option("--outlet", help="Only quotes in articles of this outlet (exact name).")
@click.option("--since", help="Articles dated on or after (YYYY-MM-DD, YYYY-MM or YYYY).")
@click.option("--until", help="Articles dated on or before (YYYY-MM-DD, YYYY-MM or YYYY; "
                              "the whole period).")
@click.option("--altered", is_flag=True,
              help="Only statements whose words some outlet changed (statement groups).")
@click.option("--about", help="Only quotes about this person or organisation (named or "
                              "designated in the content; any of its names).")
@click.option("--content-only", is_flag=True,
              help="Match the words in quote contents only, not speaker names or titles.")
@click.option("--order", type=click.Choice(["newest", "relevance"]), default="newest",
              show_default=True, help="relevance: BM25 over the newest 1,000 matches.")
@click.option("--after", default="", metavar="CURSOR",
              help="Continue after this cursor (printed at the end of a full page).")
@click.option("--limit", type=click.IntRange(min=1, max=10_000), default=20,
              show_default=True)
@click.option("--format", "fmt", type=click.Choice(["text", "jsonl"]), default="text",
              show_default=True)
def search(query: str, db: str, speaker: str | None, speaker_type: str | None,
           kind: str | None, cue_type: str | None, outlet: str | None, since: str | None,
           until: str | None, altered: bool, about: str | None, content_only: bool,
           order: str, after: str, limit: int, fmt: str) -> None:
    """Find quotes whose content, speaker or article title match QUERY, newest first.

    All words must match (accents and case ignored); "a phrase" in double quotes or « »
    matches as a phrase, word* as a prefix, and OR between words either of them. Any text
    is safe to type. Each hit ends with its article's URL, or its key. Exits 2 when there
    is nothing to search for.
    """
    from .query import BadQuery, SearchQuery
    from .store.queries import format_hits
    from .store.queries import search as run_search

    request = SearchQuery(q=query, speaker=speaker or "", speaker_type=speaker_type or "",
                          kind=kind or "", cue_type=cue_type or "", outlet=outlet or "",
                          since=since or "", until=until or "", altered=altered,
                          about=about or "", content_only=content_only, order=order,
                          after=after, per_page=limit)
    conn = _open_store(db)
    try:
        result = run_search(conn, request)
    except BadQuery as exc:
        raise click.UsageError(str(exc)) from exc
    finally:
        conn.close()
    if not result.searched:
        raise click.UsageError(result.message or "nothing to search for")
    if result.message:
        click.echo(f"propos search: {result.message}", err=True)
    if fmt == "jsonl":
        for hit in result.hits:
            click.echo(json.dumps(hit.to_dict(), ensure_ascii=False))
    elif result.hits:
        click.echo(format_hits(result))
    if result.next:
        click.echo(f"propos search: more quotes match; next page: --after {result.next}",
                   err=True)


@main.command()
@_DB_OPTION
@click.option("--top", type=click.IntRange(min=1), default=20, show_default=True,
              help="How many speakers to list.")
@click.option("--type", "speaker_type",
              type=click.Choice(["person", "organization", "media", "anonymous", "unknown"]),
              help="Only speakers of this type.")
@click.option("--gender", type=click.Choice(["female", "male", "unknown"]),
              help="Only speakers of this gender.")
@click.option("--outlet", help="Count only quotes from this outlet (exact name).")
@click.option("--lang", help="Count only quotes from articles in this language (fr, en…).")
@click.option("--since", help="Count only quotes dated on or after (YYYY-MM-DD, YYYY-MM, YYYY).")
@click.option("--until", help="Count only quotes dated on or before (YYYY-MM-DD, YYYY-MM, YYYY).")
@click.option("--sort", type=click.Choice(["quotes", "articles", "name", "first_seen",
                                           "last_seen"]),
              default="quotes", show_default=True,
              help="Order (quotes, articles and last_seen: most first; name, first_seen: A-Z, "
                   "oldest first).")
@click.option("--format", "fmt", type=click.Choice(["text", "jsonl"]), default="text",
              show_default=True)
def speakers(db: str, top: int, speaker_type: str | None, gender: str | None,
             outlet: str | None, lang: str | None, since: str | None, until: str | None,
             sort: str, fmt: str) -> None:
    """Who is quoted most across the corpus: counts by kind, type, gender, the names used."""
    from .store.speakers import SpeakerFilters, format_speakers, list_speakers

    filters = SpeakerFilters(type=speaker_type or "", gender=gender or "",
                             outlet=outlet or "", lang=lang or "", since=since or "",
                             until=until or "", sort=sort)
    conn = _open_store(db)
    try:
        _, rows = list_speakers(conn, filters, limit=top)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    finally:
        conn.close()
    if fmt == "jsonl":
        for row in rows:
            click.echo(json.dumps(row.to_dict(), ensure_ascii=False))
    elif rows:
        click.echo(format_speakers(rows))
    else:
        click.echo(f"propos speakers: no speaker in {db} matches", err=True)


@main.command()
@click.argument("out", type=click.Path(dir_okay=False, allow_dash=True))
@_DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet"]),
              default="jsonl", show_default=True)
def export(out: str, db: str, fmt: str) -> None:
    """Write one row per attribution, with its article's metadata, to OUT (- for stdout).

    Columns are listed in docs/store.md; pandas and DuckDB read the files as they are.
    """
    from .store.export import export as run_export

    conn = _open_store(db)
    try:
        count = run_export(conn, fmt, out)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    finally:
        conn.close()
    click.echo(f"propos export: {count} attribution(s) written to {out}", err=True)


@main.command()
@_DB_OPTION
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0: every interface, readable by anyone "
                   "who can reach this machine).")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--allow-store", is_flag=True,
              help="Let the try-it page and /api/extract store submitted texts (the "
                   "database is read-only otherwise).")
@click.option("--allowed-host", "allowed_hosts", multiple=True, metavar="NAME",
              help="Also answer requests for this host name (repeatable): the name a reverse "
                   "proxy forwards. Other Host headers than 127.0.0.1, localhost and --host "
                   "get 400.")
@click.option("--access-log", is_flag=True, help="Log every request on stderr.")
def serve(db: str, host: str, port: int, allow_store: bool, allowed_hosts: tuple[str, ...],
          access_log: bool) -> None:
    """Browse the database in a web browser, with a JSON API under /api/ (see docs/web.md).

    Pages: search with filters, speakers, articles with highlighted attributions, corpus
    figures, and a try-it page. Runs until Ctrl-C.
    """
    from .store.db import StoreError
    from .web import server

    try:
        settings = server.config(db, host=host, port=port, allow_store=allow_store,
                                 access_log=access_log, allowed_host=allowed_hosts)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"propos serve: {db} at {server.url_for(host, port)} "
               f"({'texts may be stored' if allow_store else 'read-only'}; Ctrl-C to stop)",
               err=True)
    import uvicorn

    try:
        uvicorn.Server(settings).run()
    except KeyboardInterrupt:  # uvicorn re-raises Ctrl-C once it has shut down cleanly
        click.echo("propos serve: stopped", err=True)


# --------------------------------------------------------------------------- scale-out


def _spark_epilog() -> str | None:
    from .spark import INSTALL_HINT, pyspark_available

    return None if pyspark_available() else f"pyspark is not installed here. {INSTALL_HINT}."


@main.command(name="spark", epilog=_spark_epilog())
@click.argument("inputs", nargs=-1, required=True)
@click.option("--out", required=True, help="Output directory (local path or any URI Spark "
                                           "reads: hdfs://, s3a://, file://).")
@click.option("--master", default=None,
              help="Spark master of the session this command starts  [default: local[*]; "
                   "under spark-submit (propos/spark/job.py), spark-submit's].")
@click.option("--partitions", type=click.IntRange(min=1), default=None,
              help="Extraction tasks  [default: max(4 × cores, articles / 500)].")
@click.option("--conf", "confs", multiple=True, metavar="KEY=VALUE",
              help="Spark setting, repeatable (--conf spark.executor.memory=6g).")
@click.option("--driver-memory", default="2g", show_default=True)
@click.option("--preload/--no-preload", default=True, show_default=True,
              help="Load the model once in Spark's Python daemon and fork the workers from "
                   "it, rather than in each worker.")
@click.option("--refresh", is_flag=True,
              help="Recompute the attribution rows even when no article was added.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Summary for people or as JSON.")
def spark(inputs: tuple[str, ...], out: str, master: str | None, partitions: int | None,
          confs: tuple[str, ...], driver_memory: str, preload: bool, refresh: bool,
          fmt: str) -> None:
    """Extract a corpus on Apache Spark: Parquet partitioned by language and date.

    Needs the optional extra: pip install 'propos[spark]' (pyspark 4) and a Java 17
    runtime. Reads JSONL, Parquet, WARC (and .txt, .html, .csv) files or folders, local
    or on any filesystem Spark reads. OUT/attributions holds exactly the rows and columns
    of `propos export --format parquet` for the same inputs; OUT/articles the articles
    (for `propos load`), OUT/failures what could not be read. Articles are keyed by
    content hash: running again over the same inputs adds nothing. See docs/scale.md.
    """
    from .spark import INSTALL_HINT, pyspark_available

    if not pyspark_available():
        raise click.ClickException(INSTALL_HINT)
    from .spark.job import parse_conf, run
    from .spark.session import session

    try:
        conf = parse_conf(confs)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    spark_session = session(master, conf, driver_memory, preload=preload)
    summary = run(spark_session, inputs, out, partitions, refresh)
    if fmt == "json":
        click.echo(json.dumps(summary.to_dict(), ensure_ascii=False))
    else:
        click.echo(summary.format())


@main.command()
@click.argument("directory", type=click.Path(file_okay=False))
@_DB_OPTION
@click.option("--lang", help="Only articles in this language (e.g. fr).")
@click.option("--since", help="Only articles dated on or after (YYYY-MM-DD, YYYY-MM or YYYY).")
@click.option("--until", help="Only articles dated on or before (YYYY-MM-DD, YYYY-MM or YYYY).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
def load(directory: str, db: str, lang: str | None, since: str | None, until: str | None,
         fmt: str) -> None:
    """Import the output of `propos spark` (DIRECTORY) into a propos database.

    Articles go through the store's writer as in `propos ingest` (attributions, entities,
    near-duplicate links), then the speaker directory is rebuilt, so `propos search`,
    `propos speakers` and `propos serve` work on a cluster run. Keyed by content hash:
    loading again adds nothing. Needs pyarrow only (no Spark, no Java).
    """
    from .spark.load import load as run_load
    from .store.db import StoreError

    try:
        summary = run_load(directory, db, lang=lang, since=since, until=until)
    except (StoreError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    if fmt == "json":
        click.echo(json.dumps(summary.to_dict(), ensure_ascii=False))
    else:
        click.echo(summary.format())
