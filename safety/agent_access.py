"""Whether the app serves its tools for agents (Gradio's MCP server), from SAFETY_MCP.

Unset: on when the page is not public and the MCP extra (``gradio[mcp]``) is installed. A
public page serves them only when the owner sets SAFETY_MCP=1 and visitors log in
(SAFETY_AUTH): the agents then give the same user and password (safety.web.agents).
SAFETY_MCP=0: never.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping

from .envvars import env_setting
from .errors import ConfigurationError


def mcp_installed() -> bool:
    return importlib.util.find_spec("mcp") is not None


def mcp_enabled(environ: Mapping[str, str], public: bool, logins: bool) -> bool:
    wanted = env_setting(environ, "SAFETY_MCP")
    if wanted is False:
        return False
    if public and (not wanted or not logins):
        if wanted:
            raise ConfigurationError(
                "SAFETY_MCP=1 is not valid on a public page without SAFETY_AUTH: set "
                'SAFETY_AUTH="user:password" (agents then log in), or SAFETY_MCP=0.'
            )
        return False
    if wanted and not mcp_installed():
        raise ConfigurationError(
            'SAFETY_MCP=1 needs the MCP extra: pip install "gradio[mcp]" (or set SAFETY_MCP=0).'
        )
    return mcp_installed()
