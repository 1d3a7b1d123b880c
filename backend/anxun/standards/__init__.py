"""Standard changes: what a new checklist or band table version asks enterprises to re-judge."""
