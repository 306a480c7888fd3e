-- Version 16: the request's clock as the law moves it (issue 16, points 6, 7, 8 and 12).
--
-- The states gain `suspended` (暂停计时, 行政许可法第四十五条) and the modes `empowered` (赋权,
-- 行政处罚法第二十四条). Widening a CHECK changes nothing stored, so SQLite's documented simple
-- procedure for it applies (https://sqlite.org/lang_altertable.html, "making other kinds of table
-- schema changes"): the table's text in sqlite_schema is edited in place. Making the table anew
-- instead would drop and rename a table that four others reference.


-- 延期 (第四十二条): once, at most ten working days, with its reason.
ALTER TABLE request ADD COLUMN extended_days INTEGER
    CHECK (extended_days IS NULL OR extended_days BETWEEN 1 AND 10);
ALTER TABLE request ADD COLUMN extension_reason TEXT
    CHECK (extension_reason IS NULL OR length(extension_reason) BETWEEN 1 AND 500);
-- 暂停计时 (第四十五条): since when while it lasts; the last one's reason and expected days; the
-- working days the clock stood still over those that ended.
ALTER TABLE request ADD COLUMN suspended_on TEXT
    CHECK (suspended_on IS NULL OR date(suspended_on) = suspended_on);
ALTER TABLE request ADD COLUMN suspension_reason TEXT
    CHECK (suspension_reason IS NULL OR length(suspension_reason) BETWEEN 1 AND 500);
ALTER TABLE request ADD COLUMN suspension_days INTEGER
    CHECK (suspension_days IS NULL OR suspension_days >= 1);
ALTER TABLE request ADD COLUMN suspended_days INTEGER NOT NULL DEFAULT 0
    CHECK (suspended_days >= 0);
-- 逾期说明 (优化营商环境条例第三十六条).
ALTER TABLE request ADD COLUMN overdue_reason TEXT
    CHECK (overdue_reason IS NULL OR length(overdue_reason) BETWEEN 1 AND 500);

-- Last, after every ALTER TABLE (which place a new column by the text they parsed): the CHECKs
-- widened in place. The migration then bumps the schema cookie (`SqliteStore::migrate`), so
-- that this connection and every other one read the table's new text.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(replace(sql,
             '''completed'', ''withdrawn'')',
             '''completed'', ''withdrawn'', ''suspended'')'),
             '''forward'', ''city_only'')',
             '''forward'', ''city_only'', ''empowered'')')
 WHERE type = 'table' AND name = 'request';
PRAGMA writable_schema = OFF;
