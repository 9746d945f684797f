"""The project's exception tree.

Every failure a user can meet is one of these, and every message says what to do.
The web app turns them into gr.Error in one place; the command line prints one line each.
Messages never contain an API key: they are built from our own words and from values we
have already scrubbed (see ``safety.scrub``).
"""


class SafetyError(Exception):
    """Base of every error this project raises on purpose."""

    kind = "error"


class ConfigurationError(SafetyError):
    """A setting is missing or wrong (base URL, model, key, option values)."""

    kind = "configuration"


class InputError(SafetyError):
    """A photo or URL cannot be used: not an image, too large, refused address..."""

    kind = "input"


class EndpointError(SafetyError):
    """The model endpoint failed: unreachable, refused, timed out, rate limited..."""

    kind = "endpoint"

    def __init__(self, message: str, *, status: int | None = None, retryable: bool = False):
        super().__init__(message)
        self.status = status
        self.retryable = retryable


class ModelOutputError(SafetyError):
    """The model answered, but its answer could not be read as detections.

    This is never turned into "no detections": an unreadable answer is an error.
    """

    kind = "model output"
