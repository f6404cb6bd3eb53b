"""The columns of an exported attribution, one row per attribution: the store's export
(:mod:`propos.store.export`) and Spark's Parquet share them.
"""

from __future__ import annotations

# (column, type, description); type is one of "str", "int", "float", "bool".
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("article", "str", "article key: hash of its text"),
    ("article_id", "str", "id given by the source (JSONL id, URL) or its location"),
    ("url", "str", "article URL, when known"),
    ("title", "str", "article title"),
    ("date", "str", "publication date, ISO YYYY-MM-DD"),
    ("source", "str", "outlet / site name"),
    ("author", "str", "byline"),
    ("lang", "str", "language of the article (ISO 639-1)"),
    ("path", "str", "input file"),
    ("location", "str", "file, file:line (JSONL, CSV) or file#offset (WARC)"),
    ("duplicate_group", "str", "key shared by near-identical copies (smallest article key "
                               "of the group); the article's own key when it has none"),
    ("seq", "int", "position of the attribution in its article (0-based)"),
    ("kind", "str", "direct, indirect or mixed"),
    ("content", "str", "what was said"),
    ("content_start", "int", "offset of content in the article text"),
    ("content_end", "int", "end offset of content"),
    ("cue", "str", "reporting verb or adjunct (a déclaré, selon)"),
    ("cue_start", "int", ""),
    ("cue_end", "int", ""),
    ("mention", "str", "the speaker as mentioned in this sentence (Kallas, -elle)"),
    ("mention_start", "int", ""),
    ("mention_end", "int", ""),
    ("via", "str", "whom the speaker itself cites (relay)"),
    ("via_start", "int", ""),
    ("via_end", "int", ""),
    ("speaker_name", "str", "speaker as resolved in the article"),
    ("speaker_type", "str", "person, organization, media, anonymous or unknown"),
    ("speaker_gender", "str", "female, male or unknown, as this article gives it"),
    ("speaker_gender_source", "str", "text (the article says it), first_name (only the "
                                     "first name suggests it) or empty"),
    ("speaker", "str", "speaker directory entry (same person across articles)"),
    ("speaker_key", "str", "stable key of the directory entry"),
    ("directory_gender", "str", "the directory entry's gender, from all its articles"),
    ("directory_gender_source", "str", "text, first_name or empty"),
    ("about", "str", "persons and organisations the content mentions, '; '-separated"),
    ("confidence", "float", "engine confidence, 0-1"),
    ("rule", "str", "engine rule that produced the attribution"),
    ("cue_type", "str", "what the cue says: speech, belief, perception, stance or nominal"),
    ("dates", "str", "dates mentioned in content: JSON list of {start, end, text, value} "
                     "(value ISO: YYYY-MM-DD, YYYY-MM, YYYY or YYYY-Www)"),
    ("amounts", "str", "amounts mentioned in content: JSON list of {start, end, text, value, "
                       "unit, approx}"),
    ("quote_group", "str", "statement group: key shared by every copy of the statement "
                           "across articles"),
    ("first_seen", "bool", "true for the group's first copy (earliest article date, then "
                           "ingest order)"),
    ("first_article", "str", "article key of the group's first copy"),
    ("wording", "str", "words compared with the first copy's: first, same, shortened, "
                       "altered or paraphrase"),
    ("changes", "str", "for altered copies, the word-level changes: JSON list of "
                       "{op, old, new} (op replace, delete or insert); empty otherwise"),
)
