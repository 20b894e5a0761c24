"""The OpenAPI 3 description of the operator API (served at ``/api/v1/openapi.json``)."""

from __future__ import annotations

from typing import Any

_ERR = {"description": "error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
_TOKEN: list[dict[str, list[str]]] = [{"operatorToken": []}]


def _op(
    summary: str,
    *,
    ok: str = "done",
    secured: bool = True,
    body: str | None = None,
    errors: tuple[int, ...] = (400, 401, 403, 404),
) -> dict[str, Any]:
    op: dict[str, Any] = {"summary": summary, "responses": {"200": {"description": ok}}}
    for e in errors:
        op["responses"][str(e)] = _ERR
    if secured:
        op["security"] = _TOKEN
    if body:
        op["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{body}"}}},
        }
    return op


_ID = [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}]


def openapi() -> dict[str, Any]:
    code_note = (
        "A hijack incident needs `person` and `code` (their TOTP code); other categories also accept "
        "an operator bearer token. A code acts only on an incident routed to its person (paged, or in its "
        "policy's teams and schedules): anyone else gets 403 and must take the incident over first."
    )
    paths: dict[str, Any] = {
        "/api/v1/incidents": {"get": _op("List open incidents", ok="open incidents")},
        "/api/v1/incidents/{id}": {"parameters": _ID, "get": _op("Show one incident with its timeline")},
        "/api/v1/silences": {
            "get": _op("List silences"),
            "post": _op("Create a silence (a TOTP code if it could mute hijack alerts)", body="SilenceIn"),
        },
        "/api/v1/silences/{id}": {"parameters": _ID, "delete": _op("Expire a silence now")},
        "/api/v1/maintenance": {
            "get": _op("List maintenance windows"),
            "post": _op(
                "Create a maintenance window (never mutes hijack alerts) for a configured page (400 for any other)",
                body="MaintenanceIn",
            ),
        },
        "/api/v1/maintenance/{id}": {"parameters": _ID, "delete": _op("Expire a maintenance window now")},
        "/api/v1/oncall": {
            "get": {
                **_op(
                    "Who is on call now, until when, and who is next, per schedule, with its overrides "
                    "(sentinel --url ... oncall)",
                    ok="the schedules",
                    errors=(401,),
                ),
                "responses": {
                    "200": {
                        "description": "the schedules",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/OnCall"}}},
                    },
                    "401": _ERR,
                },
            }
        },
        "/api/v1/openapi.json": {"get": _op("This description", secured=False, errors=())},
        "/calendar/{token}.ics": {
            "get": {
                "summary": "A person's on-call shifts as iCalendar: the secret link the console's on-call page shows "
                "its person (no bearer token: the link is the credential)",
                "parameters": [{"name": "token", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {
                    "200": {"description": "text/calendar"},
                    "404": {"description": "no such link (wrong, rotated or turned off)"},
                },
            }
        },
        "/api/v1/report": {
            "get": _op(
                "The community team's report (sentinel report): query page, from, to "
                "(YYYY-MM-DD), format (json, csv, html, text), all=1",
                ok="one object per page and channel",
            )
        },
        "/api/v1/sms/twilio": {
            "post": {
                "summary": "Twilio inbound SMS webhook (X-Twilio-Signature checked)",
                "responses": {
                    "200": {"description": "TwiML reply"},
                    "403": {"description": "bad signature"},
                    "409": {"description": "message already seen"},
                },
            }
        },
        "/api/v1/sms/46elks/{token}": {
            "post": {
                "summary": "46elks inbound SMS webhook (secret URL token)",
                "responses": {
                    "200": {"description": "reply text"},
                    "404": {"description": "wrong token"},
                    "409": {"description": "message already seen"},
                },
            }
        },
        "/ack/{link}": {
            "get": {
                "summary": "Signed-link acknowledgement page",
                "responses": {
                    "200": {"description": "HTML form"},
                    "403": {"description": "tampered link"},
                    "410": {"description": "expired link"},
                },
            },
            "post": {
                "summary": "Submit the TOTP code from the page",
                "responses": {"200": {"description": "done"}, "403": {"description": "refused"}},
            },
        },
    }
    for action in ("ack", "resolve", "snooze"):
        op = _op(
            f"{action.capitalize()} an incident. {code_note}", body="ActionIn", errors=(400, 401, 403, 404, 409, 423)
        )
        op["security"] = [{}, {"operatorToken": []}]
        paths[f"/api/v1/incidents/{{id}}/{action}"] = {"parameters": _ID, "post": op}
    take = _op(
        "Take an incident over with your TOTP code (any enrolled person): afterwards your codes act on it. "
        "Audited, on the incident's timeline, and told to the people already paged.",
        secured=False,
        body="TakeOverIn",
        errors=(400, 401, 403, 404, 409, 423),
    )
    paths["/api/v1/incidents/{id}/take-over"] = {"parameters": _ID, "post": take}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Sentinel operator API", "version": "1"},
        "paths": paths,
        "components": {
            "securitySchemes": {"operatorToken": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Error": {"type": "object", "properties": {"error": {"type": "string"}}},
                "ActionIn": {
                    "type": "object",
                    "properties": {
                        "person": {"type": "string"},
                        "code": {"type": "string", "pattern": "^[0-9]{6}$"},
                        "until": {"type": "string", "format": "date-time"},
                        "for": {"type": "string", "example": "30m"},
                    },
                },
                "TakeOverIn": {
                    "type": "object",
                    "required": ["person", "code"],
                    "properties": {
                        "person": {"type": "string"},
                        "code": {"type": "string", "pattern": "^[0-9]{6}$"},
                        "reason": {"type": "string"},
                    },
                },
                "SilenceIn": {
                    "type": "object",
                    "required": ["matchers"],
                    "properties": {
                        "matchers": {"type": "array", "items": {"type": "string", "example": "page=druvan"}},
                        "starts": {"type": "string", "format": "date-time"},
                        "ends": {"type": "string", "format": "date-time"},
                        "for": {"type": "string"},
                        "comment": {"type": "string"},
                        "person": {"type": "string"},
                        "code": {"type": "string"},
                    },
                },
                "OnCall": {
                    "type": "object",
                    "properties": {
                        "at": {"type": "string", "format": "date-time"},
                        "schedules": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "schedule": {"type": "string"},
                                    "timezone": {"type": "string"},
                                    "now": {"type": "array", "items": {"type": "string"}},
                                    "until": {"type": "string", "format": "date-time", "nullable": True},
                                    "next": {"type": "array", "items": {"type": "string"}},
                                    "next_until": {"type": "string", "format": "date-time", "nullable": True},
                                    "overrides": {
                                        "type": "array",
                                        "items": {
                                            "type": "object",
                                            "properties": {
                                                "person": {"type": "string"},
                                                "start": {"type": "string"},
                                                "end": {"type": "string"},
                                                "replaces": {"type": "string", "nullable": True},
                                            },
                                        },
                                    },
                                },
                            },
                        },
                    },
                },
                "MaintenanceIn": {
                    "type": "object",
                    "required": ["page"],
                    "properties": {
                        "page": {"type": "string"},
                        "starts": {"type": "string", "format": "date-time"},
                        "ends": {"type": "string", "format": "date-time"},
                        "for": {"type": "string"},
                        "comment": {"type": "string"},
                    },
                },
            },
        },
    }
