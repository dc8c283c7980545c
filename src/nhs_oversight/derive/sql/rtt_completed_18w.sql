-- metric: RTT-COMPLETED-18W
-- name: Percentage of completed RTT pathways (admitted and non-admitted) completed within 18 weeks
-- source: rtt
-- quarter: sum
-- unit: percent
-- decimals: 2
-- status: variant
-- variant_of: OF0023
--
-- NOT OF0023. OF0023 is measured on the waiting list (incomplete pathways). This is the
-- completed-pathway counterpart that the completed-pathway files allow: of the patients whose
-- pathway ended in the month (treated as an inpatient/day case, or in outpatients), the share
-- who had waited 18 weeks or less. It runs lower than the waiting-list figure for the same
-- trust because long waiters are treated in turn.
--
-- Choices: admitted and non-admitted pathways added together; known clock starts only; the
-- provider Total (C_999) row; quarter = sum over its months (completions are a flow).
SELECT
    org_code,
    period,
    SUM(CASE WHEN week_to <= 18 THEN COALESCE(patients, 0) ELSE 0 END) AS numerator,
    SUM(CASE WHEN week_from IS NOT NULL THEN COALESCE(patients, 0) ELSE 0 END) AS denominator
FROM rtt
WHERE pathway IN ('admitted', 'non_admitted') AND is_total_function
GROUP BY org_code, period
