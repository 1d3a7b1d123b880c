"""Web wiring: blueprints, the PWA, health and API docs."""
