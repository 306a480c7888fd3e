-- Version 15 (see the SQLite migration of the same number): the mode in force at intake.

ALTER TABLE request
    ADD COLUMN mode TEXT COLLATE "C"
        CHECK (mode IS NULL OR mode IN ('delegated', 'entrusted', 'forward', 'city_only'));
