"""Human-facing output: text rendering of a record."""
