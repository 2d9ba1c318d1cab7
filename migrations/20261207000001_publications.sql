-- Publications of rounds. Each edition is a frozen snapshot (JSON) of the approved responses'
-- public answers: the public dashboard and the open data read these only, so later changes
-- never alter what was published. A correction is a new edition with a note; every edition
-- stays. Who published is in the audit trail, not here: nothing in this table names a person.
CREATE TABLE publications (
    id              TEXT PRIMARY KEY,
    round_id        TEXT NOT NULL REFERENCES rounds (id),
    -- the round's public name in URLs ("2026-06"), the same for every edition of a round
    slug            TEXT NOT NULL,
    edition         BIGINT NOT NULL,
    published_at    BIGINT NOT NULL,
    -- why this edition corrects the previous one; empty for the first
    note            TEXT NOT NULL,
    -- the conclusions that open the national page (Markdown, no HTML)
    conclusions     TEXT NOT NULL,
    snapshot        TEXT NOT NULL,
    snapshot_sha256 TEXT NOT NULL,
    UNIQUE (round_id, edition),
    UNIQUE (slug, edition)
);
CREATE INDEX publications_round ON publications (round_id);
