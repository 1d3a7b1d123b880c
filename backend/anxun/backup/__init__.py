"""Backup and restore of a whole instance: database, media, signing keys and reports, secrets."""
