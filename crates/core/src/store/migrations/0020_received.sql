-- Version 20: state `received` (收件待审, 行政许可法第三十二条第一款第四项; issue 16 point 9):
-- materials received to be examined within five working days. As in migration 16, the CHECK is
-- widened in place (nothing stored changes) and the migration bumps the schema cookie.

PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(sql,
             '''withdrawn'', ''suspended'')',
             '''withdrawn'', ''suspended'', ''received'')')
 WHERE type = 'table' AND name = 'request';
PRAGMA writable_schema = OFF;
