-- Version 25 (see the SQLite migration of the same number): the demo mark, and the demo
-- accounts' first-login password change.

CREATE TABLE demo_mark (
    one       BIGINT PRIMARY KEY CHECK (one = 1),
    marked_at TEXT COLLATE "C" NOT NULL
);

ALTER TABLE account ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT false;
