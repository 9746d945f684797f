"""What a setting costs before it is spent, and what a run cost after.

Requests and tokens per photo are worked out from the same geometry that chooses the frames
(safety.geometry, safety.passes.tiles), for a typical 12 MP site photo. Money is shown only where
the endpoint's published price is known: PRICES is the one table of prices.
"""

from __future__ import annotations

from collections.abc import Iterable

from . import geometry, limits
from .detections import ImageResult
from .i18n import t
from .passes import tiles

# CNY per 1,000 tokens (input, output), live calls, by model name prefix (longest first).
# Source: Alibaba Cloud Model Studio, 通义千问VL page (help.aliyun.com, updated 2025-02-13):
# qwen-vl-max 0.003 / 0.009, qwen-vl-plus 0.0015 / 0.0045; batch calls cost half.
# (A third-party copy quoted 0.0016 / 0.004 for qwen-vl-max: check the current price page.)
# Self-hosted vLLM has no per-token price: tokens are shown, no money.
PRICES: dict[str, tuple[float, float]] = {
    "qwen-vl-max": (0.003, 0.009),
    "qwen-vl-plus": (0.0015, 0.0045),
}
CURRENCY = "CNY"

TYPICAL_PHOTO = (4000, 3000)  # a 12 MP site photo
TOKEN_SIDE = 28  # one visual token per 28 x 28 pixels (Qwen2.5-VL; DashScope bills so)
PROMPT_TOKENS = 250  # the system prompt and our question, about
ANSWER_TOKENS = 150  # a typical answer: a few objects
RECHECK_TOKENS = 256 + 150 + 30  # a 448 x 448 crop, the focused question, a short answer


def frame_tokens(width: int, height: int) -> int:
    return round(width * height / (TOKEN_SIDE * TOKEN_SIDE))


def per_photo(
    detail: str, width: int = TYPICAL_PHOTO[0], height: int = TYPICAL_PHOTO[1]
) -> tuple[int, int]:
    """(requests, tokens) one photo costs at this detail, before any re-check."""
    grid = geometry.UNIVERSAL_GRID
    budget = limits.HIGH_MAX_PIXELS if detail == "high" else limits.DEFAULT_MAX_PIXELS
    frames = [geometry.choose_frame(width, height, grid, budget)]
    if detail == "tiles":
        frames += [(tl.frame_w, tl.frame_h) for tl in tiles.layout(width, height, grid, budget)]
    tokens = sum(frame_tokens(w, h) + PROMPT_TOKENS + ANSWER_TOKENS for w, h in frames)
    return len(frames), tokens


def price_for(model: str | None) -> tuple[float, float] | None:
    name = (model or "").lower()
    for prefix in sorted(PRICES, key=len, reverse=True):
        if name.startswith(prefix):
            return PRICES[prefix]
    return None


def detail_help(lang: str) -> str:
    """--help for --detail, with each setting's requests and tokens per photo."""
    parts = []
    for detail in limits.DETAILS:
        requests, tokens = per_photo(detail)
        parts.append(t("cost.setting", lang, name=detail, requests=requests, tokens=tokens))
    return t(
        "cli.detail",
        lang,
        costs=t("list.separator", lang).join(parts),
        default=limits.DEFAULT_DETAIL,
    )


def recheck_help(lang: str) -> str:
    return t("cli.recheck", lang, tokens=RECHECK_TOKENS, default=limits.DEFAULT_RECHECK)


def run_cost(results: Iterable[ImageResult], model: str | None, lang: str) -> str:
    """One line for the run summary: requests, tokens and, at a known price, the money."""
    requests = prompt = completion = 0
    for r in results:
        if r.usage is None and r.error:
            continue
        video = getattr(r, "video", None)  # a video (safety.video): its frames' requests
        if video and isinstance(video.get("requests"), int):
            requests += video["requests"]
        else:
            requests += 1 + sum(1 for p in r.passes if p.get("raw_text") is not None)
        usage = r.usage or {}
        prompt += int(usage.get("prompt_tokens", 0))
        completion += int(usage.get("completion_tokens", 0))
    line = t("cost.run", lang, requests=requests, prompt=prompt, completion=completion)
    price = price_for(model)
    if price is not None:
        money = prompt / 1000 * price[0] + completion / 1000 * price[1]
        line += t("cost.money", lang, money=money, currency=CURRENCY, model=model)
    return line


CROWD = 30  # persons on a crowded site photo, for the "second look at everyone" warning


def estimate(photos: int, detail: str, recheck: str, model: str | None, lang: str) -> list[str]:
    """What a run will cost, said before it starts: requests and tokens for ``photos`` typical
    photos at this detail, the money at a known price, and what the second look adds (a line
    each). With no photo yet, the cost of one."""
    requests, tokens = per_photo(detail)
    answer = requests * ANSWER_TOKENS  # the output share of the tokens; the rest is input
    if photos <= 0:
        lines = [t("cost.estimate-empty", lang, requests=requests, tokens=tokens)]
        count = 1
    else:
        lines = [
            t(
                "cost.estimate",
                lang,
                photos=photos,
                requests=photos * requests,
                tokens=photos * tokens,
            )  # fmt: skip
        ]
        count = photos
    price = price_for(model)
    if price is not None:
        money = count * ((tokens - answer) / 1000 * price[0] + answer / 1000 * price[1])
        lines[0] += t("cost.money", lang, money=money, currency=CURRENCY, model=model)
    else:
        lines[0] += t("cost.no-price", lang)
    if recheck == "auto":
        lines.append(t("cost.recheck-auto", lang, tokens=RECHECK_TOKENS))
    elif recheck == "all":
        lines.append(
            t(
                "cost.recheck-all",
                lang,
                tokens=RECHECK_TOKENS,
                crowd=CROWD,
                requests=requests + CROWD,
                per=requests,
            )  # fmt: skip
        )
    return lines
