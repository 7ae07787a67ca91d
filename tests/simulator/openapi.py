"""Validate JSON against component schemas of Okta's management OpenAPI spec.

OpenAPI 3.0 schemas are not quite JSON Schema, so the spec is converted once:

* ``nullable: true`` becomes a type that also admits ``null``;
* a schema with a ``discriminator`` dispatches on the discriminator property to the
  mapped schema (``if``/``then``), and ``$ref``s to it from inside an ``allOf`` (the
  spec's inheritance pattern: a subtype is ``allOf: [base, extras]``) point at a
  copy without the dispatch, so a subtype does not re-dispatch to itself;
* a ``oneOf`` without a discriminator becomes ``anyOf``: the spec's alternatives
  allow additional properties, so one object often matches several of them, which
  real Okta responses do too;
* ``readOnly``/``writeOnly``/``example``/``x-*`` annotations are kept (JSON Schema
  ignores them).

Three documented deviations from the spec's schemas are applied, each where the
live API (or the spec's own examples) differ from them:

* access-policy constraint ``types``/``methods`` are lowercase on the live API
  (okta-api.md §7, §11.9) while the spec enumerates them in uppercase, so those
  enums accept either case;
* Okta's first-party apps are OIDC apps named ``saasure`` (Admin Console) and
  ``okta_enduser`` (Dashboard), while the spec's ``OpenIdConnectApplication.name``
  enum lists only ``oidc_client``, so it also accepts those two names;
* an IdP routing rule's provider may be of type ``OKTA`` (the spec's own
  ``IDP_DISCOVERY`` rule example routes to ``OKTA``, okta-api.md §9.3), although
  ``IdentityProviderType`` omits it.

``load_spec()`` returns ``None`` when ``shared/okta-openapi/`` is absent, so tests can
skip with a clear reason.
"""

from __future__ import annotations

import copy
import functools
import os
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]
from jsonschema.exceptions import ValidationError  # type: ignore[import-untyped]

__all__ = ["SPEC_PATH", "OpenApiSpec", "load_spec"]

SPEC_PATH = Path(
    os.environ.get(
        "ATOMATION_TEST_OKTA_OPENAPI",
        "/work/shared/okta-openapi/management-minimal.yaml",
    )
)
_PLAIN = "__plain"
_FIRST_PARTY_APP_NAMES = ("saasure", "okta_enduser")
# Schemas whose enums the live API returns in another case than the spec lists.
_CASE_INSENSITIVE_ENUMS = {
    "KnowledgeConstraint",
    "PossessionConstraint",
    "AccessPolicyConstraint",
    "InherenceConstraint",
}


class OpenApiSpec:
    """The converted component schemas and a validator per component."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        raw = document["components"]["schemas"]
        _allow_first_party_app_names(raw)
        _allow_okta_routing_provider(raw)
        self._discriminated = {
            name for name, schema in raw.items() if "discriminator" in schema
        }
        schemas: dict[str, Any] = {}
        for name, schema in raw.items():
            schemas[name] = self._convert(schema, name=name, in_all_of=False)
            if name in self._discriminated:
                plain = {k: v for k, v in schema.items() if k != "discriminator"}
                schemas[name + _PLAIN] = self._convert(
                    plain, name=name, in_all_of=False
                )
        self._root = {"components": {"schemas": schemas}}

    def schema_names(self) -> list[str]:
        return sorted(self.document["components"]["schemas"])

    @functools.cache  # noqa: B019 - one spec object lives for the whole run
    def validator(self, component: str) -> Draft202012Validator:
        if component not in self.document["components"]["schemas"]:
            raise KeyError(f"no component schema named {component!r}")
        schema: dict[str, Any] = dict(self._root)
        schema["$ref"] = f"#/components/schemas/{component}"
        return Draft202012Validator(schema)

    def errors(self, component: str, instance: Any) -> list[str]:
        """Every validation error, as 'path: message' lines (empty when valid)."""
        found = sorted(
            self.validator(component).iter_errors(instance),
            key=lambda e: list(e.absolute_path),
        )
        return [_describe(error) for error in _leaves(found)]

    def _convert(self, node: Any, *, name: str, in_all_of: bool) -> Any:
        if isinstance(node, list):
            return [
                self._convert(item, name=name, in_all_of=in_all_of) for item in node
            ]
        if not isinstance(node, dict):
            return node
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                target = value.rsplit("/", 1)[-1]
                if in_all_of and target in self._discriminated:
                    value = f"#/components/schemas/{target}{_PLAIN}"
                out[key] = value
            elif key == "allOf":
                out[key] = [self._convert(v, name=name, in_all_of=True) for v in value]
            elif key == "oneOf" and "discriminator" not in node:
                out["anyOf"] = self._convert(value, name=name, in_all_of=False)
            elif key == "discriminator":
                continue
            elif key in ("properties", "patternProperties", "$defs"):
                out[key] = {
                    k: self._convert(v, name=name, in_all_of=False)
                    for k, v in value.items()
                }
            elif key == "enum" and name in _CASE_INSENSITIVE_ENUMS:
                lowered = [v.lower() for v in value if isinstance(v, str)]
                out[key] = list(dict.fromkeys([*value, *lowered]))
            else:
                out[key] = self._convert(value, name=name, in_all_of=False)
        if node.get("nullable") is True:
            out.pop("nullable", None)
            if "type" in out:
                types = out["type"] if isinstance(out["type"], list) else [out["type"]]
                out["type"] = [*types, "null"]
            if "enum" in out:
                out["enum"] = [*out["enum"], None]
            if "$ref" in out or "allOf" in out or "anyOf" in out or "oneOf" in out:
                out = {"anyOf": [{"type": "null"}, out]}
        discriminator = node.get("discriminator")
        if discriminator and "mapping" in discriminator:
            prop = discriminator["propertyName"]
            dispatch = []
            for value, ref in discriminator["mapping"].items():
                target = ref.rsplit("/", 1)[-1]
                dispatch.append(
                    {
                        "if": {
                            "properties": {prop: {"const": value}},
                            "required": [prop],
                        },
                        "then": {"$ref": f"#/components/schemas/{target}"},
                    }
                )
            if "oneOf" in node:
                out.pop("oneOf", None)
            out.setdefault("allOf", [])
            out["allOf"] = [*out["allOf"], *dispatch]
        return out


def _allow_first_party_app_names(schemas: dict[str, Any]) -> None:
    for part in schemas["OpenIdConnectApplication"].get("allOf", []):
        name = part.get("properties", {}).get("name")
        if name and "enum" in name:
            name["enum"] = [*name["enum"], *_FIRST_PARTY_APP_NAMES]


def _allow_okta_routing_provider(schemas: dict[str, Any]) -> None:
    provider = schemas["IdpPolicyRuleActionProvider"]["properties"]
    provider["type"] = {"anyOf": [provider["type"], {"const": "OKTA"}]}


def _leaves(errors: list[ValidationError]) -> list[ValidationError]:
    leaves: list[ValidationError] = []
    for error in errors:
        if error.context:
            leaves.extend(_leaves(list(error.context)))
        else:
            leaves.append(error)
    return leaves


def _describe(error: ValidationError) -> str:
    path = "/".join(str(p) for p in error.absolute_path) or "<root>"
    return f"{path}: {error.message[:300]}"


@functools.cache
def load_spec(path: Path = SPEC_PATH) -> OpenApiSpec | None:
    """The converted spec, or None when the spec folder is not present."""
    if not path.is_file():
        return None
    with path.open("rb") as handle:
        # The C safe loader when built (seconds faster on 3.5 MB), else the Python one.
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        document = yaml.load(handle, Loader=loader)  # noqa: S506 - a safe loader
    return OpenApiSpec(copy.deepcopy(document))
