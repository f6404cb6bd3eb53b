-- Search at scale (docs/store.md, "Search"): a page of results costs what the page needs.
--
-- * attributions.sort_key = (Julian day of the article's date << 32) | attributions.id, 0 for
--   the day of an undated article: unique, and ordered newest first when read backwards.
--   It is the rowid of the full-text index, so FTS5 walks its matches in date order and a
--   LIMIT stops the walk; date filters are rowid ranges.
-- * attributions.group_key: the id of the first attribution of the same words by the same
--   speaker name in a near-identical article (near_duplicates), else its own id: the copies
--   of a wire story are one search hit.
-- * outlets: one row per outlet, so that an outlet filter is one full-text term and the
--   search form's list is not a scan of every article.
-- * quotes_fts gets a facets column of filter terms (kind, speaker type, name, outlet):
--   filters narrow inside the index, in the same walk as the words.

CREATE TABLE outlets (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    n_articles INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX outlets_by_size ON outlets (n_articles DESC, name);
INSERT INTO outlets (name, n_articles)
    SELECT source, COUNT(*) FROM articles WHERE source IS NOT NULL AND source != ''
    GROUP BY source ORDER BY COUNT(*) DESC, source;

ALTER TABLE attributions ADD COLUMN sort_key INTEGER;
ALTER TABLE attributions ADD COLUMN group_key INTEGER;
UPDATE attributions SET
    sort_key = (COALESCE(CAST(julianday((SELECT ar.date FROM articles ar
                                         WHERE ar.id = attributions.article_id)) AS INTEGER),
                         0) << 32) | id,
    group_key = COALESCE((SELECT MIN(b.id) FROM near_duplicates nd
                          JOIN attributions b ON b.article_id = nd.other_id
                          WHERE nd.article_id = attributions.article_id
                            AND b.name_id = attributions.name_id
                            AND b.content = attributions.content
                            AND b.id < attributions.id), id);
-- group_key rides along so that walking the index to count hits never reads the table.
CREATE UNIQUE INDEX attributions_sort ON attributions (sort_key, group_key);
CREATE INDEX attributions_group ON attributions (group_key, sort_key);

DROP TRIGGER attributions_fts_delete;
DROP TABLE quotes_fts;
CREATE VIRTUAL TABLE quotes_fts USING fts5 (
    content, speaker, title, facets,
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO quotes_fts (rowid, content, speaker, title, facets)
    SELECT a.sort_key, a.content, a.speaker_name, COALESCE(ar.title, ''),
           'k' || a.kind || ' t' || a.speaker_type || ' n' || a.name_id
           || COALESCE(' o' || o.id, '')
    FROM attributions a JOIN articles ar ON ar.id = a.article_id
    LEFT JOIN outlets o ON o.name = ar.source
    ORDER BY a.sort_key;

CREATE TRIGGER attributions_fts_delete AFTER DELETE ON attributions BEGIN
    DELETE FROM quotes_fts WHERE rowid = old.sort_key;
END;

-- The index's vocabulary, so that a prefix (trav*) becomes the few words it stands for,
-- which FTS5 walks incrementally, instead of one merged list of every posting.
CREATE VIRTUAL TABLE quotes_vocab USING fts5vocab (quotes_fts, 'row');
