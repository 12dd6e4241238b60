"""Argument types shared by the messaging commands."""

from __future__ import annotations


def positive_whole_number(text: str) -> int:
    """argparse type: a whole number of at least 1 (argparse reports anything else)."""
    number = int(text)
    if number < 1:
        raise ValueError(text)
    return number
