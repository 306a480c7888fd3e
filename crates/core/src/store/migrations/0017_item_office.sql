-- Version 17: where, when and whom to ask about an item (办理地点, 办理时间, 咨询电话 of the
-- 实施清单; issue 16 point 4): what the 办事指引 tells a resident sent to another body. Empty
-- where the catalogue does not say.

ALTER TABLE item ADD COLUMN place TEXT NOT NULL DEFAULT '' CHECK (length(place) <= 200);
ALTER TABLE item ADD COLUMN hours TEXT NOT NULL DEFAULT '' CHECK (length(hours) <= 200);
ALTER TABLE item ADD COLUMN phone TEXT NOT NULL DEFAULT '' CHECK (length(phone) <= 200);
