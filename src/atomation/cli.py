"""The ``atomation`` command.

One error boundary (:func:`run`) turns every :class:`~atomation.errors.AtomationError`
into ``Error: <what happened>`` plus a hint on stderr and a non-zero exit; other
exceptions get one line too, and a traceback only with ``--debug``. Ctrl-C exits
130. Subcommand groups live beside the part they drive and are mounted here.
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path
from typing import Annotated

import typer

from atomation import __version__
from atomation.errors import EXIT_INTERRUPTED, AtomationError
from atomation.runtime import Runtime

__all__ = ["app", "main", "run"]

app = typer.Typer(
    name="atomation",
    help="Assess the security posture of an Okta Identity Engine org.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"atomation {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    data_dir: Annotated[
        Path | None,
        typer.Option(
            "--data-dir",
            help="Data directory (database, evidence, master key). "
            "Default: ATOMATION_DATA_DIR or ~/.local/share/atomation.",
        ),
    ] = None,
    debug: Annotated[
        bool, typer.Option("--debug", help="Debug logging and full tracebacks.")
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_show_version,
            is_eager=True,
            help="Print the version.",
        ),
    ] = False,
) -> None:
    runtime = Runtime(data_dir=data_dir, debug=debug)
    ctx.obj = runtime
    ctx.call_on_close(runtime.close)


def run(argv: list[str] | None = None) -> int:
    """Run the command line and return its exit code; the CLI's one error boundary."""
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args
    try:
        result = app(args=args, prog_name="atomation", standalone_mode=False)
    except AtomationError as exc:
        if debug:
            traceback.print_exc()
        _error(exc.message, exc.hint)
        return exc.exit_code
    except (KeyboardInterrupt, typer.Abort):
        typer.echo("Interrupted.", err=True)
        return EXIT_INTERRUPTED
    except typer.Exit as exc:
        if exc.exit_code == EXIT_INTERRUPTED:  # Typer's own translation of Ctrl-C
            typer.echo("Interrupted.", err=True)
        return exc.exit_code
    except typer.TyperException as exc:  # usage errors: unknown command, bad option
        _error(exc.format_message(), "run 'atomation --help' (or COMMAND --help).")
        return exc.exit_code
    except Exception as exc:
        if debug:
            traceback.print_exc()
        # The exception's text is not shown: it may come from a library that puts
        # request details (and so possibly a secret) into its message.
        _error(
            f"unexpected {type(exc).__name__}",
            "run the command again with --debug for details.",
        )
        return 1
    return result if isinstance(result, int) else 0


def _error(message: str, hint: str | None) -> None:
    typer.echo(f"Error: {message}", err=True)
    if hint:
        typer.echo(f"Hint: {hint}", err=True)


def main() -> None:
    """Console-script entry point."""
    sys.exit(run())


def _mount_subcommands() -> None:
    """Attach each part's command group; the import order is the help order."""
    from atomation import commands

    commands.mount(app)


_mount_subcommands()
