"""Accounts: signing in with two factors, your own account, staff users, and the staff session store."""
