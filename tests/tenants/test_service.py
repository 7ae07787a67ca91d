"""The tenant registry: creation rules, setup values, and nothing stored on refusal."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from atomation.errors import AtomationError
from atomation.keys.envelope import MasterKey
from atomation.settings import load_settings
from atomation.store import SigningKey, Store, Tenant
from atomation.tenants.errors import InvalidTenantField, TenantExists, UnknownTenant
from atomation.tenants.org_url import InvalidOrgUrl
from atomation.tenants.service import (
    create_tenant,
    get_tenant,
    jwks_url,
    list_tenants,
    setup_values,
)

T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
GOOD = {
    "subdomain": "acme",
    "client_name": "Acme Corp",
    "environment": "Production",
    "okta_org_url": "https://acme.okta.com",
}


@pytest.fixture
def master() -> MasterKey:
    return MasterKey(os.urandom(32))


def _create(store: Store, master: MasterKey, **changes: str) -> Tenant:
    values = GOOD | changes
    with store.session() as session:
        return create_tenant(session, master, now=T0, **values)


def _counts(store: Store) -> tuple[int, int]:
    with store.session() as session:
        tenants = session.scalar(select(func.count()).select_from(Tenant))
        keys = session.scalar(select(func.count()).select_from(SigningKey))
    return tenants or 0, keys or 0


def test_created_tenant_is_stored_with_normalised_values_and_one_key(
    store: Store, master: MasterKey
) -> None:
    _create(
        store,
        master,
        client_name="  Acme Corp ",
        okta_org_url="https://ACME.okta.com/",
    )

    with store.session() as session:
        tenant = get_tenant(session, "acme")
        listed = [t.subdomain for t in list_tenants(session)]
    assert tenant.client_name == "Acme Corp"
    assert tenant.environment == "Production"
    assert tenant.okta_org_url == "https://acme.okta.com"
    assert listed == ["acme"]
    assert _counts(store) == (1, 1)


@pytest.mark.parametrize(
    ("changes", "error", "words"),
    [
        ({"subdomain": "Acme"}, InvalidTenantField, "'Acme' is not a lower-case"),
        ({"subdomain": "acme.prod"}, InvalidTenantField, "'acme.prod'"),
        ({"subdomain": "a" * 64}, InvalidTenantField, "1–63"),
        ({"subdomain": ""}, InvalidTenantField, "subdomain ''"),
        ({"subdomain": "-acme"}, InvalidTenantField, "'-acme'"),
        ({"subdomain": "acme_x"}, InvalidTenantField, "'acme_x'"),
        ({"client_name": ""}, InvalidTenantField, "client name is empty"),
        ({"client_name": "   "}, InvalidTenantField, "client name is empty"),
        ({"client_name": "x" * 201}, InvalidTenantField, "longer than 200"),
        ({"client_name": "Acme\nCorp"}, InvalidTenantField, "control characters"),
        ({"environment": ""}, InvalidTenantField, "environment name is empty"),
        ({"okta_org_url": "https://acme.example.com"}, InvalidOrgUrl, "not an Okta"),
        ({"okta_org_url": "https://acme-admin.okta.com"}, InvalidOrgUrl, "admin"),
    ],
)
def test_bad_input_is_refused_with_one_clear_error_and_nothing_stored(
    store: Store,
    master: MasterKey,
    changes: dict[str, str],
    error: type[AtomationError],
    words: str,
) -> None:
    with pytest.raises(error) as caught:
        _create(store, master, **changes)

    assert words in caught.value.message
    assert caught.value.hint
    assert _counts(store) == (0, 0)


def test_duplicate_subdomain_is_refused_and_the_first_tenant_is_untouched(
    store: Store, master: MasterKey
) -> None:
    first = _create(store, master)

    with pytest.raises(TenantExists, match="'acme' already exists"):
        _create(store, master, client_name="Someone Else")

    assert _counts(store) == (1, 1)
    with store.session() as session:
        assert get_tenant(session, "acme").client_name == first.client_name


def test_unknown_tenant_is_a_clear_error(store: Store) -> None:
    expected = "no tenant has the subdomain 'nope'"
    with pytest.raises(UnknownTenant, match=expected), store.session() as session:
        get_tenant(session, "nope")


def test_setup_values_follow_the_guide_with_a_public_domain(
    data_dir: Path, store: Store, master: MasterKey
) -> None:
    tenant = _create(store, master)
    settings = load_settings(data_dir=data_dir, public_domain="assess.example.com")

    values = setup_values(settings, tenant)

    assert values.rows() == [
        ("Tenant subdomain", "acme"),
        (
            "Tenant JWKS URL",
            "https://acme.assess.example.com/.well-known/okta-jwks.json",
        ),
        ("App name", "Acme Corp Okta Assessment Service - Production"),
        ("Okta org URL", "https://acme.okta.com"),
    ]


def test_jwks_url_is_path_routed_without_a_public_domain(data_dir: Path) -> None:
    settings = load_settings(data_dir=data_dir, public_url="https://atomation.local/")

    assert jwks_url(settings, "acme") == (
        "https://atomation.local/t/acme/.well-known/okta-jwks.json"
    )


def test_allowed_org_url_is_accepted_for_testing(
    store: Store, master: MasterKey
) -> None:
    with store.session() as session:
        tenant = create_tenant(
            session,
            master,
            now=T0,
            allowed_org_urls=["http://127.0.0.1:8443"],
            **(GOOD | {"okta_org_url": "http://127.0.0.1:8443/"}),
        )

    assert tenant.okta_org_url == "http://127.0.0.1:8443"
