"""The robots' signatures, exactly as the platforms document them.

DingTalk custom robot ("加签"): string_to_sign = timestamp + "\\n" + secret, where timestamp
is in milliseconds; sign = URL-encode(base64(HMAC-SHA256(key=secret, msg=string_to_sign))),
sent as the ``timestamp`` and ``sign`` query parameters. (``urlencode`` of the query does the
URL-encoding once, so ``dingtalk_sign`` returns the base64 text.)

Feishu custom bot ("签名校验"): string_to_sign = timestamp + "\\n" + secret, where timestamp
is in seconds, is the HMAC-SHA256 *key*, over an empty message; sign = base64 of that, sent
as ``timestamp`` and ``sign`` in the JSON body. Both platforms refuse a timestamp more than
about an hour from their clock.
"""

from __future__ import annotations

import base64
import hashlib
import hmac


def dingtalk_sign(secret: str, timestamp_ms: str) -> str:
    message = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def feishu_sign(secret: str, timestamp_s: str) -> str:
    key = f"{timestamp_s}\n{secret}".encode()
    digest = hmac.new(key, b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode()
