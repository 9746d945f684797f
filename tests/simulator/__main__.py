"""``python -m tests.simulator``: the simulator in the foreground (demos, benchmarks)."""

from __future__ import annotations

import argparse

from safety.geometry import SERVER_MAX_PIXELS, SERVER_MIN_PIXELS

from .model import CONVENTIONS, LANGUAGES, SimulatedModel
from .server import SimulatorServer


def main(argv: list[str] | None = None) -> None:
    """``python -m tests.simulator``: run in the foreground for demos and benchmarks."""
    parser = argparse.ArgumentParser(
        prog="python -m tests.simulator",
        description="A local Qwen-VL stand-in speaking the OpenAI chat completions API.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="bind address (default loopback)")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--convention", choices=CONVENTIONS, default="absolute")
    parser.add_argument("--grid", type=int, default=28, help="28 Qwen2.5-VL, 32 Qwen3-VL")
    parser.add_argument("--min-pixels", type=int, default=SERVER_MIN_PIXELS)
    parser.add_argument("--max-pixels", type=int, default=SERVER_MAX_PIXELS)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds per request")
    parser.add_argument(
        "--latency-per-token", type=float, default=0.0, help="extra seconds per visual token"
    )
    parser.add_argument(
        "--capacity", type=int, default=0, help="requests served at once (0 = unlimited)"
    )
    parser.add_argument("--language", choices=LANGUAGES, default="zh")
    parser.add_argument(
        "--model", action="append", dest="models", help="model name to serve (repeatable)"
    )
    parser.add_argument("--api-key", default=None, help="require this Bearer key")
    parser.add_argument("--max-visual-tokens", type=int, default=None)
    parser.add_argument("--quiet", action="store_true", help="do not log each request")
    args = parser.parse_args(argv)

    model = SimulatedModel(
        convention=args.convention,
        grid=args.grid,
        min_pixels=args.min_pixels,
        max_pixels=args.max_pixels,
        models=tuple(args.models or SimulatedModel().models),
        api_key=args.api_key,
        base_latency=args.latency,
        latency_per_token=args.latency_per_token,
        capacity=args.capacity,
        answer_language=args.language,
        max_visual_tokens=args.max_visual_tokens,
    )
    server = SimulatorServer(model, args.host, args.port, log_requests=not args.quiet)
    print(
        f"Qwen-VL simulator on {server.base_url} serving {', '.join(model.models)} "
        f"(convention {model.convention}, grid {model.grid}, max_pixels {model.max_pixels}, "
        f"capacity {model.capacity or 'unlimited'}). Ctrl+C stops it.",
        flush=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
