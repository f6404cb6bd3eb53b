"""The README's examples come from the code as it is: its sample commands are run on the
bundled sample and their output compared with what the README prints, figure for figure.

Commands are the README's ``$ propos …`` lines (and the ``printf`` that writes a file for
them); the lines below each one, up to the next ``$``, are its output. Timings and the
progress bar vary from run to run and are not compared; commands over inputs the README
only describes (``demo``), or that need ../shared or hours (eval, training), are left out.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from propos.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
SKIPPED = ("eval", "train-tagger", "spark", "load", "serve")
VOLATILE = re.compile(r"^(time\s|ingest\s)")

pytestmark = [pytest.mark.model, pytest.mark.usefixtures("fr_pipeline")]


def code_blocks(text: str) -> list[str]:
    return re.findall(r"^```[a-z]*\n(.*?)^```", text, flags=re.S | re.M)


def examples() -> list[tuple[str, list[str]]]:
    """(command line, expected output lines) for every ``$`` line of the README, in order."""
    out: list[tuple[str, list[str]]] = []
    for block in code_blocks(README):
        current: tuple[str, list[str]] | None = None
        for line in block.splitlines():
            if line.startswith("$ "):
                current = (line[2:], [])
                out.append(current)
            elif current is not None:
                current[1].append(line)
    return [(command, [l for l in lines if l.strip()]) for command, lines in out]


def runnable(command: str) -> bool:
    words = shlex.split(command, comments=True)
    return words[0] == "propos" and words[1] not in SKIPPED and not any(
        w.startswith("demo") for w in words)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("readme")


def run(command: str, workdir: Path, stdin: str | None = None) -> list[str]:
    words = []
    for word in shlex.split(command, comments=True)[1:]:
        if not word or word.startswith("-"):
            pass
        elif word.startswith("out/"):
            word = str(workdir / word)
        elif (workdir / word).exists():
            word = str(workdir / word)
        elif (ROOT / word).exists():
            word = str(ROOT / word)
        words.append(word)
    result = CliRunner().invoke(main, words, input=stdin, prog_name="propos")
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        command, result.output)
    # paths as the README writes them: relative to where its commands run
    output = (result.stdout + "\n" + result.stderr).replace(f"{workdir}/", "")
    return [line.rstrip() for line in output.splitlines()
            if line.strip() and not VOLATILE.match(line)]


def test_the_readme_has_the_sample_commands():
    commands = [c for c, _ in examples() if runnable(c)]
    assert commands[0].startswith("propos ingest data/sample/corpus")
    assert len(commands) >= 9


def test_every_sample_command_prints_what_the_readme_says(workdir: Path):
    (workdir / "out").mkdir(exist_ok=True)
    mismatches = []
    for command, expected in examples():
        if command.startswith("printf "):
            subprocess.run(["bash", "-c", command], cwd=workdir, check=True)
            continue
        if not runnable(command):
            continue
        expected = [line.rstrip() for line in expected if not VOLATILE.match(line)]
        actual = run(command, workdir)
        if actual != expected:
            mismatches.append((command, expected, actual))
    assert not mismatches, "\n\n".join(
        f"$ {c}\n--- README\n" + "\n".join(e) + "\n--- now\n" + "\n".join(a)
        for c, e, a in mismatches)


def test_the_extract_examples(workdir: Path):
    first = re.search(r"`(propos extract data/sample/fr/conseil-municipal\.txt --format text)`"
                      r".*?```\n(.*?)```", README, flags=re.S)
    assert first
    shown = [line for line in first[2].splitlines() if line.strip() and line != "…"]
    assert run("propos " + first[1].split(" ", 1)[1], workdir)[:len(shown)] == shown

    echo = re.search(r'\$ echo "(.*?)" \| propos extract -\n```\n```json\n(.*?)```', README,
                     flags=re.S)
    assert echo
    printed = run("propos extract -", workdir, stdin=echo[1] + "\n")
    assert json.loads("\n".join(printed)) == json.loads(echo[2])
