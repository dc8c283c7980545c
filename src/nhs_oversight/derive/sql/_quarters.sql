-- Quarter aggregation shared by every definition (not a metric).
--
-- Input tables:
--   monthly(definition, org_code, period, numerator, denominator, mapping_month)
--                                                                  one row per definition x org x month;
--                                                                  mapping_month = the reference edition used
--   definitions(definition, metric_id, quarter_rule, scale)        quarter_rule 'sum' or 'last_month'
--   calendar(month, quarter, month_in_quarter, year_number, month_number)
--   org_successors(predecessor, successor)                         mergers, already made transitive
--
-- Rules:
-- * An organisation that merged into another reports under its successor: rows are
--   re-attributed first, then added up within the month, so the successor's series covers its
--   current footprint before and after the merger.
-- * 'sum' (flows such as attendances, treatments): numerators and denominators are summed over
--   the quarter's months; 'months' says how many months the organisation reported.
-- * 'last_month' (snapshots such as the waiting list): the quarter's third month only.
-- * Organisations with a zero denominator (no activity) are left out; a missing (suppressed)
--   denominator is kept with a missing value.
-- * mapping_first / mapping_last: the earliest and newest reference edition (e.g. the type 3
--   mapping) behind the quarter's months; NULL when the definition used none.
-- * 'annual' definitions (survey years) are not placed in quarters here.
-- * No ORDER BY: engines order NULLs differently; the caller sorts.
WITH mapped AS (
    SELECT
        m.definition,
        COALESCE(s.successor, m.org_code) AS org_code,
        m.period,
        m.numerator,
        m.denominator,
        m.mapping_month
    FROM monthly AS m
    LEFT JOIN org_successors AS s ON s.predecessor = m.org_code
),
per_month AS (
    SELECT definition, org_code, period, SUM(numerator) AS numerator, SUM(denominator) AS denominator,
           MAX(mapping_month) AS mapping_month
    FROM mapped
    GROUP BY definition, org_code, period
),
placed AS (
    SELECT p.definition, p.org_code, p.numerator, p.denominator, p.mapping_month, d.metric_id, d.quarter_rule,
           d.scale, c.quarter, c.month_in_quarter
    FROM per_month AS p
    JOIN definitions AS d ON d.definition = p.definition
    JOIN calendar AS c ON c.month = p.period
),
by_quarter AS (
    SELECT definition, metric_id, scale, org_code, quarter,
           SUM(numerator) AS numerator, SUM(denominator) AS denominator, COUNT(*) AS months,
           MIN(mapping_month) AS mapping_first, MAX(mapping_month) AS mapping_last
    FROM placed
    WHERE quarter_rule = 'sum'
    GROUP BY definition, metric_id, scale, org_code, quarter
    UNION ALL
    SELECT definition, metric_id, scale, org_code, quarter, numerator, denominator, 1 AS months,
           mapping_month AS mapping_first, mapping_month AS mapping_last
    FROM placed
    WHERE quarter_rule = 'last_month' AND month_in_quarter = 3
)
SELECT
    org_code,
    metric_id,
    quarter AS period,
    CASE WHEN denominator > 0 THEN scale * numerator / denominator END AS value,
    numerator,
    denominator,
    months,
    definition,
    mapping_first,
    mapping_last
FROM by_quarter
WHERE denominator IS NULL OR denominator <> 0
