"""Words about reading a model's answer (safety.parsing, safety.reading): the notes on what
was repaired or left out, and why an answer could not be read at all."""

WORDS = {
    # -- what was repaired (safety.parsing.objects, safety.parsing.tags) -----------------------
    "answer.note.cut.one": (
        "The answer was cut off; kept the {n} complete object.",
        "模型的回答被截断，保留了其中 {n} 个完整目标。",
    ),
    "answer.note.cut.other": (
        "The answer was cut off; kept the {n} complete objects.",
        "模型的回答被截断，保留了其中 {n} 个完整目标。",
    ),
    "answer.note.salvaged.one": (
        "The answer's JSON was malformed ({problem}); salvaged the {n} well-formed object.",
        "回答中的 JSON 格式有误（{problem}），已从中挽回 {n} 个格式完好的目标。",
    ),
    "answer.note.salvaged.other": (
        "The answer's JSON was malformed ({problem}); salvaged the {n} well-formed objects.",
        "回答中的 JSON 格式有误（{problem}），已从中挽回 {n} 个格式完好的目标。",
    ),
    "answer.note.shape": (
        "The JSON had an unexpected shape; read the objects that carry a box.",
        "JSON 结构与预期不符，只读取了带框的目标。",
    ),
    "answer.note.deep": (
        "Ignored brackets nested deeper than {n} levels.",
        "括号嵌套超过 {n} 层，超出部分已忽略。",
    ),
    "answer.note.repaired": (
        "Repaired the JSON syntax ({repairs}).",
        "已修正 JSON 语法（{repairs}）。",
    ),
    "answer.note.swapped.one": (
        "Put the corners of {n} box in order.",
        "有 {n} 个框的角点顺序颠倒，已理顺。",
    ),
    "answer.note.swapped.other": (
        "Put the corners of {n} boxes in order.",
        "有 {n} 个框的角点顺序颠倒，已理顺。",
    ),
    "answer.note.points.one": (
        "Ignored {n} point answer (point_2d): points are not boxes.",
        "忽略了 {n} 个以点（point_2d）给出的结果：点不能当作框。",
    ),
    "answer.note.points.other": (
        "Ignored {n} point answers (point_2d): points are not boxes.",
        "忽略了 {n} 个以点（point_2d）给出的结果：点不能当作框。",
    ),
    "answer.note.skipped.one": (
        "Skipped {n} object without a usable box.",
        "跳过了 {n} 个没有可用框的目标。",
    ),
    "answer.note.skipped.other": (
        "Skipped {n} objects without a usable box.",
        "跳过了 {n} 个没有可用框的目标。",
    ),
    "answer.note.tags.one": (
        "Ignored {n} incomplete box tag (the answer may have been cut off).",
        "忽略了 {n} 个不完整的框标记（回答可能被截断了）。",
    ),
    "answer.note.tags.other": (
        "Ignored {n} incomplete box tags (the answer may have been cut off).",
        "忽略了 {n} 个不完整的框标记（回答可能被截断了）。",
    ),
    # what was wrong with the JSON, and what was repaired (safety.parsing.scanner's words)
    "answer.problem.stray-characters": ("stray characters", "多余字符"),
    "answer.problem.a-closing-bracket-without-an-opening-one": (
        "a closing bracket without an opening one",
        "右括号没有对应的左括号",
    ),
    "answer.problem.a-bracket-left-open": ("a bracket left open", "括号未闭合"),
    "answer.problem.a-key-without-a-value": ("a key without a value", "键缺少值"),
    "answer.problem.an-object-opened-where-a-key-belongs": (
        "an object opened where a key belongs",
        "本该是键的位置出现了对象",
    ),
    "answer.problem.a-key-followed-by-text-instead-of-a-colon": (
        "a key followed by text instead of a colon",
        "键后面缺少冒号",
    ),
    "answer.problem.an-extra-comma": ("an extra comma", "多了一个逗号"),
    "answer.problem.a-misplaced-colon": ("a misplaced colon", "冒号位置不对"),
    "answer.repair.trailing-commas": ("trailing commas", "末尾多余的逗号"),
    "answer.repair.missing-commas": ("missing commas", "缺少的逗号"),
    "answer.repair.missing-colons": ("missing colons", "缺少的冒号"),
    "answer.repair.unquoted-keys": ("unquoted keys", "键缺少引号"),
    "answer.repair.single-quotes": ("single quotes", "单引号"),
    "answer.repair.unescaped-quotes": ("unescaped quotes", "未转义的引号"),
    "answer.repair.missing-quotes": ("missing quotes", "缺少的引号"),
    "answer.repair.unquoted-words": ("unquoted words", "未加引号的词"),
    # -- geometry (safety.reading) -------------------------------------------------------------
    "answer.note.length": (
        "The answer hit the max_tokens limit (finish_reason=length): objects after the cut are "
        "missing. Raise QWEN_VL_MAX_TOKENS to see them all.",
        "回答达到了 max_tokens 上限（finish_reason=length），截断之后的目标都缺失了。"
        "请调高 QWEN_VL_MAX_TOKENS 以看到全部目标。",
    ),
    "answer.note.clamped": (
        "Clamped {n} box(es) that reached outside the photo.",
        "有 {n} 个框超出了照片边界，已截到照片范围内。",
    ),
    "answer.note.dropped": (
        "Dropped {n} box(es) with no area inside the photo.",
        "有 {n} 个框在照片内没有面积，已舍弃。",
    ),
    "answer.note.outside": (
        "{n} box(es) lay well outside the {convention} coordinate range: the coordinate "
        "convention may be wrong for this model (try --coords auto).",
        "有 {n} 个框远远超出了 {convention} 坐标范围，可能是该模型的坐标约定设错了"
        "（可试试 --coords auto）。",
    ),
    # -- an answer that cannot be read (safety.parsing, safety.reading) ------------------------
    "answer.error.unreadable": (
        "The model's answer could not be read as detections: {reason}. Check that the endpoint "
        "serves a Qwen vision-language model and that the prompt asks for boxes in JSON "
        "(bbox_2d); the raw answer is kept for inspection.",
        "无法从模型的回答中读出检测结果：{reason}。请确认该端点部署的是通义千问视觉语言模型，"
        "且提示词要求以 JSON（bbox_2d）给出框；原始回答已保留，可供核查。",
    ),
    "answer.error.cut-before-any": (
        "{error} The answer was cut off at the max_tokens limit before any complete object; "
        "raise QWEN_VL_MAX_TOKENS.",
        "{error} 回答在达到 max_tokens 上限时被截断，连一个完整目标都没有；"
        "请调高 QWEN_VL_MAX_TOKENS。",
    ),
    "answer.error.points": (
        "The model answered with points instead of boxes, so nothing can be drawn or counted. "
        "Use a grounding model (Qwen2.5-VL, Qwen3-VL, qwen-vl-max) and the default prompt.",
        "模型给出的是点而不是框，无法标注，也无法计数。请使用支持目标定位的模型"
        "（Qwen2.5-VL、Qwen3-VL、qwen-vl-max），并使用默认提示词。",
    ),
    "answer.why.failed": (
        "the reader failed unexpectedly ({kind})",
        "解析程序意外出错（{kind}）",
    ),
    "answer.why.not-text": ("the answer is not text", "回答不是文本"),
    "answer.why.empty": ("the answer is empty", "回答为空"),
    "answer.why.cut-before-first": (
        "it was cut off before the first complete object",
        "在第一个完整目标之前就被截断了",
    ),
    "answer.why.no-boxes": ("its JSON holds no boxes", "其中的 JSON 没有任何框"),
    "answer.why.no-usable.one": (
        "none of its {n} object has a usable box",
        "其中 {n} 个目标都没有可用的框",
    ),
    "answer.why.no-usable.other": (
        "none of its {n} objects has a usable box",
        "其中 {n} 个目标都没有可用的框",
    ),
    "answer.why.tags-no-box": ("its box tags hold no usable box", "其中的框标记里没有可用的框"),
    "answer.why.nothing": ("it holds neither JSON nor box tags", "其中既没有 JSON，也没有框标记"),
}
