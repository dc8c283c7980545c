-- metric: OF0023
-- name: Percentage of patients on the waiting list waiting 18 weeks or less (incomplete RTT pathways)
-- source: rtt
-- quarter: last_month
-- unit: percent
-- decimals: 2
-- status: nof
--
-- NOF 2025/26 (technical specification): numerator = incomplete pathways waiting 18 weeks or
-- less; denominator = all incomplete pathways (the waiting list); basis = the latest month in the
-- period (Reporting_date "Jun-25" for Q1), so the quarter takes its third month's snapshot.
-- Higher is better; no standard (variant A).
--
-- Choices:
-- * Only incomplete pathways count. Completed pathways measure something else (waits of people
--   already treated); see rtt_completed_18w.sql for that variant, under its own id.
-- * Provider total = the Total treatment function (C_999); the reader checks it equals the sum
--   of the other functions band by band.
-- * "18 weeks or less" = the bands up to and including >17-18 (week_to <= 18).
-- * Denominator = pathways with a known clock start (the sum of the weekly bands), as in NHS
--   England's published "% within 18 weeks"; unknown clock starts are kept in the tidy table but
--   left out here.
-- * RTT files print an empty band as "-" (read as missing). The row totals equal the sum of the
--   filled bands, so an empty band holds no patients and counts as 0 here.
-- * Not applied: the specification excludes non-English commissioners, which the provider-level
--   files cannot separate.
SELECT
    org_code,
    period,
    SUM(CASE WHEN week_to <= 18 THEN COALESCE(patients, 0) ELSE 0 END) AS numerator,
    SUM(CASE WHEN week_from IS NOT NULL THEN COALESCE(patients, 0) ELSE 0 END) AS denominator
FROM rtt
WHERE pathway = 'incomplete' AND is_total_function
GROUP BY org_code, period
