"""The tools for agents, through the `mcp` package's own client against the running app, and
the app's alerts for page and API runs."""

from __future__ import annotations

import asyncio
import base64
import json

import httpx
import pytest
from gradio_client import Client, handle_file
from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client

from safety.config import load_config
from safety.errors import ConfigurationError
from tests import scenes
from tests.robots import RobotServer
from tests.test_app_api import live_env, running_app

USER, PASSWORD = "site-office", "pw-0123456789"


def alerts_file(tmp_path, robot) -> str:
    path = tmp_path / "alerts.toml"
    path.write_text(
        f'digest_seconds = 0\n[[robot]]\nkind = "webhook"\nurl = "{robot.address}"\n'
        'min_level = "review"\n'
    )
    path.chmod(0o600)
    return str(path)


def photo_base64() -> str:
    truth = scenes.layout(800, 600, seed=3)
    return base64.b64encode(scenes.jpeg_bytes(scenes.scene(800, 600, truth))).decode()


async def _session(url: str, headers: dict | None, call: tuple[str, dict] | None):
    async with (
        httpx.AsyncClient(headers=headers, timeout=60) as client,
        streamable_http_client(url + "/gradio_api/mcp/", http_client=client) as streams,
    ):
        read, write, _ = streams
        async with ClientSession(read, write) as session:
            await session.initialize()
            tools = await session.list_tools()
            result = await session.call_tool(*call) if call else None
            return tools.tools, result


def mcp(url, headers=None, call=None):
    return asyncio.run(_session(url, headers, call))


@pytest.mark.slow
def test_an_agent_lists_the_tools_and_inspects_a_photo(tmp_path, simulator):
    server = simulator(convention="absolute")
    robot = RobotServer("webhook")
    env = live_env(server, SAFETY_PUBLIC="0", SAFETY_ALERTS_FILE=alerts_file(tmp_path, robot),
                   QWEN_VL_RECHECK="off")  # fmt: skip
    try:
        with running_app(env) as url:
            call = ("inspect_photo_base64", {"image_base64": photo_base64(), "lang": "en"})
            tools, result = mcp(url, call=call)
            by_name = {tool.name: tool for tool in tools}
            assert {"inspect_photo_url", "inspect_photo_base64"} <= set(by_name)
            described = by_name["inspect_photo_url"]
            assert "hard hat" in described.description
            assert "url" in described.inputSchema["properties"]
            assert not result.isError, result.content
            texts = [c.text for c in result.content if c.type == "text"]
            doc = json.loads(texts[0])
            assert doc["summary"]["persons_without_hard_hat"] == 1
            images = [c for c in result.content if c.type == "image"]
            assert images and base64.b64decode(images[0].data)[:2] == b"\xff\xd8"
            arrivals = robot.wait_for(1)
            assert arrivals and arrivals[0].body["findings"]
            bad = mcp(url, call=("inspect_photo_base64", {"image_base64": "not base64!"}))[1]
            assert bad.isError and "base64" in str(bad.content)
            # The page's own API alerts too (the same path as the Inspect button).
            photo = tmp_path / "gate.jpg"
            photo.write_bytes(base64.b64decode(photo_base64()))
            Client(url, verbose=False).predict(
                files=[handle_file(str(photo))], site="Gate 3", api_name="/inspect"
            )
            arrivals = robot.wait_for(2)
            assert len(arrivals) == 2 and arrivals[1].body["findings"][0]["site"] == "Gate 3"
    finally:
        robot.stop()


@pytest.mark.slow
def test_a_public_page_serves_the_tools_only_to_logged_in_agents(tmp_path, simulator):
    server = simulator(convention="absolute")
    robot = RobotServer("webhook")
    env = live_env(server, SAFETY_PUBLIC="1", SAFETY_AUTH=f"{USER}:{PASSWORD}", SAFETY_MCP="1",
                   SAFETY_ALERTS_FILE=alerts_file(tmp_path, robot))  # fmt: skip
    try:
        with running_app(env) as url:
            answer = httpx.post(url + "/gradio_api/mcp/", json={}, timeout=10)
            assert answer.status_code == 401
            login = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
            call = ("inspect_photo_base64", {"image_base64": photo_base64()})
            tools, result = mcp(url, headers={"Authorization": login}, call=call)
            assert "inspect_photo_base64" in {tool.name for tool in tools}
            assert not result.isError
            # The agent is no logged-in visitor of the page: an anonymous run on a public
            # page never pages the site's group.
            assert robot.wait_for(1, timeout=2) == []
    finally:
        robot.stop()


def test_who_gets_the_mcp_server():
    assert load_config({"SAFETY_PUBLIC": "0"}).mcp
    assert not load_config({"SAFETY_PUBLIC": "0", "SAFETY_MCP": "0"}).mcp
    assert not load_config({"SAFETY_PUBLIC": "1"}).mcp
    assert not load_config({"SAFETY_PUBLIC": "1", "SAFETY_AUTH": "a:b"}).mcp  # owner's choice
    assert load_config({"SAFETY_PUBLIC": "1", "SAFETY_AUTH": "a:b", "SAFETY_MCP": "1"}).mcp
    with pytest.raises(ConfigurationError, match="SAFETY_AUTH"):
        load_config({"SAFETY_PUBLIC": "1", "SAFETY_MCP": "1"})
