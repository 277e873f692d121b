"""Importers of incidents: the police events feed, partners' CSV/XLSX files, Brottsplatskartan.

Every importer validates first and writes in one transaction, raising
``tryggnav.lib.errors.InputError`` (file, row, field) for bad input; see
docs/data-formats.md for the formats and their quirks.
"""
