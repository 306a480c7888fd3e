-- Version 22: the 实施清单's codes and terms (issue 16: 基本编码, 实施编码, 办件类型,
-- 到办事现场次数, 受理条件, 可告知承诺) and which materials a pledge may replace (可承诺替代,
-- 告知承诺 of 国办发〔2020〕42号). Empty or false where a catalogue file does not say.

ALTER TABLE item ADD COLUMN basic_code TEXT NOT NULL DEFAULT '' CHECK (length(basic_code) <= 64);
ALTER TABLE item ADD COLUMN impl_code TEXT NOT NULL DEFAULT '' CHECK (length(impl_code) <= 64);
ALTER TABLE item ADD COLUMN case_kind TEXT NOT NULL DEFAULT ''
    CHECK (case_kind IN ('', '即办件', '承诺件'));
ALTER TABLE item ADD COLUMN visits INTEGER CHECK (visits IS NULL OR visits BETWEEN 0 AND 9);
ALTER TABLE item ADD COLUMN conditions TEXT NOT NULL DEFAULT ''
    CHECK (length(conditions) <= 1000);
ALTER TABLE item ADD COLUMN pledge INTEGER NOT NULL DEFAULT 0 CHECK (pledge IN (0, 1));
ALTER TABLE material ADD COLUMN pledgeable INTEGER NOT NULL DEFAULT 0 CHECK (pledgeable IN (0, 1));

-- A request's pledge (告知承诺): the materials it stands for (their numbers, "1,3"), the day it
-- is to be checked by, and the check. A pledge found false revokes the request: state `revoked`,
-- widened in place as in migration 16, last, and the migration bumps the schema cookie.
ALTER TABLE request ADD COLUMN pledged TEXT NOT NULL DEFAULT '';
ALTER TABLE request ADD COLUMN pledge_due TEXT
    CHECK (pledge_due IS NULL OR date(pledge_due) = pledge_due);
ALTER TABLE request ADD COLUMN pledge_checked_on TEXT
    CHECK (pledge_checked_on IS NULL OR date(pledge_checked_on) = pledge_checked_on);
ALTER TABLE request ADD COLUMN pledge_truthful INTEGER
    CHECK (pledge_truthful IS NULL OR pledge_truthful IN (0, 1));

PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(sql,
             '''suspended'', ''received'')',
             '''suspended'', ''received'', ''revoked'')')
 WHERE type = 'table' AND name = 'request';
PRAGMA writable_schema = OFF;
