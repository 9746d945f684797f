"""Words of the command line: --help, the per-photo lines and the closing verdict."""

WORDS = {
    "cli.description": (
        "Find fire, smoke and persons (with hard-hat status) in site photos with a Qwen "
        "vision-language model, and mark them.",
        "用通义千问视觉模型检查现场照片中的火灾、烟雾和人员（含安全帽佩戴情况），并在照片上标注。",
    ),
    "cli.epilog": (
        "environment (flags win):\n"
        "  QWEN_VL_BASE_URL, QWEN_VL_MODEL, QWEN_VL_API_KEY   the endpoint\n"
        "  DASHSCOPE_API_KEY        alone, selects DashScope (China) with qwen-vl-max\n"
        "  QWEN_VL_PRESET           one of: {presets}\n"
        "  QWEN_VL_COORDS, QWEN_VL_MAX_PIXELS, QWEN_VL_TIMEOUT, QWEN_VL_RETRIES,\n"
        "  QWEN_VL_CONCURRENCY, QWEN_VL_MAX_TOKENS, SAFETY_CACHE_DIR, SAFETY_ALLOWED_NETWORKS\n"
        "  SAFETY_LANG              en or zh: the language of these lines (default: from LANG)\n"
        "\n"
        "examples:\n"
        "  python -m safety inspect site1.jpg https://example.com/site2.jpg --out marked --json out.json\n"
        "  python -m safety inspect *.jpg --base-url http://gpu:8000/v1 --model Qwen/Qwen2.5-VL-7B-Instruct\n"
        "  DASHSCOPE_API_KEY=... python -m safety inspect site.jpg --report report.pdf --lang zh\n",
        "环境变量（命令行参数优先）：\n"
        "  QWEN_VL_BASE_URL、QWEN_VL_MODEL、QWEN_VL_API_KEY   模型服务\n"
        "  DASHSCOPE_API_KEY        只设置它时，使用阿里云百炼（中国站）的 qwen-vl-max\n"
        "  QWEN_VL_PRESET           可选：{presets}\n"
        "  QWEN_VL_COORDS、QWEN_VL_MAX_PIXELS、QWEN_VL_TIMEOUT、QWEN_VL_RETRIES、\n"
        "  QWEN_VL_CONCURRENCY、QWEN_VL_MAX_TOKENS、SAFETY_CACHE_DIR、SAFETY_ALLOWED_NETWORKS\n"
        "  SAFETY_LANG              en 或 zh：命令行输出的语言（默认按 LANG 判断）\n"
        "\n"
        "示例：\n"
        "  python -m safety inspect site1.jpg https://example.com/site2.jpg --out marked --json out.json\n"
        "  python -m safety inspect *.jpg --base-url http://gpu:8000/v1 --model Qwen/Qwen2.5-VL-7B-Instruct\n"
        "  DASHSCOPE_API_KEY=... python -m safety inspect site.jpg --report report.pdf --lang zh\n",
    ),
    "cli.verbose": ("log requests", "记录请求日志"),
    "cli.group.endpoint": ("endpoint", "模型服务"),
    "cli.group.output": ("output", "输出"),
    "cli.group.run": ("run", "运行"),
    "cli.preset": (
        "endpoint preset (default: guessed from the base URL, or dashscope when only "
        "DASHSCOPE_API_KEY is set)",
        "服务预设（默认按服务地址判断；只设置了 DASHSCOPE_API_KEY 时为 dashscope）",
    ),
    "cli.base-url": (
        "OpenAI-compatible base URL, e.g. http://host:8000/v1; give it again for several "
        "endpoints (requests go to whichever answers fastest)",
        "兼容 OpenAI 的服务地址，例如 http://host:8000/v1；可重复指定多个服务地址"
        "（请求优先发给响应更快的服务）",
    ),
    "cli.model": ("model name as the server knows it", "服务端的模型名称"),
    "cli.api-key": (
        "API key (prefer QWEN_VL_API_KEY / DASHSCOPE_API_KEY: a flag can be seen in the "
        "process list)",
        "API 密钥（建议改用环境变量 QWEN_VL_API_KEY 或 DASHSCOPE_API_KEY：命令行参数在进程列表中可见）",
    ),
    "cli.coords": (
        "box coordinate convention; default: what the model name or preset implies, else "
        "auto (calibrate once)",
        "框坐标的约定；默认按模型名称或预设判断，无法判断时为 auto（自动校准一次）",
    ),
    "cli.max-pixels": (
        "largest frame sent to the model, in pixels (default {n}, about 1280 visual tokens)",
        "发送给模型的最大画面像素数（默认 {n}，约 1280 个视觉 token）",
    ),
    "cli.timeout": ("seconds per request (default {n:g})", "单次请求的超时秒数（默认 {n:g}）"),
    "cli.retries": (
        "retries on 429, 5xx and timeouts (default {n})",
        "遇到 429、5xx 或超时时的重试次数（默认 {n}）",
    ),
    "cli.max-tokens": ("answer length cap (default {n})", "回答的最大 token 数（默认 {n}）"),
    "cli.inspect": ("inspect photos", "检查照片"),
    "cli.inspect.description": ("Inspect photos (paths or URLs).", "检查照片（本地路径或网址）。"),
    "cli.photos": (
        "photo files, folders (walked for photos, see --glob) or http(s) URLs",
        "照片文件、文件夹（自动查找其中的照片，见 --glob）或 http(s) 网址",
    ),
    "cli.out": ("write each marked photo here", "标注后的照片保存到此目录"),
    "cli.json": (
        "write all results as JSON ('-': to standard output)",
        "将全部结果写入 JSON 文件（'-' 表示输出到标准输出）",
    ),
    "cli.csv": ("write all detections as CSV", "将全部检测结果写入 CSV 文件"),
    "cli.report": ("write a PDF inspection report", "生成 PDF 检查报告"),
    "cli.lang": (
        "language of labels, report and these lines (default {lang})",
        "标签、报告和命令行输出的语言（默认 {lang}）",
    ),
    "cli.site": ("site or location, for the report", "现场或位置（写入报告）"),
    "cli.inspector": ("inspector's name, for the report", "检查人姓名（写入报告）"),
    "cli.notes": ("free notes, for the report", "备注（写入报告）"),
    "cli.concurrency": (
        "photos in flight at once, per endpoint (default {n})",
        "每个模型服务同时处理的照片数（默认 {n}）",
    ),
    "cli.prompt-file": (
        "use this prompt instead of the default (UTF-8 text)",
        "使用此文件中的提示词代替默认提示词（UTF-8 文本）",
    ),
    "cli.quiet": ("no per-photo lines on stdout", "不逐张输出结果"),
    "cli.calibrate": (
        "find out which coordinates an endpoint's model uses",
        "检测模型服务使用哪种坐标",
    ),
    "cli.calibrate.description": (
        "Send the red-rectangle probe and print the convention.",
        "发送红色矩形探测图，并输出坐标约定。",
    ),
    "cli.presets": ("list endpoint presets", "列出服务预设"),
    # -- lines printed while working ---------------------------------------------------------
    "cli.photo-line": ("[{n}/{total}] {source}: {verdict}", "[{n}/{total}] {source}：{verdict}"),
    "cli.note": ("  note: {note}", "  说明：{note}"),
    "cli.error": ("error: {source}: {error}", "错误：{source}：{error}"),
    "cli.fatal": ("error: {error}", "错误：{error}"),
    "cli.interrupted": ("interrupted", "已中断"),
    "cli.prompt-unreadable": (
        "Cannot read the prompt file: {why}.",
        "无法读取提示词文件：{why}。",
    ),
    "cli.calibrated": (
        "{model} at {host}: {convention} coordinates; frames up to {pixels:,} pixels on a "
        "{grid}-pixel grid.",
        "{host} 上的 {model}：{convention} 坐标；画面最多 {pixels:,} 像素，按 {grid} 像素对齐。",
    ),
    "cli.preset-line": (
        "{name:16} {title}: {url}, model {model}, coords {coords}{key}",
        "{name:16} {title}：{url}，模型 {model}，坐标 {coords}{key}",
    ),
    "cli.preset-key": (", key from {var}", "，密钥取自 {var}"),
    # -- report: re-render every output from a results JSON ------------------------------------
    "cli.rerender": (
        "re-render the report and exports from a results JSON (e.g. after review)",
        "根据结果 JSON 重新生成报告和导出文件（如复核之后）",
    ),
    "cli.rerender.description": (
        "Re-render the PDF report, and the JSON, CSV and COCO exports, from a results JSON "
        "(or JSONL): reviewed in the browser, edited by hand or written by another tool. For "
        "the PDF, each photo is "
        "found at its source path, or in --photos DIR by SHA-256 (else by file name), and "
        "marked again as its findings stand after review. Nothing is written unless "
        "everything can be.",
        "根据结果 JSON 或 JSONL（网页复核后导出、手工修改或其他工具生成）重新生成 PDF 报告及 JSON、CSV、"
        "COCO 导出文件。生成 PDF 时，照片按原路径查找，或在 --photos 指定的目录中按 SHA-256（其次按文件名）"
        "查找，并按复核后的结果重新标注。任何一项无法生成时，不写出任何文件。",
    ),
    "cli.results": (
        "results JSON written by inspect or by the web page, or a results JSONL (inspect "
        "--results, batch collect --results; several joined with cat)",
        "由 inspect 命令或网页导出的结果 JSON 文件，或结果 JSONL 文件（inspect --results、"
        "batch collect --results 生成；多个文件可用 cat 合并）",
    ),
    "cli.no-output": (
        "name at least one output: --report FILE.pdf, --json, --csv or --coco.",
        "请至少指定一个输出：--report FILE.pdf、--json、--csv 或 --coco。",
    ),
    "cli.report-out": ("write the PDF inspection report here", "PDF 检查报告的保存路径"),
    "cli.json-out": (
        "write the results, as reviewed, as JSON",
        "将复核后的全部结果写入 JSON 文件",
    ),
    "cli.coco": (
        "write the findings as they stand after review as COCO JSON (for training)",
        "将复核后的识别结果写成 COCO 格式 JSON（用于模型训练）",
    ),
    "cli.photos-dir": (
        "find the photos only in this folder (by their source path inside it, by SHA-256, "
        "else by file name); without it, at their source path",
        "只在此目录中查找照片（按目录内的原路径、SHA-256 或文件名）；不指定时按原路径查找",
    ),
    "cli.where": ("photo {n} ({source})", "照片 {n}（{source}）"),
    "cli.photo-not-found": (
        "{where}: source: no photo at this path; give the photos' folder with --photos DIR",
        "{where}：source：该路径下没有照片，请用 --photos DIR 指定照片所在目录",
    ),
    "cli.photo-not-in-dir": (
        "{where}: source: not found in {dir} (looked for by SHA-256 and by file name)",
        "{where}：source：在 {dir} 中未找到该照片（已按 SHA-256 和文件名查找）",
    ),
    "cli.photo-differs": (
        "{where}: sha256: {path} is not the photo that was inspected (its SHA-256 differs)",
        "{where}：sha256：{path} 不是当初检查的那张照片（SHA-256 不一致）",
    ),
    "cli.photo-unreadable": ("{where}: {path}: {error}", "{where}：{path}：{error}"),
    "cli.photo-size": (
        "{where}: width, height: {path} is {w}\u00d7{h} pixels, the results say {rw}\u00d7{rh}",
        "{where}：width、height：{path} 为 {w}\u00d7{h} 像素，与结果中的 {rw}\u00d7{rh} 不符",
    ),
    "cli.photos-dir-missing": ("--photos {dir}: not a folder", "--photos {dir}：不是目录"),
    "cli.same-output": (
        "{path}: named for two outputs; give each its own file",
        "{path}：被指定为两个输出文件，请分别指定",
    ),
    "cli.cannot-write": ("{path}: cannot be written ({why})", "{path}：无法写入（{why}）"),
    "cli.draft.one": (
        "DRAFT: {n} finding not reviewed",
        "草稿：尚有 {n} 项识别结果未复核",
    ),
    "cli.draft.other": (
        "DRAFT: {n} findings not reviewed",
        "草稿：尚有 {n} 项识别结果未复核",
    ),
    "cli.reviewed-by": (
        "every finding reviewed by {by}, {time}",
        "全部识别结果已复核：{by}，{time}",
    ),
}
