"""Organisations: regions, enterprises, regulators, agencies and engagements."""
