-- Version 29 (issue 18, point 7): retries without duplicates. A write sent through the hall
-- server carries a key its client made; an intake or a step keeps it, so that a client that
-- timed out and sends the same write again is answered with what was done the first time (the
-- same request number), never a second request. Writes without a key (the counter's own file,
-- the command line) leave it empty and add no index entry.

ALTER TABLE request ADD COLUMN idem_key TEXT
    CHECK (idem_key IS NULL OR length(idem_key) BETWEEN 8 AND 64);
ALTER TABLE request_event ADD COLUMN idem_key TEXT
    CHECK (idem_key IS NULL OR length(idem_key) BETWEEN 8 AND 64);

CREATE UNIQUE INDEX request_idem_key ON request (idem_key) WHERE idem_key IS NOT NULL;
CREATE UNIQUE INDEX request_event_idem_key ON request_event (idem_key) WHERE idem_key IS NOT NULL;
