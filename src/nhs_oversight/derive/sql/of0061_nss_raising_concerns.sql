-- metric: OF0061
-- name: NHS Staff Survey raising concerns sub-score (People Promise element "We each have a voice that counts")
-- source: nss_scores
-- quarter: annual
-- unit: score
-- decimals: 2
-- status: nof
--
-- NOF 2025/26: "NHS Staff survey - raising concerns sub-score", out of 10, higher is better;
-- Reporting_date "2024" in the Q1 2025/26 files: the 2024 survey serves 2025/26 Q1-Q3 (and
-- 2024/25 Q4), the 2025 survey 2025/26 Q4.
--
-- Source: the NHS Staff Survey detailed spreadsheets, organisational results, sheet "PEOPLE
-- PROMISE ELEMENTS", column "PP3_2 - score" (element PP3 "We each have a voice that counts",
-- sub-score PP3_2 "Raising concerns"), weighted as published. The score is taken as it is and
-- rounded half up to 2 dp.
--
-- Evidence: against the published Q1 2025/26 OF0061 of the acute (134) and mental health and
-- community (61) files, all 193 trusts present in the 2024 workbook agree exactly at 2 dp;
-- R1F (Isle of Wight) is not in the workbook and G6V2S (North London, formed Nov 2024) is
-- published with the score of TAF, one of its predecessors (tests/test_nss_workbook.py).
SELECT
    org_code,
    period,
    score AS numerator,
    1 AS denominator
FROM nss_scores
WHERE measure = 'PP3_2'
