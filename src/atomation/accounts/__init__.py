"""Workspace accounts: operators and tenant members, their sessions, handoff links.

An *operator* works for Atomation and sees every tenant; a *member* belongs to one
tenant and sees only it. A *handoff link* lets the customer's Okta admin open one
tenant's setup guide without an account (:mod:`atomation.accounts.handoff`).
"""
