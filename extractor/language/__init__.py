"""The series' language: pattern data loading and normalisation (numbers, parties)."""
