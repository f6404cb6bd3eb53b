-- propos store, schema version 4: speakers' gender (and where it comes from), what each
-- statement is about, and the engine version each article was extracted with.
-- Documented in docs/store.md.

-- The speaker as resolved in the article: female, male or unknown; source text, first_name
-- or NULL. Rows from earlier versions were extracted without it: unknown until re-extracted.
ALTER TABLE attributions ADD COLUMN speaker_gender TEXT NOT NULL DEFAULT 'unknown';
ALTER TABLE attributions ADD COLUMN speaker_gender_source TEXT;

-- The directory entry's gender, decided from its attributions (text clues first).
ALTER TABLE speakers ADD COLUMN gender TEXT NOT NULL DEFAULT 'unknown';
ALTER TABLE speakers ADD COLUMN gender_source TEXT;

-- `propos.ENGINE_VERSION` at extraction; NULL for articles stored before schema version 4 and
-- for articles not extracted (unsupported language). `propos reextract` brings them current.
ALTER TABLE articles ADD COLUMN engine TEXT;

-- The persons and organisations an attribution's content mentions, in order; `folded` is the
-- name without case, accents or extra spaces, for `search --about`.
CREATE TABLE about (
    attribution_id INTEGER NOT NULL REFERENCES attributions (id) ON DELETE CASCADE,
    seq            INTEGER NOT NULL,
    name           TEXT NOT NULL,
    type           TEXT NOT NULL,
    folded         TEXT NOT NULL,
    PRIMARY KEY (attribution_id, seq)
) WITHOUT ROWID;
CREATE INDEX about_folded ON about (folded);
