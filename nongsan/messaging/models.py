"""Models of outbound messages."""
