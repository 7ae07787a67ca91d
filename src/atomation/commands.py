"""Where each part's CLI commands are mounted on the ``atomation`` app.

One line per part, so that adding a part's commands touches nothing else.
"""

from __future__ import annotations

import typer

__all__ = ["mount"]


def mount(app: typer.Typer) -> None:
    from atomation import demo

    app.command("demo")(demo.demo_command)

    from atomation.tenants import cli as tenants_cli

    app.add_typer(tenants_cli.app, name="tenant")

    from atomation.connection import cli as connection_cli

    app.command("connect")(connection_cli.connect_command)
    app.command("verify")(connection_cli.verify_command)

    from atomation.accounts import cli as accounts_cli

    app.add_typer(accounts_cli.app, name="user")

    from atomation.web import serve

    app.command("serve")(serve.serve_command)

    from atomation.snapshot import cli as snapshot_cli

    app.add_typer(snapshot_cli.app, name="snapshot")

    from atomation.assessment import cli as assessment_cli

    app.command("assess")(assessment_cli.assess_command)
    app.add_typer(assessment_cli.app, name="checks")

    from atomation.report import cli as report_cli

    app.command("report")(report_cli.report_command)

    from atomation.snapshot.evidence import cli as evidence_cli

    app.add_typer(evidence_cli.app, name="evidence")

    from atomation.simulator import cli as simulator_cli

    app.add_typer(simulator_cli.app, name="simulator")
