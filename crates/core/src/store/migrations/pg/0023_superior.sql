-- Version 23 (see the SQLite migration of the same number): the town's superior government.

ALTER TABLE town ADD COLUMN superior TEXT NOT NULL DEFAULT '' CHECK (length(superior) <= 100);
