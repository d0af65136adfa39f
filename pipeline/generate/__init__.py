"""generate wing."""
