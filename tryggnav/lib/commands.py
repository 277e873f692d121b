"""Shared behaviour for management commands: input errors become clear messages."""

from __future__ import annotations

from django.core.management.base import CommandError

from tryggnav.lib.errors import InputError


def input_error_to_command_error(error: InputError) -> CommandError:
    return CommandError(f"Inget importerades / nothing was imported:\n{error}", returncode=2)


def command_error(error: InputError) -> CommandError:
    """An InputError as a command's message (Swedish and English) and exit code 2."""
    return CommandError(str(error), returncode=2)
