"""Signing keys in the store: sealing, tamper detection, rotation and the JWKS."""

from __future__ import annotations

import logging
import os
from datetime import datetime, timedelta
from typing import Any, cast

import pytest
from joserfc import jws
from joserfc.jwk import KeySet
from sqlalchemy import delete, func, select, update

from atomation.keys import jwk
from atomation.keys.envelope import MasterKey
from atomation.keys.errors import KeyDecryptionError, RotationInProgress
from atomation.keys.service import (
    current_keys,
    open_private_key,
    rotate_signing_key,
    tenant_jwks,
)
from atomation.keys.signer import TenantSigner, signer_for
from atomation.settings import Settings
from atomation.store import SigningKey, Store, Tenant
from tests.keys.conftest import T0, Clock, MakeTenant

MINUTE = timedelta(minutes=1)


def _keys(store: Store, tenant: Tenant) -> list[SigningKey]:
    with store.session() as session:
        return list(
            session.scalars(
                select(SigningKey)
                .where(SigningKey.tenant_id == tenant.id)
                .order_by(SigningKey.created_at)
            )
        )


def _jwks(store: Store, tenant: Tenant, now: datetime) -> dict[str, Any]:
    with store.session() as session:
        return tenant_jwks(session, tenant, now=now)


def _kids(jwks: dict[str, Any]) -> list[str]:
    return [key["kid"] for key in jwks["keys"]]


def _verify(token: str, jwks: dict[str, Any]) -> dict[str, Any]:
    verified = jws.deserialize_compact(token, KeySet.import_key_set(cast(Any, jwks)))
    return verified.headers()


def test_new_tenant_has_one_active_published_key(
    store: Store, make_tenant: MakeTenant
) -> None:
    tenant = make_tenant("acme")

    keys = _keys(store, tenant)
    published = _jwks(store, tenant, T0)

    assert [key.state for key in keys] == ["active"]
    assert keys[0].alg == "RS256"
    assert published == {
        "keys": [
            {name: keys[0].public_jwk[name] for name in jwk.PUBLIC_MEMBERS},
        ]
    }
    assert set(published["keys"][0]) == {"kty", "n", "e", "kid", "alg", "use"}


def test_signer_signs_a_jws_that_the_published_jwks_verifies(
    store: Store, settings: Settings, master: MasterKey, make_tenant: MakeTenant
) -> None:
    tenant = make_tenant("acme")
    signer = signer_for(store, settings, tenant, master_key=master, clock=Clock(T0))

    token = signer.sign({}, {"iss": "0oa1", "sub": "0oa1"})

    headers = _verify(token, _jwks(store, tenant, T0))
    assert headers == {"typ": "JWT", "alg": "RS256", "kid": signer.kid}
    assert signer.alg == "RS256"
    assert repr(signer) == f"TenantSigner(kid={signer.kid!r})"


def test_signer_keeps_a_given_typ_but_always_sets_its_own_alg_and_kid(
    store: Store, settings: Settings, master: MasterKey, make_tenant: MakeTenant
) -> None:
    tenant = make_tenant("acme")
    signer = signer_for(store, settings, tenant, master_key=master, clock=Clock(T0))

    token = signer.sign({"typ": "dpop+jwt", "alg": "none", "kid": "x"}, {"a": 1})

    assert _verify(token, _jwks(store, tenant, T0)) == {
        "typ": "dpop+jwt",
        "alg": "RS256",
        "kid": signer.kid,
    }


def test_signer_for_loads_the_master_key_from_settings(
    store: Store, settings: Settings
) -> None:
    from atomation.keys.envelope import load_master_key
    from atomation.tenants.service import create_tenant

    with store.session() as session:
        tenant = create_tenant(
            session,
            load_master_key(settings),
            subdomain="acme",
            client_name="Acme",
            environment="Prod",
            okta_org_url="https://acme.okta.com",
            now=T0,
        )

    token = signer_for(store, settings, tenant, clock=Clock(T0)).sign({}, {"a": 1})

    assert _verify(token, _jwks(store, tenant, T0))["alg"] == "RS256"


def test_rotation_publishes_every_key_that_may_sign_until_it_retires(
    store: Store, settings: Settings, master: MasterKey, make_tenant: MakeTenant
) -> None:
    tenant = make_tenant("acme")
    clock = Clock(T0)
    signer = signer_for(store, settings, tenant, master_key=master, clock=clock)
    old_kid = signer.kid
    asked = T0 + 30 * MINUTE
    with store.session() as session:
        new_kid = rotate_signing_key(
            session,
            master,
            tenant,
            now=asked,
            overlap=10 * MINUTE,
            grace=60 * MINUTE,
        ).kid

    timeline = [
        (asked, old_kid, [old_kid, new_kid]),
        (asked + 9 * MINUTE, old_kid, [old_kid, new_kid]),
        (asked + 10 * MINUTE, new_kid, [old_kid, new_kid]),
        (asked + 69 * MINUTE, new_kid, [old_kid, new_kid]),
        (asked + 70 * MINUTE, new_kid, [new_kid]),
    ]
    for now, signing_kid, published_kids in timeline:
        clock.now = now
        token = signer.sign({}, {"at": now.isoformat()})
        published = _jwks(store, tenant, now)
        assert signer.kid == signing_kid, now
        assert _kids(published) == published_kids, now
        assert _verify(token, published)["kid"] == signing_kid


def test_retired_key_loses_its_sealed_private_half(
    store: Store, master: MasterKey, make_tenant: MakeTenant
) -> None:
    tenant = make_tenant("acme")
    with store.session() as session:
        rotate_signing_key(
            session, master, tenant, now=T0 + MINUTE, overlap=timedelta(0)
        )

    later = T0 + timedelta(days=1)
    with store.session() as session:
        current_keys(session, tenant, now=later)
    old, new = _keys(store, tenant)

    assert (old.state, new.state) == ("retired", "active")
    assert old.retired_at is not None
    assert old.retired_at == old.retire_at
    assert old.private_key_ciphertext == b""
    assert old.wrapped_data_key == b""
    assert new.private_key_ciphertext


def test_second_rotation_is_refused_while_the_first_is_under_way(
    store: Store, master: MasterKey, make_tenant: MakeTenant
) -> None:
    tenant = make_tenant("acme")
    with store.session() as session:
        rotate_signing_key(session, master, tenant, now=T0)

    with pytest.raises(RotationInProgress), store.session() as session:
        rotate_signing_key(session, master, tenant, now=T0 + MINUTE)

    assert len(_keys(store, tenant)) == 2


def test_jwks_of_one_tenant_never_holds_another_tenants_key(
    store: Store, master: MasterKey, make_tenant: MakeTenant
) -> None:
    acme, globex = make_tenant("acme"), make_tenant("globex")
    for tenant in (acme, globex):
        with store.session() as session:
            rotate_signing_key(session, master, tenant, now=T0)

    acme_kids = set(_kids(_jwks(store, acme, T0)))
    globex_kids = set(_kids(_jwks(store, globex, T0)))

    assert len(acme_kids) == len(globex_kids) == 2
    assert acme_kids == {key.kid for key in _keys(store, acme)}
    assert not acme_kids & globex_kids


def _signer(
    store: Store, settings: Settings, master: MasterKey, tenant: Tenant
) -> TenantSigner:
    return signer_for(store, settings, tenant, master_key=master, clock=Clock(T0))


def _flip_last_byte(data: bytes) -> bytes:
    return data[:-1] + bytes([data[-1] ^ 0x01])


@pytest.mark.parametrize("column", ["private_key_ciphertext", "wrapped_data_key"])
def test_tampered_key_row_fails_to_decrypt_naming_tenant_and_kid(
    store: Store,
    settings: Settings,
    master: MasterKey,
    make_tenant: MakeTenant,
    column: str,
) -> None:
    tenant = make_tenant("acme")
    signer = _signer(store, settings, master, tenant)
    (key,) = _keys(store, tenant)
    with store.session() as session:
        session.execute(
            update(SigningKey)
            .where(SigningKey.id == key.id)
            .values({column: _flip_last_byte(getattr(key, column))})
        )

    with pytest.raises(KeyDecryptionError) as caught:
        signer.sign({}, {"a": 1})

    assert "acme" in caught.value.message
    assert key.kid in caught.value.message
    assert "rotate-key acme" in (caught.value.hint or "")


def test_wrong_master_key_fails_to_decrypt(
    store: Store, settings: Settings, master: MasterKey, make_tenant: MakeTenant
) -> None:
    tenant = make_tenant("acme")
    signer = _signer(store, settings, MasterKey(os.urandom(32)), tenant)

    with pytest.raises(KeyDecryptionError, match="does not decrypt"):
        signer.sign({}, {"a": 1})


def test_key_row_moved_to_another_tenant_fails_to_decrypt(
    store: Store, settings: Settings, master: MasterKey, make_tenant: MakeTenant
) -> None:
    acme, globex = make_tenant("acme"), make_tenant("globex")
    (acme_key,) = _keys(store, acme)
    with store.session() as session:
        session.execute(delete(SigningKey).where(SigningKey.tenant_id == globex.id))
        session.execute(
            update(SigningKey)
            .where(SigningKey.id == acme_key.id)
            .values(tenant_id=globex.id)
        )
    signer = _signer(store, settings, master, globex)

    with pytest.raises(KeyDecryptionError) as caught:
        signer.sign({}, {"a": 1})

    assert "globex" in caught.value.message
    assert acme_key.kid in caught.value.message


def test_decryption_error_carries_no_key_bytes(
    store: Store, settings: Settings, master: MasterKey, make_tenant: MakeTenant
) -> None:
    tenant = make_tenant("acme")
    (key,) = _keys(store, tenant)
    private = jwk.load_private_key(open_private_key(master, tenant, key))
    numbers = private.private_numbers()

    with pytest.raises(KeyDecryptionError) as caught:
        _signer(store, settings, MasterKey(os.urandom(32)), tenant).sign({}, {})

    text = f"{caught.value.message} {caught.value.hint} {caught.value!r}"
    for value in (numbers.d, numbers.p, numbers.q):
        assert jwk.b64url_uint(value) not in text
    assert caught.value.__cause__ is None
    assert caught.value.__suppress_context__


def test_key_counts_are_unchanged_by_reads(
    store: Store, make_tenant: MakeTenant
) -> None:
    tenant = make_tenant("acme")
    for minutes in (0, 10, 1000):
        _jwks(store, tenant, T0 + minutes * MINUTE)

    with store.session() as session:
        count = session.scalar(select(func.count()).select_from(SigningKey))
    assert count == 1


def test_signing_logs_no_key_material(
    store: Store,
    settings: Settings,
    master: MasterKey,
    make_tenant: MakeTenant,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    tenant = make_tenant("acme")
    signer = _signer(store, settings, master, tenant)
    signer.sign({}, {"a": 1})
    with store.session() as session:
        rotate_signing_key(
            session, master, tenant, now=T0 + MINUTE, overlap=timedelta(0)
        )
    (key, _) = _keys(store, tenant)

    assert "PRIVATE KEY" not in caplog.text
    assert key.kid in caplog.text  # the log does speak of keys, by kid
