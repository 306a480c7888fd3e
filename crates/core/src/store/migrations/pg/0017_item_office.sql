-- Version 17 (see the SQLite migration of the same number): 办理地点, 办理时间, 咨询电话.

ALTER TABLE item
    ADD COLUMN place TEXT NOT NULL DEFAULT '' CHECK (length(place) <= 200),
    ADD COLUMN hours TEXT NOT NULL DEFAULT '' CHECK (length(hours) <= 200),
    ADD COLUMN phone TEXT NOT NULL DEFAULT '' CHECK (length(phone) <= 200);
