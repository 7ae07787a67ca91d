"""Tenants: one customer environment each, with its Okta org URL and JWKS URL."""
