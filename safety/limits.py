"""Every default and limit of the product, defined once.

The settings object (``safety.config``) reads the environment against these; the pipeline,
the web app, the command line and the photo fetcher import them from here and nowhere else.
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
RUN_TTL_SECONDS = 2 * 3600  # a run's downloads are kept this long
KEEP_RUNS = 200  # and at most this many runs' folders

# -- a public page (a Hugging Face Space, or SAFETY_PUBLIC=1) on its owner's key -------------
MAX_PROMPT_CHARS = 4000  # from any source; the default prompt is about 400
DEFAULT_PHOTOS_PER_HOUR = 60  # per client (IP) and per session, in public mode
DEFAULT_RUNS_PER_CLIENT = 1  # runs at once per client, in public mode
DEFAULT_RUN_DEADLINE_S = 600.0  # a whole run; the photos not done by then are reported failed
# Decoded pixels one run may hold at once. A decoded pixel costs about 3 bytes, and a photo
# a couple of copies on its way (upright, RGB, resized), so a run peaks near 0.5 GB at this
# budget and two worst-case runs stay under about 1.5 GB with the app itself.
RUN_PIXEL_BUDGET = 50_000_000
PUBLIC_MAX_IMAGE_PIXELS = RUN_PIXEL_BUDGET  # a public page refuses larger photos
