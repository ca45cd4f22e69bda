"""Analysis library: statistics, disclosure control, theme coding, reports. Imports no Flask."""
