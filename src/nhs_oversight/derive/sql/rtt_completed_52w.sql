-- metric: RTT-COMPLETED-52W
-- name: Percentage of completed RTT pathways (admitted and non-admitted) that had waited over 52 weeks
-- source: rtt
-- quarter: sum
-- unit: percent
-- decimals: 2
-- status: variant
-- variant_of: OF0003
--
-- NOT OF0003, which counts the waiting list (incomplete pathways) at month end. This is the
-- share of pathways completed in the period that had waited more than 52 weeks.
--
-- Choices: as rtt_completed_18w.sql; numerator = bands from 52 weeks up (week_from >= 52).
SELECT
    org_code,
    period,
    SUM(CASE WHEN week_from >= 52 THEN COALESCE(patients, 0) ELSE 0 END) AS numerator,
    SUM(CASE WHEN week_from IS NOT NULL THEN COALESCE(patients, 0) ELSE 0 END) AS denominator
FROM rtt
WHERE pathway IN ('admitted', 'non_admitted') AND is_total_function
GROUP BY org_code, period
