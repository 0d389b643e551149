"""Turning the course model into HTML and the player's data."""
