"""Sync: a phone drains its outbox (inspections and hazard steps) in one request."""
