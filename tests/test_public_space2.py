"""A public Space, second round: what review added cannot be turned against the owner or
another visitor.

As in tests/test_public_space.py the app runs in public mode on an owner's endpoint (the
simulator on 127.0.0.1, the owner's key); an anonymous visitor reaches it through the
routes a browser uses: the API through gradio_client, the page's own events through the
queue, by their index in the page's config.
"""

from __future__ import annotations

from gradio_client import Client, handle_file

from tests import scenes
from tests.simulator import Fault
from tests.test_app_api import QWEN25, SECRET, running_app
from tests.test_public_space import public_env


def walk(value, path="$"):
    """Every (path, text) in a JSON document, keys included."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield f"{path}.{key}#key", str(key)
            yield from walk(item, f"{path}.{key}")
    elif isinstance(value, list):
        for n, item in enumerate(value):
            yield from walk(item, f"{path}[{n}]")
    elif value is not None:
        yield path, str(value)


def owners(doc, servers, answers) -> list[str]:
    """Where in ``doc`` anything of the owner's is: endpoint, model, key, a raw answer."""
    secrets = [SECRET, QWEN25, *answers]
    for server in servers:
        secrets += [server.base_url, server.base_url.split("//")[1].split("/")[0]]
    return [f"{path}: {text[:80]}" for path, text in walk(doc) for s in secrets if s in text]


def big_photos(tmp_path, n=2):
    """Photos large enough to be looked at in tiles."""
    out = []
    for i in range(n):
        path = tmp_path / f"big{i}.jpg"
        path.write_bytes(
            scenes.jpeg_bytes(scenes.scene(3000, 2000, scenes.layout(3000, 2000, seed=i)))
        )
        out.append(handle_file(str(path)))
    return out


def test_nothing_of_the_owners_reaches_an_anonymous_visitor(simulator, tmp_path):
    first = simulator(convention="absolute", grid=28, api_key=SECRET)
    second = simulator(convention="absolute", grid=28, api_key=SECRET)
    echo = "```json\n[]\n``` the owner's model talking: " + SECRET
    first.model.faults.append(Fault(content=echo))
    second.model.faults.append(Fault(content=echo))
    env = public_env(
        first, tmp_path, QWEN_VL_BASE_URL=f"{first.base_url},{second.base_url}",
        SAFETY_DETAIL="tiles",  # extra passes, each with its own raw answer
    )  # fmt: skip
    with running_app(env) as url:
        doc = Client(url, verbose=False).predict(files=big_photos(tmp_path), api_name="/inspect")
    assert any(img["passes"] for img in doc["images"])  # the passes are there, without answers
    assert owners(doc, [first, second], [echo]) == []
    assert "withheld" in doc
    # Every copy of an answer, the passes' included, is empty.
    kept = [path for path, _ in walk(doc) if path.endswith((".raw_text", ".model", ".endpoint"))]
    assert kept == [], kept
