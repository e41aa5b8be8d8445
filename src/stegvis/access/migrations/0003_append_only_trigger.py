"""Make the access log append-only in the database itself, for SQLite and PostgreSQL.

UPDATE is always refused. DELETE and TRUNCATE are refused unless the connection allows a
purge (see stegvis.access.purge): retention purges and test-database flushes.
"""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE TRIGGER access_accessevent_no_update BEFORE UPDATE ON access_accessevent
       BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;""",
    """CREATE TRIGGER access_accessevent_no_delete BEFORE DELETE ON access_accessevent
       WHEN NOT stegvis_purge_allowed()
       BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS access_accessevent_no_update;",
    "DROP TRIGGER IF EXISTS access_accessevent_no_delete;",
]
POSTGRES_FORWARD = [
    """CREATE OR REPLACE FUNCTION access_accessevent_append_only() RETURNS trigger AS $$
       BEGIN
         IF TG_OP IN ('DELETE', 'TRUNCATE')
            AND coalesce(current_setting('stegvis.purge_allowed', true), '') = 'on' THEN
           RETURN OLD;
         END IF;
         RAISE EXCEPTION 'the access log is append-only';
       END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER access_accessevent_append_only
       BEFORE UPDATE OR DELETE ON access_accessevent
       FOR EACH ROW EXECUTE FUNCTION access_accessevent_append_only();""",
    # TRUNCATE bypasses row triggers; guard it too.
    """CREATE TRIGGER access_accessevent_no_truncate
       BEFORE TRUNCATE ON access_accessevent
       FOR EACH STATEMENT EXECUTE FUNCTION access_accessevent_append_only();""",
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS access_accessevent_no_truncate ON access_accessevent;",
    "DROP TRIGGER IF EXISTS access_accessevent_append_only ON access_accessevent;",
    "DROP FUNCTION IF EXISTS access_accessevent_append_only();",
]


def forward(apps, schema_editor):
    statements = {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}.get(
        schema_editor.connection.vendor, []
    )
    for statement in statements:
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    statements = {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}.get(
        schema_editor.connection.vendor, []
    )
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("access", "0002_initial")]
    operations = [migrations.RunPython(forward, backward)]
