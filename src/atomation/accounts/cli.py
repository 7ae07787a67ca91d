"""``atomation user ...``: workspace accounts.

The password is never an argument (other users of the machine can read a
command line): it is asked for twice at a prompt, or read from the
``ATOMATION_USER_PASSWORD`` environment variable for scripts.
"""

from __future__ import annotations

import os
from typing import Annotated

import typer

from atomation.accounts.service import create_user
from atomation.runtime import Runtime
from atomation.store.types import utcnow

__all__ = ["PASSWORD_VARIABLE", "app"]

PASSWORD_VARIABLE = "ATOMATION_USER_PASSWORD"  # noqa: S105 (a variable's name)

app = typer.Typer(help="Workspace accounts: operators and tenant members.")


@app.callback()
def _group() -> None:
    """Workspace accounts: operators and tenant members."""


@app.command("create")
def create_command(
    ctx: typer.Context,
    email: Annotated[str, typer.Option(help="The account's e-mail address.")],
    role: Annotated[
        str,
        typer.Option(help="operator (every tenant) or member (one tenant)."),
    ],
    tenant: Annotated[
        str | None,
        typer.Option(help="The member's tenant subdomain (members only)."),
    ] = None,
) -> None:
    """Create a workspace account; the password comes from a prompt or
    ATOMATION_USER_PASSWORD."""
    runtime: Runtime = ctx.obj
    password = os.environ.get(PASSWORD_VARIABLE)
    if not password:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    with runtime.store.session() as session:
        user = create_user(
            session,
            email=email,
            role=role,
            password=password,
            tenant=tenant,
            now=utcnow(),
        )
        shown = f"{user.role} {user.email}"
        if tenant:
            shown += f" of tenant {tenant}"
    typer.echo(f"Created {shown}.")
