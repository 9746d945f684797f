"""Words every view shares: what was found, its status, the verdict and the counts."""

WORDS = {
    # -- categories ------------------------------------------------------------------------
    "category.fire": ("fire", "火灾"),
    "category.smoke": ("smoke", "烟雾"),
    "category.person": ("person", "人员"),
    "category.other": ("other", "其他"),
    # -- severity of fire and smoke ----------------------------------------------------------
    "severity.minor": ("minor", "轻微"),
    "severity.moderate": ("moderate", "中等"),
    "severity.severe": ("severe", "严重"),
    "severity.unknown": ("unknown", "不确定"),
    # -- a person's hard hat -------------------------------------------------------------------
    "helmet.worn": ("hard hat", "已戴安全帽"),
    "helmet.missing": ("NO HARD HAT", "未戴安全帽"),
    "helmet.unknown": ("hard hat?", "安全帽不确定"),
    "caption": ("{name} · {status}", "{name}·{status}"),
    # -- verdict levels, most serious first --------------------------------------------------
    "level.immediate-action": ("IMMEDIATE ACTION", "需立即处置"),
    "level.violation": ("HARD-HAT VIOLATION", "未戴安全帽违规"),
    "level.review": ("REVIEW", "需复核"),
    "level.no-hazard": ("No hazard found", "未发现隐患"),
    "level.no-result": ("NO RESULT", "无结果"),
    "level.joiner": (" + ", " + "),
    "level.no-hazard-in-read.one": (
        "No hazard found in the {n} photo read",
        "已读取的 {n} 张照片未发现隐患",
    ),
    "level.no-hazard-in-read.other": (
        "No hazard found in the {n} photos read",
        "已读取的 {n} 张照片未发现隐患",
    ),
    # -- counts --------------------------------------------------------------------------------
    "list.separator": (", ", "，"),
    "count.fire": ("{n} fire", "火灾 {n}"),
    "count.smoke": ("{n} smoke", "烟雾 {n}"),
    "count.person.one": ("{n} person", "人员 {n}"),
    "count.person.other": ("{n} persons", "人员 {n}"),
    "count.missing": (" ({n} without hard hat)", "（未戴安全帽 {n}）"),
    "count.other": ("{n} other", "其他 {n}"),
    "count.nothing": ("nothing found", "未发现目标"),
    "count.found.one": ("{n} found", "发现 {n} 个目标"),
    "count.found.other": ("{n} found", "发现 {n} 个目标"),
    # -- the verdict line: "<levels>: <body>; <photos>" ----------------------------------------
    "verdict.line": ("{head}: {body}{tail}", "{head}：{body}{tail}"),
    "verdict.by-severity": (" ({parts})", "（{parts}）"),
    "verdict.severity-part": ("{n} {status}", "{status} {n}"),
    "verdict.body": (
        "{fire} fire{fire_sev}, {smoke} smoke{smoke_sev}, {persons}, {missing} without hard hat",
        "火灾 {fire}{fire_sev}；烟雾 {smoke}{smoke_sev}；人员 {persons}，其中未戴安全帽 {missing}",
    ),
    "verdict.persons.one": ("{n} person", "{n}"),
    "verdict.persons.other": ("{n} persons", "{n}"),
    "verdict.unclear": (", {n} hard hat unclear", "，安全帽不确定 {n}"),
    "verdict.photos.one": ("; {n} photo", "；照片 {n} 张"),
    "verdict.photos.other": ("; {n} photos", "；照片 {n} 张"),
    "verdict.failed": (", {n} FAILED (not inspected)", "，{n} 张失败（未检查）"),
    # -- a reviewer's decisions ----------------------------------------------------------------
    "review.unreviewed": ("unreviewed", "未复核"),
    "review.confirmed": ("confirmed", "已确认"),
    "review.rejected": ("rejected", "已驳回"),
    "review.corrected": ("corrected", "已更正"),
    "review.added": ("added", "已补充"),
    "review.mark.rejected": (" (rejected)", "（已驳回）"),
    "review.mark.corrected": (" (corrected)", "（已更正）"),
    "review.mark.added": (" (added)", "（人工补充）"),
    "review.stamp": ("UNREVIEWED", "未复核"),
    "review.added-label": ("added by the reviewer", "复核人补充"),
    # -- a finding the site context's permitted activities cover (the model says so) -----------
    "permitted.mark": (" (permitted activity)", "（许可作业内）"),
    "permitted.note": (
        "within a permitted activity of the site context, as the model says: still a finding",
        "模型认为属于现场档案中的许可作业：仍列为隐患，请复核",
    ),
}
