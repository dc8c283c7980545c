-- metric: BEDS-GA-LOS21
-- name: Share of occupied G&A beds holding patients with a length of stay of 21 days or more
-- source: beds
-- quarter: sum
-- unit: percent
-- decimals: 1
-- status: local
--
-- Not a NOF 2025/26 metric: a long-stay (super-stranded) context measure that the beds sitrep
-- supports. Numerator = G&A beds occupied by patients in hospital 21 or more days; denominator =
-- G&A beds occupied; provider rows only; recomputed from counts as in beds_ga_occupancy.sql.
SELECT
    org_code,
    period,
    SUM(CASE WHEN measure = 'ga_beds_occupied_los_21plus' THEN value END) AS numerator,
    SUM(CASE WHEN measure = 'ga_beds_occupied' THEN value END) AS denominator
FROM beds
WHERE level = 'Provider'
GROUP BY org_code, period
