-- propos store, schema version 5: what each attribution's cue says of its content (speech,
-- belief, perception, stance, nominal; model.CUE_TYPES). Rows stored before this version keep
-- NULL until their article is extracted again; NULL is also a content that nothing cues.

ALTER TABLE attributions ADD COLUMN cue_type TEXT
    CHECK (cue_type IN ('speech', 'belief', 'perception', 'stance', 'nominal'));

CREATE INDEX attributions_cue_type ON attributions (cue_type);
