-- metric: BEDS-GA-OCCUPANCY
-- name: General and acute bed occupancy (occupied / available G&A beds)
-- source: beds
-- quarter: sum
-- unit: percent
-- decimals: 1
-- status: local
--
-- Not a NOF 2025/26 metric (NOF's flow metric OF0025, days from discharge-ready to discharge,
-- comes from the discharge sitrep, which is not among these inputs). Context for flow: NHS
-- England plans against 92% G&A occupancy.
--
-- Choices: provider rows only; beds are the month's average daily figures; occupancy is
-- recomputed from the bed counts rather than taken from the published rate, so the quarter
-- (sum of occupied over sum of available across its months) is exact. Months weigh equally.
SELECT
    org_code,
    period,
    SUM(CASE WHEN measure = 'ga_beds_occupied' THEN value END) AS numerator,
    SUM(CASE WHEN measure = 'ga_beds_available' THEN value END) AS denominator
FROM beds
WHERE level = 'Provider'
GROUP BY org_code, period
