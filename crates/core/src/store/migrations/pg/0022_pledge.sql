-- Version 22 (see the SQLite migration of the same number): the 实施清单's codes and terms.

ALTER TABLE item
    ADD COLUMN basic_code TEXT NOT NULL DEFAULT '' CHECK (length(basic_code) <= 64),
    ADD COLUMN impl_code TEXT NOT NULL DEFAULT '' CHECK (length(impl_code) <= 64),
    ADD COLUMN case_kind TEXT NOT NULL DEFAULT '' CHECK (case_kind IN ('', '即办件', '承诺件')),
    ADD COLUMN visits BIGINT CHECK (visits IS NULL OR visits BETWEEN 0 AND 9),
    ADD COLUMN conditions TEXT NOT NULL DEFAULT '' CHECK (length(conditions) <= 1000),
    ADD COLUMN pledge BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE material ADD COLUMN pledgeable BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE request
    ADD COLUMN pledged TEXT NOT NULL DEFAULT '',
    ADD COLUMN pledge_due TEXT COLLATE "C" CHECK (is_iso_date(pledge_due)),
    ADD COLUMN pledge_checked_on TEXT COLLATE "C" CHECK (is_iso_date(pledge_checked_on)),
    ADD COLUMN pledge_truthful BOOLEAN,
    DROP CONSTRAINT request_state_check,
    ADD CONSTRAINT request_state_check CHECK (state IN ('consulted', 'incomplete', 'accepted',
        'refused', 'forwarded', 'decided', 'completed', 'withdrawn', 'suspended', 'received',
        'revoked'));
