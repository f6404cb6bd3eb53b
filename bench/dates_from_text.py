"""Dating from the text: how many gold articles the readers date without their metadata.

Each article of ``../shared/eval/fr/*.jsonl`` carries its date as metadata. This script
hides it and dates the article the way ingest dates an article whose metadata has none
(:func:`propos.ingest.datelines.date_from_text`: dateline, stamp, file name or URL), from
its text alone, then from its text and its URL (``provenance.url``, where the set gives
one), and counts how many are dated and how many of those agree with the gold date.

    .venv/bin/python bench/dates_from_text.py
    .venv/bin/python bench/dates_from_text.py --json dates.json -v     # -v: each article
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from propos.ingest.datelines import body_paragraphs, date_from_text
from propos.ingest.readers import first_line_title

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "fr"


def measure(path: Path, verbose: bool) -> dict[str, int]:
    counts = dict.fromkeys(("articles", "dated_text", "right_text", "dated_url", "right_url"),
                           0)
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        text = record["text"]
        paragraphs = body_paragraphs(text, first_line_title(text))
        provenance = record.get("provenance")
        url = provenance.get("url") if isinstance(provenance, dict) else None
        from_text = date_from_text(paragraphs)
        with_url = date_from_text(paragraphs, names=(url,) if url else ())
        counts["articles"] += 1
        for kind, found in (("text", from_text), ("url", with_url)):
            if found:
                counts[f"dated_{kind}"] += 1
                counts[f"right_{kind}"] += found == record.get("date")
        if verbose:
            print(f"{path.name}\t{record.get('id')}\tgold {record.get('date')}\t"
                  f"text {from_text}\ttext+url {with_url}", file=sys.stderr)
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("-v", "--verbose", action="store_true", help="each article on stderr")
    args = parser.parse_args()
    files = sorted(SHARED.glob("*.jsonl"))
    if not files:
        print(f"no gold data in {SHARED}", file=sys.stderr)
        return 1
    results = {f.name: measure(f, args.verbose) for f in files}
    print(f"{'set':<22}{'articles':>9}{'dated (text)':>14}{'agree':>7}"
          f"{'dated (text+URL)':>18}{'agree':>7}")
    for name, c in results.items():
        print(f"{name:<22}{c['articles']:>9}{c['dated_text']:>14}{c['right_text']:>7}"
              f"{c['dated_url']:>18}{c['right_url']:>7}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
