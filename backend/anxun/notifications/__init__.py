"""In-app notifications: assigned, deadline soon, overdue, verification requested, rejected."""
