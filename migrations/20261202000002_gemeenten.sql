-- The gemeenten of each region (by CBS code), as loaded by an admin, and each round's own
-- copy of them: membership changes between rounds, and a round keeps the division it had.

CREATE TABLE gemeenten (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions (code),
    updated_at  BIGINT NOT NULL
);
CREATE INDEX gemeenten_region ON gemeenten (region_code);

CREATE TABLE round_gemeenten (
    round_id      TEXT NOT NULL REFERENCES rounds (id),
    region_code   TEXT NOT NULL,
    gemeente_code TEXT NOT NULL,
    gemeente_name TEXT NOT NULL,
    PRIMARY KEY (round_id, gemeente_code),
    FOREIGN KEY (round_id, region_code) REFERENCES round_regions (round_id, region_code)
);
CREATE INDEX round_gemeenten_region ON round_gemeenten (round_id, region_code);
