-- metric: OF0011
-- name: Percentage of patients treated for cancer within 62 days of referral (62-day combined standard)
-- source: cwt
-- quarter: sum
-- unit: percent
-- decimals: 2
-- status: nof
--
-- NOF 2025/26: "Percentage of patients treated for cancer within 62 days of referral"; higher is
-- better; standard 75% (variant B); quarterly.
--
-- Choices:
-- * The 62-day combined standard: urgent suspected cancer, breast symptomatic, screening and
--   consultant upgrade routes together.
-- * Each route is published twice, by cancer type (modality "ALL MODALITIES") and by modality
--   (cancer type "ALL CANCERS"); only the by-cancer-type cut is summed, so no patient counts twice.
--   The two cuts agree on every provider and month of the shared extract.
-- * Shared patients count as halves, as published by NHS England.
SELECT
    org_code,
    period,
    SUM(within_standard) AS numerator,
    SUM(total) AS denominator
FROM cwt
WHERE standard = 'D62' AND cut = 'by_cancer_type'
GROUP BY org_code, period
