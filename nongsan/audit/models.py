"""Models of the audit trail."""
