"""Enforcement records: 约谈 (interview) and 停产整顿 (suspension)."""
