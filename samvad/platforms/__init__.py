"""Adapters for the social platforms Samvad posts to (only X so far)."""
