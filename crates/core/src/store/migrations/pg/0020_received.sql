-- Version 20 (see the SQLite migration of the same number): state `received`.

ALTER TABLE request
    DROP CONSTRAINT request_state_check,
    ADD CONSTRAINT request_state_check CHECK (state IN ('consulted', 'incomplete', 'accepted',
        'refused', 'forwarded', 'decided', 'completed', 'withdrawn', 'suspended', 'received'));
