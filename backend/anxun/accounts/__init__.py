"""People: users, role memberships, login and tokens."""
