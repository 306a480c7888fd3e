-- Version 27 (issue 17, point 4): the daily closing sheet (日结单), a printed form with the day's
-- requests by state and the audit log's head, which gives the head a home outside the PC. As in
-- migration 16, the form kinds' CHECK is widened in place and the migration bumps the cookie.

PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(sql,
             '''handover'', ''staffing'')',
             '''handover'', ''staffing'', ''closing'')')
 WHERE type = 'table' AND name = 'form_print';
PRAGMA writable_schema = OFF;
