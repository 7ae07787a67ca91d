"""``atomation demo``: the customer's whole path against a simulated org."""

from atomation.demo.command import demo_command

__all__ = ["demo_command"]
