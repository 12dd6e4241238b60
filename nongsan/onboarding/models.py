"""Channels, onboarding stages and training."""
