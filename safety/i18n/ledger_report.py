"""Words of the hazard ledger's exports (the .xlsx and CSV columns as Chinese ledgers keep
them) and its PDFs: the periodic site report and the rectification notice with its link."""

WORDS = {
    # -- the ledger's columns (隐患台账) ------------------------------------------------------
    "ledger.col.number": ("No.", "编号"),
    "ledger.col.found": ("Found on", "发现日期"),
    "ledger.col.site": ("Site", "地点/现场"),
    "ledger.col.inspector": ("Inspector", "检查人"),
    "ledger.col.description": ("Hazard", "隐患描述"),
    "ledger.col.category": ("Category", "类别"),
    "ledger.col.level": ("Level", "等级"),
    "ledger.col.measure": ("Corrective measure", "整改措施"),
    "ledger.col.owner": ("Owner", "责任人"),
    "ledger.col.due": ("Due", "整改期限"),
    "ledger.col.progress": ("Rectification", "整改情况"),
    "ledger.col.rechecker": ("Re-checker", "复查人"),
    "ledger.col.rechecked": ("Re-check date", "复查日期"),
    "ledger.col.status": ("Status", "状态"),
    "ledger.col.funds": ("Funds", "整改资金"),
    "ledger.col.clauses": ("Clauses", "依据条款"),
    "ledger.col.before": ("Before", "整改前"),
    "ledger.col.after": ("After", "整改后"),
    "ledger.sheet": ("Hazard ledger", "隐患台账"),
    "ledger.describe": ("{what} at {where} in {photo}", "{photo} 中 {where} 处：{what}"),
    "ledger.describe-said": ("{text} (the model said: {label})", "{text}（模型原话：{label}）"),
    "ledger.where": ("x {x1}-{x2}, y {y1}-{y2}", "x {x1}-{x2}，y {y1}-{y2}"),
    "ledger.progress.none": ("not yet rectified", "尚未整改"),
    "ledger.progress.evidence": (
        "{n} piece(s) of evidence; last: {last}",
        "证据 {n} 项；最近：{last}",
    ),
    "ledger.progress.overdue": ("overdue since {due}", "自 {due} 起逾期"),
    # -- the periodic site report --------------------------------------------------------
    "ledger.report.title": ("Site safety report: {site}", "现场安全报告：{site}"),
    "ledger.report.period": ("{start} to {end}", "{start} 至 {end}"),
    "ledger.report.made": ("Made {at} from the hazard ledger.", "依据隐患台账于 {at} 生成。"),
    "ledger.report.counts": ("In this period", "本期概况"),
    "ledger.report.found": ("Hazards found", "新发现隐患"),
    "ledger.report.major": ("of them major", "其中重大隐患"),
    "ledger.report.closed": ("Closed in the period", "本期销号"),
    "ledger.report.open-now": ("Not yet verified (now)", "目前未验收"),
    "ledger.report.overdue-now": ("Overdue (now)", "目前逾期"),
    "ledger.report.mean": ("Mean days to close", "平均销号天数"),
    "ledger.report.visits": ("Inspections", "检查次数"),
    "ledger.report.chart": ("Hazards found per week, by category", "每周新发现隐患（按类别）"),
    "ledger.report.chart-empty": ("No hazard was found in this period.", "本期未发现隐患。"),
    "ledger.report.open-items": ("Open items", "未销号隐患"),
    "ledger.report.overdue-items": ("Overdue items", "逾期隐患"),
    "ledger.report.none": ("None.", "无。"),
    "ledger.report.more": (
        "… and {n} more (see the ledger export).",
        "……另有 {n} 条（见台账导出）。",
    ),
    "ledger.report.repeated": ("Repeated hazards", "反复出现的隐患"),
    "ledger.report.repeated-line": (
        "{category}: found on {n} inspections",
        "{category}：{n} 次检查中发现",
    ),
    "ledger.report.page": (
        "{site} · {period} · page {n} of {total}",
        "{site} · {period} · 第 {n} 页，共 {total} 页",
    ),
    "ledger.report.untrusted": (
        "The hazard descriptions quote the model's words: check them against the photos.",
        "隐患描述引用模型原话，请以照片为准核对。",
    ),
    # -- the rectification notice with its link ----------------------------------------------
    "ledger.notice.title": ("Rectification notice No. {id}", "隐患整改通知单 第 {id} 号"),
    "ledger.notice.to": (
        "Site: {site}. Issued {at} UTC by {by}.",
        "现场：{site}。{by} 于 {at}（UTC）签发。",
    ),
    "ledger.notice.to-anonymous": (
        "Site: {site}. Issued {at} UTC.",
        "现场：{site}。签发时间：{at}（UTC）。",
    ),
    "ledger.notice.intro": (
        "The hazards below were found on inspection. Put each right by its due date, then upload an after photo for each through the link (or the QR code); the safety officer verifies them.",
        "以下隐患系检查中发现。请在整改期限前逐项整改，并通过下方链接（或扫描二维码）上传每项的整改后照片；安全员验收后销号。",
    ),
    "ledger.notice.link-head": (
        "Upload after photos here (no account needed; valid until {until} UTC):",
        "整改后照片上传地址（无需账号；有效期至 {until}，UTC）：",
    ),
    "ledger.notice.pdf-no-link": (
        "Return after photos to the safety officer (this app has no public address set, so no upload link).",
        "请将整改后照片交安全员（本应用未设置公网地址，故无上传链接）。",
    ),
    "ledger.notice.sign": ("Site manager (signature) / date", "项目负责人（签字）/ 日期"),
}
