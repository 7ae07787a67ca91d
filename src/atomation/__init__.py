"""Atomation: security posture assessment of Okta Identity Engine orgs."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("atomation")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0"

__all__ = ["__version__"]
