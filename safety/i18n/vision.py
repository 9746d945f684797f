"""Words about how closely a photo is looked at: photo quality, the detail setting, the
second look at people, confidence and cost."""

WORDS = {
    # -- photo quality (safety.quality) --------------------------------------------------------
    "quality.dark": ("too dark", "过暗"),
    "quality.overexposed": ("overexposed", "过曝"),
    "quality.blurred": ("blurred", "模糊"),
    "quality.small": ("too small to judge", "尺寸过小，无法判断"),
    "quality.note": (
        "Photo quality is low ({issues}): what the model did not see may still be there.",
        "照片质量差（{issues}）：模型没看到的，不代表现场没有。",
    ),
    "level.unconfirmed.one": (
        "Nothing found, NOT CONFIRMED: the photo's quality is low",
        "未发现隐患，但无法确认：照片质量差",
    ),
    "level.unconfirmed.other": (
        "Nothing found, NOT CONFIRMED: {n} photos are of low quality",
        "未发现隐患，但无法确认：{n} 张照片质量差",
    ),
    "verdict.low-quality.one": (", {n} photo of LOW QUALITY", "，{n} 张照片质量差"),
    "verdict.low-quality.other": (", {n} photos of LOW QUALITY", "，{n} 张照片质量差"),
    # -- the detail setting, the re-check and their cost (safety.passes.detail, safety.cost) ----------
    "cost.setting": (
        "{name}: {requests} request(s), ~{tokens:,} tokens",
        "{name}：{requests} 次请求，约 {tokens:,} token",
    ),
    "cli.detail": (
        "how closely each photo is looked at; per 12 MP photo: {costs} (default {default})",
        "每张照片看得多细；每张 1200 万像素照片的开销：{costs}（默认 {default}）",
    ),
    "cli.recheck": (
        "second look at doubtful persons (small in the frame, or hard hat unknown): auto; "
        "every person: all; none: off. Each costs 1 more request, ~{tokens} tokens "
        "(default {default})",
        "对存疑人员再看一次（画面中过小，或安全帽不确定）：auto；每个人都复看：all；"
        "不复看：off。每次多 1 次请求，约 {tokens} token（默认 {default}）",
    ),
    "cost.run": (
        "Cost: {requests} request(s), {prompt:,} input and {completion:,} output tokens",
        "开销：{requests} 次请求，输入 {prompt:,} token，输出 {completion:,} token",
    ),
    "cost.money": (
        ", about {money:.4f} {currency} at {model}'s published price",
        "，按 {model} 公布价格约 {money:.4f} {currency}",
    ),
    # -- the cost shown before a run (safety.cost.estimate) ---------------------------------
    "cost.estimate": (
        "Before you run: {photos} photo(s), {requests} request(s), ~{tokens:,} tokens (12 MP photos)",
        "运行前估算：{photos} 张照片，{requests} 次请求，约 {tokens:,} token（按 1200 万像素照片计）",
    ),
    "cost.estimate-empty": (
        "Each photo: {requests} request(s), ~{tokens:,} tokens (12 MP photo)",
        "每张照片：{requests} 次请求，约 {tokens:,} token（按 1200 万像素照片计）",
    ),
    "cost.no-price": (
        "; no published price for this endpoint (self-hosted: no per-token charge)",
        "；此模型服务没有公布价格（自建服务不按 token 收费）",
    ),
    "cost.recheck-auto": (
        "Second look: +1 request (~{tokens} tokens) for each small or unclear person, known only after the first answer.",
        "再看一次：每个过小或安全帽不确定的人员多 1 次请求（约 {tokens} token），要等第一次回答后才知道有几人。",
    ),
    "cost.recheck-all": (
        "Second look at everyone multiplies requests: +1 per person found (~{tokens} tokens), so a photo of {crowd} workers costs {requests} requests instead of {per}.",
        "对每个人再看一次会成倍增加请求：每发现 1 人多 1 次请求（约 {tokens} token），一张有 {crowd} 名工人的照片要 {requests} 次请求，而不是 {per} 次。",
    ),
    "cost.demo": (
        "Demo mode: the example photos are answered from stored reference labels; no request is sent and nothing is charged.",
        "演示模式：示例照片的结果来自预先存储的参考标注，不发送请求，也不产生费用。",
    ),
    # -- the page's settings ----------------------------------------------------------------
    "page.detail": (
        "Detail (requests and tokens per 12 MP photo)",
        "细节（每张 1200 万像素照片的请求数和 token）",
    ),
    "page.detail.standard": ("standard", "标准"),
    "page.detail.high": ("high", "高清"),
    "page.detail.tiles": ("tiles", "分块"),
    "page.recheck": ("Second look at doubtful persons", "对存疑人员再看一次"),
    "page.recheck.off": ("off", "关闭"),
    "page.recheck.auto": (
        "auto: small or unclear persons, +1 request each (~{tokens} tokens)",
        "自动：过小或安全帽不确定的人员，每人多 1 次请求（约 {tokens} token）",
    ),
    "page.recheck.all": (
        "all: every person, +1 request each (~{tokens} tokens)",
        "全部：每个人员，每人多 1 次请求（约 {tokens} token）",
    ),
    # -- notes on a photo's extra passes ----------------------------------------------------
    "note.tiles": (
        "Detail tiles: the whole frame and {n} tiles; {boxes} boxes merged into {found} findings.",
        "分块检查：整图加 {n} 个分块；{boxes} 个框合并为 {found} 项。",
    ),
    "note.tiles-failed": (
        "{failed} of {n} tiles could not be read (see passes in the JSON); the whole frame "
        "and the other tiles were used.",
        "{n} 个分块中有 {failed} 个无法读取（见 JSON 中的 passes）；已使用整图和其余分块。",
    ),
    "note.recheck": (
        "Second look at {n} person(s): {changed} hard-hat status(es) changed.",
        "对 {n} 名人员再看了一次：{changed} 人的安全帽状态有变。",
    ),
    "note.recheck-failed": (
        " {failed} second look(s) failed; the first answer stands for those.",
        "其中 {failed} 次复看失败，沿用第一次的判断。",
    ),
}
