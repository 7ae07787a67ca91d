"""A process's own peak resident memory, for the benchmarks that measure it.

``getrusage(RUSAGE_SELF).ru_maxrss`` is not that on Linux for a process started
from another: the kernel carries the high-water mark across ``exec`` (the old
address space's peak is folded into the process's), so a benchmark child
started by a parent holding a 100,000-user org reports the parent's size. The
``VmHWM`` line of ``/proc/self/status`` is the peak of the current address space
only, which after ``exec`` is the child's own. ``ru_maxrss`` is the fallback
where ``/proc`` is missing (it is right for a process nobody started big).
"""

from __future__ import annotations

import resource
from pathlib import Path

__all__ = ["peak_rss_mb"]

_STATUS = Path("/proc/self/status")


def peak_rss_mb() -> float:
    """The peak resident set of this process's address space, in MiB."""
    try:
        for line in _STATUS.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # the figure is in kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
