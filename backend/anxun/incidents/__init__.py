"""Incident information reports: an enterprise's quick report (快报) and follow-ups (续报)."""
