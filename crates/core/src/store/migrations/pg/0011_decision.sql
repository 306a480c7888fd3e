-- Version 11 (see the SQLite migration of the same number): the approver's opinion and, for an
-- item that pays out, the amount granted in fen.

ALTER TABLE request
    ADD COLUMN opinion TEXT COLLATE "C" CHECK (opinion IS NULL OR char_length(opinion) BETWEEN 1 AND 500),
    ADD COLUMN amount_fen BIGINT CHECK (amount_fen IS NULL OR amount_fen > 0);
