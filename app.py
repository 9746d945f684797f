"""The web app: ``python app.py`` (also the Hugging Face Space entry point).

Host and port come from GRADIO_SERVER_NAME / GRADIO_SERVER_PORT (Gradio reads them itself);
the endpoint from QWEN_VL_* / DASHSCOPE_API_KEY (Space secrets). With none, demo mode.
The hazard ledger from SAFETY_DATA_DIR / DATABASE_URL (safety.ledger), migrated at start-up.
Every setting is read and checked once (safety.config); a bad one is a single line naming
the variable and what it accepts, and exit status 2.
"""

import sys

from safety.config import load_config
from safety.errors import ConfigurationError


def main() -> int:
    try:
        config = load_config()
        from safety.ledger import Ledger

        # The hazard ledger's migrations run here, at start-up: an older ledger is upgraded,
        # and a bad DATABASE_URL or an unwritable SAFETY_DATA_DIR stops the app with one line.
        Ledger.open().close()
    except ConfigurationError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    from safety.web import build_app, launch_kwargs  # gradio loads only for a good config

    app = build_app(config)
    app.queue(default_concurrency_limit=config.runs_at_once, max_size=config.queue_size)
    app.launch(**launch_kwargs(config))
    return 0


if __name__ == "__main__":
    sys.exit(main())
