"""Words of the hazard ledger on the page: the Ledger and Trends tabs, what a run's
recording says, and the site manager's notice page."""

WORDS = {
    # -- the tabs --------------------------------------------------------------------------
    "page.tab.inspect": ("Inspect", "检查"),
    "page.ledger.tab": ("Hazard ledger", "隐患台账"),
    "page.trends.tab": ("Trends", "趋势"),
    # -- a run recorded --------------------------------------------------------------------
    "page.ledger.no-site": ("(no site named)", "（未填写现场）"),
    "page.ledger.recorded": (
        "Recorded in the hazard ledger: inspection {visit}, {n} new finding(s). Follow them up in the Hazard ledger tab.",
        "已登记到隐患台账：第 {visit} 次检查，新增隐患 {n} 条。请在“隐患台账”页跟踪整改。",
    ),
    "page.ledger.already": (
        "This run is already in the hazard ledger (inspection {visit}): nothing added.",
        "本次检查已在隐患台账中（第 {visit} 次检查），未重复登记。",
    ),
    "page.ledger.not-recorded": (
        "Not recorded in the hazard ledger: {error} The run's report and downloads are not affected.",
        "未登记到隐患台账：{error} 本次检查的报告和下载文件不受影响。",
    ),
    "page.ledger.ephemeral": (
        "This app has no lasting storage: the hazard ledger and reviews are lost when it restarts. To keep them, add persistent storage mounted at /data (Space settings), or set DATABASE_URL to a PostgreSQL database.",
        "本应用没有持久存储：重启后隐患台账和复核记录都会丢失。如需保留，请在 Space 设置中挂载持久存储到 /data，或将 DATABASE_URL 设为 PostgreSQL 数据库。",
    ),
    "page.ledger.locked": (
        "The hazard ledger is open to signed-in users only: this is a public page, and its owner's records are not shown to visitors, nor are visitors' runs recorded in them. Ask the owner for an account.",
        "隐患台账仅对已登录用户开放：这是公开页面，所有者的台账不向访客显示，访客的检查也不会登记到台账。如需使用，请向所有者申请账号。",
    ),
    # -- filters and the table -------------------------------------------------------------
    "page.ledger.site": ("Site", "现场"),
    "page.ledger.status": ("Status", "状态"),
    "page.ledger.category": ("Category", "类别"),
    "page.ledger.level": ("Level", "等级"),
    "page.ledger.any": ("any", "全部"),
    "page.ledger.since": ("Found from", "发现日期自"),
    "page.ledger.until": ("Found until", "发现日期至"),
    "page.ledger.overdue": ("Overdue only", "只看逾期"),
    "page.ledger.show": ("Show", "查询"),
    "page.ledger.newest": ("(the newest {n} shown)", "（显示最新 {n} 条）"),
    "page.ledger.bad-date": (
        "{what}: {value!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-12-31.",
        "{what}：{value!r} 不是有效日期，请按 YYYY-MM-DD 填写，例如 2026-12-31。",
    ),
    # -- the selection ---------------------------------------------------------------------
    "page.ledger.bulk": ("Assign or notify several findings", "批量指派或下发整改通知"),
    "page.ledger.chosen": ("Findings chosen", "已选隐患"),
    "page.ledger.owner": ("Owner (responsible person)", "责任人"),
    "page.ledger.due": ("Due date", "整改期限"),
    "page.ledger.assign": ("Assign owner and due date", "指派责任人和期限"),
    "page.ledger.notice": ("Make rectification notice", "生成整改通知单"),
    "page.ledger.choose": (
        "Choose one or more findings first (the ticks above).",
        "请先在上方勾选一条或多条隐患。",
    ),
    "page.ledger.assign-what": (
        "Type an owner, a due date, or both, then assign.",
        "请填写责任人或整改期限（或两者），再点指派。",
    ),
    "page.ledger.assigned": ("Saved: {n} finding(s) assigned.", "已保存：已指派 {n} 条隐患。"),
    "page.ledger.link": (
        "Send the site manager this link (it is also on the notice PDF, with a QR code):",
        "请将此链接发给项目负责人（通知单 PDF 上也有该链接及二维码）：",
    ),
    # -- one finding -----------------------------------------------------------------------
    "page.ledger.finding": ("Open a finding", "查看隐患"),
    "page.ledger.before-after": ("Before / after (drag to compare)", "整改前 / 整改后（拖动对比）"),
    "page.ledger.after": ("After photo", "整改后照片"),
    "page.ledger.next": ("Change status to", "状态改为"),
    "page.ledger.note": (
        "Note (why it is reopened, or why no photo is possible)",
        "说明（重新整改的原因，或无法拍照的原因）",
    ),
    "page.ledger.save": ("Save status", "保存状态"),
    "page.ledger.recheck": ("Re-check with the model", "模型复查"),
    "page.ledger.by-notice": ("by notice {id}", "随整改通知单 {id} 下发"),
    "page.ledger.pick": ("Open a finding first.", "请先选择一条隐患。"),
    "page.ledger.officer": ("officer", "安全员"),
    "page.ledger.recheck-demo": (
        "The model re-check needs a model endpoint, and this app runs in demo mode. Set QWEN_VL_BASE_URL (or DASHSCOPE_API_KEY), or judge the after photo yourself.",
        "模型复查需要模型服务，本应用当前为演示模式。请设置 QWEN_VL_BASE_URL（或 DASHSCOPE_API_KEY），或由人员自行查看整改后照片。",
    ),
    "page.ledger.recheck-photo": (
        "No after photo yet: upload one above (or wait for the site manager's), then re-check.",
        "还没有整改后照片：请在上方上传（或等待项目负责人上传）后再复查。",
    ),
    "page.ledger.recheck-next": (
        "The model does not change the status: you verify it, or reopen it with a note.",
        "模型不会改变状态：请由您验收，或填写说明后重新整改。",
    ),
    # -- downloads -------------------------------------------------------------------------
    "page.ledger.downloads": ("Downloads", "下载"),
    "page.ledger.xlsx": ("Hazard ledger (.xlsx)", "隐患台账（.xlsx）"),
    "page.ledger.csv": ("Hazard ledger (.csv)", "隐患台账（.csv）"),
    "page.ledger.month": ("Month of the site report", "现场报告月份"),
    "page.ledger.report": ("Site report (PDF)", "现场月报（PDF）"),
    "page.ledger.files": ("Files", "文件"),
    "page.ledger.report-site": (
        "Choose a site in the Site filter first: the report is for one site.",
        "请先在“现场”筛选中选择一个现场：报告按现场生成。",
    ),
    "page.ledger.bad-month": (
        "{value!r} is not a month; write it as YYYY-MM, e.g. 2026-12.",
        "{value!r} 不是有效月份，请按 YYYY-MM 填写，例如 2026-12。",
    ),
    # -- trends ----------------------------------------------------------------------------
    "page.trends.weekly": ("Findings per week, by category", "每周发现隐患（按类别）"),
    "page.trends.flow": ("Found and closed per week", "每周发现与销号"),
    "page.trends.series": ("Findings", "隐患"),
    "page.trends.found": ("found", "发现"),
    "page.trends.closed": ("closed", "销号"),
    "page.trends.week": ("week starting", "周（起始日）"),
    "page.trends.count": ("findings", "隐患数"),
    "page.trends.days": ("{n} days", "{n} 天"),
    "page.trends.all-sites": ("All sites", "全部现场"),
    "page.trends.tile.open": ("not yet verified", "未验收"),
    "page.trends.tile.closed": ("verified or closed", "已验收或销号"),
    "page.trends.tile.overdue": ("overdue", "已逾期"),
    "page.trends.tile.mean": ("mean time to close", "平均销号用时"),
    "page.trends.tile.major": ("major hazards", "重大隐患"),
    "page.trends.repeated": ("Repeated hazards", "反复出现的隐患"),
    "page.trends.no-repeated": (
        "None: no site had the same hazard on 3 or more inspections in these weeks.",
        "无：这段时间内没有现场在 3 次及以上检查中出现同类隐患。",
    ),
    # -- the site manager's page -----------------------------------------------------------
    "notice.page.title": ("Rectification notice", "隐患整改通知"),
    "notice.page.intro": (
        "Notice {id} for {site}. For each hazard below, put it right, then send a photo of the place as it is now and a short note. The link works until {until} UTC.",
        "整改通知单 {id}（{site}）。请逐条整改下列隐患，整改后拍摄现场照片并附简要说明上传。本链接有效期至 {until}（UTC）。",
    ),
    "notice.page.other": ("中文", "English"),
    "notice.page.before": ("Found", "整改前"),
    "notice.page.after": ("After", "整改后"),
    "notice.page.level": ("Level", "等级"),
    "notice.page.status": ("Status", "状态"),
    "notice.page.measure": ("Measure", "整改措施"),
    "notice.page.owner": ("Owner", "责任人"),
    "notice.page.due": ("Due", "整改期限"),
    "notice.page.photo": ("Photo after rectification", "整改后照片"),
    "notice.page.note": ("Note (what was done)", "说明（采取了哪些措施）"),
    "notice.page.name": ("Your name (optional)", "您的姓名（选填）"),
    "notice.page.send": ("Send", "提交"),
    "notice.page.actor": ("site manager, notice {id}", "项目负责人（通知单 {id}）"),
    "notice.page.thanks": (
        "Received for {number}: the safety officer will check it.",
        "{number} 的整改材料已收到，安全员将进行验收。",
    ),
    "notice.page.empty": (
        "Nothing was sent: choose a photo or write a note, then press Send.",
        "未提交任何内容：请选择照片或填写说明后再点“提交”。",
    ),
    "notice.page.not-this": (
        "That hazard is not on this notice: use the form under the hazard itself.",
        "该隐患不在本通知单中，请使用对应隐患下方的表单。",
    ),
    "notice.page.off": (
        "Notice links are off on this app: its owner has not set its public address (SAFETY_PUBLIC_URL). Ask the safety officer for the notice PDF instead.",
        "本应用未开启整改通知链接：所有者尚未设置公网地址（SAFETY_PUBLIC_URL）。请向安全员索取整改通知单 PDF。",
    ),
}
