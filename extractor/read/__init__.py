"""Stage 1, read: sniff a file, load its text (PDF in a sandboxed child, or a text edition)."""
