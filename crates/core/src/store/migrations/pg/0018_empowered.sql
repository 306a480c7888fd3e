-- Version 18 (see the SQLite migration of the same number): mode `empowered` and the 赋权文件.

ALTER TABLE item
    ADD COLUMN grant_number TEXT
        CHECK (grant_number IS NULL OR length(grant_number) BETWEEN 1 AND 100),
    ADD COLUMN grant_date TEXT COLLATE "C" CHECK (is_iso_date(grant_date));
ALTER TABLE town_item
    DROP CONSTRAINT town_item_mode_check,
    ADD CONSTRAINT town_item_mode_check CHECK (mode IN ('delegated', 'entrusted', 'forward',
        'city_only', 'empowered'));
