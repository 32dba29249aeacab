"""PDF engines, page layout (columns, headers, footnotes), engine comparison and audit."""
