"""Human-facing output: the text rendering of a record and the plot of the series."""
