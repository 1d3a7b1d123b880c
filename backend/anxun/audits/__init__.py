"""Third-party agencies: audit runs, signed audit reports, and the log of auditors' reads."""
