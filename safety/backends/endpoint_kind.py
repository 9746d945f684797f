"""Which kind of endpoint a run talks to: the one answer, for live requests and batch files.

    endpoint_kind(preset, base_url, provider=None) -> EndpointKind

A request differs by kind: DashScope is not asked for token log-probabilities (its vision
models are not known to give them) and gets ``vl_high_resolution_images`` for detail
"high"; a vLLM or other OpenAI-compatible server is asked for log-probabilities. The kind
follows, in this order: a Batch API provider named on the command line, the preset, then
the base URL.
"""

from __future__ import annotations

from enum import Enum


class EndpointKind(str, Enum):
    OPENAI_COMPATIBLE = "openai-compatible"  # vLLM, OpenAI and other OpenAI-style servers
    DASHSCOPE = "dashscope"


# A Batch API provider (safety.batch_api.prepare.PROVIDERS) -> the kind of its requests.
PROVIDER_KINDS = {
    "dashscope": EndpointKind.DASHSCOPE,
    "openai": EndpointKind.OPENAI_COMPATIBLE,
    "vllm": EndpointKind.OPENAI_COMPATIBLE,
}


def endpoint_kind(preset: str, base_url: str, provider: str | None = None) -> EndpointKind:
    """The kind of endpoint: ``provider`` (a batch's --provider) when given, else the preset
    (dashscope, dashscope-intl), else a base URL that names DashScope."""
    if provider:
        return PROVIDER_KINDS[provider]
    if preset.startswith("dashscope") or "dashscope" in base_url.lower():
        return EndpointKind.DASHSCOPE
    return EndpointKind.OPENAI_COMPATIBLE
