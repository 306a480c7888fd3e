-- Version 29 (see the SQLite migration of the same number): the keys of writes sent through the
-- hall server, so that a retry is answered with what the first one did.

ALTER TABLE request ADD COLUMN idem_key TEXT COLLATE "C"
    CHECK (idem_key IS NULL OR length(idem_key) BETWEEN 8 AND 64);
ALTER TABLE request_event ADD COLUMN idem_key TEXT COLLATE "C"
    CHECK (idem_key IS NULL OR length(idem_key) BETWEEN 8 AND 64);

CREATE UNIQUE INDEX request_idem_key ON request (idem_key) WHERE idem_key IS NOT NULL;
CREATE UNIQUE INDEX request_event_idem_key ON request_event (idem_key) WHERE idem_key IS NOT NULL;
