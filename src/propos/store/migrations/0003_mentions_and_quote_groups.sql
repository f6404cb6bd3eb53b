-- propos store: the dates and amounts each article mentions (an attribution's are those inside
-- its content span), and statement groups: the copies of one statement across articles
-- (quote provenance). Documented in docs/store.md.

CREATE TABLE dates (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    start      INTEGER NOT NULL,
    "end"      INTEGER NOT NULL,
    text       TEXT NOT NULL,
    value      TEXT,
    PRIMARY KEY (article_id, start)
) WITHOUT ROWID;

CREATE TABLE amounts (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    start      INTEGER NOT NULL,
    "end"      INTEGER NOT NULL,
    text       TEXT NOT NULL,
    value      REAL NOT NULL,
    unit       TEXT NOT NULL,
    approx     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (article_id, start)
) WITHOUT ROWID;

-- One row per statement: its key (stable: taken from its earliest-ingested member), the
-- member that founded it (merges keep the group whose founder came first), its first copy
-- (earliest article date, ties by ingest order) and figures for the views.
CREATE TABLE quote_groups (
    id           INTEGER PRIMARY KEY,
    key          TEXT NOT NULL UNIQUE,
    founder_id   INTEGER NOT NULL,
    first_id     INTEGER NOT NULL,
    first_date   TEXT,
    n_members    INTEGER NOT NULL DEFAULT 1,
    n_outlets    INTEGER NOT NULL DEFAULT 1,
    altered      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX quote_groups_altered ON quote_groups (altered);

-- Each grouped attribution, and how its words compare with the group's first copy.
CREATE TABLE quote_members (
    attribution_id INTEGER PRIMARY KEY REFERENCES attributions (id) ON DELETE CASCADE,
    group_id       INTEGER NOT NULL REFERENCES quote_groups (id) ON DELETE CASCADE,
    wording        TEXT NOT NULL
                   CHECK (wording IN ('first', 'same', 'shortened', 'altered', 'paraphrase')),
    changes        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX quote_members_group ON quote_members (group_id);

-- Locality-sensitive hashing bands of each attribution's word MinHash, salted by speaker:
-- the candidates a new attribution is aligned with.
CREATE TABLE quote_bands (
    band_key       INTEGER NOT NULL,
    attribution_id INTEGER NOT NULL REFERENCES attributions (id) ON DELETE CASCADE,
    PRIMARY KEY (band_key, attribution_id)
) WITHOUT ROWID;
CREATE INDEX quote_bands_attribution ON quote_bands (attribution_id);
