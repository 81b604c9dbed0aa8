"""The database keeps `Customer.deal_owner_ids` (who owns a deal of the customer: what a
restricted Pracownik sees besides his own customers) in step with the deals table.

A trigger rather than a call in each service: deals are also written by the hand-over on
deactivation (a bulk UPDATE of every record type's owner), by SET NULL when a user row
goes, by COPY in the bench seed and by the tests' factories, and a visibility rule that
is stale even once shows a customer to the wrong person. Statement-level triggers with
transition tables cost one UPDATE per statement, however many deals it wrote.

Concurrent writes stay correct under READ COMMITTED: the function first locks the
affected customer rows (FOR NO KEY UPDATE, which does not conflict with the key-share
locks the deals' foreign keys take), and only then recomputes the arrays in a new
statement, whose snapshot includes whatever another transaction committed while this
one waited for the lock.

Installed by migration sales 0004; the function lives in `public` (one copy, like the
search's fold function) and works on the schema of the table that fired it.
"""

from __future__ import annotations

FUNCTION = "public.imcrm_deal_owners_sync"

FUNCTION_SQL = r"""
CREATE OR REPLACE FUNCTION public.imcrm_deal_owners_sync() RETURNS trigger
LANGUAGE plpgsql AS $fn$
DECLARE
  ids bigint[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(DISTINCT customer_id ORDER BY customer_id) INTO ids FROM new_deals WHERE owner_id IS NOT NULL;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(DISTINCT customer_id ORDER BY customer_id) INTO ids FROM old_deals WHERE owner_id IS NOT NULL;
  ELSE
    SELECT array_agg(DISTINCT v.customer_id ORDER BY v.customer_id) INTO ids
      FROM old_deals o
      JOIN new_deals n ON n.id = o.id,
      LATERAL (VALUES (o.customer_id), (n.customer_id)) AS v(customer_id)
     WHERE o.owner_id IS DISTINCT FROM n.owner_id OR o.customer_id <> n.customer_id;
  END IF;
  IF ids IS NULL THEN
    RETURN NULL;
  END IF;
  EXECUTE format('SELECT 1 FROM %I.contacts_customer WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE',
                 TG_TABLE_SCHEMA) USING ids;
  EXECUTE format($q$
    UPDATE %1$I.contacts_customer AS c
       SET deal_owner_ids = x.owners
      FROM (SELECT k.id,
                   ARRAY(SELECT DISTINCT d.owner_id FROM %1$I.sales_deal AS d
                          WHERE d.customer_id = k.id AND d.owner_id IS NOT NULL
                          ORDER BY d.owner_id) AS owners
              FROM unnest($1) AS k(id)) AS x
     WHERE c.id = x.id AND c.deal_owner_ids IS DISTINCT FROM x.owners
  $q$, TG_TABLE_SCHEMA) USING ids;
  RETURN NULL;
END
$fn$;
"""

# One trigger per event: PostgreSQL allows transition tables only on single-event triggers.
TRIGGERS_SQL = f"""
DROP TRIGGER IF EXISTS deal_owners_insert ON sales_deal;
DROP TRIGGER IF EXISTS deal_owners_update ON sales_deal;
DROP TRIGGER IF EXISTS deal_owners_delete ON sales_deal;
CREATE TRIGGER deal_owners_insert AFTER INSERT ON sales_deal
  REFERENCING NEW TABLE AS new_deals FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}();
CREATE TRIGGER deal_owners_update AFTER UPDATE ON sales_deal
  REFERENCING OLD TABLE AS old_deals NEW TABLE AS new_deals FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}();
CREATE TRIGGER deal_owners_delete AFTER DELETE ON sales_deal
  REFERENCING OLD TABLE AS old_deals FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}();
"""

TRIGGERS_DROP_SQL = """
DROP TRIGGER IF EXISTS deal_owners_insert ON sales_deal;
DROP TRIGGER IF EXISTS deal_owners_update ON sales_deal;
DROP TRIGGER IF EXISTS deal_owners_delete ON sales_deal;
"""

# Fill the column for the deals that exist when the triggers are installed.
BACKFILL_SQL = """
UPDATE contacts_customer AS c
   SET deal_owner_ids = x.owners
  FROM (SELECT customer_id AS id, array_agg(DISTINCT owner_id ORDER BY owner_id) AS owners
          FROM sales_deal WHERE owner_id IS NOT NULL GROUP BY customer_id) AS x
 WHERE c.id = x.id;
"""
