-- An answer taken over from the compared round that the region confirmed unchanged ("Klopt
-- nog", per item, per section or at submitting): the reviewer sees it was checked rather than
-- typed again. Any later change to the answer clears it.
ALTER TABLE answers ADD COLUMN confirmed_unchanged BIGINT NOT NULL DEFAULT 0
    CHECK (confirmed_unchanged IN (0, 1));
