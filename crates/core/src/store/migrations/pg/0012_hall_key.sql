-- Version 12 (see the SQLite migration of the same number): the hall's own key, 256 random bits
-- from PostgreSQL's strong random source (two version-4 UUIDs, their 244 random bits and the
-- fixed version bits), made once with the database.

CREATE TABLE hall_key (
    id  BIGINT PRIMARY KEY CHECK (id = 1),
    key TEXT COLLATE "C" NOT NULL CHECK (char_length(key) = 64)
);
INSERT INTO hall_key (id, key)
VALUES (1, replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''));
