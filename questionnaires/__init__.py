"""Survey instruments as YAML, and the plain-Python model and checker for them (no Flask)."""
