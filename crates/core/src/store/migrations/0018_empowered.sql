-- Version 18: mode `empowered` (赋权, 行政处罚法第二十四条; issue 16 point 6) in each town's
-- catalogue, and the provincial decision that gives the power (赋权文件: number and date).

ALTER TABLE item ADD COLUMN grant_number TEXT
    CHECK (grant_number IS NULL OR length(grant_number) BETWEEN 1 AND 100);
ALTER TABLE item ADD COLUMN grant_date TEXT
    CHECK (grant_date IS NULL OR date(grant_date) = grant_date);

-- Last, as in migration 16: the town_item CHECK widened in place (nothing stored changes), and
-- the migration bumps the schema cookie (`SqliteStore::migrate`).
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(sql,
             '''forward'', ''city_only'')',
             '''forward'', ''city_only'', ''empowered'')')
 WHERE type = 'table' AND name = 'town_item';
PRAGMA writable_schema = OFF;
