-- metric: OF0014
-- name: Percentage of type 1 emergency department attendances spending over 12 hours in the department (record level)
-- source: ecds
-- quarter: sum
-- unit: percent
-- decimals: 2
-- status: nof
--
-- NOF 2025/26: "Percentage of emergency department attendances spending over 12 hours in the
-- department"; lower is better; no standard (variant A). The monthly A&E files cannot give it:
-- their 12-hour count is from decision to admit, not from arrival. Record-level data can.
--
-- Choices: type 1 departments only (NHS England reports the 12-hours-in-department measure for
-- type 1 EDs); "over 12 hours" = more than 720 minutes; booked type 1 attendances count.
WITH by_month AS (
    SELECT
        org_code,
        EXTRACT(YEAR FROM arrival_time) AS arrival_year,
        EXTRACT(MONTH FROM arrival_time) AS arrival_month,
        SUM(CASE WHEN duration_minutes > 720 THEN 1 ELSE 0 END) AS numerator,
        COUNT(*) AS denominator
    FROM ecds
    WHERE department_type = 1
    GROUP BY org_code, EXTRACT(YEAR FROM arrival_time), EXTRACT(MONTH FROM arrival_time)
)
SELECT b.org_code, c.month AS period, b.numerator, b.denominator
FROM by_month AS b
JOIN calendar AS c
    ON c.year_number = b.arrival_year AND c.month_number = b.arrival_month
