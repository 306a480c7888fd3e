-- Version 9: part of a name finds the person. Every stretch of two to four characters of an
-- applicant's name is kept beside the request, so that a clerk unsure of a character finds
-- 李玥明 by 玥明 or 李玥 through one index lookup, newest first, at any size. The exact-name
-- index is no longer needed (a whole name of two to four characters is one of its parts; a
-- longer one is found through its first four characters), and goes, so an intake writes no more
-- index pages than before for a name of up to three characters.

CREATE TABLE request_name_part (
    town_id    INTEGER NOT NULL REFERENCES town (id),
    part       TEXT NOT NULL CHECK (length(part) BETWEEN 2 AND 4),
    request_id INTEGER NOT NULL REFERENCES request (id),
    PRIMARY KEY (town_id, part, request_id)
) WITHOUT ROWID;

WITH RECURSIVE pos(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM pos WHERE n < 100),
     len(k) AS (SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4)
INSERT OR IGNORE INTO request_name_part (town_id, part, request_id)
SELECT r.town_id, substr(r.applicant_name, pos.n, len.k), r.id
FROM request r, pos, len
WHERE r.applicant_name IS NOT NULL AND pos.n + len.k - 1 <= length(r.applicant_name);

DROP INDEX request_town_name;
