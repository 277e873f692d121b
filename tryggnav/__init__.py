"""Tryggnav: local crime prevention and safety work, together."""

__version__ = "0.1.0"
