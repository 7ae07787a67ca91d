"""What ordinary System Log traffic is made of: event types, rates and sources.

Shares are of all background events (about ten per user over 90 days); event
types and outcomes are from okta-api.md §5. Places, networks and browsers are a
handful of plausible values.
"""

from __future__ import annotations

__all__ = ["AGENTS", "BACKGROUND", "CITIES", "HOURLY", "HOURLY_MEAN", "TYPICAL_ONLY"]

# Background traffic: (eventType, share of all events, outcome, severity, message).
# Admin Console visits are not background: each admin's visits follow their
# lastLogin (see incidents.py), so admin dormancy reads the same in users and log.
BACKGROUND: tuple[tuple[str, float, str, str, str], ...] = (
    ("user.session.start", 0.22, "SUCCESS", "INFO", "User login to Okta"),
    ("user.authentication.sso", 0.22, "SUCCESS", "INFO", "User single sign on to app"),
    ("policy.evaluate_sign_on", 0.14, "ALLOW", "INFO", "Evaluation of sign-on policy"),
    (
        "user.authentication.auth_via_mfa",
        0.12,
        "SUCCESS",
        "INFO",
        "Authentication of user via MFA",
    ),
    ("user.session.end", 0.10, "SUCCESS", "INFO", "User logout from Okta"),
    ("user.authentication.verify", 0.06, "SUCCESS", "INFO", "Verify user identity"),
    (
        "app.oauth2.token.grant.access_token",
        0.04,
        "SUCCESS",
        "INFO",
        "OAuth2 access token is granted",
    ),
    ("user.session.start:failure", 0.02, "FAILURE", "WARN", "User login to Okta"),
    (
        "user.account.update_password",
        0.01,
        "SUCCESS",
        "INFO",
        "User update password for Okta",
    ),
    (
        "group.user_membership.add",
        0.006,
        "SUCCESS",
        "INFO",
        "Add user to group membership",
    ),
    (
        "user.mfa.factor.activate",
        0.004,
        "SUCCESS",
        "INFO",
        "Activate factor or authenticator",
    ),
    (
        "application.user_membership.add",
        0.004,
        "SUCCESS",
        "INFO",
        "Add user to application membership",
    ),
    (
        "user.account.reset_password",
        0.002,
        "SUCCESS",
        "INFO",
        "Fulfill password reset request",
    ),
    (
        "security.threat.detected",
        0.002,
        "DENY",
        "WARN",
        "Request from suspicious actor",
    ),
    ("user.account.lock", 0.0015, "SUCCESS", "WARN", "Max sign in attempts exceeded"),
    ("security.request.blocked", 0.001, "DENY", "WARN", "Request blocked"),
    (
        "user.mfa.okta_verify.deny_push",
        0.0005,
        "FAILURE",
        "WARN",
        "User rejected Okta push verify",
    ),
    ("system.org.rate_limit.warning", 0.0002, "SUCCESS", "WARN", "Rate limit warning"),
)
# Share of each hour of the (UTC) day in the daily traffic, normalised to mean 1.
HOURLY = [
    0.3,
    0.25,
    0.2,
    0.2,
    0.25,
    0.4,
    0.7,
    1.1,
    1.5,
    1.7,
    1.7,
    1.6,
    1.5,
    1.6,
    1.7,
    1.6,
    1.5,
    1.3,
    1.0,
    0.8,
    0.6,
    0.5,
    0.4,
    0.35,
]
HOURLY_MEAN = sum(HOURLY) / 24
CITIES = (
    (
        "San Francisco",
        "California",
        "United States",
        "94107",
        37.77,
        -122.41,
        "73.93.0.0",
        7922,
        "comcast",
    ),
    (
        "New York",
        "New York",
        "United States",
        "10001",
        40.75,
        -73.99,
        "96.242.0.0",
        701,
        "verizon",
    ),
    ("Toronto", "Ontario", "Canada", "M5H", 43.65, -79.38, "99.224.0.0", 812, "rogers"),
    (
        "Chicago",
        "Illinois",
        "United States",
        "60601",
        41.88,
        -87.62,
        "24.15.0.0",
        7922,
        "comcast",
    ),
)
AGENTS = (
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 "
        "Safari/605.1.15",
        "Mac OS X",
        "SAFARI",
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
        "Chrome/126.0 Safari/537.36",
        "Windows 10",
        "CHROME",
    ),
    (
        "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
        "Linux",
        "FIREFOX",
    ),
)
TYPICAL_ONLY = frozenset({"security.threat.detected", "system.org.rate_limit.warning"})
