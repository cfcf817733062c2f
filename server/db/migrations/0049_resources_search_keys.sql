-- A department's search of its workers by name, mobile or the last four Aadhaar digits
-- (resource.repo.ts listSql; bench/RESULTS.md "Department search by keys"). The indexes of 0045
-- hold the department and the trigrams as separate keys, so every search read the department's
-- whole posting list (5,921 entries at 200,000 resources) and ANDed it with the trigrams': most
-- of a search's cost, and a two-letter search (no trigram) filtered every row of the department.
-- Here each key carries its department: the department id in the high 32 bits, a hash of a two-
-- or three-character run of lower(name_en), lower(name_hi) or lower(mobile) in the low 32. A
-- search reads only its own department's entries for its own runs (0.07 against 0.75 ms for a
-- surname). A hash may collide, so the keys only choose candidates: the list's own conditions
-- (ILIKE on each column, the scope) still decide every row. ILIKE compares lower() of both sides
-- on a UTF-8 database, so every run of lower(q) is a run of lower(column) of a matching row.
-- Keys repeat within a row (GIN keeps each once): no DISTINCT, a quarter cheaper to write.
CREATE OR REPLACE FUNCTION resource_search_keys(dept integer, name_en text, name_hi text, mobile text) RETURNS bigint[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  select array(select (dept::bigint << 32) | (hashtext(substr(s, i, n))::bigint & 4294967295)
    from unnest(array[lower(coalesce(name_en, '')), lower(coalesce(name_hi, '')), lower(coalesce(mobile, ''))]) s,
         generate_series(2, 3) n,
         generate_series(1, length(s) - n + 1) i)
$$;--> statement-breakpoint
-- The keys a search of `q` needs (its three-character runs, or the run itself when it has two).
CREATE OR REPLACE FUNCTION resource_query_keys(dept integer, q text) RETURNS bigint[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  select coalesce(array_agg(distinct (dept::bigint << 32) | (hashtext(substr(l, i, least(length(l), 3)))::bigint & 4294967295)), '{}')
    from (select lower(q) as l) x, generate_series(1, length(l) - least(length(l), 3) + 1) i
$$;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "resources_search_keys_idx" ON "resources" USING gin (resource_search_keys("department_id", "name_en", "name_hi", "mobile")) WITH (fastupdate = off);--> statement-breakpoint
-- The department's candidate rows for a search of `q`: those with every key of q, and those whose
-- last four Aadhaar digits are q; a q of fewer than two characters (no key) gets the department's
-- rows. A function so that its statement is planned once per connection: inline, PostgreSQL
-- planned the list's seven-table statement again on every call (a search's keys are estimated
-- from statistics, a generic plan's from a default, and the two never compare equal), 0.4 ms of
-- a 0.9 ms search; plpgsql keeps this one statement's generic plan, and the list statement
-- around it, which sees a function of 200 rows whatever the parameters, keeps its own.
CREATE OR REPLACE FUNCTION resource_search_rows(dept integer, q text) RETURNS SETOF resources
LANGUAGE plpgsql STABLE ROWS 200 SET plan_cache_mode = force_generic_plan AS $$
BEGIN
  IF length(lower(q)) < 2 THEN
    RETURN QUERY SELECT r.* FROM resources r WHERE r.department_id = dept;
  ELSE
    RETURN QUERY SELECT r.* FROM resources r
      WHERE resource_search_keys(r.department_id, r.name_en, r.name_hi, r.mobile) @> resource_query_keys(dept, q)
         OR (r.aadhaar_last4 = q AND r.department_id = dept);
  END IF;
END
$$;
