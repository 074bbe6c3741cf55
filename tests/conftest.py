"""Shared test setup. Tests use a real SQLite file (or PostgreSQL with DATABASE_URL) and real
servers. Each test run gets its own data folder (see newsstand.settings._data_dir)."""
