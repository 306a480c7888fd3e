-- Version 13 (see the SQLite migration of the same number): a woman's 退休类别 from the roster.

ALTER TABLE staff
    ADD COLUMN retirement_track TEXT COLLATE "C"
        CHECK (retirement_track IS NULL OR retirement_track IN ('女职工', '女干部'));
