"""Capture of a tenant's Okta org into tamper-evident evidence."""
