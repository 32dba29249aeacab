"""The SQLite archive: schema, writing, ingest, fetch and export."""
