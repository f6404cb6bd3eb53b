"""The engine version: what an article's stored attributions were extracted with.

It changes whenever anything that decides the attributions changes: the package version,
the code of the extraction core, or the language data (cue lists, heads, trained weights).
The store keeps it per article (``articles.engine``), so ``propos reextract`` finds what an
upgrade left behind without reading the inputs again.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import resources

from . import __version__

# The modules and packages of the core: normalise → parse → attribute → resolve → gender,
# about.
CORE = ("about.py", "arrays.py", "attribute", "component.py", "gender.py", "model.py",
        "pipeline.py", "profile.py", "quotes.py", "resolve", "sentences.py", "tagger.py", "text.py")


@lru_cache(maxsize=1)
def engine_version() -> str:
    """``<package version>+<12 hex digits>`` over the core's code and the language data."""
    digest = hashlib.sha256()
    package = resources.files("propos")
    files = []
    for name in CORE:
        entry = package / name
        files += _source_files(entry) if entry.is_dir() else [(name, entry)]
    for folder in sorted((package / "lang").iterdir(), key=lambda p: p.name):
        if folder.is_dir():
            files += [(f"lang/{folder.name}/{f.name}", f) for f in
                      sorted((f for f in folder.iterdir() if f.is_file()),
                             key=lambda p: p.name)]
    for name, file in files:
        if file.is_file():
            digest.update(name.encode() + b"\0" + file.read_bytes() + b"\0")
    return f"{__version__}+{digest.hexdigest()[:12]}"


def _source_files(folder):
    return [(f"{folder.name}/{f.name}", f) for f in
            sorted((f for f in folder.iterdir() if f.name.endswith(".py")),
                   key=lambda p: p.name)]
