"""Data coming in from outside the forms: spreadsheets, published pages, backups."""
