"""The check catalogue, one module per area; :mod:`..catalogue` loads them."""
