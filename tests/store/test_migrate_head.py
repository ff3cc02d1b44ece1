"""The schema version the store recognises without alembic is alembic's own head."""

from alembic.script import ScriptDirectory

from assistant.store import migrate


def test_head_is_the_newest_migration():
    assert migrate.HEAD == ScriptDirectory(str(migrate.MIGRATIONS)).get_current_head()


def test_a_database_at_head_is_recognised_and_an_older_one_is_not(engine):
    from sqlalchemy import text

    assert migrate._at_head(engine)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0002'"))
    assert not migrate._at_head(engine)
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE alembic_version"))
    assert not migrate._at_head(engine)  # no version table: not hotline's, or not yet
