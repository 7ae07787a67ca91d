from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from atomation.keys.envelope import MasterKey
from atomation.store import Store, Tenant
from atomation.tenants.service import create_tenant

T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)

MakeTenant = Callable[[str], Tenant]


@pytest.fixture
def master() -> MasterKey:
    return MasterKey(os.urandom(32))


@pytest.fixture
def make_tenant(store: Store, master: MasterKey) -> MakeTenant:
    def make(subdomain: str) -> Tenant:
        with store.session() as session:
            return create_tenant(
                session,
                master,
                subdomain=subdomain,
                client_name=f"{subdomain.title()} Corp",
                environment="Production",
                okta_org_url=f"https://{subdomain}.okta.com",
                now=T0,
            )

    return make


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now
