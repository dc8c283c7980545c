-- metric: OF0010
-- name: Percentage of urgent referrals told their cancer diagnosis outcome within 28 days (Faster Diagnosis Standard)
-- source: cwt
-- quarter: sum
-- unit: percent
-- decimals: 2
-- status: nof
--
-- NOF 2025/26: "Percentage of urgent referrals to receive a definitive diagnosis within 4 weeks";
-- higher is better; standard 80% (variant B); quarterly (Reporting_date "Q1 2025/26").
--
-- Choices: every route of the 28-day standard counts (urgent suspected cancer, breast symptomatic
-- with cancer not suspected, and screening), as in NHS England's published FDS; all suspected
-- cancer types; quarter = sum of the months' "within standard" over the sum of "total told".
SELECT
    org_code,
    period,
    SUM(within_standard) AS numerator,
    SUM(total) AS denominator
FROM cwt
WHERE standard = 'FDS28'
GROUP BY org_code, period
