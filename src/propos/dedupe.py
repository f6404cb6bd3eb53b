"""Duplicate detection: an exact key per article, and MinHash signatures for near-copies.

The same wire story reaches a corpus many times: byte-identical (the same page scraped twice,
a dump re-exported) and near-identical (one outlet adds a dateline, another trims the last
paragraph or retitles it). The first kind shares :func:`propos.article.content_hash`
and is stored once. The second is caught here: word 5-shingles, a 128-value MinHash signature
(an unbiased estimate of the Jaccard similarity of two shingle sets, to about ±0.04 with
128 values), and locality-sensitive hashing in 32 bands of 4 values (a pair at similarity
0.6 becomes a candidate with probability 0.99), so that the store finds candidates with an
index lookup instead of comparing every pair. Candidates are confirmed on the full signature.

Pure functions over text and bytes; the store keeps the signatures and bands.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Iterable

import numpy as np

SHINGLE_WORDS = 5
NUM_PERM = 128
BANDS = 32
ROWS = NUM_PERM // BANDS
# Estimated Jaccard similarity of shingle sets above which two articles are near-duplicates.
# Wire copies with a changed title, dateline or closing line score 0.7-0.95 (one changed
# word breaks five shingles); distinct articles on the same event rarely pass 0.3.
NEAR_DUPLICATE_THRESHOLD = 0.6

_MERSENNE = np.uint64((1 << 61) - 1)
_MAX32 = np.uint64(0xFFFFFFFF)
_rng = np.random.RandomState(20240314)  # fixed: signatures must be comparable across runs
_A = _rng.randint(1, (1 << 32) - 1, size=NUM_PERM, dtype=np.uint64)
_B = _rng.randint(0, (1 << 32) - 1, size=NUM_PERM, dtype=np.uint64)
_WORDS = re.compile(r"\w+")


def shingles(text: str) -> set[int]:
    """32-bit hashes of the article's overlapping 5-word sequences (case-folded)."""
    words = _WORDS.findall(text.casefold())
    if len(words) < SHINGLE_WORDS:
        return {zlib.crc32(" ".join(words).encode("utf-8"))} if words else set()
    return {zlib.crc32(" ".join(words[i:i + SHINGLE_WORDS]).encode("utf-8"))
            for i in range(len(words) - SHINGLE_WORDS + 1)}


def signature(text: str) -> bytes:
    """The MinHash signature of ``text``: NUM_PERM little-endian uint32 values."""
    values = np.fromiter(shingles(text), dtype=np.uint64)
    if values.size == 0:
        return np.full(NUM_PERM, 0xFFFFFFFF, dtype="<u4").tobytes()
    # (a*x + b) mod p, truncated to 32 bits: one universal hash per permutation.
    hashed = ((_A[:, None] * values[None, :] + _B[:, None]) % _MERSENNE) & _MAX32
    return hashed.min(axis=1).astype("<u4").tobytes()


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of the shingle sets behind two signatures."""
    left = np.frombuffer(a, dtype="<u4")
    right = np.frombuffer(b, dtype="<u4")
    if left.size != right.size or left.size == 0:
        return 0.0
    return float(np.count_nonzero(left == right)) / left.size


def band_keys(sig: bytes) -> list[int]:
    """One signed 64-bit key per band: articles sharing any key are candidate near-copies."""
    width = ROWS * 4
    keys = []
    for band in range(BANDS):
        digest = hashlib.blake2b(bytes([band]) + sig[band * width:(band + 1) * width],
                                 digest_size=8).digest()
        keys.append(int.from_bytes(digest, "little", signed=True))
    return keys


def duplicate_groups(links: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Each article key of the near-duplicate ``links`` → the smallest key of its group
    (connected components, union-find): one group name whatever order copies arrived in."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in links:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {node: find(node) for node in parent}


# At most this many candidate near-copies are compared per new article: a band shared by
# thousands of articles (boilerplate-only pages) must not make one write slow.
MAX_CANDIDATES = 500
