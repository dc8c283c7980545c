-- metric: OF0013
-- name: Percentage of A&E attendances admitted, transferred or discharged within 4 hours (record level)
-- source: ecds
-- quarter: sum
-- unit: percent
-- decimals: 1
-- status: nof
--
-- The same measure as of0013_ae_4h.sql, built from one row per attendance (an ECDS-like table):
-- an attendance is within 4 hours when its time in department (arrival to admission, transfer
-- or discharge) is 240 minutes or less. All department types and booked appointments count.
-- Months are calendar months of the arrival time; the quarter step then sums numerators and
-- denominators exactly as for the aggregate files.
--
-- Choices: duration_minutes is taken as given (the generator and ECDS both carry it), because
-- date arithmetic differs between SQL engines while integer comparison does not. Aggregating to
-- (organisation, year, month) first keeps the calendar join small.
WITH by_month AS (
    SELECT
        org_code,
        EXTRACT(YEAR FROM arrival_time) AS arrival_year,
        EXTRACT(MONTH FROM arrival_time) AS arrival_month,
        SUM(CASE WHEN duration_minutes <= 240 THEN 1 ELSE 0 END) AS numerator,
        COUNT(*) AS denominator
    FROM ecds
    GROUP BY org_code, EXTRACT(YEAR FROM arrival_time), EXTRACT(MONTH FROM arrival_time)
)
SELECT b.org_code, c.month AS period, b.numerator, b.denominator
FROM by_month AS b
JOIN calendar AS c
    ON c.year_number = b.arrival_year AND c.month_number = b.arrival_month
