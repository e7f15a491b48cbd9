"""X's error bodies (problem-details JSON), word for word as the contract README lists them."""

PROBLEMS = "https://api.twitter.com/2/problems/"


class ApiError(Exception):
    def __init__(self, status: int, body: dict, content_type="application/problem+json"):
        super().__init__(body.get("detail") or body.get("error"))
        self.status, self.body, self.content_type = status, body, content_type


def invalid(parameters: dict, message: str) -> ApiError:
    params = {
        k: [str(v) for v in (vs if isinstance(vs, list) else [vs])] for k, vs in parameters.items()
    }
    return ApiError(
        400,
        {
            "errors": [{"parameters": params, "message": message}],
            "title": "Invalid Request",
            "detail": "One or more parameters to your request was invalid.",
            "type": PROBLEMS + "invalid-request",
        },
    )


def generic(status: int, title: str, detail: str | None = None) -> ApiError:
    return ApiError(
        status, {"title": title, "type": "about:blank", "status": status, "detail": detail or title}
    )


UNAUTHORIZED = {
    "title": "Unauthorized",
    "type": "about:blank",
    "status": 401,
    "detail": "Unauthorized",
}
TOO_MANY = {
    "title": "Too Many Requests",
    "detail": "Too Many Requests",
    "type": "about:blank",
    "status": 429,
}
USAGE_CAPPED = {
    "title": "UsageCapExceeded",
    "detail": "Usage cap exceeded: Monthly product cap",
    "type": PROBLEMS + "usage-capped",
    "period": "Monthly",
    "scope": "Product",
}
DUPLICATE = "You are not allowed to create a Tweet with duplicate content."
REPLY_NOT_ALLOWED = (
    "Reply to this conversation is not allowed because you have not been mentioned or otherwise"
    " engaged by the author of the post you are replying to."
)


def unsupported_authentication() -> ApiError:
    return ApiError(
        403,
        {
            "title": "Unsupported Authentication",
            "detail": "Authenticating with OAuth 2.0 Application-Only is forbidden for this"
            " endpoint.  Supported authentication types are [OAuth 1.0a User Context,"
            " OAuth 2.0 User Context].",
            "type": PROBLEMS + "unsupported-authentication",
            "status": 403,
        },
    )


def not_found(kind: str, parameter: str, value: str) -> dict:
    """The entry X puts in `errors` (or answers alone) for a missing user, tweet or media."""
    return {
        "value": value,
        "detail": f"Could not find {kind} with {parameter}: [{value}].",
        "title": "Not Found Error",
        "resource_type": kind,
        "parameter": parameter,
        "resource_id": value,
        "type": PROBLEMS + "resource-not-found",
    }


def field_unauthorized(field: str, tweet_id: str, parameter: str) -> dict:
    return {
        "value": field,
        "detail": f"Sorry, you are not authorized to access '{field}' on the "
        f"Tweet with ids {tweet_id}.",
        "title": "Field Authorization Error",
        "resource_type": "tweet",
        "parameter": parameter,
        "resource_id": tweet_id,
        "field": field,
        "section": "data",
        "type": PROBLEMS + "not-authorized-for-field",
    }
