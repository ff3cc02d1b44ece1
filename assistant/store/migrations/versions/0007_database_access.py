"""access the database enforces: roles, row-level security, callers' names and numbers behind privileges

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-09 10:00:00

PostgreSQL only (nothing on SQLite, whose file's owner reads everything). Each person logs in as their own
database user, a member of one of four NOLOGIN group roles this revision creates when absent: hotline_operator,
hotline_unit, hotline_supervisor, hotline_admin (``hotline db grant`` makes the memberships). Roles belong to the
server, not to one database: a second hotline database on the same server shares them.

- ``ticket`` is readable column by column: no group role may SELECT ``caller_name`` or ``phone``; units neither
  ``drafted`` (the draft holds the same two values) nor ``phone_key`` (a number can be found from its key).
  Operators may still INSERT and UPDATE those columns. A later revision that adds a ticket column runs
  ``SELECT hotline_access.grant_ticket_columns()`` to grant it.
- Row-level security: a unit's login sees and updates only tickets whose ``unit`` is its own (the login → unit
  table ``hotline_access.unit_login``), and only those tickets' events; it cannot hand a ticket to another unit.
- ``hotline_access.masked(ids)`` gives the masked name and number (王**, 139****5678) of the tickets the caller may
  see; ``hotline_access.read_personal(ids, actor, note)``, for supervisors and administrators only, gives them in
  full and writes a ``read_personal`` event for each ticket in the same statement.

The masking rule is ``assistant.store.privacy`` as of this revision; every statement can run again (roles that
exist, policies replaced, grants re-made), so a second run of this revision changes nothing.
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

GROUPS = ("hotline_operator", "hotline_unit", "hotline_supervisor", "hotline_admin")
CENTRE = "hotline_operator, hotline_supervisor, hotline_admin"  # the centre's roles: every ticket, every row
ALL = ", ".join(GROUPS)
# Who may change what: (table, privileges, roles). Units reach only tickets and their events.
TABLE_GRANTS = (
    ("ticket", "INSERT, UPDATE", CENTRE),
    ("ticket", "DELETE", "hotline_admin"),
    ("ticket", "UPDATE (status, updated_at, done_at, reply, dispatch_deadline)", "hotline_unit"),  # 签收, 退回, 办结
    ("ticket_event", "SELECT, INSERT", ALL),
    ("call", "SELECT, INSERT, UPDATE, DELETE", CENTRE),
    ("segment", "SELECT, INSERT, UPDATE, DELETE", CENTRE),
    ("field_correction", "SELECT, INSERT, UPDATE, DELETE", CENTRE),
    ("ticket_counter", "SELECT, INSERT, UPDATE", CENTRE),
    ("review", "SELECT", "hotline_operator"),
    ("review", "SELECT, INSERT, UPDATE, DELETE", "hotline_supervisor, hotline_admin"),
    ("unit", "SELECT", ALL),
    ("unit", "INSERT, UPDATE, DELETE", "hotline_admin"),
    ("alembic_version", "SELECT", ALL),
)
TABLES = ("ticket", "ticket_event", "call", "segment", "field_correction", "ticket_counter", "review", "unit",
          "alembic_version")


def _mask_name(column: str) -> str:
    return (f"CASE WHEN {column} IS NULL OR {column} = '' THEN {column}"
            f" ELSE left({column}, 1) || repeat('*', char_length({column}) - 1) END")


def _mask_phone(column: str) -> str:
    return (f"CASE WHEN {column} IS NULL OR {column} = '' THEN {column}"
            f" WHEN char_length({column}) < 8 THEN repeat('*', char_length({column}))"
            f" ELSE left({column}, 3) || repeat('*', char_length({column}) - 7) || right({column}, 4) END")


# The login that called a SECURITY DEFINER function (inside one, current_user is the function's owner): the role
# set by SET ROLE, else the session's own login.
INVOKER = "coalesce(nullif(current_setting('role'), 'none'), session_user::text)"


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    schema = bind.exec_driver_sql("SELECT quote_ident(current_schema())").scalar_one()
    for group in GROUPS:  # two databases migrating at once may both try: the second finds it there
        op.execute(f"DO $$ BEGIN CREATE ROLE {group} NOLOGIN;"
                   f" EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$")
    op.execute(f"GRANT USAGE ON SCHEMA {schema} TO {ALL}")  # PUBLIC may not have it (any schema but public)
    op.execute("CREATE SCHEMA IF NOT EXISTS hotline_access")
    op.execute(f"GRANT USAGE ON SCHEMA hotline_access TO {ALL}")
    op.execute("CREATE TABLE IF NOT EXISTS hotline_access.unit_login ("
               " login text PRIMARY KEY, unit text NOT NULL, granted_at timestamptz NOT NULL DEFAULT now())")
    op.execute("REVOKE ALL ON hotline_access.unit_login FROM PUBLIC")
    op.execute(f"GRANT SELECT ON hotline_access.unit_login TO {ALL}")

    for table in TABLES:
        op.execute(f"REVOKE ALL ON {schema}.{table} FROM {ALL}")  # revoking a table's privilege revokes its columns'
    for table, privileges, roles in TABLE_GRANTS:
        op.execute(f"GRANT {privileges} ON {schema}.{table} TO {roles}")
    op.execute(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {ALL}")
    op.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {CENTRE}")
    op.execute(f"GRANT USAGE ON SEQUENCE {schema}.ticket_event_id_seq TO hotline_unit")
    op.execute(f"""
        CREATE OR REPLACE FUNCTION hotline_access.grant_ticket_columns() RETURNS void
        LANGUAGE plpgsql SET search_path = pg_catalog, {schema} AS $f$
        DECLARE
            centre text;
            unit text;
        BEGIN
            SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) INTO centre FROM pg_attribute
             WHERE attrelid = '{schema}.ticket'::regclass AND attnum > 0 AND NOT attisdropped
               AND attname NOT IN ('caller_name', 'phone');
            SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) INTO unit FROM pg_attribute
             WHERE attrelid = '{schema}.ticket'::regclass AND attnum > 0 AND NOT attisdropped
               AND attname NOT IN ('caller_name', 'phone', 'drafted', 'phone_key');
            EXECUTE format('GRANT SELECT (%s) ON {schema}.ticket TO {CENTRE}', centre);
            EXECUTE format('GRANT SELECT (%s) ON {schema}.ticket TO hotline_unit', unit);
        END $f$""")
    op.execute("REVOKE ALL ON FUNCTION hotline_access.grant_ticket_columns() FROM PUBLIC")
    op.execute("SELECT hotline_access.grant_ticket_columns()")

    own_unit = "(SELECT l.unit FROM hotline_access.unit_login l WHERE l.login = current_user::text)"
    op.execute(f"ALTER TABLE {schema}.ticket ENABLE ROW LEVEL SECURITY")
    op.execute(f"DROP POLICY IF EXISTS hotline_centre ON {schema}.ticket")
    op.execute(f"CREATE POLICY hotline_centre ON {schema}.ticket TO {CENTRE} USING (true) WITH CHECK (true)")
    op.execute(f"DROP POLICY IF EXISTS hotline_unit_own ON {schema}.ticket")
    op.execute(f"CREATE POLICY hotline_unit_own ON {schema}.ticket TO hotline_unit"
               f" USING (unit = {own_unit}) WITH CHECK (unit = {own_unit})")
    # An event is visible when its ticket is: the subquery reads ``ticket`` under the same login's policies.
    visible_ticket = f"EXISTS (SELECT 1 FROM {schema}.ticket t WHERE t.id = ticket_event.ticket_id)"
    op.execute(f"ALTER TABLE {schema}.ticket_event ENABLE ROW LEVEL SECURITY")
    op.execute(f"DROP POLICY IF EXISTS hotline_centre ON {schema}.ticket_event")
    op.execute(f"CREATE POLICY hotline_centre ON {schema}.ticket_event TO {CENTRE} USING (true) WITH CHECK (true)")
    op.execute(f"DROP POLICY IF EXISTS hotline_unit_own ON {schema}.ticket_event")
    op.execute(f"CREATE POLICY hotline_unit_own ON {schema}.ticket_event TO hotline_unit"
               f" USING ({visible_ticket}) WITH CHECK ({visible_ticket})")

    # The functions' bodies name ``ticket`` without a dependency PostgreSQL tracks: dropping the tables (tests,
    # ``db reset``) does not need them gone first, and the next run of this revision replaces them.
    sees = ("(pg_has_role(who, 'hotline_operator', 'MEMBER') OR pg_has_role(who, 'hotline_supervisor', 'MEMBER')"
            " OR pg_has_role(who, 'hotline_admin', 'MEMBER')"
            " OR t.unit = (SELECT l.unit FROM hotline_access.unit_login l WHERE l.login = who))")
    op.execute(f"""
        CREATE OR REPLACE FUNCTION hotline_access.masked(ticket_ids integer[])
        RETURNS TABLE (ticket_id integer, caller_name text, phone text)
        LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, {schema} AS $f$
        DECLARE
            who text := {INVOKER};
        BEGIN
            RETURN QUERY SELECT t.id, {_mask_name('t.caller_name::text')}, {_mask_phone('t.phone::text')}
                FROM {schema}.ticket t WHERE t.id = ANY(ticket_ids) AND {sees};
        END $f$""")
    op.execute(f"""
        CREATE OR REPLACE FUNCTION hotline_access.read_personal(ticket_ids integer[], actor text, note text)
        RETURNS TABLE (ticket_id integer, caller_name text, phone text)
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, {schema} AS $f$
        DECLARE
            who text := {INVOKER};
        BEGIN
            INSERT INTO {schema}.ticket_event (ticket_id, actor, at, action, note, detail)
                SELECT t.id, left(coalesce(nullif(actor, ''), who), 50), now(), 'read_personal',
                       coalesce(note, '查看来电人完整信息'), json_build_object('login', who)
                FROM {schema}.ticket t WHERE t.id = ANY(ticket_ids) ORDER BY t.id;
            RETURN QUERY SELECT t.id, t.caller_name::text, t.phone::text
                FROM {schema}.ticket t WHERE t.id = ANY(ticket_ids) ORDER BY t.id;
        END $f$""")
    op.execute("REVOKE ALL ON FUNCTION hotline_access.masked(integer[]) FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION hotline_access.masked(integer[]) TO {ALL}")
    op.execute("REVOKE ALL ON FUNCTION hotline_access.read_personal(integer[], text, text) FROM PUBLIC")
    op.execute("GRANT EXECUTE ON FUNCTION hotline_access.read_personal(integer[], text, text)"
               " TO hotline_supervisor, hotline_admin")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    schema = bind.exec_driver_sql("SELECT quote_ident(current_schema())").scalar_one()
    for table in ("ticket", "ticket_event"):
        op.execute(f"DROP POLICY IF EXISTS hotline_centre ON {schema}.{table}")
        op.execute(f"DROP POLICY IF EXISTS hotline_unit_own ON {schema}.{table}")
        op.execute(f"ALTER TABLE {schema}.{table} DISABLE ROW LEVEL SECURITY")
    for table in TABLES:
        op.execute(f"REVOKE ALL ON {schema}.{table} FROM {ALL}")
    op.execute(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {ALL}")
    op.execute(f"REVOKE USAGE ON SCHEMA {schema} FROM {ALL}")
    op.execute("DROP SCHEMA IF EXISTS hotline_access CASCADE")  # the roles stay: other databases may use them
