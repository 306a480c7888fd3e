-- Version 28 (see the SQLite migration of the same number): the retention period, and the keyed
-- hash and day of retention of a request whose personal numbers were masked.

CREATE TABLE retention (
    one    BIGINT PRIMARY KEY CHECK (one = 1),
    years  BIGINT NOT NULL CHECK (years BETWEEN 1 AND 30),
    set_at TEXT COLLATE "C" NOT NULL
);

ALTER TABLE request
    ADD COLUMN id_key TEXT COLLATE "C" CHECK (id_key IS NULL OR length(id_key) = 64),
    ADD COLUMN retained_on TEXT COLLATE "C";

CREATE INDEX request_town_id_key ON request (town_id, id_key) WHERE id_key IS NOT NULL;
