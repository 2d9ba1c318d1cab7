-- A response's revision: raised by every transaction that writes its answers (save, take over,
-- confirm, resolve a conflict), so a figure computed from the answers can be kept and known
-- to be current while the revision it was computed at is the stored one.
ALTER TABLE responses ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;
