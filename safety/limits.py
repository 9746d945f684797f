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
RUN_TTL_SECONDS = 2 * 3600  # a run's folder is kept this long after its last change
KEEP_RUNS = 200  # and at most this many of one owner's (the operator's, on a private page)
KEEP_RUNS_PER_VISITOR = 10  # on a public page: each visitor's own newest, never another's

# -- a results file read back (it may have been written or edited by anyone) ----------------
MAX_RESULTS_DEPTH = 24  # lists and objects inside one another; the app's own go 6 deep
MAX_FINDINGS_PER_PHOTO = 1000  # in any results file (the model is asked for far fewer)
REOPEN_MAX_MB = 8  # a results file reopened on the page (50 photos take about 1 MB)
REOPEN_MAX_BYTES = REOPEN_MAX_MB * 1024 * 1024
REOPEN_MAX_FINDINGS = 100  # per photo on the page: every entry is blurred, drawn and reported

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
# Work a visitor of a public page causes besides runs (a reopened run counts its photos as
# photos and itself as a run): reports written, and photos drawn again (a review decision,
# a finding chosen, a run restored after a reload), per client and per hour.
PUBLIC_REPORTS_PER_HOUR = 20
PUBLIC_REDRAWS_PER_HOUR = 2000
# A public page serves more runs at once: every visitor's run is limited (one per client),
# so more slots let a real visitor in beside two attackers; memory is bounded by the decode
# budget, not by the number of runs.
PUBLIC_RUNS_AT_ONCE = 4

# -- walkthrough videos and camera clips (safety.video) ----------------------------------------
VIDEO_SUFFIXES = frozenset({".mp4", ".m4v", ".mov", ".mkv", ".webm", ".avi"})
DEFAULT_VIDEO_FPS = 1.0  # frames sampled per second of video (scene changes come on top)
MIN_VIDEO_FPS = 0.01
MAX_VIDEO_FPS = 10.0
# Frames sent per video at most (a rate and scene changes together). A longer video is
# sampled at a lower rate so that the frames still span all of it: an hour at 1 fps would
# be 3,600 frames; at this cap it is one frame every 4 seconds.
DEFAULT_MAX_FRAMES = 900
MAX_MAX_FRAMES = 20_000
# A frame is decoded at most this long a side (an 8K video is scaled to it as it is
# decoded): enough for the standard and high detail frames; boxes are reported in the
# video's own upright pixels all the same.
VIDEO_MAX_SIDE = 2560
# Sampling (safety.video.sampling) compares small copies of frames (block means of each
# plane, 0..255): a frame that differs from the last one sent by SCENE_CHANGE_DIFF or more
# on average is a scene change and is sent at once; a frame due by the rate in which no
# block changed by DUPLICATE_DIFF or more (nothing moved) is skipped, but never for longer
# than VIDEO_KEEPALIVE_S (a still camera is still looked at now and then).
SCENE_CHANGE_DIFF = 28.0
DUPLICATE_DIFF = 6.0
MIN_SCENE_GAP_S = 0.5
VIDEO_KEEPALIVE_S = 10.0
# Events: findings of one category whose boxes overlap at least this much (IoU), or whose
# centres moved less than EVENT_MAX_SHIFT of the box's size from one frame to the next, are
# the same object; an object not seen in the frames sampled for longer than
# EVENT_GAP_S ends its event (it comes back as a new one).
EVENT_MIN_IOU = 0.3
EVENT_MAX_SHIFT = 0.5
EVENT_GAP_S = 3.0
# A public page (the page's video upload): bounds per video and per visitor. Every frame
# sent counts against the visitor's photos per hour (DEFAULT_PHOTOS_PER_HOUR).
PUBLIC_MAX_VIDEO_MB = 200
PUBLIC_MAX_VIDEO_S = 300.0  # five minutes
PUBLIC_MAX_VIDEO_FRAMES = 60  # per video, whatever --fps asks
PUBLIC_VIDEO_FRAMES_PER_HOUR = DEFAULT_PHOTOS_PER_HOUR  # frames per visitor and hour
