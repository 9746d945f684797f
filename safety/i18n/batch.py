"""Words of the Batch API (``python -m safety batch prepare | collect``)."""

WORDS = {
    # -- --help ----------------------------------------------------------------------------
    "batch.cli.help": (
        "inspect many photos through a provider's Batch API (about half the price, answers "
        "within 24 hours): prepare the request files, then collect the answers",
        "通过服务商的批量推理接口（Batch API）检查大批照片（费用约为实时调用的一半，24 小时内返回）："
        "先生成请求文件，再汇总结果",
    ),
    "batch.cli.description": (
        "Three steps:\n"
        "  1. batch prepare PHOTOS... --out DIR   writes DIR/requests.jsonl (OpenAI Batch "
        "format)\n"
        "  2. the provider answers it: DashScope or OpenAI (upload, create a batch, download\n"
        "     the output), or vLLM run_batch on your own GPU\n"
        "  3. batch collect DIR OUTPUT.jsonl      results, JSON, CSV and PDF report\n"
        'docs/archives.md, section "The Batch API", has the commands of step 2.',
        "分三步：\n"
        "  1. batch prepare 照片... --out 目录    生成 目录/requests.jsonl（OpenAI 批量格式）\n"
        "  2. 由服务商处理：阿里云百炼或 OpenAI（上传文件、创建批量任务、下载结果文件），\n"
        "     或在自有 GPU 上用 vLLM run_batch 运行\n"
        "  3. batch collect 目录 结果文件.jsonl   汇总结果，输出 JSON、CSV 和 PDF 报告\n"
        "第 2 步的具体命令见 docs/archives.md 的“The Batch API”一节。",
    ),
    "batch.cli.epilog": (
        "examples:\n"
        "  python -m safety batch prepare photos/ --out batch1 --preset dashscope\n"
        "  python -m safety batch prepare photos/ --out batch2 --model "
        "Qwen/Qwen2.5-VL-7B-Instruct --provider vllm\n"
        "  python -m safety batch collect batch1 batch1/output.jsonl batch1/errors.jsonl "
        "--json results.json --report report.pdf\n",
        "示例：\n"
        "  python -m safety batch prepare photos/ --out batch1 --preset dashscope\n"
        "  python -m safety batch prepare photos/ --out batch2 --model "
        "Qwen/Qwen2.5-VL-7B-Instruct --provider vllm\n"
        "  python -m safety batch collect batch1 batch1/output.jsonl batch1/errors.jsonl "
        "--json results.json --report report.pdf --lang zh\n",
    ),
    "batch.prepare.help": (
        "frame the photos and write the Batch API request files",
        "处理照片并生成批量请求文件",
    ),
    "batch.prepare.description": (
        "Frame every photo as a live run would and write one request per photo into "
        "DIR/requests.jsonl (several files when the provider's limits need it), with the "
        "manifest (DIR/photos.jsonl) that maps the answers back. No request is sent and no "
        "API key is read or written.",
        "按实时检查相同的方式处理每张照片，每张照片一条请求，写入 目录/requests.jsonl"
        "（超出服务商限制时拆分为多个文件），并生成用于对应结果的清单（目录/photos.jsonl）。"
        "此步骤不发送任何请求，也不读取或写入 API 密钥。",
    ),
    "batch.collect.help": (
        "read the provider's output file(s) into results, JSON, CSV and a report",
        "读取服务商返回的结果文件，生成检查结果、JSON、CSV 和报告",
    ),
    "batch.collect.description": (
        "Read the provider's output lines (in any order; pass the error file too) and give "
        "every photo of the batch its result, boxes in pixels of the original photo. A "
        "request the provider failed, or did not answer, is that photo's error.",
        "读取服务商返回的结果（顺序不限；错误文件也一并传入），为批次中每张照片生成检查结果，"
        "框坐标为原图像素。服务商处理失败或未返回的请求，记为该照片的错误。",
    ),
    "batch.photos": (
        "photos, folders (walked in name order) or URLs",
        "照片、文件夹（按名称顺序遍历）或网址",
    ),
    "batch.out": (
        "folder for the request files and the manifest (new or empty)",
        "存放请求文件和清单的文件夹（新建或空文件夹）",
    ),
    "batch.force": (
        "replace an earlier batch in the --out folder",
        "覆盖 --out 文件夹中已有的批次",
    ),
    "batch.base-url": (
        "the endpoint's base URL: only tells a DashScope batch and names the endpoint in the "
        "results (nothing is sent)",
        "服务地址：仅用于识别百炼批次并在结果中注明（不发送任何请求）",
    ),
    "batch.coords": (
        "box coordinate convention; default: what the model name or preset implies (a "
        "batch cannot calibrate)",
        "框坐标的约定；默认按模型名称或预设判断（批量任务无法校准）",
    ),
    "batch.group": ("batch", "批量任务"),
    "batch.provider": (
        "whose limits the request files keep to: dashscope (50,000 requests, 500 MB a file, "
        "6 MB a request), openai (50,000 requests, 200 MB a file), vllm (none); default: "
        "dashscope for a DashScope preset or base URL, else vllm",
        "请求文件遵守哪家服务商的限制：dashscope（每个文件 5 万条请求、500 MB，每条 6 MB）、"
        "openai（每个文件 5 万条请求、200 MB）、vllm（不限）；默认：百炼预设或地址为 dashscope，"
        "否则为 vllm",
    ),
    "batch.max-requests": (
        "at most N requests per file (lower than the provider's limit)",
        "每个文件最多 N 条请求（低于服务商的限制）",
    ),
    "batch.max-file-mb": (
        "at most this many MB per file (lower than the provider's limit)",
        "每个文件最多这么多 MB（低于服务商的限制）",
    ),
    "batch.recheck": (
        "no effect: a batch always runs without re-check (it needs a second request that "
        "depends on the first answer)",
        "无效：批量任务不做人员复核（复核需要依据第一次回答再发请求）",
    ),
    "batch.folder": ("the folder batch prepare wrote", "batch prepare 生成的文件夹"),
    "batch.outputs": (
        "the provider's output file(s), and its error file(s), in any order",
        "服务商的结果文件及错误文件，顺序不限",
    ),
    "batch.results": (
        "write the results as JSONL here (default: DIR/results.jsonl)",
        "检查结果（JSONL）的保存位置（默认：目录/results.jsonl）",
    ),
    "batch.quiet": ("print only errors", "只输出错误"),
    # -- prepare -----------------------------------------------------------------------------
    "batch.no-tiles": (
        "--detail tiles cannot run as a batch: its tile requests depend on the whole "
        "photo's answer, and a batch file holds one request per photo. Use --detail high in a "
        "batch, or run python -m safety inspect --detail tiles.",
        "--detail tiles 不能以批量方式运行：分块请求要依据整张照片的回答，而批量文件每张照片只有"
        "一条请求。批量任务请用 --detail high，或改用 python -m safety inspect --detail tiles。",
    ),
    "batch.bad-limit": (
        "{flag} must be more than 0.",
        "{flag} 必须大于 0。",
    ),
    "batch.out-not-dir": (
        "--out {dir} is a file: name a folder.",
        "--out {dir} 是文件：请指定文件夹。",
    ),
    "batch.out-not-empty": (
        "The folder {dir} is not empty. Name a new folder with --out, or add --force to "
        "replace the batch in it.",
        "文件夹 {dir} 不是空的。请用 --out 指定新文件夹，或加 --force 覆盖其中的批次。",
    ),
    "batch.no-photos": (
        "No photos: the inputs gave none. Check the paths, --glob and --shard.",
        "没有照片：输入中没有找到照片。请检查路径、--glob 和 --shard。",
    ),
    "batch.line-too-large": (
        "Its request is {mb:.2f} MB, more than one request may take here ({limit:.2f} MB: "
        "{provider}'s limit, or --max-file-mb). Lower --max-pixels, or use --detail standard.",
        "该照片的请求为 {mb:.2f} MB，超过单条请求的上限（{limit:.2f} MB：{provider} 的限制或 "
        "--max-file-mb）。请调低 --max-pixels，或使用 --detail standard。",
    ),
    "batch.internal": (
        "Internal error while processing this photo ({kind}). The other photos are not "
        "affected; please report this.",
        "处理该照片时发生内部错误（{kind}）。其他照片不受影响；请报告此问题。",
    ),
    "batch.why.model": (
        "which the model name {model} implies",
        "这是模型名称 {model} 对应的约定",
    ),
    "batch.why.preset": ("the {preset} preset's convention", "这是预设“{preset}”的约定"),
    "batch.why.default": (
        "the Qwen2.5-VL convention, the most common on vLLM",
        "这是 Qwen2.5-VL 的约定，vLLM 上最常见",
    ),
    "batch.note.fallback": (
        "A batch has no server to calibrate: boxes are read as {convention} coordinates, "
        "{why}. If the model answers otherwise, prepare again with --coords.",
        "批量任务无法连接服务进行坐标校准：按 {convention} 坐标读取框，{why}。"
        "如果模型实际采用其他约定，请加 --coords 重新生成。",
    ),
    "batch.plan": (
        "Boxes will be read as {convention} coordinates ({how}).",
        "框将按 {convention} 坐标读取（{how}）。",
    ),
    "batch.how.configured": ("as configured", "按设置"),
    "batch.how.model-name": ("as the model name implies", "按模型名称判断"),
    "batch.how.remembered-calibration": (
        "as calibrated earlier for this endpoint and model",
        "按此前对该服务和模型的校准结果",
    ),
    "batch.recheck-off": (
        "Re-check of doubtful persons is off in a batch: it needs a second request that "
        "depends on the first answer. Use python -m safety inspect for it.",
        "批量任务不做存疑人员的复核：复核需要依据第一次回答再发请求。需要复核请用 "
        "python -m safety inspect。",
    ),
    "batch.prepared": (
        "Prepared {photos} photo(s): {requests} request(s) in {files} file(s) for {provider}.",
        "已处理 {photos} 张照片：{requests} 条请求，共 {files} 个文件（{provider}）。",
    ),
    "batch.file-line": (
        "  {name}: {requests} request(s), {mb:.1f} MB",
        "  {name}：{requests} 条请求，{mb:.1f} MB",
    ),
    "batch.some-failed": (
        "{n} photo(s) could not be prepared (see above): they are not sent, and collect "
        "reports them as errors.",
        "{n} 张照片无法处理（见上文）：不会发送，汇总时记为错误。",
    ),
    "batch.next.vllm": (
        "Next, on the GPU machine (the server's max_pixels must be at least {pixels:,}, as "
        "vLLM's default is; the frames are sent at that size, and a smaller limit would move "
        "the boxes):",
        "下一步，在 GPU 服务器上运行（服务端 max_pixels 须不小于 {pixels:,}，vLLM 默认即可；"
        "照片按此尺寸发送，服务端限制更小会导致框位置偏移）：",
    ),
    "batch.next.upload": (
        'Next, upload each request file to {provider} with purpose "batch", create a batch '
        "on /v1/chat/completions (window 24h), and when it is done download its output file "
        '(and error file, if any) into {dir} (docs/archives.md: "The Batch API").',
        '下一步，将每个请求文件上传到 {provider}（purpose 为 "batch"），在 '
        "/v1/chat/completions 上创建批量任务（时限 24h），完成后将结果文件（以及错误文件，"
        "如有）下载到 {dir}（见 docs/archives.md 的“The Batch API”一节）。",
    ),
    "batch.next.collect": (
        "Then collect the answers (add the error files, if any):",
        "然后汇总结果（如有错误文件，一并加上）：",
    ),
    # -- collect ----------------------------------------------------------------------------
    "batch.not-a-batch": (
        "{dir} is not a batch folder (no batch.json and photos.jsonl): name the folder that "
        "batch prepare --out wrote, or prepare the batch again if it was cut short.",
        "{dir} 不是批次文件夹（缺少 batch.json 和 photos.jsonl）：请指定 batch prepare --out "
        "生成的文件夹；如果生成中途中断，请重新运行 prepare。",
    ),
    "batch.damaged": (
        "The batch in {dir} is damaged ({why}): prepare it again.",
        "{dir} 中的批次文件已损坏（{why}）：请重新运行 prepare。",
    ),
    "batch.output-unreadable": (
        "The output file {path} cannot be read ({why}).",
        "无法读取结果文件 {path}（{why}）。",
    ),
    "batch.no-file": ("no such file", "文件不存在"),
    "batch.results-exist": (
        "{path} exists: collect writes it whole. Remove it, or name another file with --results.",
        "{path} 已存在：汇总会重新完整写入。请删除该文件，或用 --results 指定其他文件。",
    ),
    "batch.warn.bad-line": (
        "warning: {path} line {n} is not a Batch API output line: skipped.",
        "警告：{path} 第 {n} 行不是批量接口的结果行，已跳过。",
    ),
    "batch.warn.unknown-id": (
        "warning: {path} line {n}: custom_id {id} is not in this batch (the output of "
        "another batch?): skipped.",
        "警告：{path} 第 {n} 行：custom_id {id} 不属于本批次（是否为其他批次的结果？），已跳过。",
    ),
    "batch.warn.duplicate-id": (
        "warning: {path} line {n}: custom_id {id} is answered again: one answer is used "
        "(the first that succeeded).",
        "警告：{path} 第 {n} 行：custom_id {id} 重复出现，只采用一条结果（最先成功的一条）。",
    ),
    "batch.warn.more": (
        "warning: ... and {n} more such line(s).",
        "警告：……另有 {n} 行同类问题。",
    ),
    "batch.no-answer": (
        "The provider returned no answer for this photo: check the batch's error file (pass "
        "it to collect too) and whether its requests expired.",
        "服务商没有返回该照片的结果：请检查批次的错误文件（也一并传给 collect），以及请求是否已过期。",
    ),
    "batch.provider-failed": (
        "The provider failed this request ({status}): {says}",
        "服务商处理该请求失败（{status}）：{says}",
    ),
    "batch.provider-failed-plain": (
        "The provider failed this request: {says}",
        "服务商处理该请求失败：{says}",
    ),
    "batch.no-reason": ("no reason given", "未说明原因"),
    "batch.answered-by": (
        "Answered through the {provider} Batch API (batch {batch}).",
        "通过 {provider} 批量接口回答（批次 {batch}）。",
    ),
    "batch.collected": (
        "Collected {photos} photo(s), {failed} failed; results in {results}.",
        "已汇总 {photos} 张照片，失败 {failed} 张；检查结果见 {results}。",
    ),
}
