"""Words about what an endpoint (or a pool of them) did wrong, the pipeline's own errors, and
a reviewer's mistakes: said wherever the error is shown, in its reader's language."""

WORDS = {
    # -- one endpoint (safety.backends.client) -------------------------------------------------
    "endpoint.malformed": (
        "{host} answered with a malformed response (not a chat completion). Check that the "
        "base URL points at an OpenAI-compatible /v1 API.",
        "{host} 返回的响应格式不对（不是对话补全结果）。请检查基础 URL 是否指向兼容 OpenAI 的 "
        "/v1 接口。",
    ),
    "endpoint.no-text": (
        "{host} answered with no text (empty or malformed response).",
        "{host} 的响应里没有文字（响应为空或格式不对）。",
    ),
    "endpoint.timeout": (
        "{host} did not answer within {timeout:g} s (after {retries} retries). The server may "
        "be overloaded: lower the concurrency or raise QWEN_VL_TIMEOUT.",
        "{host} 在 {timeout:g} 秒内没有响应（已重试 {retries} 次），服务器可能负载过高："
        "请降低并发数，或调高 QWEN_VL_TIMEOUT。",
    ),
    "endpoint.connect": (
        "Cannot connect to {host}. Check the base URL and that the server is running and "
        "reachable from here.",
        "无法连接 {host}。请检查基础 URL，并确认服务器已启动、从本机可以访问。",
    ),
    "endpoint.key": (
        "{host} refused the API key (401). Check QWEN_VL_API_KEY or DASHSCOPE_API_KEY.",
        "{host} 拒绝了 API 密钥（401）。请检查 QWEN_VL_API_KEY 或 DASHSCOPE_API_KEY。",
    ),
    "endpoint.denied": (
        "{host} denied access (403): {says}. Check that the key may use model {model}.",
        "{host} 拒绝访问（403）：{says}。请确认该密钥有权使用模型 {model}。",
    ),
    "endpoint.no-reason": ("no reason given", "未说明原因"),
    "endpoint.no-model": (
        '{host} does not serve model {model} (404). Check the model name ("Test connection" '
        "lists the served models) and that the base URL ends in /v1.",
        "{host} 上没有模型 {model}（404）。请检查模型名称（“测试连接”会列出已部署的模型），"
        "并确认基础 URL 以 /v1 结尾。",
    ),
    "endpoint.rate-limited": (
        "{host} is rate limiting requests (429) and still was after {retries} retries. Lower "
        "the concurrency or wait a minute.",
        "{host} 正在限流（429），重试 {retries} 次后仍是如此。请降低并发数，或稍等一分钟再试。",
    ),
    "endpoint.moderation": (
        "{host} refused this photo on content moderation grounds (400 DataInspectionFailed). "
        "Nothing can be said about it by this model.",
        "{host} 因内容审核拒绝了这张照片（400 DataInspectionFailed），"
        "这个模型无法对它给出任何结论。",
    ),
    "endpoint.too-large": (
        "The photo is too large for this model's context at {host} (400: {says}). Lower max "
        "pixels (QWEN_VL_MAX_PIXELS or --max-pixels).",
        "这张照片超出了 {host} 上该模型的上下文长度（400：{says}）。请调低最大像素数"
        "（QWEN_VL_MAX_PIXELS 或 --max-pixels）。",
    ),
    "endpoint.rejected": (
        "{host} rejected the request (400): {says}",
        "{host} 拒绝了该请求（400）：{says}",
    ),
    "endpoint.server-error": (
        "{host} failed with a server error ({status}) after {retries} retries: {says}. Try "
        "again later.",
        "{host} 出现服务器错误（{status}），重试 {retries} 次后仍失败：{says}。请稍后再试。",
    ),
    "endpoint.no-details": ("no details", "无详细信息"),
    "endpoint.status": ("{host} answered {status}: {says}", "{host} 返回 {status}：{says}"),
    "endpoint.unreadable": (
        "{host} gave an unreadable response ({kind}). Check that the base URL points at an "
        "OpenAI-compatible /v1 API.",
        "{host} 返回了无法读取的响应（{kind}）。请检查基础 URL 是否指向兼容 OpenAI 的 /v1 接口。",
    ),
    # -- several endpoints (safety.backends.pool) ----------------------------------------------
    "pool.stopped": (
        "The run was stopped before this photo was answered.",
        "这张照片还没得到回答，本次运行就已停止。",
    ),
    "pool.down": (
        "All {n} endpoints failed. {parts} Check that the servers are running and reachable "
        "from here, then resume the run later (--resume answers only the photos that are not "
        "done).",
        "全部 {n} 个端点都失败了。{parts} 请确认服务器已启动、从本机可以访问，稍后再续跑"
        "（--resume 只处理尚未完成的照片）。",
    ),
    "pool.member": ("{host} ({state}): {said}", "{host}（{state}）：{said}"),
    "pool.state.out": ("left out", "已停用"),
    "pool.state.resting": ("resting for {s:.0f} s", "暂停 {s:.0f} 秒"),
    "pool.state.failed-photo": ("failed this photo", "这张照片失败"),
    "pool.state.no-probe": ("no answer to the calibration probe", "校准探测无响应"),
    "pool.no-answer": ("no answer", "无响应"),
    "pool.left-out": (
        "{host} is left out of this run for now: {why}",
        "{host} 暂不参与本次运行：{why}",
    ),
    "pool.several": ("{errors}", "{errors}"),
    # -- calibration (safety.backends.calibration) --------------------------------------------
    "calibration.unclear": (
        "Calibration could not tell which coordinates {model} at {host} uses: asked for a red "
        "rectangle, it answered {answer}. Choose the convention yourself: --coords absolute "
        "(Qwen2.5-VL, qwen-vl-max) or --coords relative-1000 (Qwen3-VL).",
        "校准无法判断 {host} 上的 {model} 使用哪种坐标：让它找红色矩形，它回答的是 {answer}。"
        "请自行指定坐标约定：--coords absolute（Qwen2.5-VL、qwen-vl-max）或 "
        "--coords relative-1000（Qwen3-VL）。",
    ),
    "calibration.shrinks": (
        "The server shrinks frames larger than about {measured:,} pixels; frames are sent at "
        "most {max_pixels:,} pixels so that it keeps them.",
        "服务器会缩小超过约 {measured:,} 像素的图像，因此发送的图像最多 {max_pixels:,} 像素，"
        "以免被缩小。",
    ),
    "calibration.fallback": (
        "{failure} Meanwhile using {convention} coordinates, {why}.",
        "{failure} 暂按 {convention} 坐标读取，{why}。",
    ),
    "calibration.why.model": ("which the model name implies", "这是模型名称对应的约定"),
    "calibration.host-note": ("{host}: {note}", "{host}：{note}"),
    # -- the pipeline (safety.inspection) ------------------------------------------------------
    "pipeline.stopped": ("Stopped.", "已停止。"),
    "pipeline.internal": (
        "Internal error while processing this photo ({kind}). The other photos are not "
        "affected; please report this.",
        "处理这张照片时出现内部错误（{kind}）。其他照片不受影响；请把这个问题报告给我们。",
    ),
    # -- a photo that cannot be used (safety.images, safety.source) ----------------------------
    "photo.error.bomb": (
        "The photo is too large to process (over {mp} megapixels). Resize it and try again.",
        "照片太大，无法处理（超过 {mp} 百万像素）。请缩小后重试。",
    ),
    "photo.error.not-image": (
        "The file is not an image we can read (JPEG, PNG, WebP, GIF, BMP or TIFF).",
        "该文件不是可读取的图片（支持 JPEG、PNG、WebP、GIF、BMP、TIFF）。",
    ),
    "photo.error.damaged": (
        "The image file is damaged ({kind}).",
        "图片文件已损坏（{kind}）。",
    ),
    "photo.error.empty": ("The file is empty.", "文件是空的。"),
    "photo.error.too-big": (
        "The file is {mb:.1f} MB; the limit is {limit} MB.",
        "文件大小为 {mb:.1f} MB，上限是 {limit} MB。",
    ),
    "photo.error.megapixels": (
        "The photo has {mp:.0f} megapixels; this app takes at most {limit}. Resize it and try "
        "again.",
        "照片有 {mp:.0f} 百万像素，本应用最多接受 {limit} 百万像素。请缩小后重试。",
    ),
    "photo.error.too-small": (
        "The photo is {w}x{h} pixels: too small to inspect (at least {min} pixels a side).",
        "照片只有 {w}x{h} 像素，太小，无法检查（每边至少 {min} 像素）。",
    ),
    "photo.error.elongated": (
        "The photo is {w}x{h}: more elongated than {most}:1, which Qwen models refuse. Crop it "
        "first.",
        "照片为 {w}x{h}，长宽比超过 {most}:1，通义千问模型不接受。请先裁剪。",
    ),
    "photo.error.corrupt": (
        "The image data is truncated or corrupt ({why}).",
        "图片数据不完整或已损坏（{why}）。",
    ),
    "photo.error.no-file": ("No such file.", "文件不存在。"),
    "photo.error.folder": ("This is a folder, not a photo.", "这是一个文件夹，不是照片。"),
    "photo.error.denied": (
        "The file cannot be read (permission denied).",
        "无法读取该文件（没有权限）。",
    ),
    # -- a reviewer's mistakes (safety.review) -------------------------------------------------
    "review.error.note-long": (
        "A note may have at most {n} characters.",
        "备注最多 {n} 个字符。",
    ),
    "review.error.unknown-finding": (
        "{category} with status {status} is not a finding this app knows.",
        "本应用不认识状态为 {status} 的 {category} 这类发现。",
    ),
    "review.error.unknown-action": (
        "Unknown review action {action}.",
        "未知的审核操作 {action}。",
    ),
    "review.error.empty-box": (
        "Draw a box with some width and height.",
        "请画一个有宽度和高度的框。",
    ),
}
