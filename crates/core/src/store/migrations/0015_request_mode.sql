-- Version 15: the mode in force when a request was taken in (issue 16, point 3). An
-- accept-and-forward intake is not acceptance: the resident is given a 收件凭证, not a 受理回执,
-- and the letters that decided the mode may change later. NULL for requests taken in before.

ALTER TABLE request ADD COLUMN mode TEXT
    CHECK (mode IS NULL OR mode IN ('delegated', 'entrusted', 'forward', 'city_only'));
