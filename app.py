"""The web app: ``python app.py`` (also the Hugging Face Space entry point).

Host and port come from GRADIO_SERVER_NAME / GRADIO_SERVER_PORT (Gradio reads them itself);
the endpoint from QWEN_VL_* / DASHSCOPE_API_KEY (Space secrets). With none, demo mode.
"""

import os

from safety.ui import build_app, launch_kwargs

demo = build_app()

if __name__ == "__main__":
    demo.queue(
        default_concurrency_limit=int(os.environ.get("SAFETY_RUNS_AT_ONCE", "2")),
        max_size=int(os.environ.get("SAFETY_QUEUE_SIZE", "32")),
    ).launch(**launch_kwargs())
