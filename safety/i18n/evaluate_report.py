"""Words of the evaluation report (python -m safety evaluate --report): its pages, tables
and figures."""

WORDS: dict[str, tuple[str, str]] = {
    # -- the report --------------------------------------------------------------------------------
    "eval.report.title": ("Model evaluation report", "模型评测报告"),
    "eval.report.dataset": ("Data set", "数据集"),
    "eval.report.dataset-value": ("{path} ({form})", "{path}（{form} 格式）"),
    "eval.report.photos": ("Photos", "照片"),
    "eval.report.photos-value": (
        "{n} scored (of {total} in the data set)",
        "评测 {n} 张（数据集共 {total} 张）",
    ),
    "eval.report.scored": ("Categories scored", "评分类别"),
    "eval.report.endpoint": ("Model endpoint", "模型服务地址"),
    "eval.report.model": ("Model", "模型"),
    "eval.report.prompt": ("Prompt", "提示词"),
    "eval.report.prompt-default": ("the built-in prompt", "内置默认提示词"),
    "eval.report.prompt-own": ("own prompt: {start}…", "自定义提示词：{start}…"),
    "eval.report.frame": ("Frame size", "画面尺寸"),
    "eval.report.frame-value": (
        "up to {pixels:,} pixels; frames sent: {frames}; coordinates: {coords}",
        "最多 {pixels:,} 像素；实际发送：{frames}；坐标约定：{coords}",
    ),
    "eval.report.matching": ("Matching", "匹配规则"),
    "eval.report.matching-value": (
        "IoU ≥ {iou:g}, or a head in a person box's upper half; one to one (see the appendix)",
        "IoU ≥ {iou:g}，或头部位于人员框上半部分；一对一匹配（详见附录）",
    ),
    "eval.report.created": ("Date and time", "报告时间"),
    "eval.report.scope": (
        "These figures hold for this data set only: {n} photos of {name}. Photos from another "
        "site, camera, season or light can score quite differently; evaluate on photos like "
        "those the model will see before relying on it.",
        "以上结果仅代表该数据集（{name} 中的 {n} 张照片）。换一个现场、相机、季节或光照条件，"
        "结果可能相差很大。投入使用前，请用与实际场景相近的照片再做评测。",
    ),
    "eval.report.chip-f1": ("{category} F1", "{category} F1"),
    "eval.report.chip-pr": ("precision {p} · recall {r}", "精确率 {p} · 召回率 {r}"),
    "eval.report.chip-helmet": ("hard hat right", "安全帽判断正确率"),
    "eval.report.chip-hazard": ("photos judged right", "隐患判断正确的照片"),
    "eval.report.chip-alarms": ("false-alarm rate", "误报率"),
    "eval.report.chip-of": ("{n} of {total}", "{n} / {total}"),
    "eval.report.by-category": ("By category", "按类别"),
    "eval.col.category": ("Category", "类别"),
    "eval.col.truths": ("Labelled", "标注数"),
    "eval.col.answers": ("Answers", "回答数"),
    "eval.col.tp": ("TP", "TP"),
    "eval.col.fp": ("FP", "FP"),
    "eval.col.fn": ("FN", "FN"),
    "eval.col.precision": ("Precision", "精确率"),
    "eval.col.recall": ("Recall", "召回率"),
    "eval.col.f1": ("F1", "F1"),
    "eval.col.figure": ("Figure", "指标"),
    "eval.col.class": ("Class in the data set", "数据集中的类别"),
    "eval.col.boxes": ("Boxes", "标注框数"),
    "eval.col.means": ("Scored as", "评分时视为"),
    "eval.report.not-labelled": (
        "not labelled in this data set: answers counted, not scored",
        "该数据集未标注此类别：只计回答数，不评分",
    ),
    "eval.report.confusion": ("What was labelled, what was answered", "标注与回答对照"),
    "eval.report.helmet-confusion": ("Hard hat on the persons found", "已检出人员的安全帽状态"),
    "eval.report.hat.worn": ("hard hat", "已戴"),
    "eval.report.hat.missing": ("no hard hat", "未戴"),
    "eval.report.hat.unknown": ("unsure", "不确定"),
    "eval.report.labelled": ("labelled ↓", "标注 ↓"),
    "eval.report.answered": ("answered →", "回答 →"),
    "eval.report.none": ("nothing", "无"),
    "eval.report.missed": ("missed", "漏检"),
    "eval.report.confusion-help": (
        "Each row is what the data set labels, each column what the model answered; green "
        "cells are right, red ones wrong, darker for a larger share of the row. Row "
        '"nothing": answers where nothing is labelled (false alarms). Column "missed": labels '
        "no answer covered.",
        "每一行是数据集的标注，每一列是模型的回答；绿色为正确，红色为错误，颜色越深表示在该行"
        "中占比越大。“无”这一行：没有标注却给出了回答（误报）。“漏检”这一列：没有任何回答"
        "覆盖的标注。",
    ),
    "eval.report.per-photo": ("Per photo, cost and speed", "逐张照片、用量与耗时"),
    "eval.report.hazard-basis": ("A hazard is", "隐患指"),
    "eval.report.basis.fire": ("fire", "火"),
    "eval.report.basis.smoke": ("smoke", "烟"),
    "eval.report.basis.missing": ("a person without a hard hat", "未戴安全帽的人员"),
    "eval.report.hazard-right": ("Hazard present or not: right", "有无隐患判断正确"),
    "eval.report.false-alarms": (
        "False alarms (photos without a hazard)",
        "误报（无隐患的照片）",
    ),
    "eval.report.missed-photos": ("Missed (photos with a hazard)", "漏报（有隐患的照片）"),
    "eval.report.of-pct": ("{n} of {total} ({pct})", "{n} / {total}（{pct}）"),
    "eval.report.failed": ("Failed photos", "失败的照片"),
    "eval.report.failed-value": (
        "{n} (of which {unreadable} unreadable answers); left out of every figure above",
        "{n} 张（其中回答无法解析 {unreadable} 张）；不计入以上任何指标",
    ),
    "eval.report.answers": ("Answers", "回答来源"),
    "eval.report.answers-value": (
        "{asked} asked now, {cached} from the cache",
        "本次询问模型 {asked} 张，取自缓存 {cached} 张",
    ),
    "eval.report.tokens": ("Tokens", "Token 用量"),
    "eval.report.tokens-value": (
        "{prompt:,} in, {completion:,} out; {per} per photo",
        "输入 {prompt:,}，输出 {completion:,}；平均每张 {per}",
    ),
    "eval.report.tokens-short": ("tokens per photo", "每张照片的 token"),
    "eval.report.latency": ("Latency per photo (s)", "每张照片耗时（秒）"),
    "eval.report.latency-value": (
        "mean {mean}, median {median}, 90th percentile {p90}",
        "平均 {mean}，中位数 {median}，90 分位 {p90}",
    ),
    "eval.report.failures": ("Photos that failed", "失败的照片"),
    "eval.report.worst": ("Photos with the most mistakes", "错误最多的照片"),
    "eval.report.worst-help": (
        "Dashed: what the data set labels. Solid, numbered: the model's answer.",
        "虚线框：数据集的标注。实线框（带编号）：模型的回答。",
    ),
    "eval.report.no-mistakes": (
        "No photo has a mistake: every label found, nothing invented.",
        "没有出错的照片：所有标注均被检出，也没有误报。",
    ),
    "eval.report.no-picture": ("(the photo cannot be drawn)", "（无法绘制该照片）"),
    "eval.report.photo-mistakes": (
        "{fn} missed, {fp} false alarms, {status} wrong status",
        "漏检 {fn}，误报 {fp}，状态错误 {status}",
    ),
    "eval.report.compare": ("Runs side by side", "多组评测对比"),
    "eval.report.compare-help": (
        "The same photos, scored the same way; the best figure of each row on green.",
        "同一批照片，同样的评分方法；每行最好的结果以绿色标出。",
    ),
    "eval.report.run": ("Run: {name}", "评测：{name}"),
    "eval.report.appendix": ("Appendix", "附录"),
    "eval.report.classes": ("The data set's classes", "数据集的类别"),
    "eval.report.unmapped": ("not mapped: ignored", "未对应：已忽略"),
    "eval.report.rule": ("How answers are matched to labels", "回答与标注的匹配方法"),
    "eval.report.prompt-full": ("Prompt ({names})", "提示词（{names}）"),
    "eval.report.footer": ("Model evaluation – {name}", "模型评测 – {name}"),
    "eval.report.page": ("page {p} of {n}", "第 {p} 页，共 {n} 页"),
}
