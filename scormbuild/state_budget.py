"""Worst-case size of the encoded learner state (placeholder until the player lands)."""

from __future__ import annotations


def max_suspend_data_length(course_data: dict) -> int:
    """Length in characters of the largest suspend_data the course can produce."""
    return 0
