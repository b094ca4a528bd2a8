"""How errors reach the terminal: one line on stderr and the exception tree's exit code.

Why a module of its own: every `marsad` command goes through the same edge — MarsadError and
Ctrl-C inside a command (`guarded`), config deprecation warnings (`one_line_warnings`), and
click's own usage errors before any command runs (`console`, the console script) — and each
must come out as one `Error: …` (or `Warning: …`) line, with a traceback only under `--debug`.
"""

from __future__ import annotations

import functools
import sys
import warnings
from collections.abc import Callable
from typing import Any, NoReturn, ParamSpec, TextIO, TypeVar

import typer

from extractors.core.config import ConfigDeprecationWarning
from extractors.core.errors import MarsadError

P = ParamSpec("P")
R = TypeVar("R")
DEBUG = {"on": False}  # set by `marsad --debug` (the app's callback)


def one_line_warnings(message: Warning | str, category: type[Warning], filename: str, lineno: int,
                      file: TextIO | None = None, line: str | None = None) -> None:
    """Config deprecations as one `Warning: …` line on stderr (not Python's two-line format)."""
    if issubclass(category, ConfigDeprecationWarning):
        typer.echo(f"Warning: {message}", err=True)
    else:
        _default_showwarning(message, category, filename, lineno, file, line)


_default_showwarning = warnings.showwarning


def fail(exc: BaseException, code: int) -> NoReturn:
    if DEBUG["on"]:
        raise exc
    msg = exc.one_line() if isinstance(exc, MarsadError) else f"{type(exc).__name__}: {exc}"
    typer.echo(f"Error: {msg}", err=True)
    raise typer.Exit(code)


def guarded(fn: Callable[P, R]) -> Callable[P, R]:
    """Turn MarsadError (and Ctrl-C) into one line and an exit code at the CLI edge."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except MarsadError as exc:
            fail(exc, exc.exit_code)
        except KeyboardInterrupt:
            typer.echo("Interrupted.", err=True)
            raise typer.Exit(130) from None

    return wrapper


def _click_exceptions() -> Any:
    """The click exception module typer raises from: its own copy since typer 0.2x, else click."""
    import importlib

    try:
        return importlib.import_module("typer._click.exceptions")
    except ImportError:  # typer before it vendored click
        return importlib.import_module("click.exceptions")


def _command_path(app: typer.Typer, exc: Any, args: list[str]) -> str:
    """`marsad run` for an error in `run`'s options (click does not always say which command)."""
    if exc.ctx is not None and exc.ctx.command_path != "marsad":
        return str(exc.ctx.command_path)
    names = {c.name for c in app.registered_commands} | {c.callback.__name__ for c in app.registered_commands if c.callback}
    command = next((a for a in args if not a.startswith("-")), None)
    return f"marsad {command}" if command in names else "marsad"


def console(app: typer.Typer, args: list[str]) -> NoReturn:
    """Run the app as the `marsad` console script, with click's usage errors as one line too.

    Click (through typer) prints a usage error — an unknown option or command, a missing or
    malformed value — as a usage line, a hint line and a boxed message, while every other
    error of this CLI is one `Error: …` line (`fail`). Here it is one line with the same exit
    code (2) and the hint folded in; with `--debug` on the line, click's own form."""
    errors = _click_exceptions()
    aborts = tuple(a for a in (getattr(errors, "Abort", None), typer.Abort) if a is not None)  # typer has its own
    try:
        code = app(args=args, prog_name="marsad", standalone_mode=False)
    except errors.UsageError as exc:
        if type(exc).__name__ != "NoArgsIsHelpError":  # bare `marsad`: the help is already shown
            if "--debug" in args:
                exc.show()
            else:
                typer.echo(f"Error: {exc.format_message().rstrip('.')} (see {_command_path(app, exc, args)} -h)", err=True)
        sys.exit(exc.exit_code)
    except errors.ClickException as exc:  # e.g. a file option that cannot be opened
        typer.echo(f"Error: {exc.format_message()}", err=True)
        sys.exit(exc.exit_code)
    except aborts:  # Ctrl-D at a prompt
        typer.echo("Interrupted.", err=True)
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)
