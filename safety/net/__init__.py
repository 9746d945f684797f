"""Network access on behalf of strangers, without a door into private networks.

The app is public, so every URL it fetches is chosen by a stranger: the photo URLs, and
the model endpoint typed into the page. Without care, ``http://169.254.169.254/`` (cloud
metadata), ``http://localhost:7860/`` or ``http://10.0.0.5/admin`` would make *our server*
send requests into networks the stranger cannot reach (server-side request forgery,
SSRF). This package is the only place that opens connections to user-given addresses:

* only ``http``/``https`` URLs, without ``user:pass@``, with a host;
* the host is parsed the way the system resolver parses it: ``0177.0.0.1``, ``0x7f.1``,
  ``2130706433``, ``127.1``, ``[::ffff:7f00:1]``, trailing dots, percent-encoding and
  full-width digits all end up as the address they really mean;
* names are resolved once, within ``FetchPolicy.connect_timeout``, and every address must
  be public (see :func:`is_public_address`) unless it lies in a network the operator
  explicitly allowed (``FetchPolicy.allowed_networks``);
* the connection goes to the very addresses that were checked (pinned), so a DNS server
  that answers "public" to the check and "private" to the connect (DNS rebinding) gains
  nothing; TLS is still verified against the host name; proxy variables are ignored;
* photo redirects are followed by hand, every hop checked again; the model endpoint
  client follows none;
* a photo's body is streamed with a size cap, per-read timeouts and a deadline for the
  whole download (DNS, connects, TLS handshakes, redirects and body included).

The modules:

* ``policy``     - :class:`FetchPolicy`: limits, allowed networks, ``from_env``.
* ``public``     - which addresses are public (:func:`is_public_address`), and the
                   allowed-address check.
* ``addresses``  - URL and host parsing (:func:`check_url`), the name lookup with its
                   deadline.
* ``transport``  - the pinned httpcore network backend, the deadline stream, the TLS
                   context, and :func:`endpoint_http_client`.
* ``photos``     - :func:`fetch_image_bytes`: the download itself and its messages.

The errors, in one place:

* ``safety.errors.ConfigurationError``
  - ``FetchPolicy(...)`` or ``FetchPolicy.from_env()`` with a bad value (the message
    names the setting or variable, and the accepted form);
  - ``endpoint_http_client()``: unusable base URL, name not found or too slow to look
    up, an address neither public nor allowed (the message says how to allow it), a
    timeout that is not a positive number of seconds.
* ``safety.errors.InputError``
  - ``check_url()``: unusable photo URL (syntax only);
  - ``fetch_image_bytes()``: unusable URL, refused address (on any redirect hop), name
    not found, connection, TLS or transfer failure, non-2xx answer, a web page, an empty
    or too large body, time running out. Messages name the host, never the path or
    query (which may carry tokens).
* ``httpx.TransportError``, raised by a client from ``endpoint_http_client()`` when a
  request is sent (openai turns them into ``APIConnectionError``/``APITimeoutError``):
  - ``httpx.TimeoutException``: ``ConnectTimeout``, ``ReadTimeout``, ``WriteTimeout``,
    ``PoolTimeout``;
  - ``httpx.NetworkError``: ``ConnectError`` (also for a request to any origin but the
    checked one), ``ReadError``, ``WriteError``;
  - ``httpx.ProtocolError``: ``LocalProtocolError``, ``RemoteProtocolError``.
* ``RuntimeError``: a bug, not a user error: httpcore asked the pinned backend for a
  destination other than the checked one.
"""

from .addresses import check_url
from .photos import fetch_image_bytes
from .policy import FetchPolicy
from .public import is_public_address
from .transport import endpoint_http_client

__all__ = [
    "FetchPolicy",
    "check_url",
    "endpoint_http_client",
    "fetch_image_bytes",
    "is_public_address",
]
