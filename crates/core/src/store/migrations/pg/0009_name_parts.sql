-- Version 9: part of a name finds the person (see the SQLite migration of the same number):
-- every stretch of two to four characters of an applicant's name, beside the request.

CREATE TABLE request_name_part (
    town_id    BIGINT NOT NULL REFERENCES town (id),
    part       TEXT COLLATE "C" NOT NULL CHECK (char_length(part) BETWEEN 2 AND 4),
    request_id BIGINT NOT NULL REFERENCES request (id),
    PRIMARY KEY (town_id, part, request_id)
);

INSERT INTO request_name_part (town_id, part, request_id)
SELECT DISTINCT r.town_id, substr(r.applicant_name, pos.n, len.k), r.id
FROM request r, generate_series(1, 100) AS pos(n), (VALUES (2), (3), (4)) AS len(k)
WHERE r.applicant_name IS NOT NULL AND pos.n + len.k - 1 <= char_length(r.applicant_name);

DROP INDEX request_town_name;
