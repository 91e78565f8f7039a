-- A translation into Spark SQL of bench/duckdb/yearly_stats.sql (the DuckDB peer), used by the benchmark's
-- spark_sql_peer row: the peer's own plan (its CTEs, joins and QUALIFYs) run by Spark over the same
-- bronze snapshot (the same Parquet file lists), to separate "Spark's engine on this query" from
-- "Hallmark's Spark design". Not Hallmark's implementation (io.hallmark.yearly.*); figures must equal
-- DuckDB's. Keep it in step with the DuckDB file: the query text is the same except for these changes.
--
--   DuckDB                                   Spark SQL 4.2
--   epoch_us(ts)                             unix_micros(ts)
--   (us) / 3600000000.0  (DOUBLE division)   (us) / 3600000000.0D  (a plain 3600000000.0 is a DECIMAL
--                                            literal in Spark: decimal division; D keeps it a double)
--   quantile_cont(x, 0.5)                    percentile(x, 0.5)  (exact, linear interpolation between the
--                                            two middle values: the same median as quantile_cont)
--   unnest(generate_series(lo, hi))          explode(sequence(lo, hi))
--   FROM (subquery)                          FROM (subquery) AS event_years  (alias added)
--   QUALIFY, count_if, bool_or, GROUPING SETS, grouping(), INTERVAL n DAY/HOUR, make_timestamp,
--   nullif and the correlated scalar subquery of brand_agg are unchanged (Spark 4.2 has them all).
--
-- {{account_events}}, ... are replaced by temporary views over exactly the Parquet files of one Delta
-- snapshot (the files DuckDB reads). The session must run with spark.sql.session.timeZone=UTC
-- (Hallmark's sessions do): year() and the day arithmetic are then UTC, as in the DuckDB session.
-- Spark inlines the CTEs (each reference is planned again); that is part of what is measured.
WITH
ae AS (SELECT event_id, account_id, event_type, CAST(event_time AS TIMESTAMP) AS t, marketplace, reason
       FROM {{account_events}}),
le AS (SELECT event_id, listing_id, seller_id, event_type, CAST(event_time AS TIMESTAMP) AS t, block_reason
       FROM {{listing_events}}),
ord AS (SELECT order_id, seller_id, CAST(order_time AS TIMESTAMP) AS t, quantity FROM {{orders}}),
cmp AS (SELECT order_id, CAST(complaint_time AS TIMESTAMP) AS t, complaint_type FROM {{complaints}}),
ntc AS (SELECT notice_id, listing_id, CAST(submitted_at AS TIMESTAMP) AS submitted_at,
               CAST(resolved_at AS TIMESTAMP) AS resolved_at, outcome FROM {{notices}}),
br AS (SELECT brand, CAST(enrolled_at AS TIMESTAMP) AS enrolled_at FROM {{brands}}),

-- attribution ------------------------------------------------------------------------------
-- an account's marketplace: its first REGISTERED event (event_time, then event_id)
reg AS (SELECT account_id, t AS reg_time, marketplace
        FROM ae WHERE event_type = 'REGISTERED'
        QUALIFY row_number() OVER (PARTITION BY account_id ORDER BY t, event_id) = 1),
-- a listing's seller: the seller_id of its first CREATED event
lst AS (SELECT listing_id, seller_id, t AS created_time
        FROM le WHERE event_type = 'CREATED'
        QUALIFY row_number() OVER (PARTITION BY listing_id ORDER BY t, event_id) = 1),
-- an account's first listing CREATED event (as the event's seller_id)
first_listing AS (SELECT seller_id AS account_id, min(t) AS first_listing_time
                  FROM le WHERE event_type = 'CREATED' GROUP BY seller_id),
first_notice AS (SELECT listing_id, min(submitted_at) AS first_notice_time FROM ntc GROUP BY listing_id),

-- per-entity facts, one row per (entity, year) with its marketplace --------------------------
verified_90d AS (SELECT DISTINCT r.account_id FROM reg r JOIN ae v
                   ON v.account_id = r.account_id AND v.event_type = 'VERIFIED'
                  AND v.t >= r.reg_time AND v.t <= r.reg_time + INTERVAL 90 DAY),
listed_90d AS (SELECT DISTINCT r.account_id FROM reg r JOIN le c
                 ON c.seller_id = r.account_id AND c.event_type = 'CREATED'
                AND c.t >= r.reg_time AND c.t <= r.reg_time + INTERVAL 90 DAY),
reg_facts AS (SELECT year(r.reg_time) AS y, r.marketplace AS mkt,
                     (v.account_id IS NOT NULL AND l.account_id IS NOT NULL) AS verified_listed
              FROM reg r LEFT JOIN verified_90d v ON v.account_id = r.account_id
                         LEFT JOIN listed_90d l ON l.account_id = r.account_id),

blocks AS (SELECT account_id, t, reason FROM ae WHERE event_type = 'BLOCKED'),
first_block AS (SELECT account_id, min(t) AS first_block_time FROM blocks GROUP BY account_id),
-- blocked, then reinstated, then blocked again: a later block after the first REINSTATED that
-- follows the first BLOCKED (exists b0 < r < b  <=>  b > min{r : r > min b0})
reinstated_after_block AS (SELECT a.account_id, min(a.t) AS reinstated_time
                           FROM ae a JOIN first_block f ON f.account_id = a.account_id
                           WHERE a.event_type = 'REINSTATED' AND a.t > f.first_block_time
                           GROUP BY a.account_id),
block_years AS (SELECT account_id, year(t) AS y, min(t) AS first_in_year, max(t) AS last_in_year,
                       coalesce(bool_or(reason = 'COUNTERFEIT'), false) AS counterfeit
                FROM blocks GROUP BY account_id, year(t)),
block_facts AS (SELECT b.y, coalesce(r.marketplace, 'UNKNOWN') AS mkt,
                       (fl.first_listing_time IS NULL OR b.first_in_year < fl.first_listing_time) AS before_listing,
                       b.counterfeit,
                       (rb.reinstated_time IS NOT NULL AND b.last_in_year > rb.reinstated_time) AS repeat_block,
                       CASE WHEN r.reg_time IS NOT NULL
                            THEN (unix_micros(b.first_in_year) - unix_micros(r.reg_time)) / 3600000000.0D END AS hours_to_block
                FROM block_years b LEFT JOIN reg r ON r.account_id = b.account_id
                                   LEFT JOIN first_listing fl ON fl.account_id = b.account_id
                                   LEFT JOIN reinstated_after_block rb ON rb.account_id = b.account_id),

created_facts AS (SELECT year(l.created_time) AS y, coalesce(r.marketplace, 'UNKNOWN') AS mkt
                  FROM lst l LEFT JOIN reg r ON r.account_id = l.seller_id),
-- refused submissions with no CREATED before them; a never-live listing takes the seller of the
-- earliest counted event of the year (ties by event_id)
submission_facts AS (SELECT year(s.t) AS y, coalesce(r.marketplace, 'UNKNOWN') AS mkt
                     FROM le s LEFT JOIN lst l ON l.listing_id = s.listing_id
                               LEFT JOIN reg r ON r.account_id = coalesce(l.seller_id, s.seller_id)
                     WHERE s.event_type = 'SUBMISSION_BLOCKED' AND (l.created_time IS NULL OR l.created_time >= s.t)
                     QUALIFY row_number() OVER (PARTITION BY s.listing_id, year(s.t) ORDER BY s.t, s.event_id) = 1),
ip_block_facts AS (SELECT year(b.t) AS y, coalesce(r.marketplace, 'UNKNOWN') AS mkt,
                          (fn.first_notice_time IS NULL OR b.t < fn.first_notice_time) AS proactive
                   FROM le b LEFT JOIN lst l ON l.listing_id = b.listing_id
                             LEFT JOIN reg r ON r.account_id = coalesce(l.seller_id, b.seller_id)
                             LEFT JOIN first_notice fn ON fn.listing_id = b.listing_id
                   WHERE b.event_type = 'BLOCKED' AND b.block_reason IN ('COUNTERFEIT', 'TRADEMARK')
                   QUALIFY row_number() OVER (PARTITION BY b.listing_id, year(b.t) ORDER BY b.t, b.event_id) = 1),
-- a notice has no seller of its own: one against a never-live listing is UNKNOWN
notice_facts AS (SELECT year(n.submitted_at) AS y, coalesce(r.marketplace, 'UNKNOWN') AS mkt,
                        n.outcome = 'VALID' AS valid,
                        n.resolved_at IS NOT NULL AS resolved,
                        n.resolved_at IS NOT NULL AND n.resolved_at <= n.submitted_at + INTERVAL 24 HOUR AS resolved_24h
                 FROM ntc n LEFT JOIN lst l ON l.listing_id = n.listing_id
                            LEFT JOIN reg r ON r.account_id = l.seller_id),
counterfeit_orders AS (SELECT DISTINCT order_id FROM cmp WHERE complaint_type = 'COUNTERFEIT'),
order_facts AS (SELECT year(o.t) AS y, coalesce(r.marketplace, 'UNKNOWN') AS mkt, o.quantity,
                       c.order_id IS NOT NULL AS counterfeit_complaint
                FROM ord o LEFT JOIN reg r ON r.account_id = o.seller_id
                           LEFT JOIN counterfeit_orders c ON c.order_id = o.order_id),

-- per (year, marketplace) and per year (ALL, over all records) -------------------------------
reg_agg AS (SELECT y, CASE WHEN grouping(mkt) = 1 THEN 'ALL' ELSE mkt END AS mkt,
                   count(*) AS accounts_registered, count_if(verified_listed) AS accounts_verified_and_listed_90d
            FROM reg_facts GROUP BY GROUPING SETS ((y, mkt), (y))),
block_agg AS (SELECT y, CASE WHEN grouping(mkt) = 1 THEN 'ALL' ELSE mkt END AS mkt,
                     count(*) AS accounts_blocked, count_if(before_listing) AS accounts_blocked_before_first_listing,
                     count_if(counterfeit) AS counterfeit_accounts_blocked, count_if(repeat_block) AS repeat_blocked_accounts,
                     percentile(hours_to_block, 0.5) AS median_hours_registration_to_block
              FROM block_facts GROUP BY GROUPING SETS ((y, mkt), (y))),
created_agg AS (SELECT y, CASE WHEN grouping(mkt) = 1 THEN 'ALL' ELSE mkt END AS mkt, count(*) AS listings_created
                FROM created_facts GROUP BY GROUPING SETS ((y, mkt), (y))),
submission_agg AS (SELECT y, CASE WHEN grouping(mkt) = 1 THEN 'ALL' ELSE mkt END AS mkt, count(*) AS submissions_blocked
                   FROM submission_facts GROUP BY GROUPING SETS ((y, mkt), (y))),
ip_block_agg AS (SELECT y, CASE WHEN grouping(mkt) = 1 THEN 'ALL' ELSE mkt END AS mkt,
                        count(*) AS listings_blocked_ip, count_if(proactive) AS listings_blocked_proactively
                 FROM ip_block_facts GROUP BY GROUPING SETS ((y, mkt), (y))),
notice_agg AS (SELECT y, CASE WHEN grouping(mkt) = 1 THEN 'ALL' ELSE mkt END AS mkt,
                      count(*) AS notices_submitted, count_if(valid) AS valid_notices,
                      count_if(resolved) AS notices_resolved, count_if(resolved_24h) AS notices_resolved_24h
               FROM notice_facts GROUP BY GROUPING SETS ((y, mkt), (y))),
order_agg AS (SELECT y, CASE WHEN grouping(mkt) = 1 THEN 'ALL' ELSE mkt END AS mkt,
                     count(*) AS orders, sum(quantity) AS units_sold,
                     count_if(counterfeit_complaint) AS orders_with_counterfeit_complaint
              FROM order_facts GROUP BY GROUPING SETS ((y, mkt), (y))),

-- every year from the earliest to the latest event year has an ALL row
bounds AS (SELECT min(y) AS lo, max(y) AS hi FROM (
             SELECT year(t) AS y FROM ae UNION ALL SELECT year(t) FROM le UNION ALL SELECT year(t) FROM ord
             UNION ALL SELECT year(t) FROM cmp UNION ALL SELECT year(submitted_at) FROM ntc) AS event_years),
years AS (SELECT explode(sequence(lo, hi)) AS y FROM bounds WHERE lo IS NOT NULL),
brand_agg AS (SELECT y.y, 'ALL' AS mkt,
                     (SELECT count(*) FROM br WHERE br.enrolled_at < make_timestamp(y.y + 1, 1, 1, 0, 0, 0)) AS brands_enrolled
              FROM years y),
keys AS (SELECT y, 'ALL' AS mkt FROM years
         UNION SELECT y, mkt FROM reg_agg UNION SELECT y, mkt FROM block_agg UNION SELECT y, mkt FROM created_agg
         UNION SELECT y, mkt FROM submission_agg UNION SELECT y, mkt FROM ip_block_agg
         UNION SELECT y, mkt FROM notice_agg UNION SELECT y, mkt FROM order_agg),
joined AS (
  SELECT k.y, k.mkt,
         coalesce(ra.accounts_registered, 0) AS accounts_registered,
         coalesce(ba.accounts_blocked, 0) AS accounts_blocked,
         coalesce(ba.accounts_blocked_before_first_listing, 0) AS accounts_blocked_before_first_listing,
         coalesce(ba.counterfeit_accounts_blocked, 0) AS counterfeit_accounts_blocked,
         coalesce(ra.accounts_verified_and_listed_90d, 0) AS accounts_verified_and_listed_90d,
         coalesce(ba.repeat_blocked_accounts, 0) AS repeat_blocked_accounts,
         coalesce(ca.listings_created, 0) AS listings_created,
         coalesce(sa.submissions_blocked, 0) AS submissions_blocked,
         coalesce(ia.listings_blocked_ip, 0) AS listings_blocked_ip,
         coalesce(ia.listings_blocked_proactively, 0) AS listings_blocked_proactively,
         coalesce(na.notices_submitted, 0) AS notices_submitted,
         coalesce(na.valid_notices, 0) AS valid_notices,
         coalesce(na.notices_resolved, 0) AS notices_resolved,
         coalesce(na.notices_resolved_24h, 0) AS notices_resolved_24h,
         bra.brands_enrolled,
         coalesce(oa.orders, 0) AS orders,
         coalesce(oa.units_sold, 0) AS units_sold,
         coalesce(oa.orders_with_counterfeit_complaint, 0) AS orders_with_counterfeit_complaint,
         ba.median_hours_registration_to_block
  FROM keys k
  LEFT JOIN reg_agg ra ON ra.y = k.y AND ra.mkt = k.mkt
  LEFT JOIN block_agg ba ON ba.y = k.y AND ba.mkt = k.mkt
  LEFT JOIN created_agg ca ON ca.y = k.y AND ca.mkt = k.mkt
  LEFT JOIN submission_agg sa ON sa.y = k.y AND sa.mkt = k.mkt
  LEFT JOIN ip_block_agg ia ON ia.y = k.y AND ia.mkt = k.mkt
  LEFT JOIN notice_agg na ON na.y = k.y AND na.mkt = k.mkt
  LEFT JOIN order_agg oa ON oa.y = k.y AND oa.mkt = k.mkt
  LEFT JOIN brand_agg bra ON bra.y = k.y AND bra.mkt = k.mkt)
SELECT CAST(y AS INTEGER) AS year,
       mkt AS marketplace,
       CAST(accounts_registered AS BIGINT) AS accounts_registered,
       CAST(accounts_blocked AS BIGINT) AS accounts_blocked,
       CAST(accounts_blocked_before_first_listing AS BIGINT) AS accounts_blocked_before_first_listing,
       CAST(accounts_blocked_before_first_listing AS DOUBLE) / nullif(accounts_blocked, 0) AS pre_listing_block_share,
       CAST(counterfeit_accounts_blocked AS BIGINT) AS counterfeit_accounts_blocked,
       CAST(accounts_verified_and_listed_90d AS BIGINT) AS accounts_verified_and_listed_90d,
       CAST(accounts_verified_and_listed_90d AS DOUBLE) / nullif(accounts_registered, 0) AS verification_pass_share,
       CAST(repeat_blocked_accounts AS BIGINT) AS repeat_blocked_accounts,
       CAST(listings_created AS BIGINT) AS listings_created,
       CAST(submissions_blocked AS BIGINT) AS submissions_blocked,
       CAST(listings_blocked_ip AS BIGINT) AS listings_blocked_ip,
       CAST(listings_blocked_proactively AS BIGINT) AS listings_blocked_proactively,
       CAST(listings_blocked_proactively AS DOUBLE) / nullif(listings_blocked_ip, 0) AS proactive_block_share,
       CAST(notices_submitted AS BIGINT) AS notices_submitted,
       CAST(valid_notices AS BIGINT) AS valid_notices,
       CAST(brands_enrolled AS BIGINT) AS brands_enrolled,
       CAST(valid_notices AS DOUBLE) / nullif(brands_enrolled, 0) AS valid_notices_per_brand,
       CAST(notices_resolved_24h AS DOUBLE) / nullif(notices_resolved, 0) AS notices_resolved_within_24h_share,
       CAST(orders AS BIGINT) AS orders,
       CAST(units_sold AS BIGINT) AS units_sold,
       CAST(orders_with_counterfeit_complaint AS BIGINT) AS orders_with_counterfeit_complaint,
       CAST(orders_with_counterfeit_complaint AS DOUBLE) / nullif(orders, 0) AS counterfeit_complaint_rate,
       CAST(median_hours_registration_to_block AS DOUBLE) AS median_hours_registration_to_block
FROM joined
WHERE mkt = 'ALL'
   OR accounts_registered + accounts_blocked + accounts_blocked_before_first_listing + counterfeit_accounts_blocked
      + accounts_verified_and_listed_90d + repeat_blocked_accounts + listings_created + submissions_blocked
      + listings_blocked_ip + listings_blocked_proactively + notices_submitted + valid_notices + orders
      + units_sold + orders_with_counterfeit_complaint > 0
ORDER BY year, marketplace
