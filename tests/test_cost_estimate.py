"""The cost said before a run (safety.cost.estimate, shown by safety.web.estimate): requests
and tokens scale with the photos and the detail, money only at a published price, a second
look at everyone says it multiplies requests, demo mode says nothing is sent; both languages."""

from __future__ import annotations

import re

from safety.config import load_config
from safety.cost import CROWD, PRICES, estimate, per_photo
from safety.web.estimate import cost_html
from safety.web.form import RunForm


def test_requests_and_tokens_scale_with_photos_and_detail():
    for detail in ("standard", "high", "tiles"):
        requests, tokens = per_photo(detail)
        line = estimate(3, detail, "off", None, "en")[0]
        assert f"3 photo(s), {3 * requests} request(s), ~{3 * tokens:,} tokens" in line
    assert per_photo("tiles")[0] > per_photo("standard")[0]


def test_money_only_at_a_published_price():
    requests, tokens = per_photo("standard")
    line = estimate(10, "standard", "off", "qwen-vl-max-latest", "en")[0]
    money = float(re.search(r"about ([\d.]+) CNY", line).group(1))
    price_in, price_out = PRICES["qwen-vl-max"]
    out = requests * 150
    assert abs(money - 10 * ((tokens - out) / 1000 * price_in + out / 1000 * price_out)) < 1e-4
    assert "no published price" in estimate(10, "standard", "off", "Qwen/Qwen2.5-VL-7B", "en")[0]


def test_second_look_lines():
    assert len(estimate(1, "standard", "off", None, "en")) == 1
    assert "small or unclear" in estimate(1, "standard", "auto", None, "en")[1]
    everyone = estimate(1, "standard", "all", None, "en")[1]
    assert "multiplies" in everyone and f"{CROWD + 1} requests instead of 1" in everyone
    zh = estimate(1, "standard", "all", None, "zh")[1]
    assert "成倍增加" in zh and not re.search(r"[A-Za-z]{3,}", zh.replace("token", ""))


def test_the_page_line_counts_photos_and_urls_and_says_demo():
    demo = load_config({})
    assert "nothing is charged" in cost_html(demo, RunForm(lang="en"))
    assert "不发送请求" in cost_html(demo, RunForm(lang="zh"))
    live = load_config({"QWEN_VL_BASE_URL": "http://127.0.0.1:9/v1", "QWEN_VL_MODEL": "m"})
    form = RunForm(files=["a.jpg", "b.jpg"], urls="https://x/1.jpg\n\n https://x/2.jpg ")
    assert "4 photo(s)" in cost_html(live, form)
    # Model text a visitor typed is escaped like everything else.
    typed = RunForm(model="qwen-vl-max<img src=x>", base_url="http://127.0.0.1:9/v1")
    assert "<img" not in cost_html(live, typed)
