"""Test support shared by every app (no test runs from here)."""
