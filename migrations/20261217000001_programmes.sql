-- Programmes side by side (NAD, Beschermd Thuis, ...): each has its own questionnaires,
-- rounds, region set and mark. Everything that existed before belongs to NAD.
CREATE TABLE programmes (
    code       TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    -- the mark beside a round's name: "NAD", "BT"
    short_name TEXT NOT NULL,
    -- the mark's colour (#rrggbb); white text on it must stay readable
    colour     TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
INSERT INTO programmes (code, name, short_name, colour, created_at)
VALUES ('nad', 'Nationaal Actieplan Dakloosheid', 'NAD', '#154273', 0);

-- SQLite refuses a new column with both a foreign key and a default: the application checks
-- that the programme exists.
ALTER TABLE regions ADD COLUMN programme_code TEXT NOT NULL DEFAULT 'nad';
CREATE INDEX regions_programme ON regions (programme_code);
ALTER TABLE questionnaire_versions ADD COLUMN programme_code TEXT NOT NULL DEFAULT 'nad';
-- The programme of the round's questionnaire version, kept with the round for listing.
ALTER TABLE rounds ADD COLUMN programme_code TEXT NOT NULL DEFAULT 'nad';
CREATE INDEX rounds_programme ON rounds (programme_code);

-- A gemeente belongs to one region per programme: the key becomes (programme, code).
-- Nothing refers to this table, so it is rebuilt.
CREATE TABLE gemeenten_by_programme (
    programme_code TEXT NOT NULL REFERENCES programmes (code),
    code           TEXT NOT NULL,
    name           TEXT NOT NULL,
    region_code    TEXT NOT NULL REFERENCES regions (code),
    updated_at     BIGINT NOT NULL,
    PRIMARY KEY (programme_code, code)
);
INSERT INTO gemeenten_by_programme (programme_code, code, name, region_code, updated_at)
SELECT 'nad', code, name, region_code, updated_at FROM gemeenten;
DROP TABLE gemeenten;
ALTER TABLE gemeenten_by_programme RENAME TO gemeenten;
CREATE INDEX gemeenten_region ON gemeenten (region_code);

-- A coordinator's regions in other programmes than the one of users.region_code (at most one
-- per programme): one login for a person who coordinates a region in several programmes.
CREATE TABLE user_regions (
    user_id        TEXT NOT NULL REFERENCES users (id),
    region_code    TEXT NOT NULL REFERENCES regions (code),
    programme_code TEXT NOT NULL REFERENCES programmes (code),
    created_at     BIGINT NOT NULL,
    PRIMARY KEY (user_id, region_code),
    UNIQUE (user_id, programme_code)
);
CREATE INDEX user_regions_region ON user_regions (region_code);
