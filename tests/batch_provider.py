"""A Batch API provider, played for tests: request files in, output files out, over real HTTP.

    play(requests, output, base_url, fail=..., drop=..., errors=..., seed=...) -> Played
    python -m tests.batch_provider IN.jsonl OUT.jsonl --base-url URL [--fail ID=500]
        [--fail ID=error] [--drop ID] [--errors ERR.jsonl] [--seed N]

Each request line is checked as a provider checks it (custom_id, method POST, the url) and
its body POSTed, unchanged, to the server's root plus the line's url (the simulator's
/v1/chat/completions). The answers are written as OpenAI's, DashScope's and vLLM's batch
output lines, ``{"id", "custom_id", "response": {"status_code", "request_id", "body"},
"error"}``, in a shuffled order, as a provider gives them.

Scripted misfortune, by custom_id:
  fail ID=500     the request is not sent; its line says status 500 with an error body
  fail ID=error   the request is not sent; its line has no response, and an error
                  {code, message} (OpenAI's form for a request that expired)
  drop ID         no line at all (a request the provider lost)
With ``errors``, the lines of failed requests go to that file instead, as OpenAI and
DashScope put them in a batch's separate error file.
"""

from __future__ import annotations

import argparse
import json
import random
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx

EXPIRED = {
    "code": "batch_expired",
    "message": "This request could not be executed before the completion window expired.",
}
SERVER_ERROR = {
    "error": {
        "message": "The server had an error while processing your request.",
        "type": "server_error",
        "code": "internal_error",
    }
}


@dataclass
class Played:
    sent: int = 0  # requests POSTed
    written: int = 0  # output lines
    failed: list[str] = field(default_factory=list)  # custom_ids answered with an error
    dropped: list[str] = field(default_factory=list)


def _root(base_url: str) -> str:
    parts = urlsplit(base_url)
    return f"{parts.scheme}://{parts.netloc}"


def _check(item: object, lineno: int) -> dict:
    """A request line as a provider validates it before running anything."""
    ok = (
        isinstance(item, dict)
        and isinstance(item.get("custom_id"), str)
        and item.get("method") == "POST"
        and item.get("url") == "/v1/chat/completions"
        and isinstance(item.get("body"), dict)
    )
    if not ok:
        raise ValueError(f"line {lineno} is not a Batch API request line")
    return item


def _line(custom_id: str, status: int | None, body, error=None) -> dict:
    response = None
    if status is not None:
        response = {"status_code": status, "request_id": f"req_{uuid.uuid4().hex}", "body": body}
    return {
        "id": f"batch_req_{uuid.uuid4().hex}",
        "custom_id": custom_id,
        "response": response,
        "error": error,
    }


def play(
    requests: str | Path,
    output: str | Path,
    base_url: str,
    *,
    fail: dict[str, str] | None = None,
    drop: set[str] | frozenset[str] = frozenset(),
    errors: str | Path | None = None,
    seed: int = 0,
    api_key: str | None = None,
) -> Played:
    fail = fail or {}
    played = Played()
    good: list[dict] = []
    bad: list[dict] = []
    seen: set[str] = set()
    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    with httpx.Client(base_url=_root(base_url), timeout=120, headers=headers) as client:
        for lineno, raw in enumerate(Path(requests).read_bytes().splitlines(), start=1):
            if not raw.strip():
                continue
            item = _check(json.loads(raw), lineno)
            custom_id = item["custom_id"]
            if custom_id in seen:
                raise ValueError(f"line {lineno}: custom_id {custom_id} is not unique")
            seen.add(custom_id)
            if custom_id in drop:
                played.dropped.append(custom_id)
                continue
            how = fail.get(custom_id)
            if how == "500":
                line = _line(custom_id, 500, SERVER_ERROR)
            elif how == "error":
                line = _line(custom_id, None, None, EXPIRED)
            else:
                answer = client.post(item["url"], json=item["body"])
                played.sent += 1
                try:
                    body = answer.json()
                except ValueError:
                    body = {"error": {"message": answer.text[:500]}}
                line = _line(custom_id, answer.status_code, body)
            if line["error"] is None and line["response"]["status_code"] == 200:
                good.append(line)
            else:
                played.failed.append(custom_id)
                bad.append(line)
    rng = random.Random(seed)
    if errors is None:
        good, bad = good + bad, []
    for lines, path in ((good, output), (bad, errors)):
        if path is None:
            continue
        rng.shuffle(lines)  # a provider answers in its own order
        with open(path, "w", encoding="utf-8") as f:
            for line in lines:
                f.write(json.dumps(line, ensure_ascii=False) + "\n")
        played.written += len(lines)
    return played


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m tests.batch_provider",
        description="Play a Batch API provider against an OpenAI-compatible server.",
    )
    parser.add_argument("requests", metavar="IN.jsonl")
    parser.add_argument("output", metavar="OUT.jsonl")
    parser.add_argument("--base-url", required=True, help="e.g. http://127.0.0.1:8000/v1")
    parser.add_argument("--fail", action="append", default=[], metavar="ID=500|error")
    parser.add_argument("--drop", action="append", default=[], metavar="ID")
    parser.add_argument("--errors", metavar="ERR.jsonl", help="failed lines go here")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    fail = dict(item.split("=", 1) for item in args.fail)
    played = play(
        args.requests,
        args.output,
        args.base_url,
        fail=fail,
        drop=set(args.drop),
        errors=args.errors,
        seed=args.seed,
    )
    print(
        f"{played.sent} sent, {played.written} lines written, {len(played.failed)} failed, "
        f"{len(played.dropped)} dropped"
    )


if __name__ == "__main__":
    main()
