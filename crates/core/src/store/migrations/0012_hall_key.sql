-- Version 12: the hall's own key, 256 random bits made once with the database. A receipt's QR
-- code carries the request number and a check value keyed with it (forms::check_value), so that
-- a later lookup by a scanned receipt can tell a receipt this hall printed from a guessed number.
-- Backups, restores and migrate-to carry it with the rest.

CREATE TABLE hall_key (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    key TEXT NOT NULL CHECK (length(key) = 64)
);
INSERT INTO hall_key (id, key) VALUES (1, lower(hex(randomblob(32))));
