"""Words of the web page. Static labels reach the browser through Gradio's gr.I18n (keys
``page.*``); text the server writes (summary, status, captions) is looked up with t()."""

WORDS = {
    "page.title": ("Site safety inspection", "现场安全检查"),
    "page.tagline": (
        "Finds fire, smoke and people without hard hats in site photos with a Qwen "
        "vision-language model, marks them on the photo and writes a report.",
        "用通义千问视觉模型查找现场照片中的火灾、烟雾和未戴安全帽的人员，在照片上标出，并生成检查报告。",
    ),
    "page.demo-banner": (
        "<b>Demo mode</b>: no model endpoint is configured. The example photos are answered "
        "from stored <b>reference labels</b> (data set labels or hand-drawn boxes), <b>not a "
        "live model</b>. To inspect your own photos, set <code>QWEN_VL_BASE_URL</code> and "
        "<code>QWEN_VL_MODEL</code> (self-hosted vLLM) or <code>DASHSCOPE_API_KEY</code> "
        "(Alibaba DashScope), or fill in <i>Endpoint settings</i> below.",
        "<b>演示模式</b>：尚未配置模型服务。示例照片的结果来自预先存储的<b>参考标注</b>"
        "（数据集自带的标注或人工画的框），<b>并非实时模型</b>。要检查自己的照片，请设置 "
        "<code>QWEN_VL_BASE_URL</code> 和 <code>QWEN_VL_MODEL</code>（自建 vLLM 服务）或 "
        "<code>DASHSCOPE_API_KEY</code>（阿里云百炼），或在下方“模型服务设置”中填写。",
    ),
    "page.photos": ("Photos: up to {limit}, {mb} MB each", "照片：≤ {limit} 张，单张 ≤ {mb} MB"),
    "page.photos-loading": ("Photos", "照片"),
    "page.urls": ("Image URLs, one per line", "图片网址（每行一个）"),
    "page.examples": ("Example photos: click one to add it", "示例照片：点击即可添加"),
    "page.run": ("Inspect photos", "开始检查"),
    "page.stop": ("Stop", "停止"),
    "page.details": ("Inspection details (for the report)", "检查信息（写入报告）"),
    "page.site": ("Site / location", "现场 / 位置"),
    "page.inspector": ("Inspector", "检查人"),
    "page.notes": ("Notes", "备注"),
    "page.lang": ("Language of labels and report", "标签和报告的语言"),
    "page.compare": (
        "Before and after: drag the line to compare",
        "标注前后对比：拖动分隔线查看",
    ),
    "page.prompt": ("Prompt sent with each photo", "随每张照片发送的提示词"),
    "page.prompt-info": (
        "The default prompt stays in Chinese whatever the page language: it is the wording the "
        "model's answers were checked with; an English prompt has not been measured to do as well.",
        "无论页面语言如何，默认提示词都用中文：模型的回答是用这段中文提示词检验过的；英文提示词的效果尚未测量。",
    ),
    "page.reset-prompt": ("Reset prompt to default", "恢复默认提示词"),
    "page.endpoint": ("Endpoint settings", "模型服务设置"),
    "page.preset": ("Preset", "预设"),
    "preset.vllm": ("Self-hosted vLLM (model decides)", "自建 vLLM（按模型判断）"),
    "preset.vllm-qwen2.5-vl": ("Self-hosted vLLM, Qwen2.5-VL", "自建 vLLM：Qwen2.5-VL"),
    "preset.vllm-qwen3-vl": ("Self-hosted vLLM, Qwen3-VL", "自建 vLLM：Qwen3-VL"),
    "preset.dashscope": ("Alibaba DashScope (China)", "阿里云百炼（中国站）"),
    "preset.dashscope-intl": ("Alibaba DashScope (international)", "阿里云百炼（国际站）"),
    "page.base-url": ("Base URL", "服务地址"),
    "page.base-url-hint": (
        "http://gpu-box:8000/v1 (empty: demo mode)",
        "http://gpu-box:8000/v1（留空则为演示模式）",
    ),
    "page.model": ("Model", "模型"),
    "page.api-key": ("API key", "API 密钥"),
    "page.api-key-info": (
        "Leave empty to use the server's key; it is never shown here.",
        "留空则使用服务器配置的密钥；该密钥不会在页面上显示。",
    ),
    "page.api-key-env": ("using the key from the environment", "使用服务器环境中的密钥"),
    "page.api-key-none": ("none (vLLM without --api-key)", "无（vLLM 未设置 --api-key）"),
    "page.coords": ("Coordinate convention", "坐标约定"),
    "page.coords.default": (
        "From the model name or preset (else calibrate)",
        "按模型名称或预设判断（无法判断时自动校准）",
    ),
    "page.coords.auto": ("Calibrate with a probe image (auto)", "用探测图自动校准（auto）"),
    "page.coords.absolute": (
        "Absolute pixels (Qwen2.5-VL, qwen-vl-max)",
        "绝对像素（Qwen2.5-VL、qwen-vl-max）",
    ),
    "page.coords.relative-1000": ("Relative 0..1000 (Qwen3-VL)", "相对坐标 0～1000（Qwen3-VL）"),
    "page.max-pixels": ("Max pixels per photo sent", "每张照片发送的最大像素数"),
    "page.concurrency": ("Photos at once, per endpoint", "每个服务同时检查的照片数"),
    "page.test": ("Test connection", "测试连接"),
    "page.credits": ("Photo credits", "照片来源"),
    "page.credits-head": (
        "Example photos (reference labels in demo mode):",
        "示例照片（演示模式下使用参考标注）：",
    ),
    "page.credits-tail": ("Full details: assets/ATTRIBUTION.md.", "详见 assets/ATTRIBUTION.md。"),
    "page.start": (
        "Add photos and press <b>Inspect photos</b>.",
        "添加照片后点击<b>开始检查</b>。",
    ),
    "page.marked": ("Marked photo", "标注后的照片"),
    "page.marked-hint": ("The marked photo appears here.", "标注后的照片将显示在这里。"),
    "page.detections": ("Detections", "检测结果"),
    "page.gallery": ("All photos: click one to show it above", "全部照片：点击可在上方查看"),
    "page.pdf": ("PDF report", "PDF 报告"),
    "page.json": ("JSON", "JSON"),
    "page.csv": ("CSV", "CSV"),
    "page.coco": ("COCO (training)", "COCO（训练数据）"),
    # -- the detections table ------------------------------------------------------------
    "page.col.no": ("#", "序号"),
    "page.col.object": ("Object", "目标"),
    "page.col.status": ("Status", "状态"),
    "page.col.label": ("Model's label", "模型标签"),
    "page.col.sub-label": ("Model's sub-label", "模型子标签"),
    "page.col.box": ("Box x1, y1, x2, y2 (px)", "框 x1, y1, x2, y2（像素）"),
    "page.col.review": ("Review", "复核"),
    "page.col.note": ("Note", "备注"),
    "page.model-said": (" (the model said: {said})", "（模型原判：{said}）"),
    # -- review --------------------------------------------------------------------------
    "page.review": ("Review the findings", "复核检测结果"),
    "page.reviewer": ("Reviewer", "复核人"),
    "page.reviewer-hint": ("your name (default: the inspector)", "您的姓名（默认为检查人）"),
    "page.review-pick": (
        "Click a row of the table to choose a finding.",
        "点击表格中的一行以选择检测结果。",
    ),
    "page.review-selected": ("Finding {n}: {caption}", "第 {n} 项：{caption}"),
    "page.confirm": ("✓ Confirm", "✓ 确认"),
    "page.reject": ("✗ Reject", "✗ 驳回"),
    "page.correct-to": ("Correct to", "更正为"),
    "page.correct": ("Correct", "更正"),
    "page.review-note": ("Note on this finding", "本项备注"),
    "page.confirm-all": ("Confirm all on this photo", "确认本张全部"),
    "page.next-photo": ("Next photo ▶", "下一张 ▶"),
    "page.add-panel": ("Add a missed finding", "补充漏检目标"),
    "page.add-hint": (
        "Draw a box around what the model missed, choose what it is, and press Add.",
        "在模型漏检的目标上画框，选择类别后点击“补充”。",
    ),
    "page.add-as": ("It is", "类别"),
    "page.add": ("Add", "补充"),
    "page.add-none": ("Draw a box on the photo first.", "请先在照片上画框。"),
    "page.write-report": ("Write the report with the review", "按复核结果生成报告"),
    "page.review-progress": (
        "Reviewed {done} of {total} findings",
        "已复核 {done}/{total} 项",
    ),
    "page.reopen": ("Reopen a run", "重新打开检查"),
    "page.reopen-files": (
        "Its results JSON and its photos",
        "检查结果 JSON 及其照片",
    ),
    "page.reopen-button": ("Reopen", "打开"),
    "page.reopen-no-json": (
        "Add the run's results JSON (and its photos).",
        "请添加该次检查的结果 JSON（及照片）。",
    ),
    "page.photo-missing": (
        "The photo was not among the files given: its findings can be reviewed, but not seen.",
        "提供的文件中没有这张照片：可以复核其检测结果，但无法显示照片。",
    ),
    # -- while and after a run -----------------------------------------------------------
    "page.inspecting.one": ("Inspecting {n} photo…", "正在检查 {n} 张照片…"),
    "page.inspecting.other": ("Inspecting {n} photos…", "正在检查 {n} 张照片…"),
    "page.progress": ("{done} of {total} done — {verdict}", "已完成 {done}/{total} — {verdict}"),
    "page.progress-bar": ("{done} of {total} photos done", "已完成 {done}/{total} 张"),
    "page.checking-endpoint": ("Checking the endpoint…", "正在检查模型服务…"),
    "page.starting": ("Starting…", "正在开始…"),
    "page.writing": ("Writing the report…", "正在生成报告…"),
    "page.reference": (
        "Reference labels ({which}), not a live model. Demo mode: no model endpoint is configured.",
        "参考标注（{which}），并非实时模型。演示模式：尚未配置模型服务。",
    ),
    "page.reference-tag": (
        "reference labels ({which}), not a live model",
        "参考标注（{which}），非实时模型",
    ),
    "page.reference-any": ("dataset labels / hand-drawn", "数据集标注 / 人工标注"),
    "provenance.dataset labels": ("dataset labels", "数据集标注"),
    "provenance.hand-drawn": ("hand-drawn", "人工标注"),
    "page.failed": ("failed", "失败"),
    "page.failed-tile": ("× failed", "× 失败"),
    "page.waiting": ("waiting", "等待中"),
    "page.stopped": (
        "Stopped after {done} of {total} photos; nothing was written.",
        "已停止：{total} 张中完成 {done} 张，未生成报告。",
    ),
    "page.report-failed": (
        "The PDF report could not be written ({kind}); the JSON and CSV are ready.",
        "PDF 报告生成失败（{kind}）；JSON 和 CSV 已可下载。",
    ),
    "page.cannot": ("Cannot do that", "无法执行"),
    "demo.configure": (
        "Demo mode: no model endpoint is configured, so only the example photos can be shown (with stored reference labels). To inspect this photo, configure an endpoint: set QWEN_VL_BASE_URL and QWEN_VL_MODEL (a self-hosted vLLM server) or DASHSCOPE_API_KEY (Alibaba DashScope) in the environment (as Space secrets on Hugging Face), or fill in the Endpoint settings panel.",
        "演示模式：尚未配置模型服务，只能查看示例照片（使用预先存储的参考标注）。要检查这张照片，请配置模型服务：在环境变量中设置 QWEN_VL_BASE_URL 和 QWEN_VL_MODEL（自建 vLLM 服务）或 DASHSCOPE_API_KEY（阿里云百炼）（在 Hugging Face 上设为 Space secrets），或在“模型服务设置”中填写。",
    ),
    "page.limit.runs": (
        "You already have {n} run(s) going on this public page. Wait for it to finish (or press Stop), then try again.",
        "您在本公开页面上已有 {n} 个检查正在进行。请等它完成（或点击“停止”）后再试。",
    ),
    "page.limit.run-size": (
        "This public page inspects at most {n} photos per hour for each visitor: send fewer photos.",
        "本公开页面每位访客每小时最多检查 {n} 张照片，请减少照片数量。",
    ),
    "page.limit.hour": (
        "This public page inspects at most {n} photos per hour for each visitor, and this run would go past that. Come back in {minutes} minute(s), or run the app yourself (see the README).",
        "本公开页面每位访客每小时最多检查 {n} 张照片，本次检查会超出限额。请 {minutes} 分钟后再来，或自行部署本应用（见 README）。",
    ),
    "page.owner-terms": (
        "This public page uses its owner's model endpoint with the owner's settings; what you changed ({fields}) was not used. To use your own settings, enter your own endpoint and API key under Endpoint settings.",
        "本公开页面使用所有者的模型服务及其设置，您修改的内容（{fields}）未被采用。如需自定义，请在“模型服务设置”中填写您自己的服务地址和 API 密钥。",
    ),
    "page.deadline": (
        "Not inspected: the run reached its time limit of {seconds:g} s before this photo was done.",
        "未检查：本次检查已达到 {seconds:g} 秒的时限，这张照片尚未完成。",
    ),
    "page.deep-link": (
        "This link tried to fill in the form (prompt, endpoint, key or photos). Those fields were reset: check them before you run.",
        "此链接试图预先填写表单（提示词、模型服务、密钥或照片），这些内容已被重置。运行前请检查。",
    ),
    "page.own-endpoint": ("the app's own endpoint", "本应用自带的模型服务"),
    "page.no-photos": (
        "Add at least one photo: drop photos on the upload box, paste image URLs (one per line), or click an example photo.",
        "请至少添加一张照片：把照片拖到上传框，粘贴图片网址（每行一个），或点击示例照片。",
    ),
    "page.too-many-photos": (
        "{n} photos were given; this app inspects at most {limit} per run. Split them into several runs.",
        "共提交了 {n} 张照片，每次最多检查 {limit} 张，请分几次检查。",
    ),
    # -- Test connection -----------------------------------------------------------------
    "page.conn.demo": (
        "Demo mode: no endpoint is configured, so there is nothing to test. Fill in a base "
        "URL (or choose a preset) and a model.",
        "演示模式：尚未配置模型服务，无从测试。请填写服务地址（或选择预设）和模型。",
    ),
    "page.conn.unreachable": (
        "✗ The endpoint does not answer as expected: {error}",
        "✗ 模型服务没有正常应答：{error}",
    ),
    "page.conn.answers": (
        "✓ {host} answers ({n} model(s) served).",
        "✓ {host} 已应答（提供 {n} 个模型）。",
    ),
    "page.conn.model-ok": ("✓ Model {model!r} is available.", "✓ 模型 {model!r} 可用。"),
    "page.conn.model-missing": (
        "✗ Model {model!r} is not served there. Served: {served}.",
        "✗ 该服务没有模型 {model!r}。可用的模型：{served}。",
    ),
    "page.conn.owner": (
        "This public page uses its owner's endpoint, which its owner tests. To test your own, enter its base URL (and key).",
        "本公开页面使用所有者的模型服务，由所有者负责测试。如需测试您自己的服务，请填写其服务地址（及密钥）。",
    ),
    "page.conn.none-listed": ("none listed", "无"),
    "page.conn.coords-bad": ("✗ Coordinates: {error}", "✗ 坐标：{error}"),
    "page.conn.coords-probed": (
        "✓ Coordinates: {convention} (found with a probe image).",
        "✓ 坐标：{convention}（已用探测图确认）。",
    ),
    "page.conn.coords-set": (
        "Coordinates: {convention} (from the settings, not probed).",
        "坐标：{convention}（来自设置，未探测）。",
    ),
    # -- captions of the example photos, by file ------------------------------------------
    "example.hardhats_doha_construction_workers.jpg": ("Construction site, Doha", "多哈建筑工地"),
    "example.hardhat_vest_warehouse_worker_intel.jpg": ("Warehouse worker", "仓库作业人员"),
    "example.industrial_fire_steel_billet_cutting.jpg": (
        "Steel billet gas cutting",
        "钢坯火焰切割",
    ),
    "example.industrial_fire_furnace_tapping_1940s.jpg": (
        "Furnace tapping, 1940s",
        "高炉出铁（20 世纪 40 年代）",
    ),
    "example.rfA_NoiseWEBSmoke3096_jpg_fa8abfb9.jpg": (
        "Building fire seen from the air",
        "航拍建筑火灾",
    ),
    "example.rfA_new_fire_fire-501_png_jpg_6aea23ba.jpg": ("Ranch fire", "牧场火灾"),
    "example.rfA_MirrorWEBSmoke2275_jpg_606369a8.jpg": ("Smoke over a town", "城镇上空的烟雾"),
}
