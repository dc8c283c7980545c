-- metric: OF0013
-- name: Percentage of A&E attendances admitted, transferred or discharged within 4 hours
-- source: ae_monthly
-- reference: ae_type3_mapping
-- quarter: sum
-- unit: percent
-- decimals: 1
-- status: nof
--
-- NOF 2025/26 definition: "Percentage of emergency department attendances admitted, transferred
-- or discharged within four hours"; higher is better; operating standard 78% (met when the 1 dp
-- value is >= 78.0); published and ranked at 1 decimal place; quarterly value (Reporting_date
-- "Q1 2025" in the Q1 2025/26 file = Apr-Jun 2025).
--
-- NHS England's figure is the acute trust's *footprint*: the trust's own attendances plus the
-- type 3 activity (urgent treatment centres, walk-in centres, independent providers) mapped to
-- it, in proportions, by the "Acute Trust Mapping" sheet of the monthly A&E workbook by provider.
--
-- Choices:
-- * All attendance types count: type 1, type 2 and type 3, booked appointments included. The
--   workbook's "Acute Trust Footprint Data" is built from "Provider Level Data", which is
--   Non-Booked + Booked (the reader checks this for every organisation).
-- * Footprint: each organisation's attendances and >4 hour waits go to the acute trust(s) the
--   mapping names, times the proportion (proportions of one organisation add up to 1). The
--   organisation's own row in the mapping (an acute trust maps to itself, proportion 1) keeps
--   its own activity. An organisation absent from the mapping reports as itself.
-- * Which mapping: for each month, the newest mapping at or before it; for months before the
--   first mapping given, the earliest one (the runner says so). With no mapping at all every
--   organisation reports its own activity: the value is marked "trust-only (no type 3 mapping)".
-- * Quarter = sum of the three months' numerators over the sum of their denominators (not the
--   mean of monthly percentages); rounded half up to 1 dp as published.
-- * Predecessors of merged trusts are re-attributed to the successor by the quarter step.
-- * Booked-appointment columns absent from older layouts count as none (COALESCE); the type
--   columns themselves are never defaulted, so a suppressed type makes the month unknown.
--
-- Evidence: the June 2025 mapping applied to June 2025 "Provider Level Data" gives exactly the
-- attendances and >4 hour waits of "Acute Trust Footprint Data" for all 123 acute trusts, and
-- so its percentage at 1 dp (tests/test_ae_footprint.py). March 2025 England, all types:
-- 1 - 597,748 / 2,389,064 = 75.0% as NHS England reported (type 1 alone: 60.6%).
WITH mapping_months AS (
    SELECT DISTINCT period AS mapping_month FROM ae_type3_mapping
),
data_months AS (
    SELECT DISTINCT period FROM ae_monthly
),
chosen AS (
    SELECT
        d.period,
        COALESCE(MAX(CASE WHEN m.mapping_month <= d.period THEN m.mapping_month END), MIN(m.mapping_month)) AS mapping_month
    FROM data_months AS d
    CROSS JOIN mapping_months AS m
    GROUP BY d.period
),
activity AS (
    SELECT
        org_code,
        period,
        att_type1 + att_type2 + att_type3
            + COALESCE(att_booked_type1, 0) + COALESCE(att_booked_type2, 0) + COALESCE(att_booked_type3, 0)
            AS attendances,
        over4h_type1 + over4h_type2 + over4h_type3
            + COALESCE(over4h_booked_type1, 0) + COALESCE(over4h_booked_type2, 0) + COALESCE(over4h_booked_type3, 0)
            AS over_4h
    FROM ae_monthly
),
attributed AS (
    SELECT
        COALESCE(mp.acute_code, a.org_code) AS org_code,
        a.period,
        a.attendances * COALESCE(mp.proportion, 1) AS attendances,
        a.over_4h * COALESCE(mp.proportion, 1) AS over_4h,
        c.mapping_month
    FROM activity AS a
    LEFT JOIN chosen AS c ON c.period = a.period
    LEFT JOIN ae_type3_mapping AS mp ON mp.period = c.mapping_month AND mp.org_code = a.org_code
)
SELECT
    org_code,
    period,
    SUM(attendances) - SUM(over_4h) AS numerator,
    SUM(attendances) AS denominator,
    MAX(mapping_month) AS mapping_month
FROM attributed
GROUP BY org_code, period
