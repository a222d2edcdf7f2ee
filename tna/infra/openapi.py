"""The OpenAPI schema of Latih's API: every operation documents the errors it can answer.

drf-spectacular documents what a view returns on success. ``AutoSchema`` adds the refusals DRF
and the views answer, from what the operation is, so a new view cannot forget them:

- 400 ``ApiValidationError`` when it writes (a body that is not valid, or an action that does
  not apply now) or takes query parameters that are checked;
- 403 ``ApiError`` unless anyone may call it (not signed in, or not allowed);
- 404 ``ApiError`` when its path names an object, when it is paged (``?page=`` past the end),
  or when the view says so in ``error_statuses`` (``me/`` views of an account with no employee);
- 429 ``ApiError`` with ``Retry-After`` when it is throttled.

The bodies are what DRF writes: ``{"detail": "…"}`` (with ``code`` where a service refused a
transition), or for a 400 the field errors, ``{"field": ["…"], "non_field_errors": ["…"]}``.
"""

from drf_spectacular import openapi
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework.permissions import AllowAny

ERROR = {
    "type": "object",
    "description": "A refusal: why, in words.",
    "properties": {
        "detail": {"type": "string", "description": "Why the request was refused, in words."},
        "code": {"type": "string", "description": "A machine name for the reason, where there is one."},
    },
    "required": ["detail"],
}
VALIDATION_ERROR = {
    "type": "object",
    "description": (
        "What is wrong with the request: ``detail`` (a sentence or a list of them) for a refused "
        "action, or one list of messages per field (``non_field_errors`` for the whole body)."
    ),
    "properties": {
        "detail": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
        "code": {"type": "string"},
        "non_field_errors": {"type": "array", "items": {"type": "string"}},
    },
    "additionalProperties": {},
}
DESCRIPTIONS = {
    "400": "The request is not valid, or the action does not apply now (the reason is in the body).",
    "403": "Not signed in, or not allowed to do this.",
    "404": "Nothing you may see answers to this address.",
    "429": "Too many requests: wait the number of seconds in Retry-After.",
}
RETRY_AFTER = {
    "Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait before asking again."},
}


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's schema plus the standard error responses of each operation."""

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        responses = operation.setdefault("responses", {})
        for code in sorted(self.error_statuses(operation)):
            responses.setdefault(code, self._error_response(code))
        return operation

    def error_statuses(self, operation):
        """The error status codes (strings) ``operation`` can answer."""
        codes = set()
        query = [p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"]
        if self.method not in ("GET", "HEAD", "OPTIONS") or any(name != "page" for name in query):
            codes.add("400")
        if not all(isinstance(p, AllowAny) for p in self.view.get_permissions()):
            codes.add("403")
        if "{" in self.path or "page" in query:
            codes.add("404")
        if self.view.get_throttles():
            codes.add("429")
        codes.update(str(code) for code in getattr(self.view, "error_statuses", ()))
        return codes

    def _component(self, name, schema):
        component = ResolvedComponent(name=name, type=ResolvedComponent.SCHEMA, schema=schema, object=name)
        self.registry.register_on_missing(component)
        return component.ref

    def _error_response(self, code):
        schema = self._component("ApiValidationError", VALIDATION_ERROR) if code == "400" else \
            self._component("ApiError", ERROR)
        response = {"description": DESCRIPTIONS.get(code, ""), "content": {"application/json": {"schema": schema}}}
        if code == "429":
            response["headers"] = RETRY_AFTER
        return response
