"""Regulators' side: enforcement records, online patrol, supervision (more with the regulator issue)."""
