"""Transactional outbox: events for regulator platforms, written with the change they describe."""
