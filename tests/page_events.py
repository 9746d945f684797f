"""The page's own events, sent as a browser sends them: through Gradio's queue, each by its
index in the page's config (private events have no API name), over plain HTTP.

    page = PageSession(url)                  a new browser session on the page
    index = page.event("reopen")             the click of the component with that elem_id
    files = page.upload([path, ...])         uploaded as the file component does
    out = page.call(index, [files, "en"])    the final message: {"success", "output"} ...
    page.leave(index, data)                  join, then close the connection at once
"""

from __future__ import annotations

import json
import mimetypes
import secrets
import urllib.request
import uuid
from pathlib import Path


class PageSession:
    def __init__(self, url: str, headers: dict | None = None):
        self.url = url.rstrip("/")
        self.session = secrets.token_hex(6)
        self.headers = headers or {}
        self.config = json.loads(self._get("/config"))
        self.ids = {
            c["props"].get("elem_id"): c["id"]
            for c in self.config["components"]
            if c.get("props", {}).get("elem_id")
        }

    def _get(self, path: str) -> bytes:
        request = urllib.request.Request(self.url + path, headers=self.headers)
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.read()

    def event(self, elem_id: str, trigger: str = "click") -> int:
        """The index of the event ``trigger`` of the component ``elem_id``."""
        component = self.ids[elem_id]
        for dep in self.config["dependencies"]:
            if [component, trigger] in [list(t) for t in dep["targets"]]:
                return dep["id"]
        raise KeyError(f"no {trigger} event on #{elem_id}")

    def load_events(self) -> list[int]:
        """The page's load event and what runs after it, in order."""
        return [d["id"] for d in self.config["dependencies"] if d["targets"] and
                d["targets"][0][1] == "load" or d.get("trigger_after") is not None]  # fmt: skip

    def inputs(self, index: int, **by_elem_id) -> list:
        """The event's inputs as the page holds them (each component's value as served),
        with those named by elem_id (``-`` as ``_``) changed."""
        components = {c["id"]: c for c in self.config["components"]}
        dep = next(d for d in self.config["dependencies"] if d["id"] == index)
        values = []
        for i in dep["inputs"]:
            props = components[i].get("props", {})
            name = (props.get("elem_id") or "").replace("-", "_")
            values.append(by_elem_id[name] if name in by_elem_id else props.get("value"))
        return values

    def output(self, message: dict, index: int, component: int) -> object:
        """The value a completed event gave ``component`` (an id)."""
        dep = next(d for d in self.config["dependencies"] if d["id"] == index)
        return message["output"]["data"][dep["outputs"].index(component)]

    def component(self, kind: str) -> int:
        """The id of the first component of type ``kind`` (e.g. "browserstate")."""
        return next(c["id"] for c in self.config["components"] if c["type"] == kind)

    def upload(self, paths: list[Path]) -> list[dict]:
        boundary = uuid.uuid4().hex
        body = b""
        for path in paths:
            kind = mimetypes.guess_type(str(path))[0] or "application/octet-stream"
            body += (
                (
                    f'--{boundary}\r\nContent-Disposition: form-data; name="files"; '
                    f'filename="{Path(path).name}"\r\nContent-Type: {kind}\r\n\r\n'
                ).encode()
                + Path(path).read_bytes()
                + b"\r\n"
            )
        body += f"--{boundary}--\r\n".encode()
        request = urllib.request.Request(
            self.url + "/gradio_api/upload", data=body, method="POST",
            headers={**self.headers, "Content-Type": f"multipart/form-data; boundary={boundary}"},
        )  # fmt: skip
        with urllib.request.urlopen(request, timeout=60) as response:
            served = json.loads(response.read())
        return [
            {"path": where, "orig_name": Path(path).name, "meta": {"_type": "gradio.FileData"}}
            for where, path in zip(served, paths, strict=True)
        ]

    def _join(self, index: int, data: list, event_data=None) -> None:
        payload = {"data": data, "fn_index": index, "session_hash": self.session,
                   "event_data": event_data, "trigger_id": None}  # fmt: skip
        request = urllib.request.Request(
            self.url + "/gradio_api/queue/join", data=json.dumps(payload).encode(),
            method="POST", headers={**self.headers, "Content-Type": "application/json"},
        )  # fmt: skip
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()

    def call(self, index: int, data: list, event_data=None, timeout: float = 120) -> dict:
        """Send the event and read the stream until it completes: the last message."""
        self._join(index, data, event_data)
        request = urllib.request.Request(
            f"{self.url}/gradio_api/queue/data?session_hash={self.session}", headers=self.headers
        )
        with urllib.request.urlopen(request, timeout=timeout) as stream:
            for raw in stream:
                line = raw.decode("utf-8").strip()
                if not line.startswith("data:"):
                    continue
                message = json.loads(line[5:])
                if message.get("msg") == "process_completed":
                    return message
                if message.get("msg") == "close_stream":
                    break
        raise AssertionError("the event never completed")

    def leave(self, index: int, data: list, after_messages: int = 2) -> None:
        """Send the event, read its first messages, and go away (close the connection)."""
        self._join(index, data)
        request = urllib.request.Request(
            f"{self.url}/gradio_api/queue/data?session_hash={self.session}", headers=self.headers
        )
        with urllib.request.urlopen(request, timeout=60) as stream:
            seen = 0
            for raw in stream:
                if raw.startswith(b"data:"):
                    seen += 1
                    if seen >= after_messages:
                        break


def error_of(message: dict) -> str:
    """The popup's text of a completed event that failed ("" when it succeeded)."""
    if message.get("success"):
        return ""
    output = message.get("output") or {}
    return str(output.get("error") or message.get("title") or output)
