"""Infrastructure shared by every area: database, errors, auth, scoping, audit, clock."""
