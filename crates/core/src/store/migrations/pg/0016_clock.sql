-- Version 16 (see the SQLite migration of the same number): the request's clock as the law
-- moves it: state `suspended`, mode `empowered`, extension, suspension and overdue reason.

ALTER TABLE request
    DROP CONSTRAINT request_state_check,
    ADD CONSTRAINT request_state_check CHECK (state IN ('consulted', 'incomplete', 'accepted',
        'refused', 'forwarded', 'decided', 'completed', 'withdrawn', 'suspended')),
    DROP CONSTRAINT request_mode_check,
    ADD CONSTRAINT request_mode_check CHECK (mode IS NULL OR mode IN ('delegated', 'entrusted',
        'forward', 'city_only', 'empowered')),
    ADD COLUMN extended_days BIGINT
        CHECK (extended_days IS NULL OR extended_days BETWEEN 1 AND 10),
    ADD COLUMN extension_reason TEXT
        CHECK (extension_reason IS NULL OR length(extension_reason) BETWEEN 1 AND 500),
    ADD COLUMN suspended_on TEXT COLLATE "C" CHECK (is_iso_date(suspended_on)),
    ADD COLUMN suspension_reason TEXT
        CHECK (suspension_reason IS NULL OR length(suspension_reason) BETWEEN 1 AND 500),
    ADD COLUMN suspension_days BIGINT CHECK (suspension_days IS NULL OR suspension_days >= 1),
    ADD COLUMN suspended_days BIGINT NOT NULL DEFAULT 0 CHECK (suspended_days >= 0),
    ADD COLUMN overdue_reason TEXT
        CHECK (overdue_reason IS NULL OR length(overdue_reason) BETWEEN 1 AND 500);
