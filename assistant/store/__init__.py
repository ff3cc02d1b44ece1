"""Work-order storage: SQLAlchemy 2.0, SQLite by default, PostgreSQL for a whole centre."""
