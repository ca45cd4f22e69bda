"""Findings reports in the workspace: build, preview, save, download and publish."""
