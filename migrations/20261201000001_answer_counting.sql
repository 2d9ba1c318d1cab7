-- The national picture counts the valid answers of a round's responses by item and value.
-- This index holds everything that count reads, so it never visits the answers themselves.
CREATE INDEX answers_counted ON answers (response_id, valid, item_key, prefilled, value);
