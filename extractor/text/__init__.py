"""Stages 2-3: clean lines into paragraphs, and segment paragraphs into sections."""
