"""Spreadsheet import and export: readers, the house screening layout, reports, templates and exports."""
