-- metric: OF0013
-- name: Percentage of A&E attendances admitted, transferred or discharged within 4 hours
-- source: ae_monthly
-- quarter: sum
-- unit: percent
-- decimals: 1
-- status: nof
--
-- NOF 2025/26 definition: "Percentage of emergency department attendances admitted, transferred
-- or discharged within four hours"; higher is better; operating standard 78% (met when the 1 dp
-- value is >= 78.0); published and ranked at 1 decimal place; quarterly value (Reporting_date
-- "Q1 2025" in the Q1 2025/26 file).
--
-- Choices:
-- * All attendance types count: type 1 (major EDs), type 2 (single specialty) and type 3 (other
--   A&E departments: UTCs, walk-in centres, minor injury units), including booked appointments.
--   This is how NHS England's 4-hour standard is reported ("all types").
-- * Quarter = sum of the three months' numerators over the sum of their denominators (not the
--   mean of monthly percentages).
-- * Organisation = the provider code in the file (a trust reports all its sites under one code).
--   Predecessors of merged trusts are re-attributed to the successor by the quarter step
--   (org_successors), so a trust's series covers its current footprint.
-- * Booked-appointment columns absent from older layouts count as none (COALESCE); the type
--   columns themselves are never defaulted, so a suppressed type makes the month unknown.
--
-- Evidence: for March 2025 the file's TOTAL row gives 1 - 597,748 / 2,389,064 = 75.0%, the
-- all-types figure NHS England reported for England that month (type 1 alone: 60.6%). Against
-- the published Q1 2025/26 OF0013 values of the 123 acute trusts, this definition on Jan-Mar 2025
-- (the latest quarter the shared files hold) correlates at 0.83 with median 70.8% (published
-- median 76.0%, summer against winter), while type 1 only correlates at 0.56 with median 57.7%.
-- See tests/test_derive_real.py.
SELECT
    org_code,
    period,
    (att_type1 + att_type2 + att_type3
        + COALESCE(att_booked_type1, 0) + COALESCE(att_booked_type2, 0) + COALESCE(att_booked_type3, 0))
    - (over4h_type1 + over4h_type2 + over4h_type3
        + COALESCE(over4h_booked_type1, 0) + COALESCE(over4h_booked_type2, 0) + COALESCE(over4h_booked_type3, 0))
        AS numerator,
    att_type1 + att_type2 + att_type3
        + COALESCE(att_booked_type1, 0) + COALESCE(att_booked_type2, 0) + COALESCE(att_booked_type3, 0)
        AS denominator
FROM ae_monthly
