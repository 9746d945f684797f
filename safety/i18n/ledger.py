"""Words of the hazard ledger: its statuses and levels, its errors, and the command line
(python -m safety ledger ...). The exports' columns and the PDFs are in ledger_report.py."""

WORDS = {
    # -- the loop's statuses and the levels ------------------------------------------------
    "ledger.status.open": ("open", "待整改"),
    "ledger.status.notified": ("notified", "已通知"),
    "ledger.status.rectified": ("rectified", "已整改"),
    "ledger.status.verified": ("verified", "已验收"),
    "ledger.status.closed": ("closed", "已销号"),
    "ledger.status.reopened": ("reopened", "重新整改"),
    "ledger.level.general": ("general", "一般"),
    "ledger.level.major": ("major", "重大"),
    "ledger.overdue": ("OVERDUE", "已逾期"),
    "ledger.evidence.after-photo": ("after photo", "整改后照片"),
    "ledger.evidence.note": ("note", "说明"),
    "ledger.evidence.recheck": ("model re-check", "模型复查"),
    "ledger.verdict.gone": ("the hazard is gone", "隐患已消除"),
    "ledger.verdict.present": ("the hazard is still there", "隐患仍然存在"),
    "ledger.verdict.unclear": ("cannot tell from the photo", "无法从照片判断"),
    "ledger.action.recorded": ("recorded", "登记"),
    "ledger.action.update": ("changed", "修改"),
    "ledger.action.status": ("status", "状态变更"),
    "ledger.action.evidence": ("evidence added", "补充证据"),
    # -- errors: each says what to do ------------------------------------------------------
    "ledger.error.not-saved": (
        "Not saved: the ledger database could not take the change ({why}). Nothing of it was written; free disk space or restore the connection, then try again.",
        "未保存：台账数据库无法写入本次修改（{why}）。本次修改未写入任何内容；请释放磁盘空间或恢复数据库连接后重试。",
    ),
    "ledger.error.conflict-change": (
        "{actor} at {at} UTC changed {parts}",
        "{actor} 于 {at}（UTC）修改了{parts}",
    ),
    "ledger.error.conflict-field": (
        "{field} from {before} to {after}",
        "{field}（由“{before}”改为“{after}”）",
    ),
    "ledger.error.not-image": (
        "This is not a photo: send a JPEG, PNG or WebP image.",
        "这不是照片：请上传 JPEG、PNG 或 WebP 格式的图片。",
    ),
    "ledger.error.photo-size": (
        "The photo is larger than {mb} MB: send a smaller one (a phone photo is well under that).",
        "照片超过 {mb} MB：请上传较小的照片（手机照片一般远小于此）。",
    ),
    "ledger.error.not-found": (
        "No finding {id} in the ledger: see `python -m safety ledger list` for the numbers.",
        "台账中没有编号为 {id} 的隐患：可用 `python -m safety ledger list` 查看编号。",
    ),
    "ledger.error.conflict": (
        "Not saved: {number} changed meanwhile (you read version {expected}, it is now version {version}): {what}. Look at it again and make your change on what it says now.",
        "未保存：{number} 在此期间已被他人修改（您读取的是第 {expected} 版，现在是第 {version} 版）：{what}。请重新查看后在最新内容上修改。",
    ),
    "ledger.error.not-editable": (
        "These cannot be changed here: {fields}. Change the status with --status; the finding itself stays as recorded.",
        "以下内容不能在此修改：{fields}。状态请用 --status 修改；隐患本身按登记时的内容保留。",
    ),
    "ledger.error.level": (
        "Unknown level {level!r}: use general or major.",
        "未知的隐患等级 {level!r}：请用 general（一般）或 major（重大）。",
    ),
    "ledger.error.transition": (
        "{number} is {status}: it cannot become {wanted}. From {status} it can become: {allowed}.",
        "{number} 当前为“{status}”，不能直接改为“{wanted}”。当前状态可改为：{allowed}。",
    ),
    "ledger.error.reopen-note": (
        "To reopen {number}, say why with --note (it goes back to the owner with it).",
        "重新整改 {number} 须用 --note 说明原因（随隐患一并退回责任人）。",
    ),
    "ledger.error.close-evidence": (
        "{number} cannot be closed without evidence: add an after photo (ledger recheck ID PHOTO, or the page), or say with --note why no photo is possible.",
        "{number} 没有整改证据，不能销号：请补充整改后照片（ledger recheck ID PHOTO 或网页），或用 --note 说明无法拍照的原因。",
    ),
    "ledger.error.notice-empty": (
        "A notice needs at least one finding: name them with --id, or pick a site with open findings.",
        "整改通知单至少需要一条隐患：请用 --id 指定，或选择有待整改隐患的现场。",
    ),
    "ledger.error.notice-site": (
        "These findings are not of site {site!r}: {numbers}. A notice covers one site.",
        "以下隐患不属于现场 {site!r}：{numbers}。一张通知单只针对一个现场。",
    ),
    "ledger.error.notice-not-found": (
        "No notice {id}: see `python -m safety ledger notices`.",
        "没有编号为 {id} 的整改通知单：可用 `python -m safety ledger notices` 查看。",
    ),
    "ledger.error.token-unknown": (
        "This link is not valid. Ask the safety officer for the link on the current notice.",
        "此链接无效。请向安全员索取当前整改通知单上的链接。",
    ),
    "ledger.error.token-revoked": (
        "This link was withdrawn (notice {id}). Ask the safety officer for a new one.",
        "此链接已被撤销（通知单 {id}）。请向安全员索取新的链接。",
    ),
    "ledger.error.token-expired": (
        "This link expired on {at} UTC (notice {id}). Ask the safety officer for a new one.",
        "此链接已于 {at}（UTC）过期（通知单 {id}）。请向安全员索取新的链接。",
    ),
    "ledger.error.date": (
        "{value!r} is not a date: write it as YYYY-MM-DD (e.g. 2026-12-31).",
        "{value!r} 不是有效日期：请按 YYYY-MM-DD 填写（如 2026-12-31）。",
    ),
    "ledger.error.month": (
        "{value!r} is not a month: write it as YYYY-MM (e.g. 2026-11), or a quarter as YYYY-Q1..Q4.",
        "{value!r} 不是有效月份：请按 YYYY-MM 填写（如 2026-11），季度按 YYYY-Q1 至 Q4 填写。",
    ),
    "ledger.error.photo": (
        "The after photo {path} cannot be used: {why}.",
        "整改后照片 {path} 无法使用：{why}。",
    ),
    "ledger.error.no-before": (
        "{number} has no stored photo (it came from a URL or an import): the re-check is asked about the after photo alone.",
        "{number} 没有保存的隐患照片（来自网址或导入）：复查只针对整改后照片提问。",
    ),
    "ledger.error.export": (
        "Choose what to write: --xlsx FILE or --csv FILE.",
        "请指定输出：--xlsx FILE 或 --csv FILE。",
    ),
    "ledger.error.write": (
        "{path} cannot be written ({why}): choose a folder you may write.",
        "无法写入 {path}（{why}）：请选择有写入权限的文件夹。",
    ),
    "ledger.error.nothing-to-update": (
        "Nothing to change: give --owner, --due, --measure, --funds, --rechecker, --level, --status or --note.",
        "没有要修改的内容：请给出 --owner、--due、--measure、--funds、--rechecker、--level、--status 或 --note。",
    ),
    # -- the command line: help ------------------------------------------------------------
    "ledger.cli.help": (
        "the hazard ledger: every inspection's findings, from found to closed",
        "隐患台账：每次检查发现的隐患，从登记到销号",
    ),
    "ledger.cli.description": (
        "The hazard ledger (SQLite in SAFETY_DATA_DIR, or DATABASE_URL): list, show and change findings, re-check them with an after photo, export the ledger, see trends, write a site report.",
        "隐患台账（默认存于 SAFETY_DATA_DIR 下的 SQLite，或 DATABASE_URL 指定的数据库）：查询、查看、修改隐患，用整改后照片复查，导出台账，查看趋势，生成现场报告。",
    ),
    "ledger.cli.list": ("list findings", "列出隐患"),
    "ledger.cli.show": ("one finding with its history and evidence", "查看一条隐患及其历史和证据"),
    "ledger.cli.update": (
        "change a finding's corrective action or status",
        "修改隐患的整改措施或状态",
    ),
    "ledger.cli.recheck": (
        "ask the model whether a hazard is still there, from an after photo",
        "用整改后照片请模型复查隐患是否仍然存在",
    ),
    "ledger.cli.export": (
        "the ledger as a spreadsheet (.xlsx) or CSV",
        "导出台账为电子表格（.xlsx）或 CSV",
    ),
    "ledger.cli.trends": (
        "are the sites getting better? findings per week, open and closed, overdue",
        "现场是否在改善？每周隐患数、未销号与已销号、逾期",
    ),
    "ledger.cli.report": (
        "a site's periodic report (a month or a quarter) as PDF",
        "现场定期报告（按月或按季度）PDF",
    ),
    "ledger.cli.import": (
        "record a results file made elsewhere (the same run twice adds nothing)",
        "登记在别处生成的结果文件（同一次检查重复导入不会重复登记）",
    ),
    "ledger.cli.backup": (
        "a consistent copy of the whole ledger as one SQLite file",
        "将整个台账一致地备份为一个 SQLite 文件",
    ),
    "ledger.cli.notice": (
        "a rectification notice PDF for a site's open findings, with the site manager's link",
        "为现场待整改隐患生成整改通知单 PDF，附项目负责人上传链接",
    ),
    "ledger.cli.revoke": ("withdraw a notice's link at once", "立即撤销整改通知单上的链接"),
    "ledger.cli.notices": (
        "list the rectification notices and their links' state",
        "列出整改通知单及其链接状态",
    ),
    "ledger.cli.id": (
        "the finding's id (the number after YH-YYYY-)",
        "隐患编号（YH-年份- 之后的数字）",
    ),
    "ledger.cli.site": ("only this site", "只看该现场"),
    "ledger.cli.status": (
        "only these statuses (open, notified, rectified, verified, closed, reopened)",
        "只看这些状态（open 待整改、notified 已通知、rectified 已整改、verified 已验收、closed 已销号、reopened 重新整改）",
    ),
    "ledger.cli.category": (
        "only these categories (fire, smoke, person)",
        "只看这些类别（fire 火灾、smoke 烟雾、person 人员）",
    ),
    "ledger.cli.level": (
        "only this level (general, major)",
        "只看该等级（general 一般、major 重大）",
    ),
    "ledger.cli.overdue": (
        "only findings past their due date and not yet verified",
        "只看已过整改期限且未验收的隐患",
    ),
    "ledger.cli.limit": ("at most N findings (newest first)", "最多 N 条（最新的在前）"),
    "ledger.cli.json": ("print JSON instead of lines", "以 JSON 输出"),
    "ledger.cli.owner": ("who puts it right (责任人)", "整改责任人"),
    "ledger.cli.due": ("the due date, YYYY-MM-DD", "整改期限，格式 YYYY-MM-DD"),
    "ledger.cli.measure": ("the corrective measure", "整改措施"),
    "ledger.cli.funds": ("the funds set aside", "整改资金"),
    "ledger.cli.rechecker": ("who checks it afterwards (复查人)", "复查人"),
    "ledger.cli.set-level": (
        "the hazard level: general or major",
        "隐患等级：general（一般）或 major（重大）",
    ),
    "ledger.cli.set-status": ("move the finding along the loop", "变更隐患状态"),
    "ledger.cli.note": (
        "a note kept in the history (needed to reopen, or to close without a photo)",
        "记入历史的说明（重新整改时必填；无照片销号时须说明原因）",
    ),
    "ledger.cli.by": ("your name, kept in the history", "您的姓名，记入历史"),
    "ledger.cli.version": (
        "the version you read (ledger show): the change is refused if it changed since",
        "您查看时的版本号（见 ledger show）：若此后已被修改则拒绝保存",
    ),
    "ledger.cli.photo": ("the after photo", "整改后照片"),
    "ledger.cli.xlsx": (
        "write the ledger as an .xlsx spreadsheet, with photo thumbnails",
        "导出为 .xlsx 电子表格（含照片缩略图）",
    ),
    "ledger.cli.csv": ("write the ledger as CSV (UTF-8)", "导出为 CSV（UTF-8）"),
    "ledger.cli.weeks": ("how many weeks back (default 12)", "统计最近多少周（默认 12）"),
    "ledger.cli.month": ("the month, YYYY-MM", "月份，格式 YYYY-MM"),
    "ledger.cli.quarter": ("the quarter, YYYY-Q1..Q4", "季度，格式 YYYY-Q1 至 Q4"),
    "ledger.cli.report-file": ("the PDF to write", "要生成的 PDF 文件"),
    "ledger.cli.results": (
        "a results JSON or JSONL (inspect --json, --results, batch collect)",
        "结果 JSON 或 JSONL 文件（inspect --json、--results、batch collect 生成）",
    ),
    "ledger.cli.site-name": ("the site these results are of", "这些结果所属的现场"),
    "ledger.cli.inspector": ("who inspected", "检查人"),
    "ledger.cli.backup-file": ("the SQLite file to write", "要写入的 SQLite 文件"),
    "ledger.cli.days": ("the link works for N days (default 14)", "链接有效天数（默认 14 天）"),
    "ledger.cli.notice-id": ("the notice's number", "整改通知单编号"),
    "ledger.cli.no-ledger": (
        "do not record this run in the hazard ledger",
        "本次检查不登记到隐患台账",
    ),
    "ledger.cli.site-name-inspect": (
        "the site this run is recorded under in the ledger (default: the site profile's name, else --site)",
        "本次检查在台账中登记的现场名称（默认取现场档案中的名称，其次取 --site）",
    ),
    # -- the command line: what it prints -------------------------------------------------
    "ledger.line": (
        "{number}  {found}  {site}  {what}  [{level}]  {status}{overdue}  owner: {owner}  due: {due}",
        "{number}  {found}  {site}  {what}  [{level}]  {status}{overdue}  责任人：{owner}  期限：{due}",
    ),
    "ledger.none": ("No findings match.", "没有符合条件的隐患。"),
    "ledger.count.one": ("{n} finding", "共 {n} 条隐患"),
    "ledger.count.other": ("{n} findings", "共 {n} 条隐患"),
    "ledger.dash": ("-", "—"),
    "ledger.show.head": (
        "{number} ({site}, found {found} by {inspector}), version {version}",
        "{number}（{site}，{found} 由 {inspector} 发现），第 {version} 版",
    ),
    "ledger.show.field": ("  {name}: {value}", "  {name}：{value}"),
    "ledger.show.history": ("History:", "历史记录："),
    "ledger.show.history-line": (
        "  {at}  {actor}  {action}  {changes}{note}",
        "  {at}  {actor}  {action}  {changes}{note}",
    ),
    "ledger.show.evidence": ("Evidence:", "整改证据："),
    "ledger.show.evidence-line": (
        "  {at}  {actor}  {kind}  {detail}",
        "  {at}  {actor}  {kind}  {detail}",
    ),
    "ledger.show.no-evidence": ("  none yet", "  暂无"),
    "ledger.saved": (
        "Saved: {number} is {status}, version {version}.",
        "已保存：{number} 当前为“{status}”，第 {version} 版。",
    ),
    "ledger.recorded": (
        "Recorded in the hazard ledger: site {site}, visit {visit}, {n} new finding(s).",
        "已登记到隐患台账：现场 {site}，第 {visit} 次检查，新增隐患 {n} 条。",
    ),
    "ledger.already": (
        "Already in the hazard ledger (visit {visit}): nothing added.",
        "已在隐患台账中（第 {visit} 次检查）：未重复登记。",
    ),
    "ledger.not-recorded": (
        "Not recorded in the hazard ledger: {error}",
        "未登记到隐患台账：{error}",
    ),
    "ledger.exported": ("Wrote {path} ({n} findings).", "已写入 {path}（{n} 条隐患）。"),
    "ledger.backed-up": (
        "Wrote {path} ({n} rows); photos in {photos}.",
        "已写入 {path}（{n} 行）；照片在 {photos}。",
    ),
    "ledger.report-written": ("Wrote {path}.", "已写入 {path}。"),
    "ledger.recheck.result": ("{number}: {verdict}. {reason}", "{number}：{verdict}。{reason}"),
    "ledger.recheck.new": (
        "New hazard in the after photo, recorded as {number}: {what}",
        "整改后照片中发现新隐患，已登记为 {number}：{what}",
    ),
    "ledger.recheck.next-gone": (
        "A person decides: `ledger update {id} --status verified` (or rectified first), or reopen it with a note.",
        "由人员确认：`ledger update {id} --status verified`（或先改为 rectified），或附说明重新整改。",
    ),
    "ledger.recheck.next-present": (
        "The hazard is still there: reopen it with `ledger update {id} --status reopened --note ...` if a person agrees.",
        "隐患仍然存在：如人员确认，请用 `ledger update {id} --status reopened --note ...` 重新整改。",
    ),
    "ledger.recheck.failed": (
        "The model could not answer ({error}): the after photo is kept as evidence; try again later.",
        "模型未能回答（{error}）：整改后照片已作为证据保存，请稍后重试。",
    ),
    "ledger.notice.made": (
        "Notice {id} for {site}: {n} finding(s); the link works until {until} UTC.",
        "整改通知单 {id}（{site}）：隐患 {n} 条；链接有效期至 {until}（UTC）。",
    ),
    "ledger.notice.link": ("Link for the site manager: {link}", "项目负责人上传链接：{link}"),
    "ledger.notice.no-link": (
        "No link: set SAFETY_PUBLIC_URL to the app's public address to give the site manager one.",
        "未生成链接：请将 SAFETY_PUBLIC_URL 设为本应用的公网地址，才能为项目负责人生成链接。",
    ),
    "ledger.notice.revoked": (
        "Notice {id}: its link no longer works.",
        "整改通知单 {id}：链接已撤销。",
    ),
    "ledger.notice.line": (
        "notice {id}  {site}  {created}  {n} finding(s)  link: {state}",
        "通知单 {id}  {site}  {created}  隐患 {n} 条  链接：{state}",
    ),
    "ledger.notice.state.valid": ("valid until {until}", "有效期至 {until}"),
    "ledger.notice.state.expired": ("expired", "已过期"),
    "ledger.notice.state.revoked": ("revoked", "已撤销"),
    "ledger.trends.head": (
        "Trends{where}: {total} findings, {open} not yet verified, {closed} verified or closed, {overdue} overdue.",
        "趋势{where}：隐患共 {total} 条，未验收 {open} 条，已验收或销号 {closed} 条，逾期 {overdue} 条。",
    ),
    "ledger.trends.where": (" for {site}", "（{site}）"),
    "ledger.trends.week": (
        "  week of {week}: {total} found ({parts}), {closed} closed",
        "  {week} 当周：发现 {total} 条（{parts}），销号 {closed} 条",
    ),
    "ledger.trends.mean": ("Mean time to close: {days} days.", "平均销号用时：{days} 天。"),
    "ledger.trends.no-mean": (
        "Mean time to close: none closed yet.",
        "平均销号用时：尚无已销号隐患。",
    ),
    "ledger.trends.repeated": (
        "Repeated: {site}, {category} on {n} visits.",
        "反复出现：{site}，{category}，共 {n} 次检查。",
    ),
    "ledger.field.category": ("category", "类别"),
    "ledger.field.level": ("level", "等级"),
    "ledger.field.status": ("status", "状态"),
    "ledger.field.measure": ("measure", "整改措施"),
    "ledger.field.owner": ("owner", "责任人"),
    "ledger.field.due": ("due", "整改期限"),
    "ledger.field.funds": ("funds", "整改资金"),
    "ledger.field.rechecker": ("re-checker", "复查人"),
    "ledger.field.rechecked_on": ("re-checked on", "复查日期"),
    "ledger.field.clauses": ("clauses", "依据条款"),
    "ledger.field.photo": ("photo", "照片"),
    "ledger.field.box": ("box", "位置框"),
    "ledger.field.label": ("the model said", "模型原话"),
    "ledger.field.review": ("review", "复核"),
    "ledger.field.closed_at": ("closed at", "销号时间"),
    "ledger.field.evidence": ("evidence", "证据"),
}
