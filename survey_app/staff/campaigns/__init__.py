"""Campaigns: setting one up, its collection points and printed materials, school sessions, paper."""
