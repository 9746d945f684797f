"""Every default and limit of the product, defined once.

The registry of settings (``safety.settings``) bounds each environment variable by these and
``safety.config`` reads the environment through it; the pipeline, the web app, the command
line and the photo fetcher import them from here and nowhere else.
Change a number here and it changes everywhere, including the --help text and the page.
"""

from __future__ import annotations

from .geometry import MIN_FRAME_PIXELS, SERVER_MAX_PIXELS

# -- the frame sent to the model -------------------------------------------------------------
# About 1280 visual tokens of 28x28 pixels: the Qwen README's recommended ceiling and
# DashScope's default; frugal (a 12 MP photo costs ~1280 tokens instead of up to 16384).
DEFAULT_MAX_PIXELS = 1280 * 28 * 28
MIN_MAX_PIXELS = MIN_FRAME_PIXELS  # one 224x224 frame, which both model grids keep
# No Qwen server keeps frames beyond its default max_pixels; a larger setting only costs
# CPU in choosing the frame.
MAX_MAX_PIXELS = SERVER_MAX_PIXELS

# How closely each photo is looked at (safety.passes.detail): the whole frame at the size above
# (standard), one frame of up to about 4 megapixels (high), or the whole frame plus
# overlapping tiles each at the standard size (tiles).
DETAILS = ("standard", "high", "tiles")
DEFAULT_DETAIL = "standard"
HIGH_MAX_PIXELS = 5120 * 28 * 28  # 4,014,080 pixels: about 5,120 visual tokens
# A second look at people whose box is small or whose hard hat came back unknown.
RECHECKS = ("off", "auto", "all")
DEFAULT_RECHECK = "auto"

# -- requests to the model -------------------------------------------------------------------
DEFAULT_CONCURRENCY = 4  # photos in flight at once
MAX_CONCURRENCY = 16
DEFAULT_TIMEOUT_S = 60.0  # per request
MIN_TIMEOUT_S = 1.0
DEFAULT_RETRIES = 2  # on 429, 5xx and timeouts
DEFAULT_MAX_TOKENS = 2048  # answer length cap
MIN_MAX_TOKENS = 64

# -- photos ----------------------------------------------------------------------------------
# One cap for a photo however it arrives: uploaded, read from disk or downloaded.
MAX_PHOTO_MB = 20
MAX_PHOTO_BYTES = MAX_PHOTO_MB * 1024 * 1024
MAX_IMAGE_PIXELS = 120_000_000  # decoded size; beyond this a file is a decompression bomb

# -- the web app -----------------------------------------------------------------------------
DEFAULT_MAX_PHOTOS = 50  # per run
DEFAULT_RUNS_AT_ONCE = 2  # runs the server works on at the same time
DEFAULT_QUEUE_SIZE = 32  # runs waiting beyond those
# A run's folder (its review, downloads) is kept this long in the data folder.
RUN_TTL_SECONDS = 7 * 24 * 3600
KEEP_RUNS = 200  # and at most this many runs' folders

# -- a public page (a Hugging Face Space, or SAFETY_PUBLIC=1) on its owner's key -------------
MAX_PROMPT_CHARS = 4000  # from any source; the default prompt is about 400
DEFAULT_PHOTOS_PER_HOUR = 60  # per client (IP) and per session, in public mode
DEFAULT_RUNS_PER_CLIENT = 1  # runs at once per client, in public mode
DEFAULT_RUN_DEADLINE_S = 600.0  # a whole run; the photos not done by then are reported failed
# Memory that decoding photos may take at once, for the whole web app (every run shares it;
# images.decode_cost estimates a photo's share from its header). With the app's own ~200 MB
# and Pillow's per-photo copies, the worst case the limits allow stays near 1.5 GB.
DECODE_BUDGET_BYTES = 900 * 1024 * 1024
PUBLIC_MAX_IMAGE_PIXELS = 50_000_000  # a public page refuses larger photos
# A public page serves more runs at once: every visitor's run is limited (one per client),
# so more slots let a real visitor in beside two attackers; memory is bounded by the decode
# budget, not by the number of runs.
PUBLIC_RUNS_AT_ONCE = 4
