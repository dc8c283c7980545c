-- metric: OF0084
-- name: NHS Staff Survey staff engagement theme score
-- source: nss_scores
-- quarter: annual
-- unit: score
-- decimals: 2
-- status: nof
--
-- NOF 2025/26: "NHS staff survey engagement theme sub-score", out of 10, higher is better;
-- Reporting_date "2024" in the Q1 2025/26 files (the 2024 survey serves 2025/26 Q1-Q3).
--
-- Source: the NHS Staff Survey detailed spreadsheets, organisational results, sheet "THEMES",
-- column "Staff Engagement - score" (the theme; its sub-scores E_1 motivation, E_2 involvement
-- and E_3 advocacy are in the same sheet). Rounded half up to 2 dp.
--
-- Evidence: as for OF0061, every trust of the published Q1 2025/26 files that is in the 2024
-- workbook agrees exactly at 2 dp (193 of 195; see of0061_nss_raising_concerns.sql).
SELECT
    org_code,
    period,
    score AS numerator,
    1 AS denominator
FROM nss_scores
WHERE measure = 'Staff Engagement'
