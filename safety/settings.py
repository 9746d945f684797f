"""Every environment variable the product reads, said once: its name, what it accepts, its
default and what it does.

    SETTINGS        the registry: the variables a person sets (a Setting each)
    SYSTEM          variables the platform sets that the product also looks at
    setting(name)   one entry; KeyError for a name not in the registry

``safety.envvars.env_setting`` reads a variable by its entry (kind, bounds, default), so the
checks, the error lines and the documentation (docs/settings.md, written by
``python -m safety.settings_doc``) come from the same place. A test fails when a variable is
read in safety/ without an entry here, or when docs/settings.md differs from the registry.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import limits
from .backends.presets import COORD_CHOICES, PRESETS


@dataclass(frozen=True)
class Setting:
    """One environment variable.

    kind: "int" | "float" | "choice" | "flag" read and checked by kind (safety.envvars);
          "text" is read as text and checked where it is used (a URL, a folder, a key).
    minimum, maximum, choices: what an int, float or choice accepts.
    value: the default when unset (None: none, or ``default`` says what happens).
    accepts, default: the documentation's words, when the kind and value do not say it.
    """

    name: str
    does: str
    kind: str = "text"
    value: Any = None
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    accepts: str = ""
    default: str = ""
    secret: bool = False  # a key: never shown, never logged

    def accepted(self) -> str:
        """What the variable accepts, in the words of the error line (safety.envvars)."""
        if self.accepts:
            return self.accepts
        if self.kind == "int":
            if self.maximum is not None:
                return f"a whole number from {self.minimum:.0f} to {self.maximum:.0f}"
            return f"a whole number, {self.minimum:.0f} or more"
        if self.kind == "float":
            return f"a number, {self.minimum:g} or more"
        if self.kind in ("choice", "flag"):
            return f"one of {', '.join(self.choices)}"
        return "text"

    def shown_default(self) -> str:
        if self.default:
            return self.default
        if self.value is None:
            return "none"
        return f"{self.value:g}" if isinstance(self.value, float) else str(self.value)


_FLAG = ("0", "1")

SETTINGS: tuple[Setting, ...] = (
    # -- the endpoint ----------------------------------------------------------------------
    Setting("QWEN_VL_BASE_URL", "OpenAI-compatible base URL; several, separated by commas or "
            "spaces, for one run over several endpoints",
            accepts="http(s) URL(s)", default="the preset's"),
    Setting("QWEN_VL_MODEL", "model name as the server knows it", default="the preset's"),
    Setting("QWEN_VL_API_KEY", "API key (falls back to `DASHSCOPE_API_KEY` on DashScope)",
            accepts="a key", secret=True),
    Setting("DASHSCOPE_API_KEY", "DashScope key; alone it selects DashScope + qwen-vl-max",
            accepts="a key", secret=True),
    Setting("QWEN_VL_PRESET", "endpoint preset (see [endpoints](endpoints.md))", kind="choice",
            choices=tuple(PRESETS), default="guessed from the URL"),
    Setting("QWEN_VL_COORDS", "how the model's boxes are read (see [coordinates](endpoints.md#coordinates))",  # noqa: E501
            kind="choice",
            choices=COORD_CHOICES,
            default="`auto` on your own server, else from the model name"),
    Setting("QWEN_VL_MAX_PIXELS", "largest frame sent to the model, in pixels", kind="int",
            value=limits.DEFAULT_MAX_PIXELS, minimum=limits.MIN_MAX_PIXELS,
            maximum=limits.MAX_MAX_PIXELS,
            default=f"{limits.DEFAULT_MAX_PIXELS} (about 1280 visual tokens)"),
    Setting("QWEN_VL_TIMEOUT", "seconds per request", kind="float",
            value=limits.DEFAULT_TIMEOUT_S, minimum=limits.MIN_TIMEOUT_S),
    Setting("QWEN_VL_RETRIES", "retries on 429 (honouring Retry-After), 5xx, timeouts",
            kind="int", value=limits.DEFAULT_RETRIES, minimum=0),
    Setting("QWEN_VL_CONCURRENCY", "photos in flight at once, per endpoint", kind="int",
            value=limits.DEFAULT_CONCURRENCY, minimum=1, maximum=limits.MAX_CONCURRENCY),
    Setting("QWEN_VL_MAX_TOKENS", "answer length cap", kind="int",
            value=limits.DEFAULT_MAX_TOKENS, minimum=limits.MIN_MAX_TOKENS),
    # -- how closely photos are looked at --------------------------------------------------
    Setting("SAFETY_DETAIL", "how closely each photo is looked at (see [detail](detail.md))",
            kind="choice", choices=limits.DETAILS, value=limits.DEFAULT_DETAIL),
    Setting("SAFETY_RECHECK", "a second look at doubtful persons (see [detail](detail.md))",
            kind="choice", choices=limits.RECHECKS, value=limits.DEFAULT_RECHECK),
    # -- files and downloads ---------------------------------------------------------------
    Setting("SAFETY_CACHE_DIR", "where calibrations (and evaluation answers) are remembered",
            accepts="a folder", default="`~/.cache/safety-inspect`"),
    Setting("SAFETY_ALLOWED_NETWORKS", "private networks photos (and a typed endpoint) may "
            "reach, e.g. `10.1.2.0/24`",
            accepts="networks or addresses, separated by commas"),
    Setting("SAFETY_MAX_DOWNLOAD_MB", "size cap of a photo downloaded from a URL",
            accepts="a number of megabytes above 0, e.g. 20 or 0.5",
            default=str(limits.MAX_PHOTO_MB)),
    # Read leniently (safety.commands.cli.system_lang): another value falls back to the locale.
    Setting("SAFETY_LANG", "the command line's language", accepts="`en` or `zh`",
            default="from `LANG`"),
    Setting("SAFETY_RULES_DIR", "a folder of your own rules files (`NAME.toml`), looked in "
            "before the shipped ones", accepts="a folder"),
    # -- the web app -----------------------------------------------------------------------
    Setting("SAFETY_MAX_PHOTOS", "web app: photos per run", kind="int",
            value=limits.DEFAULT_MAX_PHOTOS, minimum=1),
    Setting("SAFETY_MAX_FILE_MB", "web app: size cap of an upload, in megabytes", kind="int",
            value=limits.MAX_PHOTO_MB, minimum=1, maximum=limits.MAX_PHOTO_MB),
    Setting("SAFETY_RUNS_AT_ONCE", "web app: runs worked on at once", kind="int",
            value=limits.DEFAULT_RUNS_AT_ONCE, minimum=1, maximum=64,
            default=f"{limits.DEFAULT_RUNS_AT_ONCE} "
            f"({limits.PUBLIC_RUNS_AT_ONCE} in public mode)"),
    Setting("SAFETY_QUEUE_SIZE", "web app: runs waiting beyond those", kind="int",
            value=limits.DEFAULT_QUEUE_SIZE, minimum=1, maximum=10_000),
    Setting("SAFETY_AUTH", "web app: login", accepts="`user:password`", secret=True),
    Setting("SAFETY_PUBLIC", "`1`: public mode (see [security](security.md)); `0`: off",
            kind="flag",
            choices=_FLAG, default="on when `SPACE_ID` is set"),
    Setting("SAFETY_PHOTOS_PER_HOUR", "public mode: photos per visitor (address and session) "
            "an hour; 0: no limit", kind="int", value=0, minimum=0,
            default=f"{limits.DEFAULT_PHOTOS_PER_HOUR} (public), none"),
    Setting("SAFETY_RUNS_PER_CLIENT", "public mode: runs at once per visitor; 0: no limit",
            kind="int", value=0, minimum=0,
            default=f"{limits.DEFAULT_RUNS_PER_CLIENT} (public), none"),
    Setting("SAFETY_MAX_VIDEO_MB", "web app: size cap of an uploaded video, in megabytes",
            kind="int", value=limits.MAX_VIDEO_MB, minimum=1, maximum=limits.MAX_VIDEO_MB,
            default=f"{limits.PUBLIC_MAX_VIDEO_MB} (public), {limits.MAX_VIDEO_MB}"),
    Setting("SAFETY_MAX_VIDEO_S", "web app: longest video accepted, in seconds; 0: any length",
            kind="int", value=0, minimum=0,
            default=f"{limits.PUBLIC_MAX_VIDEO_S:.0f} (public), none"),
    Setting("SAFETY_VIDEO_FRAMES", "web app: frames sent per video at most (the rate is "
            "lowered to fit a long video); each frame counts as a photo against "
            "`SAFETY_PHOTOS_PER_HOUR`", kind="int", value=limits.DEFAULT_MAX_FRAMES,
            minimum=1, maximum=limits.MAX_MAX_FRAMES,
            default=f"{limits.PUBLIC_MAX_VIDEO_FRAMES} (public), {limits.DEFAULT_MAX_FRAMES}"),
    Setting("SAFETY_REPORTS_PER_HOUR", "public mode: reports a visitor may have written "
            "again (after review) an hour; 0: no limit", kind="int", value=0, minimum=0,
            default=f"{limits.PUBLIC_REPORTS_PER_HOUR} (public), none"),
    Setting("SAFETY_REDRAWS_PER_HOUR", "public mode: photos drawn again for a visitor (review "
            "decisions, findings chosen, runs restored) an hour; 0: no limit", kind="int",
            value=0, minimum=0, default=f"{limits.PUBLIC_REDRAWS_PER_HOUR} (public), none"),
    Setting("SAFETY_RUN_DEADLINE_S", "web app: time limit of a whole run, in seconds",
            kind="float", value=limits.DEFAULT_RUN_DEADLINE_S, minimum=10.0),
    Setting("SAFETY_PROMPT_FILE", "the owner's prompt, used instead of the built-in one",
            accepts=f"a UTF-8 text file of up to {limits.MAX_PROMPT_CHARS:,} characters",
            default="the built-in prompt"),
    Setting("SAFETY_RUN_HISTORY", "`1`: Gradio keeps each visitor's runs in their browser",
            kind="flag", choices=_FLAG, value=False, default="`0`"),
    Setting("SAFETY_ALERTS_FILE", "web app: the alerts file; runs on the page (never an "
            "anonymous visitor's on a public page) alert the site's chat group "
            "(see [alerts](alerts.md))", accepts="a TOML file, readable by its owner only"),
    Setting("SAFETY_MCP", "web app: `1` serves the tools for agents (see "
            "[MCP](alerts.md#tools-for-agents-mcp)); `0` never", kind="flag", choices=_FLAG,
            default="on when not public and `gradio[mcp]` is installed; a public page needs "
            "`1` and `SAFETY_AUTH`"),
    # The hazard ledger (docs/ledger.md).
    Setting("SAFETY_DATA_DIR", "the hazard ledger's folder: its SQLite database, the "
            "photos, each stored once (see [ledger](ledger.md)), and the web app's run "
            "folders", accepts="a folder",
            default="`data/` beside the app; `/data` on a Space with persistent storage"),
    Setting("DATABASE_URL", "puts the hazard ledger on PostgreSQL (or another SQLite file) "
            "instead", secret=True,
            accepts="`postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE` or `sqlite:///FILE`",
            default="SQLite in `SAFETY_DATA_DIR`"),
    Setting("SAFETY_PUBLIC_URL", "the app's public address: rectification notices then carry "
            "the site manager's upload link and QR code", accepts="an http(s) URL",
            default="none (no link)"),
)  # fmt: skip

# Set by the platform, not by you; read to fit in with it.
SYSTEM: tuple[Setting, ...] = (
    Setting("SPACE_ID", "set on a Hugging Face Space: public mode, and the visitor's address "
            "taken from the Space's proxy"),
    Setting("XDG_CACHE_HOME", "where `SAFETY_CACHE_DIR` goes when unset",
            default="`~/.cache`"),
    Setting("LC_ALL", "the command line's language when `SAFETY_LANG` is unset (the first "
            "of these set; Chinese when it starts with `zh`)"),
    Setting("LC_MESSAGES", "as `LC_ALL`"),
    Setting("LANG", "as `LC_ALL`"),
)  # fmt: skip

_BY_NAME = {s.name: s for s in SETTINGS + SYSTEM}


def setting(name: str) -> Setting:
    """The registry's entry of ``name``; KeyError when it has none (read nothing unlisted)."""
    return _BY_NAME[name]


def names() -> frozenset[str]:
    return frozenset(_BY_NAME)
