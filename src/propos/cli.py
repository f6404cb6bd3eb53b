"""The ``propos`` command: one thin subcommand per library function."""

from __future__ import annotations

import json
import logging
import sys

import click


log = logging.getLogger("propos")


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
@click.option("--lang", default="fr", show_default=True,
              help="Language of the texts (a jsonl line's own \"lang\" wins).")
@click.option("--batch-size", default=16, show_default=True, help="Documents per spaCy batch.")
def extract(files: tuple[str, ...], fmt: str, lang: str, batch_size: int) -> None:
    """Extract attributions from FILES (.txt, or .jsonl lines {"id", "text", "lang"?, "date"?}).

    Use - to read standard input. Results go to stdout in input order; logs, progress and
    per-document errors go to stderr. Exit code 1 when any document failed.
    """
    from .extract import run_extract

    failures = run_extract(files, fmt=fmt, lang=lang, batch_size=batch_size, out=sys.stdout)
    if failures:
        click.echo(f"propos: {failures} document(s) failed, see messages above", err=True)
        sys.exit(1)


@main.command(name="eval")
@click.argument("gold", type=click.Path(exists=True))
@click.option("--errors", is_flag=True, help="Also list every miss and spurious prediction.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
def eval_command(gold: str, errors: bool, fmt: str) -> None:
    """Score extraction against GOLD (a jsonl file like ../shared/eval/fr/dev.jsonl).

    Prints content P/R/F1, speaker accuracy, end-to-end P/R/F1 and recall by kind.
    """
    from .evaluate import evaluate_file, format_report

    report = evaluate_file(gold)
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(errors=errors), ensure_ascii=False, indent=2))
    else:
        click.echo(format_report(report, errors=errors))
