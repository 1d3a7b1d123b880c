"""Pure mappings from Anxun's canonical data to external platforms' code tables and records."""
