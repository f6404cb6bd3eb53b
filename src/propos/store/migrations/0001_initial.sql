-- propos store, schema version 1: articles, attributions with offsets, the speaker directory,
-- entities, near-duplicate links, failures, and a full-text index. Documented in docs/store.md.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- One row per distinct article text (keyed by hash); exact copies are not stored twice.
CREATE TABLE articles (
    id             INTEGER PRIMARY KEY,
    hash           TEXT NOT NULL UNIQUE,
    doc_id         TEXT NOT NULL,
    url            TEXT,
    title          TEXT,
    date           TEXT,
    source         TEXT,
    author         TEXT,
    lang           TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('extracted', 'unsupported_lang')),
    path           TEXT NOT NULL,
    location       TEXT NOT NULL,
    format         TEXT NOT NULL,
    text           TEXT NOT NULL,
    n_attributions INTEGER NOT NULL DEFAULT 0,
    minhash        BLOB,
    ingested_at    TEXT NOT NULL
);
CREATE INDEX articles_date ON articles (date);
CREATE INDEX articles_status ON articles (status, lang);

-- Locality-sensitive hashing bands of each article's MinHash signature.
CREATE TABLE minhash_bands (
    band_key   INTEGER NOT NULL,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    PRIMARY KEY (band_key, article_id)
) WITHOUT ROWID;
CREATE INDEX minhash_bands_article ON minhash_bands (article_id);

-- Near-identical copies (one wire story, several outlets), stored in both directions.
CREATE TABLE near_duplicates (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    other_id   INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    similarity REAL NOT NULL,
    PRIMARY KEY (article_id, other_id)
) WITHOUT ROWID;

-- The speaker directory: one row per person or body across the corpus (rebuilt from names).
CREATE TABLE speakers (
    id             INTEGER PRIMARY KEY,
    key            TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    type           TEXT NOT NULL,
    n_attributions INTEGER NOT NULL DEFAULT 0,
    n_direct       INTEGER NOT NULL DEFAULT 0,
    n_indirect     INTEGER NOT NULL DEFAULT 0,
    n_mixed        INTEGER NOT NULL DEFAULT 0,
    n_articles     INTEGER NOT NULL DEFAULT 0
);

-- Every distinct speaker name written by the engine, and every person named by the NER
-- (n_entity: how many entity mentions), mapped to its directory entry.
CREATE TABLE names (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    speaker_id INTEGER REFERENCES speakers (id) ON DELETE SET NULL,
    n_entity   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX names_speaker ON names (speaker_id);

CREATE TABLE attributions (
    id            INTEGER PRIMARY KEY,
    article_id    INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    seq           INTEGER NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('direct', 'indirect', 'mixed')),
    content       TEXT NOT NULL,
    content_start INTEGER NOT NULL,
    content_end   INTEGER NOT NULL,
    cue           TEXT,
    cue_start     INTEGER,
    cue_end       INTEGER,
    source        TEXT,
    source_start  INTEGER,
    source_end    INTEGER,
    via           TEXT,
    via_start     INTEGER,
    via_end       INTEGER,
    name_id       INTEGER NOT NULL REFERENCES names (id),
    speaker_name  TEXT NOT NULL,
    speaker_type  TEXT NOT NULL,
    confidence    REAL NOT NULL,
    rule          TEXT NOT NULL,
    UNIQUE (article_id, seq)
);
CREATE INDEX attributions_name ON attributions (name_id);

CREATE TABLE entities (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    label      TEXT NOT NULL,
    start      INTEGER NOT NULL,
    "end"      INTEGER NOT NULL,
    text       TEXT NOT NULL,
    PRIMARY KEY (article_id, start, "end", label)
) WITHOUT ROWID;

-- Inputs that gave no article, with where they are and why; one row per (location, reason).
CREATE TABLE failures (
    id         INTEGER PRIMARY KEY,
    location   TEXT NOT NULL,
    path       TEXT NOT NULL,
    reason     TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen  TEXT NOT NULL,
    times      INTEGER NOT NULL DEFAULT 1,
    UNIQUE (location, reason)
);
CREATE INDEX failures_path ON failures (path);

-- One row per `propos ingest` run; finished_at stays NULL for a run that was killed.
CREATE TABLE runs (
    id              INTEGER PRIMARY KEY,
    started_at      TEXT NOT NULL,
    finished_at     TEXT,
    paths           TEXT NOT NULL,
    workers         INTEGER NOT NULL,
    n_read          INTEGER NOT NULL DEFAULT 0,
    n_new           INTEGER NOT NULL DEFAULT 0,
    n_present       INTEGER NOT NULL DEFAULT 0,
    n_near_dup      INTEGER NOT NULL DEFAULT 0,
    n_failed        INTEGER NOT NULL DEFAULT 0,
    n_attributions  INTEGER NOT NULL DEFAULT 0,
    status          TEXT NOT NULL DEFAULT 'running'
);

-- Full-text index: rowid = attributions.id. Accents and case are ignored ("etat" finds "État").
CREATE VIRTUAL TABLE quotes_fts USING fts5 (
    content, speaker, title,
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER attributions_fts_delete AFTER DELETE ON attributions BEGIN
    DELETE FROM quotes_fts WHERE rowid = old.id;
END;
