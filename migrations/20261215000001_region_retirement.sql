-- A region an admin retired: it takes part in no new round, and keeps its history (the rounds
-- it took part in keep their own copy of it in round_regions and round_gemeenten).
ALTER TABLE regions ADD COLUMN retired_at BIGINT;

-- The reason given with a round's latest change of state (closing it, opening it again); the
-- audit history keeps every reason.
ALTER TABLE rounds ADD COLUMN state_reason TEXT;
