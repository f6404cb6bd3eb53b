"""An HTML page read whole: headline, standfirst, paragraphs and list items, in order.

trafilatura finds a page's main text and drops menus, footers and asides, but its defaults
also drop parts of the article itself: the standfirst (``<p class="chapo">``,
``<div class="chapeau">``, an ``<h2>`` under the headline), list items, sometimes the
headline. :func:`read_page` keeps trafilatura's paragraphs and puts those parts back at
their place in the page:

1. trafilatura's paragraphs are located in the page (by their text), which gives the
   article's extent: the ``<article>`` (or smallest block) holding them and the headline;
2. the standfirst is the first of: a block whose class or id names it (``chapo``,
   ``chapeau``, ``standfirst``, ``lead``…), an ``<h2>`` between the headline and the
   text, a paragraph of the article's ``<header>``; the meta description only when none of
   these exists and it does not repeat the text;
3. list items within the article are kept, except in menus, asides, footers, blocks whose
   class says they are not the article (related links, sharing, tags), lists of links,
   lists a "Lire aussi" label introduces and lists above the headline; the same rule
   judges the list items trafilatura kept;
4. "Lire aussi : …" lines, paywall notices and the page's date stamp are dropped from the
   text.

The text is the headline, a blank line, then one paragraph per line, like a ``.txt``
article. The outlet comes from the page's metadata (``og:site_name``, the JSON-LD
publisher, ``application-name``) or the URL's host, never from the title. Class words and
labels are language data (``lang/<code>/page.toml``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from ..dates import normalise_date
from ..lexicon import page_words
from ..text import fold
from .datelines import date_from_text, date_in_name, dates_in, is_stamp

# Never text: their content is code, controls or embedded media.
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "iframe", "button",
                        "select", "option", "textarea", "head", "title", "meta", "link"})
# Never the article, whatever their class says.
_OUTSIDE_TAGS = frozenset({"nav", "footer", "aside", "menu", "form"})
# Elements whose text can be a paragraph of trafilatura's output: blocks, and containers
# that hold text of their own (not only through their children).
_BLOCK_TAGS = frozenset({"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "dd",
                         "dt", "td", "th", "figcaption", "pre", "address"})
_CONTAINER_TAGS = frozenset({"div", "section", "header", "article", "main", "span", "font",
                             "strong", "b", "em", "i", "center"})
# Lists, in HTML and in trafilatura's output ("list").
_LIST_TAGS = frozenset({"ul", "ol", "list"})
# A caption is never the standfirst.
_MEDIA_TAGS = frozenset({"figure", "figcaption", "picture", "video"})
_ASCII_SPACE = re.compile(r"[ \t\n\r\f\v]+")
_HOST_PREFIXES = ("www.", "m.", "mobile.", "amp.")
# A list item whose text is mostly links is a menu or a list of other articles.
_MAX_LINK_SHARE = 0.5
_MIN_STANDFIRST_CHARS = 20
_MIN_MERGED_ITEM_CHARS = 30
# A paywall notice is a line or two; a paragraph quoting one is longer.
_MAX_PAYWALL_CHARS = 160


@dataclass(frozen=True)
class Page:
    """What :func:`read_page` read from an HTML page."""

    text: str
    title: str | None = None
    date: str | None = None
    author: str | None = None
    source: str | None = None
    url: str | None = None


def _clean(text: str) -> str:
    """Runs of ASCII white space as one space; no-break spaces (French typography) kept."""
    return _ASCII_SPACE.sub(" ", text).strip()


def _key(text: str) -> str:
    """What two renderings of one paragraph have in common."""
    return " ".join(text.split())


def _is_element(node) -> bool:
    return isinstance(node.tag, str)


def _text(element, skip_lists: bool = False) -> str:
    """The visible text of an element, line breaks as spaces, scripts and styles left out;
    ``skip_lists``: without nested lists (a list item's own text)."""
    parts: list[str] = []

    def walk(node) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            if _is_element(child):
                tag = child.tag.lower()
                if tag == "br":
                    parts.append(" ")
                elif tag not in _SKIP_TAGS and not (skip_lists and tag in _LIST_TAGS):
                    walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(element)
    return _clean("".join(parts))


def _has_own_text(element) -> bool:
    if element.text and element.text.strip():
        return True
    return any(child.tail and child.tail.strip() for child in element)


def _class_words(element) -> str:
    value = f"{element.get('class') or ''} {element.get('id') or ''}"
    return " " + " ".join(re.split(r"[\s_-]+", fold(value))).strip() + " "


def _names(element, phrases: Iterable[str]) -> bool:
    words = _class_words(element)
    return any(f" {phrase} " in words for phrase in phrases)


def starts_with_read_also(text: str) -> bool:
    """"Lire aussi : …", "» LIRE AUSSI - …", "Read more": a link to another article. A
    one-word label ("Related") must be followed by a separator or nothing, so that a
    sentence opening with the word stays text."""
    folded = fold(text[:80]).lstrip(" >»→►•·-–—|")
    for label in page_words().read_also:
        if not folded.startswith(label):
            continue
        rest = folded[len(label):]
        if rest[:1].isalnum():
            continue
        if " " in label or not rest.strip() or rest.lstrip()[:1] in ":|-–—>»→":
            return True
    return False


def is_paywall(text: str) -> bool:
    """"Il vous reste 62 % de cet article à lire. La suite est réservée aux abonnés."."""
    if len(text) > _MAX_PAYWALL_CHARS:
        return False
    folded = fold(text)
    return any(phrase in folded for phrase in page_words().paywall)


class _Tree:
    """The page's elements in document order, with what the reading needs to know of them."""

    def __init__(self, root):
        self.root = root
        self.order: dict = {}
        self.keys: dict[str, list] = {}
        self._outside: dict = {}
        words = page_words()
        self._boilerplate = words.boilerplate_classes
        for index, element in enumerate(self._elements(root)):
            self.order[element] = index
            tag = element.tag.lower()
            if tag in _BLOCK_TAGS or (tag in _CONTAINER_TAGS and _has_own_text(element)):
                key = _key(_text(element))
                if key:
                    self.keys.setdefault(key, []).append(element)

    @staticmethod
    def _elements(root) -> Iterator:
        stack = [root]
        while stack:
            element = stack.pop()
            yield element
            stack.extend(reversed([c for c in element if _is_element(c)
                                   and c.tag.lower() not in _SKIP_TAGS]))

    def outside(self, element) -> bool:
        """In a menu, an aside, a footer, or a block whose class says it is not the article."""
        chain = []
        result = False
        while element is not None:
            if element in self._outside:
                result = self._outside[element]
                break
            chain.append(element)
            tag = element.tag.lower() if _is_element(element) else ""
            if tag in _OUTSIDE_TAGS or (tag not in ("body", "html")
                                        and _names(element, self._boilerplate)):
                result = True
                break
            element = element.getparent()
        for seen in chain:
            self._outside[seen] = result
        return result

    def locate(self, key: str, after: int):
        """The first element after position ``after`` whose text is ``key``."""
        candidates = [e for e in self.keys.get(key, ()) if not self.outside(e)]
        return next((e for e in candidates if self.order[e] > after), None)

    def visible_lines(self, scope) -> Iterator[str]:
        """The text of ``scope``, block by block, outside blocks left out (for stamps)."""
        for element in self._elements(scope):
            if element in self.order and _has_own_text(element) and not self.outside(element):
                parts = [element.text or ""]
                parts += [c.tail or "" for c in element]
                line = _clean(" ".join(parts))
                if line:
                    yield line


def _ancestors(element) -> list:
    chain = []
    while element is not None:
        chain.append(element)
        element = element.getparent()
    return chain


def _below(element, top) -> Iterator:
    """``element`` and its ancestors up to ``top`` (excluded)."""
    while element is not None and element is not top:
        yield element
        element = element.getparent()


def _common_ancestor(elements: list):
    if not elements:
        return None
    common = _ancestors(elements[0])
    for element in elements[1:]:
        chain = set(_ancestors(element))
        common = [a for a in common if a in chain]
    return common[0] if common else None


def _body_lines(result) -> list[str]:
    """trafilatura's paragraphs, list items without the "- " it writes before them."""
    text = getattr(result, "text", None) or ""
    body = getattr(result, "body", None)
    items = ({_key(_text(item, skip_lists=True)) for item in body.iter("item")}
             if body is not None else set())
    lines = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("- ") and _key(line[2:]) in items:
            line = line[2:].strip()
        if line:
            lines.append(line)
    return lines


@lru_cache(maxsize=1)
def _trafilatura_config():
    from trafilatura.settings import use_config

    config = use_config()
    # No SIGALRM-based timeout: extraction runs in worker processes and threads.
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
    # News items can be short (a wire flash); trafilatura's default would drop them.
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "40")
    config.set("DEFAULT", "MIN_OUTPUT_SIZE", "10")
    return config


def _meta(root, *names: str) -> str | None:
    """The first non-empty ``<meta>`` content among ``names`` (property or name)."""
    wanted = {n.lower() for n in names}
    found: dict[str, str] = {}
    for element in root.iter("meta"):
        name = (element.get("property") or element.get("name") or "").strip().lower()
        content = _clean(element.get("content") or "")
        if name in wanted and content and name not in found:
            found[name] = content
    return next((found[n.lower()] for n in names if n.lower() in found), None)


def _publisher(root) -> str | None:
    """The publisher's name in the page's JSON-LD (``publisher.name``, in a ``@graph`` too)."""
    def names(node) -> Iterator[str]:
        if isinstance(node, list):
            for item in node:
                yield from names(item)
        elif isinstance(node, dict):
            publisher = node.get("publisher")
            for entry in publisher if isinstance(publisher, list) else [publisher]:
                if isinstance(entry, dict) and isinstance(entry.get("name"), str):
                    yield entry["name"]
                elif isinstance(entry, str):
                    yield entry
            for key in ("@graph", "mainEntity", "mainEntityOfPage"):
                if key in node:
                    yield from names(node[key])

    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "")
        except (json.JSONDecodeError, RecursionError):
            continue
        for name in names(data):
            if _clean(name):
                return _clean(name)
    return None


_JSON_LD_DATE = re.compile(r'"date(?:Published|Created|Modified)"\s*:\s*"([^"]{8,40})"')


def _declared_dates(root, url: str | None) -> set[str]:
    """The dates a page declares in its markup (meta tags, ``<time datetime>``, JSON-LD) and
    URL, as opposed to dates read from its text."""
    values = [element.get("content") or element.get("datetime") for element in root.iter()
              if _is_element(element)
              and re.search(r"date|time|published|modified",
                            (element.get("property") or element.get("name")
                             or element.get("itemprop") or "").lower())]
    values += [element.get("datetime") for element in root.iter("time")]
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() == "application/ld+json":
            values += _JSON_LD_DATE.findall(script.text or "")
    found = {normalise_date(v) for v in values if v}
    if url:
        found.add(date_in_name(url))
    return {f for f in found if f}


def host_name(url: str | None) -> str | None:
    """The outlet a URL names: ``https://www.lemonde.fr/…`` → ``lemonde.fr``."""
    if not url:
        return None
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return None
    for prefix in _HOST_PREFIXES:
        if host.startswith(prefix) and host.count(".") > 1:
            host = host[len(prefix):]
    return host or None


def outlet(root, url: str | None) -> str | None:
    """The outlet from the page's metadata, else the URL's host; never from the title."""
    return (_meta(root, "og:site_name") or _publisher(root) or _meta(root, "application-name")
            or host_name(url))


def _headline(tree: _Tree, title: str | None, body_scope):
    """(headline text, its element): the ``<h1>`` that carries the title, else the
    article's own ``<h1>``, else the metadata title."""
    h1s = [h for h in tree.root.iter("h1") if not tree.outside(h) and _text(h)]
    if title:
        title_key = _key(title)
        for h1 in h1s:
            key = _key(_text(h1))
            if key == title_key or (len(key) > 10 and (key in title_key or title_key in key)):
                return _text(h1), h1
    if body_scope is not None:
        for h1 in h1s:
            if body_scope in _ancestors(h1):
                return _text(h1), h1
    return (title, None) if title else (None, None)


def _block_lines(element) -> list[str]:
    """The standfirst's paragraphs: its ``<p>``/``<li>`` children, else its whole text."""
    parts = [_text(p) for p in element.iter("p", "li") if p is not element]
    parts = [p for p in parts if p]
    return parts or ([_text(element)] if _text(element) else [])


def _standfirst(tree: _Tree, scope, headline, first_body: int):
    """(lines, position) of the standfirst, or None; see the module doc for the order."""
    words = page_words()
    start = tree.order.get(headline, -1) if headline is not None else -1
    search = scope if scope is not None else tree.root

    def usable(element) -> bool:
        text = _text(element)
        return (len(text) >= _MIN_STANDFIRST_CHARS and not tree.outside(element)
                and tree.order.get(element, -1) > start
                and not any(a.tag.lower() in _MEDIA_TAGS
                            or _names(a, words.not_standfirst_classes)
                            for a in _below(element, search))
                and not is_stamp(text) and not starts_with_read_also(text)
                and (headline is None or headline not in element.iter()))

    for element in search.iter():
        if (_is_element(element) and element in tree.order and element.tag.lower() != "h1"
                and _names(element, words.standfirst_classes) and usable(element)):
            return _block_lines(element), tree.order[element]
    if headline is not None:
        for h2 in search.iter("h2"):
            if start < tree.order.get(h2, -1) < first_body and usable(h2):
                return [_text(h2)], tree.order[h2]
        # The article's header, not the site's: it holds the headline or is in an <article>.
        for header in search.iter("header"):
            if headline not in header.iter() and \
                    not any(a.tag.lower() == "article" for a in _ancestors(header)):
                continue
            for p in header.iter("p"):
                if usable(p) and p in tree.order:
                    return [_text(p)], tree.order[p]
    return None


def _is_article_item(tree: _Tree, item, start: int) -> bool:
    """A list item of the article: after the headline (``start``), not in a block that is
    not the article, not a list of links or one a "Lire aussi" label introduces."""
    position = tree.order.get(item)
    if position is None or position <= start or tree.outside(item):
        return False
    text = _text(item, skip_lists=True)
    if not text or starts_with_read_also(text) or is_stamp(text):
        return False
    if sum(len(_text(a)) for a in item.iter("a")) > _MAX_LINK_SHARE * len(text):
        return False
    container = item.getparent()
    if container is None:
        return True
    previous = container.getprevious()
    if previous is not None and starts_with_read_also(_text(previous)):
        return False
    return container.getparent() is None or \
        not starts_with_read_also(container.getparent().text or "")


def _list_items(tree: _Tree, scope, start: int, known: set[str]) -> Iterator[tuple[int, str]]:
    """The article's list items that trafilatura left out, with their positions."""
    for item in scope.iter("li"):
        text = _text(item, skip_lists=True)
        key = _key(text)
        if not key or key in known or not _is_article_item(tree, item, start):
            continue
        # trafilatura may have run a list into one paragraph; a short item ("Nantes") is
        # too common a phrase to tell so.
        if len(key) >= _MIN_MERGED_ITEM_CHARS and any(key in line for line in known):
            continue
        known.add(key)
        yield tree.order[item], text


def _assemble(tree: _Tree, lines: list[str], title: str | None,
              description: str | None) -> tuple[str | None, list[str], object]:
    """(headline, paragraphs in page order, the article's extent) from trafilatura's lines."""
    placed: list[tuple[float, int, str]] = []
    located = []
    items = []   # trafilatura's lines that are list items, to be judged as ours are
    position = -1.0
    for seq, line in enumerate(lines):
        element = tree.locate(_key(line), int(position))
        if element is not None:
            position = float(tree.order[element])
            located.append(element)
            if element.tag.lower() == "li":
                items.append((seq, element))
        placed.append((position, seq, line))
    scope = _common_ancestor(located)
    article = next((a for a in _ancestors(scope) if a.tag.lower() == "article"), None) \
        if scope is not None else None
    headline, headline_element = _headline(tree, title, article if article is not None else scope)
    if article is not None:
        scope = article
    elif scope is not None and headline_element is not None:
        wider = _common_ancestor([scope, headline_element])
        if wider is not None and wider.tag.lower() not in ("body", "html"):
            scope = wider
    headline_key = _key(headline or "")
    body_positions = [p for p, _, line in placed if _key(line) != headline_key and p >= 0]
    first_body = int(min(body_positions)) if body_positions else len(tree.order)
    known = {_key(line) for line in lines}
    seq = len(lines)
    standfirst = _standfirst(tree, scope, headline_element, first_body)
    # With no paragraph located in the page, the standfirst goes before them all.
    lead_position = -2.0 if not located else float(tree.order.get(headline_element, -1)) + 0.5
    if standfirst is not None:
        for line in standfirst[0]:
            if _key(line) not in known:
                known.add(_key(line))
                placed.append((standfirst[1] if located else lead_position, seq, line))
                seq += 1
    elif description:
        lead = _key(description.rstrip(".… "))
        if lead and not any(lead in k or k in lead for k in known if len(k) > 20):
            placed.append((lead_position, seq, description))
            seq += 1
    start = tree.order.get(headline_element, -1) if headline_element is not None else -1
    foreign = {seq for seq, item in items if not _is_article_item(tree, item, start)}
    placed = [entry for entry in placed if entry[1] not in foreign]
    if scope is not None:
        for position_, text in _list_items(tree, scope, start, known):
            placed.append((position_, seq, text))
            seq += 1
    placed.sort(key=lambda entry: (entry[0], entry[1]))
    paragraphs = [line for _, _, line in placed
                  if _key(line) != headline_key and not starts_with_read_also(line)
                  and not is_stamp(line) and not is_paywall(line)]
    return headline, paragraphs, scope


def read_page(html: str, url: str | None = None, names: tuple[str, ...] = (),
              reference_date: str | None = None) -> Page | None:
    """The article of an HTML page, or None when it has no text.

    ``names``: the file name (a date in it dates an undated page); ``reference_date``: the
    container's date (a WARC record's), evidence for a dateline's missing year.
    """
    import trafilatura
    from trafilatura.utils import load_html

    result = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False,
        config=_trafilatura_config(),
        # Dates from the page's metadata and markup only: the extensive search turns a
        # footer's "© 2024" into 2024-01-01, worse than no date.
        date_extraction_params={"extensive_search": False, "original_date": True})
    lines = _body_lines(result) if result is not None else []
    if not lines:
        # trafilatura's paragraph baseline, for pages its extractor rejects (very short
        # items, unusual markup), so that a short but real article is not lost.
        _, baseline_text, _ = trafilatura.baseline(html)
        lines = [line.strip() for line in (baseline_text or "").splitlines() if line.strip()]
    root = load_html(html)

    def meta(name: str) -> str | None:
        value = getattr(result, name, None) if result is not None else None
        return _clean(value) if isinstance(value, str) and _clean(value) else None

    if root is None:
        text = "\n".join(lines)
        return Page(text, meta("title"), normalise_date(meta("date")), meta("author"),
                    host_name(url), meta("url") or url) if text else None
    tree = _Tree(root)
    page_url = meta("url") or url
    description = (_meta(root, "og:description", "description", "twitter:description")
                   if lines else None)
    headline, paragraphs, scope = _assemble(tree, lines, meta("title"), description)
    if not paragraphs:
        return None
    text = f"{headline}\n\n" + "\n".join(paragraphs) if headline else "\n".join(paragraphs)
    page_lines = list(tree.visible_lines(root))
    found = normalise_date(meta("date"))
    if found is not None and found not in _declared_dates(root, page_url):
        # trafilatura read the date from the page's text: keep it only if it is there outside
        # the headline (what the article is about) and the blocks that are not the article
        # (the dates of related articles).
        if (headline and found in dates_in(headline)) or \
                not any(found in dates_in(line) for line in page_lines
                        if found[2:4] in line):
            found = None
    if found is None:
        stamp_lines = (list(tree.visible_lines(scope)) if scope is not None else []) + page_lines
        found = date_from_text(paragraphs, stamp_lines=stamp_lines,
                               names=tuple(n for n in (page_url, *names) if n),
                               reference=reference_date)
    return Page(text, headline or meta("title"), found, meta("author"),
                outlet(root, page_url), page_url)
