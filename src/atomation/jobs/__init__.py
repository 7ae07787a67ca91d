"""Background jobs: verify (and, as their parts land, snapshot and assessment).

A job is a row in ``jobs`` (kind, tenant, state, progress, error, attempts) run
by an in-process :class:`~atomation.jobs.runner.JobRunner`; what each kind does
is registered in a :class:`~atomation.jobs.kinds.JobKinds`.
"""
