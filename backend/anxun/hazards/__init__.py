"""Hazards (隐患): the closed loop from report to closure."""
