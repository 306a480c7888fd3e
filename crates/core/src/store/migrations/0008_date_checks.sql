-- Dates that are no dates. The CHECK (date(x) = x) constraints of earlier versions let any text
-- through that date() cannot read: date('2026-13-01') is NULL, NULL = x is NULL, and a CHECK that
-- is NULL passes. These triggers refuse such text on every insert and update (PostgreSQL's schema
-- refuses it by its own CHECKs). Rows already stored are left as they are: the store never
-- repairs a database; `bianmin migrate-to` reports any such row when it copies.

CREATE TRIGGER quota_effective_from_is_a_date_insert BEFORE INSERT ON quota
WHEN NEW.effective_from IS NOT NULL AND (date(NEW.effective_from) IS NOT NEW.effective_from OR NEW.effective_from < '0001-01-01')
BEGIN SELECT RAISE(ABORT, 'quota.effective_from is not a date'); END;

CREATE TRIGGER quota_effective_from_is_a_date_update BEFORE UPDATE OF effective_from ON quota
WHEN NEW.effective_from IS NOT NULL AND (date(NEW.effective_from) IS NOT NEW.effective_from OR NEW.effective_from < '0001-01-01')
BEGIN SELECT RAISE(ABORT, 'quota.effective_from is not a date'); END;

CREATE TRIGGER quota_effective_to_is_a_date_insert BEFORE INSERT ON quota
WHEN NEW.effective_to IS NOT NULL AND (date(NEW.effective_to) IS NOT NEW.effective_to OR NEW.effective_to < '0001-01-01')
BEGIN SELECT RAISE(ABORT, 'quota.effective_to is not a date'); END;

CREATE TRIGGER quota_effective_to_is_a_date_update BEFORE UPDATE OF effective_to ON quota
WHEN NEW.effective_to IS NOT NULL AND (date(NEW.effective_to) IS NOT NEW.effective_to OR NEW.effective_to < '0001-01-01')
BEGIN SELECT RAISE(ABORT, 'quota.effective_to is not a date'); END;

CREATE TRIGGER staff_status_start_date_is_a_date_insert BEFORE INSERT ON staff_status
WHEN NEW.start_date IS NOT NULL AND (date(NEW.start_date) IS NOT NEW.start_date OR NEW.start_date < '0001-01-01')
BEGIN SELECT RAISE(ABORT, 'staff_status.start_date is not a date'); END;

CREATE TRIGGER staff_status_start_date_is_a_date_update BEFORE UPDATE OF start_date ON staff_status
WHEN NEW.start_date IS NOT NULL AND (date(NEW.start_date) IS NOT NEW.start_date OR NEW.start_date < '0001-01-01')
BEGIN SELECT RAISE(ABORT, 'staff_status.start_date is not a date'); END;

CREATE TRIGGER staff_status_end_date_is_a_date_insert BEFORE INSERT ON staff_status
WHEN NEW.end_date IS NOT NULL AND (date(NEW.end_date) IS NOT NEW.end_date OR NEW.end_date < '0001-01-01')
BEGIN SELECT RAISE(ABORT, 'staff_status.end_date is not a date'); END;

CREATE TRIGGER staff_status_end_date_is_a_date_update BEFORE UPDATE OF end_date ON staff_status
WHEN NEW.end_date IS NOT NULL AND (date(NEW.end_date) IS NOT NEW.end_date OR NEW.end_date < '0001-01-01')
BEGIN SELECT RAISE(ABORT, 'staff_status.end_date is not a date'); END;

CREATE TRIGGER letter_valid_from_is_a_date_insert BEFORE INSERT ON letter
WHEN NEW.valid_from IS NOT NULL AND (date(NEW.valid_from) IS NOT NEW.valid_from OR NEW.valid_from < '0001-01-01')
BEGIN SELECT RAISE(ABORT, 'letter.valid_from is not a date'); END;

CREATE TRIGGER letter_valid_from_is_a_date_update BEFORE UPDATE OF valid_from ON letter
WHEN NEW.valid_from IS NOT NULL AND (date(NEW.valid_from) IS NOT NEW.valid_from OR NEW.valid_from < '0001-01-01')
BEGIN SELECT RAISE(ABORT, 'letter.valid_from is not a date'); END;

CREATE TRIGGER letter_valid_to_is_a_date_insert BEFORE INSERT ON letter
WHEN NEW.valid_to IS NOT NULL AND (date(NEW.valid_to) IS NOT NEW.valid_to OR NEW.valid_to < '0001-01-01')
BEGIN SELECT RAISE(ABORT, 'letter.valid_to is not a date'); END;

CREATE TRIGGER letter_valid_to_is_a_date_update BEFORE UPDATE OF valid_to ON letter
WHEN NEW.valid_to IS NOT NULL AND (date(NEW.valid_to) IS NOT NEW.valid_to OR NEW.valid_to < '0001-01-01')
BEGIN SELECT RAISE(ABORT, 'letter.valid_to is not a date'); END;

CREATE TRIGGER credential_valid_from_is_a_date_insert BEFORE INSERT ON credential
WHEN NEW.valid_from IS NOT NULL AND (date(NEW.valid_from) IS NOT NEW.valid_from OR NEW.valid_from < '0001-01-01')
BEGIN SELECT RAISE(ABORT, 'credential.valid_from is not a date'); END;

CREATE TRIGGER credential_valid_from_is_a_date_update BEFORE UPDATE OF valid_from ON credential
WHEN NEW.valid_from IS NOT NULL AND (date(NEW.valid_from) IS NOT NEW.valid_from OR NEW.valid_from < '0001-01-01')
BEGIN SELECT RAISE(ABORT, 'credential.valid_from is not a date'); END;

CREATE TRIGGER credential_valid_to_is_a_date_insert BEFORE INSERT ON credential
WHEN NEW.valid_to IS NOT NULL AND (date(NEW.valid_to) IS NOT NEW.valid_to OR NEW.valid_to < '0001-01-01')
BEGIN SELECT RAISE(ABORT, 'credential.valid_to is not a date'); END;

CREATE TRIGGER credential_valid_to_is_a_date_update BEFORE UPDATE OF valid_to ON credential
WHEN NEW.valid_to IS NOT NULL AND (date(NEW.valid_to) IS NOT NEW.valid_to OR NEW.valid_to < '0001-01-01')
BEGIN SELECT RAISE(ABORT, 'credential.valid_to is not a date'); END;

CREATE TRIGGER request_created_on_is_a_date_insert BEFORE INSERT ON request
WHEN NEW.created_on IS NOT NULL AND (date(NEW.created_on) IS NOT NEW.created_on OR NEW.created_on < '0001-01-01')
BEGIN SELECT RAISE(ABORT, 'request.created_on is not a date'); END;

CREATE TRIGGER request_created_on_is_a_date_update BEFORE UPDATE OF created_on ON request
WHEN NEW.created_on IS NOT NULL AND (date(NEW.created_on) IS NOT NEW.created_on OR NEW.created_on < '0001-01-01')
BEGIN SELECT RAISE(ABORT, 'request.created_on is not a date'); END;

CREATE TRIGGER request_accepted_on_is_a_date_insert BEFORE INSERT ON request
WHEN NEW.accepted_on IS NOT NULL AND (date(NEW.accepted_on) IS NOT NEW.accepted_on OR NEW.accepted_on < '0001-01-01')
BEGIN SELECT RAISE(ABORT, 'request.accepted_on is not a date'); END;

CREATE TRIGGER request_accepted_on_is_a_date_update BEFORE UPDATE OF accepted_on ON request
WHEN NEW.accepted_on IS NOT NULL AND (date(NEW.accepted_on) IS NOT NEW.accepted_on OR NEW.accepted_on < '0001-01-01')
BEGIN SELECT RAISE(ABORT, 'request.accepted_on is not a date'); END;

CREATE TRIGGER request_due_is_a_date_insert BEFORE INSERT ON request
WHEN NEW.due IS NOT NULL AND (date(NEW.due) IS NOT NEW.due OR NEW.due < '0001-01-01')
BEGIN SELECT RAISE(ABORT, 'request.due is not a date'); END;

CREATE TRIGGER request_due_is_a_date_update BEFORE UPDATE OF due ON request
WHEN NEW.due IS NOT NULL AND (date(NEW.due) IS NOT NEW.due OR NEW.due < '0001-01-01')
BEGIN SELECT RAISE(ABORT, 'request.due is not a date'); END;

CREATE TRIGGER calendar_day_date_is_a_date_insert BEFORE INSERT ON calendar_day
WHEN NEW.date IS NOT NULL AND (date(NEW.date) IS NOT NEW.date OR NEW.date < '0001-01-01')
BEGIN SELECT RAISE(ABORT, 'calendar_day.date is not a date'); END;

CREATE TRIGGER calendar_day_date_is_a_date_update BEFORE UPDATE OF date ON calendar_day
WHEN NEW.date IS NOT NULL AND (date(NEW.date) IS NOT NEW.date OR NEW.date < '0001-01-01')
BEGIN SELECT RAISE(ABORT, 'calendar_day.date is not a date'); END;

CREATE TRIGGER staff_birth_date_is_a_date_insert BEFORE INSERT ON staff
WHEN NEW.birth_date IS NOT NULL AND (date(NEW.birth_date) IS NOT NEW.birth_date OR NEW.birth_date < '0001-01-01')
BEGIN SELECT RAISE(ABORT, 'staff.birth_date is not a date'); END;

CREATE TRIGGER staff_birth_date_is_a_date_update BEFORE UPDATE OF birth_date ON staff
WHEN NEW.birth_date IS NOT NULL AND (date(NEW.birth_date) IS NOT NEW.birth_date OR NEW.birth_date < '0001-01-01')
BEGIN SELECT RAISE(ABORT, 'staff.birth_date is not a date'); END;

CREATE TRIGGER rota_start_date_is_a_date_insert BEFORE INSERT ON rota
WHEN NEW.start_date IS NOT NULL AND (date(NEW.start_date) IS NOT NEW.start_date OR NEW.start_date < '0001-01-01')
BEGIN SELECT RAISE(ABORT, 'rota.start_date is not a date'); END;

CREATE TRIGGER rota_start_date_is_a_date_update BEFORE UPDATE OF start_date ON rota
WHEN NEW.start_date IS NOT NULL AND (date(NEW.start_date) IS NOT NEW.start_date OR NEW.start_date < '0001-01-01')
BEGIN SELECT RAISE(ABORT, 'rota.start_date is not a date'); END;

CREATE TRIGGER rota_end_date_is_a_date_insert BEFORE INSERT ON rota
WHEN NEW.end_date IS NOT NULL AND (date(NEW.end_date) IS NOT NEW.end_date OR NEW.end_date < '0001-01-01')
BEGIN SELECT RAISE(ABORT, 'rota.end_date is not a date'); END;

CREATE TRIGGER rota_end_date_is_a_date_update BEFORE UPDATE OF end_date ON rota
WHEN NEW.end_date IS NOT NULL AND (date(NEW.end_date) IS NOT NEW.end_date OR NEW.end_date < '0001-01-01')
BEGIN SELECT RAISE(ABORT, 'rota.end_date is not a date'); END;
