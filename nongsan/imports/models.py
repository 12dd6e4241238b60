"""Spreadsheet import jobs."""
