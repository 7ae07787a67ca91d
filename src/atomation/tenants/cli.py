"""``atomation tenant ...``: create tenants, show their setup values, rotate keys.

Setup values are printed one per line, unwrapped, so that they can be copied into
the Okta admin console as they are; ``--json`` gives the same data for scripts.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from typing import Annotated, Any

import typer
from sqlalchemy.orm import Session

from atomation.errors import AtomationError
from atomation.keys.envelope import load_master_key
from atomation.keys.rotation import DEFAULT_OVERLAP, JWKS_MAX_AGE
from atomation.keys.service import current_keys, rotate_signing_key
from atomation.runtime import Runtime
from atomation.store.models import Tenant
from atomation.store.types import utcnow
from atomation.tenants.service import (
    create_tenant,
    get_tenant,
    list_tenants,
    setup_values,
)

__all__ = ["InvalidDuration", "app", "parse_duration"]

app = typer.Typer(
    help="Tenants, their setup values and their signing keys.",
    no_args_is_help=True,
)

_DURATION = re.compile(r"(?:(?P<h>\d+)h)?(?:(?P<m>\d+)m)?(?:(?P<s>\d+)s?)?")

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]
TenantArgument = Annotated[str, typer.Argument(help="The tenant's subdomain.")]


class InvalidDuration(AtomationError):
    """A duration option is not in the ``1h30m`` / ``10m`` / ``90s`` form."""


def parse_duration(raw: str, option: str) -> timedelta:
    """``10m``, ``1h30m``, ``90s`` or plain seconds (``600``) as a timedelta."""
    match = _DURATION.fullmatch(raw.strip().lower())
    if not raw.strip() or match is None:
        raise InvalidDuration(
            f"{option} '{raw}' is not a duration",
            hint=f"Write it like 10m, 1h30m, 90s or 0 (e.g. {option} 10m).",
        )
    return timedelta(
        hours=int(match["h"] or 0),
        minutes=int(match["m"] or 0),
        seconds=int(match["s"] or 0),
    )


def _runtime(ctx: typer.Context) -> Runtime:
    runtime: Runtime = ctx.obj
    return runtime


def _echo_json(value: Any) -> None:
    typer.echo(json.dumps(value, indent=2))


def _echo_rows(rows: list[tuple[str, str]]) -> None:
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        typer.echo(f"{label:<{width}}  {value}")


def _time(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value is not None else None


@app.command("create")
def create_command(
    ctx: typer.Context,
    subdomain: Annotated[
        str, typer.Option(help="Lower-case DNS label naming the tenant, e.g. acme.")
    ],
    client: Annotated[str, typer.Option(help="Client (customer) name.")],
    environment: Annotated[str, typer.Option(help="Environment, e.g. Production.")],
    okta_org: Annotated[
        str, typer.Option("--okta-org", help="Okta org URL, https://<org>.okta.com.")
    ],
    as_json: JsonOption = False,
) -> None:
    """Create a tenant and its first signing key; print its setup values."""
    runtime = _runtime(ctx)
    settings = runtime.settings
    master_key = load_master_key(settings)
    with runtime.store.session() as session:
        tenant = create_tenant(
            session,
            master_key,
            subdomain=subdomain,
            client_name=client,
            environment=environment,
            okta_org_url=okta_org,
            now=utcnow(),
            allowed_org_urls=settings.allowed_org_urls,
        )
        values = setup_values(settings, tenant)
    if as_json:
        _echo_json(values.as_dict())
        return
    typer.echo(f"Created tenant {tenant.subdomain}. Setup values for the Okta admin:")
    _echo_rows(values.rows())


@app.command("list")
def list_command(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List the tenants."""
    runtime = _runtime(ctx)
    with runtime.store.session() as session:
        summaries = [
            _summary(session, runtime, tenant) for tenant in list_tenants(session)
        ]
    if as_json:
        _echo_json(summaries)
        return
    if not summaries:
        typer.echo("No tenants yet. Create one with: atomation tenant create --help")
        return
    for item in summaries:
        typer.echo(
            f"{item['subdomain']}  {item['client_name']} / {item['environment']}  "
            f"{item['okta_org_url']}  client id: {item['client_id'] or '-'}"
        )


@app.command("show")
def show_command(
    ctx: typer.Context, tenant: TenantArgument, as_json: JsonOption = False
) -> None:
    """Show a tenant: setup values, Client ID and published signing keys."""
    runtime = _runtime(ctx)
    with runtime.store.session() as session:
        found = get_tenant(session, tenant)
        summary = _summary(session, runtime, found)
        rows = setup_values(runtime.settings, found).rows()
        summary["keys"] = [
            {
                "kid": key.kid,
                "alg": key.alg,
                "state": key.state,
                "activated_at": _time(key.activated_at),
                "retire_at": _time(key.retire_at),
            }
            for key in current_keys(session, found, now=utcnow())
        ]
    if as_json:
        _echo_json(summary)
        return
    _echo_rows(
        [
            *rows,
            ("Client", summary["client_name"]),
            ("Environment", summary["environment"]),
            ("Client ID", summary["client_id"] or "(not connected yet)"),
            ("Created", summary["created_at"]),
        ]
    )
    typer.echo("Signing keys (published in the JWKS):")
    for key in summary["keys"]:
        retire = f", retires {key['retire_at']}" if key["retire_at"] else ""
        typer.echo(
            f"  {key['kid']}  {key['alg']}  {key['state']}  "
            f"signs from {key['activated_at']}{retire}"
        )


def _summary(session: Session, runtime: Runtime, tenant: Tenant) -> dict[str, Any]:
    values = setup_values(runtime.settings, tenant)
    connection = tenant.connection
    return {
        "subdomain": tenant.subdomain,
        "client_name": tenant.client_name,
        "environment": tenant.environment,
        "okta_org_url": tenant.okta_org_url,
        "jwks_url": values.tenant_jwks_url,
        "app_name": values.app_name,
        "client_id": connection.client_id if connection is not None else None,
        "created_at": _time(tenant.created_at),
    }


@app.command("values")
def values_command(
    ctx: typer.Context, tenant: TenantArgument, as_json: JsonOption = False
) -> None:
    """Print the setup values the Okta admin needs, as the setup guide shows them."""
    runtime = _runtime(ctx)
    with runtime.store.session() as session:
        values = setup_values(runtime.settings, get_tenant(session, tenant))
    if as_json:
        _echo_json(values.as_dict())
        return
    _echo_rows(values.rows())


@app.command("rotate-key")
def rotate_key_command(
    ctx: typer.Context,
    tenant: TenantArgument,
    overlap: Annotated[
        str,
        typer.Option(
            help="How long the new key is published before it signs "
            f"(default {int(DEFAULT_OVERLAP.total_seconds()) // 60}m: longer than "
            "Okta may cache the JWKS). 0 switches at once.",
        ),
    ] = f"{int(DEFAULT_OVERLAP.total_seconds()) // 60}m",
) -> None:
    """Publish a new signing key; it takes over after the overlap."""
    runtime = _runtime(ctx)
    wait = parse_duration(overlap, "--overlap")
    master_key = load_master_key(runtime.settings)
    with runtime.store.session() as session:
        found = get_tenant(session, tenant)
        key = rotate_signing_key(session, master_key, found, now=utcnow(), overlap=wait)
        retire_at = min(
            (
                k.retire_at
                for k in current_keys(session, found, now=utcnow())
                if k.retire_at
            ),
            default=None,
        )
    typer.echo(f"Published key {key.kid}; it signs from {_time(key.activated_at)}.")
    if retire_at is not None:
        typer.echo(f"The previous key stays published until {_time(retire_at)}.")
    if wait < JWKS_MAX_AGE:
        typer.echo(
            f"Warning: an overlap under {int(JWKS_MAX_AGE.total_seconds())}s may sign "
            "before Okta has fetched the new key; Okta then rejects the assertion "
            "until it fetches the JWKS again.",
            err=True,
        )
