-- Region advisers (regioadviseurs): reviewers of the national programme who fill in the
-- questionnaire of the regions they advise, from their conversations with the region. A
-- reviewer advises any number of regions, of any programme.
CREATE TABLE adviser_regions (
    user_id     TEXT NOT NULL REFERENCES users (id),
    region_code TEXT NOT NULL REFERENCES regions (code),
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (user_id, region_code)
);
CREATE INDEX adviser_regions_region ON adviser_regions (region_code);

-- A response an adviser submits counts as submitted only with the region's agreement, which
-- the adviser records: with whom in the region, and on which day (local midnight, UTC ms).
-- Both are NULL when the region's own coordinator submitted.
ALTER TABLE responses ADD COLUMN agreed_with TEXT;
ALTER TABLE responses ADD COLUMN agreed_on BIGINT;
