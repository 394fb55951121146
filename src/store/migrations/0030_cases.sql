-- 0030: cases opened by the PSIRT itself carry a severity (critical, high,
-- medium, low); an Article 14 filing recorded out of order (a later stage
-- before an earlier one) or without an approved draft keeps the reason the
-- person gave (also in the audit record art14.submitted).
ALTER TABLE psirt_cases ADD COLUMN severity TEXT;
ALTER TABLE art14_obligations ADD COLUMN submitted_reason TEXT;
