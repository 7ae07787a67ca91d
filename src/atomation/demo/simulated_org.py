"""A simulated Okta org in a child process, reached only over HTTP.

The demo starts ``atomation simulator serve`` as a separate process, exactly as
a developer would in another terminal, so the product code that talks to it
never imports the simulator. The SSWS admin token goes to the child through its
environment (never on a command line, where other users of the machine can read
it) and is kept only in memory here.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import threading
import time
from email.utils import parsedate_to_datetime
from pathlib import Path

import httpx

from atomation.errors import AtomationError
from atomation.okta import ScaledClock

__all__ = ["SimulatedOrg", "SimulatorFailed"]

START_TIMEOUT = 60.0
STOP_TIMEOUT = 10.0
_URL_LINE = "Okta simulator: "


class SimulatorFailed(AtomationError):
    """The simulated org did not start."""


class SimulatedOrg:
    """``atomation simulator serve`` in a child process; a context manager."""

    def __init__(
        self,
        *,
        users: int,
        time_scale: float,
        profile: str = "typical",
        seed: int = 1,
        misconfigurations_out: Path | None = None,
        log_file: Path | None = None,
    ) -> None:
        self.users = users
        self.time_scale = time_scale
        self.profile = profile
        self.seed = seed
        self.misconfigurations_out = misconfigurations_out
        self.log_file = log_file
        self.admin_token = secrets.token_urlsafe(32)
        self.base_url = ""
        self._process: subprocess.Popen[str] | None = None

    def __repr__(self) -> str:
        return f"SimulatedOrg({self.base_url or 'not started'!r})"

    def __enter__(self) -> SimulatedOrg:
        command = [
            sys.executable,
            "-m",
            "atomation",
            "simulator",
            "serve",
            "--port",
            "0",
            "--users",
            str(self.users),
            "--seed",
            str(self.seed),
            "--profile",
            self.profile,
            "--time-scale",
            str(self.time_scale),
            "--rate-limits",
            "workforce",
        ]
        if self.misconfigurations_out is not None:
            command += ["--misconfigurations-out", str(self.misconfigurations_out)]
        environment = dict(os.environ)
        environment["ATOMATION_SIMULATOR_ADMIN_TOKEN"] = self.admin_token
        environment["PYTHONUNBUFFERED"] = "1"
        log = open(self.log_file or os.devnull, "a")
        with log:
            self._process = subprocess.Popen(  # noqa: S603 - our own interpreter and options
                command,
                stdout=subprocess.PIPE,
                stderr=log,
                stdin=subprocess.DEVNULL,
                text=True,
                env=environment,
            )
        self.base_url = self._read_url()
        # The rest of its standard output (the admin token line among it) is
        # read and dropped, so that the pipe never fills and stalls the child.
        threading.Thread(target=self._drain, daemon=True).start()
        return self

    def _drain(self) -> None:
        assert self._process is not None
        assert self._process.stdout is not None
        for _ in self._process.stdout:
            pass

    def _read_url(self) -> str:
        assert self._process is not None
        assert self._process.stdout is not None
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            line = self._process.stdout.readline()
            if not line:
                break
            if line.startswith(_URL_LINE):
                return line[len(_URL_LINE) :].strip()
        self.__exit__()
        said = self._said()
        raise SimulatorFailed(
            "the simulated Okta org did not start" + (f": {said[0]}" if said else ""),
            hint=said[1]
            if len(said) > 1
            else f"see {self.log_file or 'its messages'}; run again with --debug.",
        )

    def _said(self) -> list[str]:
        """The simulator's own ``Error:`` and ``Hint:`` lines, if it logged them."""
        if self.log_file is None or not self.log_file.exists():
            return []
        said = []
        for line in self.log_file.read_text(errors="replace").splitlines()[-20:]:
            for prefix in ("Error: ", "Hint: "):
                if line.startswith(prefix):
                    said.append(line.removeprefix(prefix))
        return said[-2:]

    def __exit__(self, *exc: object) -> None:
        process = self._process
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def clock(self) -> ScaledClock:
        """A clock that reads the org's simulated time and runs at its pace.

        Built from the org's ``Date`` header (one-second resolution, so the
        middle of that second is taken); the client's assertions are dated a
        few seconds back, which covers the rest.
        """
        response = httpx.get(f"{self.base_url}/.well-known/okta-organization")
        date = parsedate_to_datetime(response.headers["date"]).timestamp()
        return ScaledClock(self.time_scale, origin=date + 0.5)
