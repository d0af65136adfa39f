"""office wing."""
