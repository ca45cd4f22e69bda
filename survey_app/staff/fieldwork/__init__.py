"""Fieldwork: the campaign list, each campaign's live dashboard, a coordinator's collection points."""
