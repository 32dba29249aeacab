"""Stage 5, validate: rules over one record and rules across the archive."""
