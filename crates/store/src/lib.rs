//! Persistence on SQLite and PostgreSQL: one schema through migrations, one code path.
