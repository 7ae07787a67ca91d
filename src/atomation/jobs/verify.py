"""The verify job: Verify Connection in the background, its run stored as usual.

:func:`atomation.connection.service.verify_tenant` stores the run in
``verifications`` and moves ``connections.verified_at``; the job's progress
keeps the four items too, so a page polling the job shows them when it ends.
When a tenant verifies for the first time, the registered first-verification
hooks run (the first snapshot plugs in there).
"""

from __future__ import annotations

import logging
from typing import Any

from atomation.connection.service import verify_tenant
from atomation.jobs.kinds import JobContext, JobKind, JobKinds
from atomation.store import Connection, Tenant

__all__ = ["VERIFY", "register", "run_verify"]

logger = logging.getLogger(__name__)

VERIFY = "verify"


async def run_verify(context: JobContext) -> dict[str, Any]:
    assert context.tenant_id is not None
    with context.store.session() as session:
        tenant = session.get(Tenant, context.tenant_id)
        connection = session.get(Connection, context.tenant_id)
        subdomain = tenant.subdomain if tenant else ""
        first = connection is None or connection.verified_at is None
    context.report({"step": "verifying"})
    result = await verify_tenant(
        context.store, context.settings, subdomain, clock=context.clock
    )
    if result.passed and first:
        for hook in context.kinds.first_verification_hooks:
            hook(context, context.tenant_id)
    return {"step": "done", "passed": result.passed, **result.as_dict()}


def register(kinds: JobKinds) -> None:
    # One verification at a time per tenant: a second press while one runs
    # would only race the first to the store.
    kinds.register(JobKind(VERIFY, run_verify, one_per_tenant=True))
