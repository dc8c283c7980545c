-- metric: CANCER-31D
-- name: Percentage of cancer treatments within 31 days of the decision to treat (31-day combined standard)
-- source: cwt
-- quarter: sum
-- unit: percent
-- decimals: 2
-- status: local
--
-- Not a NOF 2025/26 acute metric; derived because the extract carries it (operational standard
-- 96%). First and subsequent treatments together, by-cancer-type cut only (see
-- of0011_cancer_62d.sql for why one cut).
SELECT
    org_code,
    period,
    SUM(within_standard) AS numerator,
    SUM(total) AS denominator
FROM cwt
WHERE standard = 'D31' AND cut = 'by_cancer_type'
GROUP BY org_code, period
