"""The prompts sent to the model.

The default keeps the original script's Chinese wording (fire, smoke, persons with severity or
hard-hat status, "uncertain" when unsure, a hard hat counts only when worn on the head) but
drops its 10-object cap: crowded sites have more people than that. It says "JSON" because
DashScope's JSON mode refuses prompts without the word, and asks for [] when nothing is seen
so that "nothing found" is an answer we can read rather than a guess.
"""

SYSTEM_PROMPT = "You are a helpful assistant."

DEFAULT_PROMPT = (
    "请仔细检查这张施工/作业现场照片，找出其中所有的：\n"
    "1. 火灾：可见的火焰或正在燃烧的物体；\n"
    "2. 烟雾：可见的、正在扩散的烟雾；\n"
    "3. 人员：完整或部分可见的每一个人。\n"
    "对火灾和烟雾，用 sub_label 给出严重程度：轻微、中等、严重 或 不确定。\n"
    "对人员，用 sub_label 给出安全帽佩戴情况：佩戴安全帽、未佩戴安全帽 或 不确定。"
    "只有安全帽戴在头上时才算佩戴；拿在手里或放在旁边都算未佩戴；看不清时填 不确定。\n"
    "逐个列出每一个目标，不要遗漏，也不要重复。\n"
    "以 JSON 格式输出，放在 ```json 代码块中，格式为：\n"
    '[{"bbox_2d": [x1, y1, x2, y2], "label": "火灾|烟雾|人员", "sub_label": "..."}]\n'
    "如果没有发现任何目标，输出 []。"
)

# Sent once per endpoint and model by the calibration (safety.backends.calibration).
PROBE_PROMPT = (
    "Locate the red rectangle in this image. Output its bounding box in JSON format, "
    'as [{"bbox_2d": [x1, y1, x2, y2], "label": "red rectangle"}].'
)
