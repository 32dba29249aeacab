"""The SQLite archive: schema and writing, ingest, fetch, and exports of the series."""
