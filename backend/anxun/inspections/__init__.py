"""Inspections: places, plans, task occurrences, inspection records and their photos."""
