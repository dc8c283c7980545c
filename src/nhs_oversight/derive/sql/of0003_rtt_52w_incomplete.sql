-- metric: OF0003
-- name: Percentage of patients on the waiting list waiting over 52 weeks (incomplete RTT pathways)
-- source: rtt
-- quarter: last_month
-- unit: percent
-- decimals: 2
-- status: nof
--
-- NOF 2025/26: "Percentage of patients waiting over 52 weeks for elective treatment"; lower is
-- better; standard: below 1% (variant B); month-end snapshot of the waiting list (Reporting_date
-- "Jun-25" for Q1), so the quarter takes its third month.
--
-- Choices: incomplete pathways only; numerator = bands from 52 weeks up (>52-53 ... 104 plus,
-- week_from >= 52); denominator = pathways with a known clock start; provider Total (C_999) row;
-- empty "-" bands count as no patients (see of0023_rtt_18w_incomplete.sql).
SELECT
    org_code,
    period,
    SUM(CASE WHEN week_from >= 52 THEN COALESCE(patients, 0) ELSE 0 END) AS numerator,
    SUM(CASE WHEN week_from IS NOT NULL THEN COALESCE(patients, 0) ELSE 0 END) AS denominator
FROM rtt
WHERE pathway = 'incomplete' AND is_total_function
GROUP BY org_code, period
