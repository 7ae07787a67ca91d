"""A comparison of two snapshots as HTML (self-contained, like the report) or JSON."""

from __future__ import annotations

import json
from typing import Any

from atomation.report.compare import Comparison, ConfigChange, FindingDelta
from atomation.report.html import template_environment

__all__ = [
    "COMPARISON_FORMAT",
    "comparison_json",
    "render_comparison_html",
    "render_comparison_json",
]

COMPARISON_FORMAT = "atomation-comparison/1"


def comparison_json(comparison: Comparison) -> dict[str, Any]:
    window = comparison.log_window
    return {
        "format": COMPARISON_FORMAT,
        "tenant_id": comparison.tenant_id,
        "org_url": comparison.org_url,
        "old": {
            "snapshot_id": comparison.old.snapshot_id,
            "captured_at": comparison.old.captured_at.isoformat(),
        },
        "new": {
            "snapshot_id": comparison.new.snapshot_id,
            "captured_at": comparison.new.captured_at.isoformat(),
        },
        "findings": {
            "new": [_delta(d) for d in comparison.new_findings],
            "resolved": [_delta(d) for d in comparison.resolved],
            "unchanged": [_delta(d) for d in comparison.unchanged],
            "not_comparable": [_delta(d) for d in comparison.not_comparable],
        },
        "changes": [_change(c) for c in comparison.changes],
        "gaps": list(comparison.gaps),
        "log_window": None
        if window is None
        else {"since": window[0].isoformat(), "until": window[1].isoformat()},
    }


def _delta(delta: FindingDelta) -> dict[str, Any]:
    return {
        "check_id": delta.check_id,
        "title": delta.title,
        "severity": delta.severity,
        "resource_kind": delta.resource_kind,
        "resource_id": delta.resource_id,
        "resource_label": delta.resource_label,
        "message": delta.message,
    }


def _change(change: ConfigChange) -> dict[str, Any]:
    return {
        "kind": change.kind,
        "id": change.id,
        "parent_id": change.parent_id,
        "label": change.label,
        "change": change.change,
        "fields": list(change.fields),
        "events": [
            {
                "uuid": e.uuid,
                "published": e.published,
                "event_type": e.event_type,
                "actor_id": e.actor_id,
                "actor": e.actor,
                "outcome": e.outcome,
            }
            for e in change.events
        ],
    }


def render_comparison_json(comparison: Comparison) -> bytes:
    text = json.dumps(comparison_json(comparison), indent=2, ensure_ascii=False)
    return (text + "\n").encode("utf-8")


def render_comparison_html(comparison: Comparison) -> bytes:
    template = template_environment().get_template("compare.html.jinja")
    return template.render(comparison=comparison).encode("utf-8")
