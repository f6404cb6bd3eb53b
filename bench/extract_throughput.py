"""How much does attribution cost on top of parsing? propos vs a bare spaCy parse, same run.

propos is spaCy's parse plus rule-based attribution, so the honest yardstick is the parse alone:
the same model, the same texts, the same batch size, in the same process (so the same CPU,
threads and thermal state). The target is ``propos time / bare time <= 1.15``: attribution may
add at most 15 % to the parse (issue 12).

    python bench/extract_throughput.py                      # 300 articles, table on stdout
    python bench/extract_throughput.py --articles 1000 --repeats 3 --json out.json
    python bench/extract_throughput.py --check              # exit 1 when over the target

Texts: the gold texts of ../shared/eval/fr/*.jsonl when present, else data/sample/fr/*.txt /
*.jsonl, else a few built-in French paragraphs; cycled until ``--articles`` are reached.
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import platform
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

log = logging.getLogger("bench.extract_throughput")

REPO = Path(__file__).resolve().parents[1]
SHARED_GOLD = REPO.parent / "shared" / "eval" / "fr"
SAMPLE_DIR = REPO / "data" / "sample" / "fr"
TARGET_RATIO = 1.15
WARMUP_ARTICLES = 20

# Used only when neither the shared gold nor the bundled samples exist, so the bench always runs.
BUILTIN_PARAGRAPHS: tuple[str, ...] = (
    "« Nous tiendrons nos engagements », a déclaré mardi la maire de Lille, Léa Martin, devant "
    "le conseil municipal. Elle a ajouté que le budget de la ville serait présenté en mars.",
    "Le ministre de l'Économie a estimé que la croissance resterait faible cette année. "
    "Selon lui, « les entreprises doivent investir davantage » pour soutenir l'emploi.",
    "D'après une source proche de l'enquête, les suspects auraient quitté le pays la semaine "
    "dernière. Le parquet n'a pas souhaité commenter ces informations.",
    "Les syndicats ont dénoncé « une réforme injuste » et appelé à une nouvelle journée de "
    "mobilisation. « Nous ne lâcherons rien », a lancé leur porte-parole, Karim Benali.",
    "Le Times, citant des sources gouvernementales, a rapporté que Londres envisageait "
    "d'envoyer des instructeurs militaires. Le ministère de la Défense a démenti.",
    "La préfète a promis que les travaux commenceraient avant l'été, selon un communiqué de "
    "la préfecture publié jeudi. Les riverains restent sceptiques.",
)


# ------------------------------------------------------------------------------- inputs


def _texts_from_jsonl(path: Path) -> list[str]:
    texts = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            text = json.loads(line).get("text")
            if isinstance(text, str) and text.strip():
                texts.append(text)
    return texts


def _texts_from_paths(paths: Iterable[Path]) -> list[str]:
    """Texts of .jsonl records (their "text") and of whole .txt files, in path order."""
    texts: list[str] = []
    for path in sorted(paths):
        if path.suffix == ".jsonl":
            texts += _texts_from_jsonl(path)
        elif path.suffix == ".txt":
            text = path.read_text(encoding="utf-8")
            if text.strip():
                texts.append(text)
    return texts


def _expand(sources: Sequence[Path]) -> list[Path]:
    files: list[Path] = []
    for source in sources:
        if source.is_dir():
            files += [p for p in source.rglob("*") if p.suffix in (".jsonl", ".txt")]
        elif source.is_file():
            files.append(source)
        else:
            raise SystemExit(f"no such file or folder: {source}")
    return files


def base_texts(sources: Sequence[Path]) -> tuple[list[str], str]:
    """The distinct texts to benchmark on, and where they came from (for the report)."""
    if sources:
        texts = _texts_from_paths(_expand(sources))
        if not texts:
            raise SystemExit(f"no texts found in {', '.join(map(str, sources))}")
        return texts, ", ".join(map(str, sources))
    for label, folder, pattern in (("shared gold", SHARED_GOLD, "*.jsonl"),
                                   ("bundled samples", SAMPLE_DIR, "*")):
        if folder.is_dir():
            texts = _texts_from_paths(folder.glob(pattern))
            if texts:
                return texts, f"{label} ({folder})"
    return list(BUILTIN_PARAGRAPHS), "built-in paragraphs"


def articles(texts: Sequence[str], count: int) -> list[tuple[str, str]]:
    """``count`` (id, text) pairs, cycling through ``texts``."""
    return [(f"a{i}", texts[i % len(texts)]) for i in range(count)]


# ------------------------------------------------------------------------------- measuring


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far (ru_maxrss: KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


@dataclass
class Pass:
    """One timed pass of one pipeline over all articles."""

    seconds: float
    failures: int = 0


@dataclass
class Side:
    """Everything measured for one pipeline."""

    name: str
    passes: list[Pass] = field(default_factory=list)
    peak_rss_mib: float = 0.0
    tracemalloc_peak_mib: float | None = None

    @property
    def best_seconds(self) -> float:
        """Fastest pass: noise (other processes, GC) only ever adds time."""
        return min(p.seconds for p in self.passes)


def run_bare(nlp: Any, items: Sequence[tuple[str, str]], batch_size: int) -> tuple[int, int]:
    """Parse every text with the bare pipeline; returns (documents, tokens)."""
    documents = tokens = 0
    for doc in nlp.pipe((text for _, text in items), batch_size=batch_size):
        documents += 1
        tokens += len(doc)
    return documents, tokens


def run_propos(pipeline: Any, items: Sequence[tuple[str, str]], batch_size: int) -> tuple[int, int]:
    """Extract from every text with propos; returns (documents, failures)."""
    from propos.model import Failure

    documents = failures = 0
    for result in pipeline.extract_many(items, batch_size=batch_size):
        documents += 1
        if isinstance(result, Failure):
            failures += 1
            log.warning("propos failed on %s: %s", result.id, result.reason)
    return documents, failures


def timed(run: Callable[[], tuple[int, int]]) -> tuple[float, tuple[int, int]]:
    gc.collect()
    start = time.perf_counter()
    result = run()
    return time.perf_counter() - start, result


def traced_peak_mib(run: Callable[[], object]) -> float:
    """Peak Python-heap allocation of ``run`` (untimed: tracemalloc slows code several-fold)."""
    gc.collect()
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1] / (1024 * 1024)
    finally:
        tracemalloc.stop()


# ------------------------------------------------------------------------------- pipelines


def load_pipelines(lang: str) -> tuple[Any, Any]:
    """propos' pipeline and a fresh ``spacy.load`` of the same model, without propos' pipes."""
    import spacy

    import propos

    pipeline = propos.load(lang)
    bare = spacy.load(pipeline.profile.model)
    extra = [name for name in pipeline.nlp.pipe_names if name not in bare.pipe_names]
    log.info("model %s; bare pipes %s; propos adds %s",
             pipeline.profile.model, bare.pipe_names, extra)
    return pipeline, bare


# ------------------------------------------------------------------------------- report


def build_result(args: argparse.Namespace, source: str, distinct: int, items: Sequence[tuple[str, str]],
                 tokens: int, bare: Side, prop: Side, model: str, load_rss: float) -> dict[str, Any]:
    """The JSON-ready result: rates from the best pass of each side."""
    ratio = prop.best_seconds / bare.best_seconds if bare.best_seconds else float("inf")

    def side(s: Side) -> dict[str, Any]:
        data = asdict(s)
        data["best_seconds"] = round(s.best_seconds, 3)
        data["articles_per_s"] = round(len(items) / s.best_seconds, 2)
        data["tokens_per_s"] = round(tokens / s.best_seconds, 1)
        return data

    return {
        "model": model, "texts": source, "distinct_texts": distinct, "articles": len(items),
        "characters": sum(len(t) for _, t in items), "tokens": tokens,
        "batch_size": args.batch_size, "repeats": args.repeats,
        "python": platform.python_version(), "platform": platform.platform(),
        "rss_after_load_mib": round(load_rss, 1),
        "bare": side(bare), "propos": side(prop),
        "ratio": round(ratio, 3), "target_ratio": TARGET_RATIO, "within_target": ratio <= TARGET_RATIO,
    }


def format_table(result: dict[str, Any]) -> str:
    rows = [
        f"model {result['model']}, {result['articles']} articles ({result['distinct_texts']} "
        f"distinct, from {result['texts']}), {result['tokens']:,} tokens, "
        f"batch {result['batch_size']}, best of {result['repeats']}",
        "",
        f"{'':<8}{'seconds':>10}{'articles/s':>12}{'tokens/s':>12}{'peak RSS MiB':>14}"
        f"{'tracemalloc MiB':>17}",
    ]
    for key in ("bare", "propos"):
        side = result[key]
        traced = side["tracemalloc_peak_mib"]
        rows.append(
            f"{key:<8}{side['best_seconds']:>10.2f}{side['articles_per_s']:>12.1f}"
            f"{side['tokens_per_s']:>12,.0f}{side['peak_rss_mib']:>14.0f}"
            f"{'-' if traced is None else f'{traced:.1f}':>17}"
        )
    verdict = "OK" if result["within_target"] else "OVER TARGET"
    rows += ["", f"ratio propos/bare = {result['ratio']:.3f}  (target <= {TARGET_RATIO:.2f}: {verdict})",
             f"RSS after loading both models: {result['rss_after_load_mib']:.0f} MiB "
             "(peak RSS is cumulative: bare runs first)"]
    return "\n".join(rows)


# ------------------------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=300, help="articles per pass (default 300)")
    parser.add_argument("--batch-size", type=int, default=16, help="spaCy batch size (default 16)")
    parser.add_argument("--repeats", type=int, default=1,
                        help="timed passes per pipeline, alternating order; best is kept")
    parser.add_argument("--lang", default="fr", help="propos language (default fr)")
    parser.add_argument("--texts", type=Path, nargs="*", default=[],
                        help=".jsonl/.txt files or folders to take texts from")
    parser.add_argument("--tracemalloc", action="store_true",
                        help="also measure Python-heap peaks in an extra untimed pass")
    parser.add_argument("--json", type=Path, help="also write the result as JSON here")
    parser.add_argument("--check", action="store_true",
                        help=f"exit 1 when propos/bare exceeds {TARGET_RATIO}")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    if args.articles < 1 or args.repeats < 1 or args.batch_size < 1:
        parser.error("--articles, --repeats and --batch-size must be positive")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")
    texts, source = base_texts(args.texts)
    items = articles(texts, args.articles)
    pipeline, nlp = load_pipelines(args.lang)
    load_rss = peak_rss_mib()

    warm = items[:WARMUP_ARTICLES]
    run_bare(nlp, warm, args.batch_size)
    run_propos(pipeline, warm, args.batch_size)

    bare, prop = Side("bare"), Side("propos")
    tokens = 0
    for repeat in range(args.repeats):
        order = ("bare", "propos") if repeat % 2 == 0 else ("propos", "bare")
        for name in order:
            if name == "bare":
                seconds, (_, tokens) = timed(lambda: run_bare(nlp, items, args.batch_size))
                bare.passes.append(Pass(round(seconds, 3)))
                bare.peak_rss_mib = max(bare.peak_rss_mib, peak_rss_mib())
            else:
                seconds, (_, failures) = timed(lambda: run_propos(pipeline, items, args.batch_size))
                prop.passes.append(Pass(round(seconds, 3), failures))
                prop.peak_rss_mib = max(prop.peak_rss_mib, peak_rss_mib())
            log.info("pass %d %s: %.2f s", repeat + 1, name, seconds)

    if args.tracemalloc:
        bare.tracemalloc_peak_mib = round(traced_peak_mib(lambda: run_bare(nlp, items, args.batch_size)), 1)
        prop.tracemalloc_peak_mib = round(traced_peak_mib(lambda: run_propos(pipeline, items, args.batch_size)), 1)

    result = build_result(args, source, len(texts), items, tokens, bare, prop,
                          pipeline.profile.model, load_rss)
    print(format_table(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 1 if args.check and not result["within_target"] else 0


if __name__ == "__main__":
    sys.exit(main())
