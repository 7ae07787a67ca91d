"""A faithful Okta Identity Engine org on loopback, for tests and the demo."""
