"""A local stand-in for a Qwen-VL model behind vLLM or DashScope (OpenAI-compatible API).

The project's tests, benchmarks and offline demos talk to this server with the real ``openai``
client, unchanged. It answers ``GET /v1/models`` and non-streaming
``POST /v1/chat/completions`` with real ``chat.completion`` JSON, and it "sees" the photo the
way a real server would: it decodes the image, resizes it with the server's own
``smart_resize`` (its grid, min_pixels and max_pixels, not the client's) and looks for
objects in THAT frame. Absolute boxes therefore come back in the frame the server used,
which is exactly the trap docs/endpoints.md describes ("Coordinates"): a client that
sends a frame the server changes gets boxes in a frame it never saw.

Colour code ("vision")
======================
Test photos draw objects as rectangles of saturated colour on a light (or any) background.
Each colour is a class of object, thresholds on 8-bit RGB after the server's resize:

===========  =======================  ========  ================  ==========================
colour       rule                     category  status            label / sub_label (zh, en)
===========  =======================  ========  ================  ==========================
red          R>170, G<80, B<80        fire      severity severe   火灾/严重, fire/severe
blue         B>170, R<80, G<110       smoke     severity moderate 烟雾/中等, smoke/moderate
green        G>150, R<90, B<90        person    helmet worn       人员/佩戴安全帽,
                                                                  person/wearing helmet
yellow       R>200, G>200, B<80       person    helmet missing    人员/未佩戴安全帽,
                                                                  person/no helmet
magenta      R>170, B>170, G<80       person    helmet unknown    人员/不确定, person/uncertain
===========  =======================  ========  ================  ==========================

Each colour mask is cleaned (a 3x3 morphological opening removes JPEG specks) and cut into
objects with a recursive XY-cut: split at runs of empty columns, then of empty rows, and
again inside each part, so several non-touching rectangles of one colour are separate
objects. Regions under 0.1 % of the frame are ignored. A box is the tight bounding box in the
resized frame with exclusive right/bottom edges (last pixel + 1). Objects are listed top to
bottom, then left to right. Pixels are read as stored: no EXIF rotation is applied.

Answer formats (``SimulatedModel.convention``)
==============================================
absolute        ```json fenced list of {"bbox_2d": [x1, y1, x2, y2], "label", "sub_label"},
                integer pixels of the resized frame (Qwen2.5-VL)
relative-1000   the same list, each value round(v / side * 1000) (Qwen3-VL)
qwen2-tags      one line per object, 0..1000 values (Qwen2-VL):
                ``<|object_ref_start|>label<|object_ref_end|>``
                ``<|box_start|>(x1,y1),(x2,y2)<|box_end|> sub_label`` (no break in between)
qwen-vl-tags    one line per object: ``<ref>label</ref><box>(x1,y1),(x2,y2)</box> sub_label``,
                0..1000 values (Qwen-VL)

Nothing found: "```json\\n[]\\n```" (json forms) or a sentence saying so (tag forms).
A prompt with ``{"hazard": "present|gone|unclear"`` is the hazard ledger's focused re-check
(safety.ledger.recheck): it names a category and status ("Category: fire. Status: severe.");
the answer is "present" when an object of that kind is in the after photo (the RIGHT panel
of a two-panel frame, else the whole frame), else "gone".
A prompt that mentions "red rectangle" is a calibration probe: only red objects are
answered, labelled "red rectangle", without sub_label. An answer longer than about
3 * max_tokens characters is cut there with finish_reason "length", like a real model.

Perception that degrades with size (off by default; ``SimulatedModel.miss_below_px``,
``status_below_px``, ``status_wrong_rate``): objects shorter than N pixels in the frame the
server looked at are missed, and smaller persons get a hard-hat status that is "unknown" or,
at a set rate, wrong (seeded by place: repeatable). A request with ``"logprobs": true`` gets
vLLM-style token log-probabilities, low on the status words of such guessed objects.

Errors look like the real servers': unknown model -> 404 (vLLM body), bad key -> 401
(DashScope body), bad JSON / stream / URL images / several images / undecodable image /
image over ``max_visual_tokens`` -> 400. Scripted ``Fault`` objects (FIFO, one per chat
request) inject rate limits, server errors, delays, malformed bodies and dropped connections.

Run ``python -m tests.simulator --port 8000`` for demos and benchmarks.

Modules
=======
model.py        SimulatedModel (the settings), Fault (scripted misbehaviour), RequestRecord
vision.py       the server's resize, colour masks, 3x3 opening and recursive XY-cut
answers.py      the answer text in each format, the calibration probe, token estimates
protocol.py     request reading (messages, data: URLs), error bodies, completion envelopes
server.py       SimulatorServer (life cycle, request log, slots, faults, answers) and serve()
handler.py      the threading HTTP server and the request handler (routes, faults)
__main__.py     the command line
"""

from __future__ import annotations

from .answers import CHARS_PER_TOKEN, LABELS, PROBE_PHRASE, compose_answer, estimate_tokens
from .handler import MAX_BODY_BYTES
from .model import CONVENTIONS, LANGUAGES, Fault, RequestRecord, SimulatedModel
from .server import SimulatorServer, serve
from .vision import KINDS, MIN_REGION_SHARE, SeenObject, find_objects, server_frame

__all__ = [
    "CHARS_PER_TOKEN",
    "CONVENTIONS",
    "KINDS",
    "LABELS",
    "LANGUAGES",
    "MAX_BODY_BYTES",
    "MIN_REGION_SHARE",
    "PROBE_PHRASE",
    "Fault",
    "RequestRecord",
    "SeenObject",
    "SimulatedModel",
    "SimulatorServer",
    "compose_answer",
    "estimate_tokens",
    "find_objects",
    "serve",
    "server_frame",
]
