"""Checklists (检查表): versioned YAML templates of check items, their loader and services."""
