"""Words of the PDF report (see safety/i18n/__init__.py).

Names of categories, statuses and levels, the counts and the verdict line come from terms.py;
only what the report alone says is here.
"""

WORDS: dict[str, tuple[str, str]] = {
    # -- page 1: what, where, who, when ---------------------------------------------------------
    "report.title": ("Site safety inspection report", "现场安全检查报告"),
    "report.site": ("Site / location", "检查地点"),
    "report.inspector": ("Inspector", "检查人"),
    "report.created": ("Date and time", "报告时间"),
    "report.endpoint": ("Model endpoint", "模型服务地址"),
    "report.model": ("Model", "模型"),
    "report.photos": ("Photos", "照片"),
    "report.photos-value": (
        "{n} in all: {read} read, {failed} failed",
        "共 {n} 张：已读取 {read} 张，失败 {failed} 张",
    ),
    "report.not-given": ("(not given)", "（未填写）"),
    "report.labelled": ("{name}: {value}", "{name}：{value}"),
    # -- demo mode -----------------------------------------------------------------------------
    "report.demo.banner": (
        "DEMO MODE: REFERENCE LABELS. The findings in this report are stored reference "
        "labels, not the answers of a live model. This is not an inspection of the site.",
        "演示模式（参考标注）：本报告中的结果为预先存储的参考标注，并非模型的实时识别结果，"
        "不代表对现场的实际检查。",
    ),
    "report.demo.photo": (
        "Reference labels (demo mode), not a live model's answer.",
        "参考标注（演示模式），并非模型的实时识别结果。",
    ),
    "report.demo.footer": (
        "REFERENCE LABELS (DEMO), NOT A LIVE MODEL",
        "参考标注（演示），非模型实时识别",
    ),
    # -- page 1: verdict, counts, failures, notes -----------------------------------------------
    "report.verdict": ("Verdict at a glance", "检查结论"),
    "report.col.category": ("Category", "类别"),
    "report.col.total": ("Total", "合计"),
    "report.col.breakdown": ("By status", "状态明细"),
    "report.photos-row": (
        "{read} read, {failed} failed (not inspected)",
        "已读取 {read} 张，失败 {failed} 张（未检查）",
    ),
    "report.failed": ("Photos that failed (not inspected)", "未能检查的照片"),
    "report.none-failed": (
        "None: the answer for every photo was read.",
        "无：每张照片的模型回答均已读取。",
    ),
    "report.no-photos": ("No photos in this report.", "本报告未包含照片。"),
    "report.failed-explain": (
        "These photos were not inspected: their findings are unknown and they are not "
        'counted as "no hazard".',
        "以下照片未能完成检查，结果未知，不能视为“未发现隐患”。",
    ),
    "report.user-notes": ("Inspector's notes", "检查人备注"),
    # -- overview table ------------------------------------------------------------------------
    "report.overview": ("Photos at a glance", "各照片检查结果一览"),
    "report.col.no": ("#", "#"),
    "report.col.photo": ("Photo", "照片"),
    "report.col.findings": ("Findings", "识别结果"),
    "report.col.level": ("Level", "结论"),
    "report.failed-level": ("FAILED: NOT INSPECTED", "失败：未能检查"),
    # -- one section per photo -----------------------------------------------------------------
    "report.photo": ("Photo {n}", "照片 {n}"),
    "report.photo-of": ("Photo {n} of {total}", "照片 {n} / {total}"),
    "report.marked": (
        "Marked photo: boxes from the model's answer, numbered as in the table.",
        "标注图：方框来自模型回答，编号与下表对应。",
    ),
    "report.original": ("Original photo (unmarked)", "原图（未标注）"),
    "report.dims": ("{w} \u00d7 {h} px", "{w} \u00d7 {h} 像素"),
    "report.bytes.one": ("{n} byte", "{n} 字节"),
    "report.bytes.other": ("{n} bytes", "{n} 字节"),
    "report.bytes.kb": ("{size:.0f} kB ({n:,} bytes)", "{size:.0f} kB（{n:,} 字节）"),
    "report.bytes.mb": ("{size:.1f} MB ({n:,} bytes)", "{size:.1f} MB（{n:,} 字节）"),
    "report.findings": ("Findings", "识别结果"),
    "report.col.status": ("Status", "状态"),
    "report.col.label": ("Model's label", "模型标签"),
    "report.col.box": ("Box (x1, y1, x2, y2 px)", "框（x1, y1, x2, y2 像素）"),
    "report.nothing": (
        "Nothing found: the model's answer for this photo was read and lists no fire, "
        "smoke or person.",
        "未发现目标：已读取该照片的模型回答，未识别出火灾、烟雾或人员。",
    ),
    "report.error.title": ("This photo could not be inspected", "该照片未能完成检查"),
    "report.error.kind": ("Kind of error", "错误类型"),
    "report.error.explain": (
        'Its findings are unknown; it is not counted as "no hazard".',
        "检查结果未知，不能视为“未发现隐患”。",
    ),
    "report.photo-notes": ("Notes on the model's answer (repairs made)", "模型回答的修正说明"),
    "report.no-image": ("No image of this photo is available.", "该照片没有可显示的图像。"),
    "report.bad-image": (
        "The image of this photo could not be decoded for the report.",
        "该照片的图像无法解码，未能放入报告。",
    ),
    # -- audit appendix ------------------------------------------------------------------------
    "report.appendix": ("Audit appendix", "审计附录"),
    "report.prompt": ("Prompt sent with every photo", "随每张照片发送的提示词"),
    "report.no-prompt": ("(not recorded)", "（未记录）"),
    "report.source": ("Source", "来源"),
    "report.sha256": ("SHA-256", "SHA-256"),
    "report.file-size": ("File size", "文件大小"),
    "report.orig-size": ("Original size (upright)", "原图尺寸（已校正方向）"),
    "report.frame": ("Image size sent to the model", "送入模型的图像尺寸"),
    "report.convention": ("Coordinate convention", "坐标约定"),
    "report.tokens": ("Tokens (prompt / answer / total)", "Token 数（提示 / 回答 / 合计）"),
    "report.latency": ("Latency", "响应耗时"),
    "report.seconds": ("{s:.2f} s", "{s:.2f} 秒"),
    "report.finish": ("Finish reason", "结束原因"),
    "report.raw": ("Model's raw answer", "模型原始回答"),
    "report.raw-withheld": (
        "(not shown: this report was made on a public page)",
        "（未显示：本报告生成于公开页面）",
    ),
    "report.no-raw": ("(no answer received)", "（未收到回答）"),
    "report.cut": (
        "[Cut here: the answer has {n:,} characters and the first {m:,} are shown. "
        "The JSON export keeps it whole.]",
        "[以下截断：回答共 {n:,} 个字符，此处仅显示前 {m:,} 个；完整回答见 JSON 导出文件。]",
    ),
    # -- review: the draft mark, who reviewed, the decisions ------------------------------------
    "report.review": ("Review", "人工复核"),
    "report.draft.one": ("DRAFT: {n} finding not reviewed", "草稿：尚有 {n} 项识别结果未复核"),
    "report.draft.other": ("DRAFT: {n} findings not reviewed", "草稿：尚有 {n} 项识别结果未复核"),
    "report.draft.explain": (
        "Findings not yet reviewed are counted as the model reported them and are marked "
        "UNREVIEWED on the photos. The report is final once a reviewer has confirmed, "
        "corrected or rejected every finding.",
        "未复核的识别结果暂按模型原始结果计入统计，并在照片上标注“未复核”。"
        "复核人对全部识别结果逐项确认、更正或驳回后，本报告方为正式报告。",
    ),
    "report.draft.footer": ("DRAFT: {n} NOT REVIEWED", "草稿：{n} 项未复核"),
    "report.reviewed-by": (
        "{by}, {time} (every finding reviewed)",
        "{by}，{time}（全部识别结果已复核）",
    ),
    "report.reviewed-unnamed": (
        "Every finding reviewed (reviewer and time not recorded)",
        "全部识别结果已复核（未记录复核人及复核时间）",
    ),
    "report.not-reviewed": ("No findings; not reviewed by a person", "无识别结果，未经人工复核"),
    "report.review-tally": (
        "Review: {confirmed} confirmed, {corrected} corrected, {added} added by the reviewer, "
        "{unreviewed} not reviewed; {rejected} rejected (not counted above, listed under "
        '"Rejected findings").',
        "复核情况：确认 {confirmed} 项，更正 {corrected} 项，人工补充 {added} 项，"
        "未复核 {unreviewed} 项；驳回 {rejected} 项（不计入上述统计，见“已驳回的识别结果”）。",
    ),
    "report.ov-unreviewed": ("{n} not reviewed", "未复核 {n} 项"),
    "report.ov-rejected": ("{n} rejected (not counted)", "驳回 {n} 项（不计入）"),
    "report.marked-reviewed": (
        "Marked photo after review: rejected findings dashed, numbered as in the table.",
        "复核后的标注图：已驳回的目标为虚线框，编号与下表对应。",
    ),
    "report.marked-before-review": (
        "Marked photo as drawn from the model's answer, before review; the table below is "
        "the reviewed list.",
        "标注图按模型回答绘制，为复核前的结果；复核后的结果以下表为准。",
    ),
    "report.col.review": ("Review", "复核"),
    "report.model-said": ("(corrected; the model said: {said})", "（已更正，模型原判：{said}）"),
    "report.note": ("Reviewer's note: {note}", "复核备注：{note}"),
    "report.all-rejected": (
        "The reviewer rejected every finding in this photo: none of them is counted.",
        "该照片的识别结果已全部被复核人驳回，均不计入统计。",
    ),
    "report.rejected": ("Rejected findings", "已驳回的识别结果"),
    "report.rejected-explain": (
        "The reviewer rejected these findings, so they are not counted anywhere in this "
        "report. They are kept here with the model's own words and the reviewer's note, so "
        "that the audit trail stays whole.",
        "以下识别结果已被复核人驳回，不计入本报告的任何统计。为保证审计记录完整，"
        "此处保留模型的原始判断、标签及复核备注。",
    ),
    "report.col.model-said": ("The model said", "模型原判"),
    "report.col.note": ("Reviewer's note", "复核备注"),
    "report.no-note": ("(no note)", "（无备注）"),
    # -- page footer ---------------------------------------------------------------------------
    "report.created-footer": ("Report created {time}", "报告生成于 {time}"),
    "report.page": ("Page {p} of {n}", "第 {p} 页，共 {n} 页"),
}
