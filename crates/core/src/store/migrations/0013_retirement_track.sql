-- Version 13: a woman's 退休类别 from the roster (issue 16, defect 18): 女职工 retire from 50
-- towards 55, 女干部 from 55 towards 58. None (men, and women the roster does not class) keeps
-- the cadre's track for women.

ALTER TABLE staff ADD COLUMN retirement_track TEXT
    CHECK (retirement_track IS NULL OR retirement_track IN ('女职工', '女干部'));
