"""Fetching and caching each app's JWKS from its ``jwks_uri``, as Okta does.

Okta fetches "the latest public key" from the URL on its own schedule (okta-api.md
§1.3); how long it caches, and whether an unknown ``kid`` makes it re-fetch, is
UNCONFIRMED, so both are in :class:`~atomation.simulator.server.config.JwksCachePolicy`.
Every failure maps to one of Okta's ``invalid_client`` descriptions [OEC].
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import httpx

from atomation.simulator.server.config import JwksCachePolicy
from atomation.simulator.server.errors import OAuthError

__all__ = ["JwksCache", "invalid_client"]

logger = logging.getLogger(__name__)


def invalid_client(description: str) -> OAuthError:
    return OAuthError(401, "invalid_client", description)


@dataclass
class _Entry:
    keys: list[dict[str, Any]]
    fetched_at: float


class JwksCache:
    """Key sets by URL, re-fetched when older than the policy allows."""

    def __init__(self, policy: JwksCachePolicy) -> None:
        self.policy = policy
        self._entries: dict[str, _Entry] = {}
        self.fetch_count = 0

    async def keys(
        self, url: str, now: float, *, force: bool = False
    ) -> tuple[list[dict[str, Any]], bool]:
        """The key set at ``url`` and whether it was fetched just now."""
        entry = self._entries.get(url)
        fresh = entry is not None and now - entry.fetched_at < self.policy.cache_seconds
        if entry is not None and fresh and not force:
            return entry.keys, False
        keys = await self._fetch(url)
        self._entries[url] = _Entry(keys, now)
        return keys, True

    async def _fetch(self, url: str) -> list[dict[str, Any]]:
        self.fetch_count += 1
        try:
            async with httpx.AsyncClient(
                timeout=self.policy.timeout_seconds, follow_redirects=False
            ) as client:
                response = await client.get(url, headers={"Accept": "application/json"})
            response.raise_for_status()
            document = response.json()
        except (httpx.HTTPError, ValueError):
            logger.info("JWKS fetch failed for an app's jwks_uri")
            raise invalid_client(
                "Error retrieving the client JWKSet from jwks_uri."
            ) from None
        keys = document.get("keys") if isinstance(document, dict) else None
        if not isinstance(keys, list) or not all(isinstance(k, dict) for k in keys):
            raise invalid_client("The client JWKSet is invalid.")
        if not keys:
            raise invalid_client(
                "The client JWKSet from jwks_uri must contain at least one key."
            )
        kids = [k.get("kid") for k in keys]
        if len(set(kids)) != len(kids):
            raise invalid_client(
                "All keys in the client JWKSet from jwks_uri must have a unique kid."
            )
        return keys
