"""Words of privacy (blurred faces), the site profile, the rules and the rectification
notice: command line, page and report."""

WORDS = {
    # -- faces ---------------------------------------------------------------------------
    "cli.group.privacy": ("privacy and site", "隐私与现场"),
    "cli.blur-faces": (
        "blur faces in every image written or shown (marked photos, the report): faces the "
        "detector finds and the head of every person box; the findings are unchanged",
        "在输出和显示的所有图片（标注照片、报告）中模糊人脸：检测到的人脸和每个人员框的头部区域；"
        "检查结果本身不变",
    ),
    "cli.blur-before-send": (
        "also blur faces in the photo sent to the model endpoint (for a cloud endpoint). "
        "WARNING: this may reduce hard-hat accuracy",
        "发送给模型服务的照片也先模糊人脸（用于云端服务）。注意：可能降低安全帽识别准确率",
    ),
    "page.privacy": ("Privacy", "隐私"),
    "page.blur-faces": (
        "Blur faces in photos, report and downloads",
        "在照片、报告和下载文件中模糊人脸",
    ),
    "page.blur-faces-public": (
        "Faces are always blurred on this public page.",
        "本公开页面始终模糊人脸。",
    ),
    "page.blur-before-send": (
        "Also blur faces before sending to the model (may reduce hard-hat accuracy)",
        "发送给模型前也模糊人脸（可能降低安全帽识别准确率）",
    ),
    # -- the site profile and rules ----------------------------------------------------
    "cli.site-profile": (
        "a site profile (TOML: name, jurisdiction, context, concerns): its context and "
        "concerns are added to the prompt, and it is shown in the report",
        "现场档案（TOML：name、jurisdiction、context、concerns）：其现场情况和关注事项附加到提示词中，并写入报告",
    ),
    "cli.rules": (
        "rules file (a path), or a jurisdiction shipped (cn, us): each finding gets its "
        "clauses and a corrective action (default: the profile's jurisdiction)",
        "规则文件（路径）或内置地区（cn、us）：每条检查结果附上条款依据和整改措施（默认：现场档案中的地区）",
    ),
    # -- the report ----------------------------------------------------------------------
    "report.site-profile": ("Site profile", "现场档案"),
    "report.site-name": ("Site", "现场名称"),
    "report.rules": ("Rules applied", "适用规范"),
    "report.site-context": ("Site context (sent to the model)", "现场情况（已发送给模型）"),
    "report.site-concerns": ("Concerns (sent to the model)", "关注事项（已发送给模型）"),
    "report.notice.title": ("Rectification notice", "隐患整改通知单"),
    "report.notice.facts": (
        "Site: {site} · Inspection: {date}",
        "工程名称：{site}；检查时间：{date}",
    ),
    "report.notice.intro": (
        "The hazards below were found in this inspection. Put each right by its due date, "
        "record who did it, and return this notice signed.",
        "经本次检查，发现下列安全隐患。请责任人在整改期限内完成整改，并将本通知单签字后回复。",
    ),
    "report.notice.none": ("No corrective action is open.", "无需整改的隐患。"),
    "report.notice.no": ("No.", "编号"),
    "report.notice.finding": ("Hazard", "隐患"),
    "report.notice.clauses": ("Clauses", "依据条款"),
    "report.notice.action": ("Corrective action", "整改措施"),
    "report.notice.owner": ("Owner", "责任人"),
    "report.notice.due": ("Due", "整改期限"),
    "report.notice.status": ("Status", "状态"),
    "report.notice.inspector-sign": ("Inspector (signature)", "检查人（签字）"),
    "report.notice.manager-sign": ("Site manager (signature)", "项目负责人（签字）"),
    "report.notice.date": ("Date", "日期"),
    "report.notice.reply": (
        "Rectification done and checked (reply): ________________________________",
        "整改完成情况（回复）：________________________________",
    ),
    "report.action.open": ("open", "未整改"),
    "report.action.closed": ("closed", "已整改"),
    "report.clauses.title": ("Clauses cited", "引用条款"),
    "report.clauses.intro": (
        "The wording of each clause as checked, and where. The rules file lists what was left out.",
        "各条款经核对的原文及出处。未能核对的条款未引用，见规则文件说明。",
    ),
    "report.clauses.ref": ("Clause", "条款"),
    "report.clauses.text": ("Requirement (as checked) and source", "条文（经核对）及出处"),
    "report.clauses.source": ("Source:", "出处："),
    # -- the page's "Privacy and site" section -------------------------------------------
    "page.privacy-site": ("Privacy and site", "隐私与现场档案"),
    "page.site-profile-file": (
        "Site profile (.toml), instead of the fields below",
        "现场档案文件（.toml），可代替下方各项",
    ),
    "page.site-name": ("Site name", "现场名称"),
    "page.jurisdiction": ("Rules (jurisdiction)", "适用规范（地区）"),
    "page.site-context": (
        "Site context for the model, e.g. “hot work is permitted in bay 3 under permit HW-118”",
        "供模型参考的现场情况，例如“3号区域持动火证 HW-118 允许动火作业”",
    ),
    "page.site-concerns": ("Concerns, one per line", "关注事项，每行一项"),
    # -- the review panel's corrective action ----------------------------------------------
    "page.action-panel": ("Corrective action of the chosen finding", "所选隐患的整改措施"),
    "page.action-text": ("Action", "整改措施"),
    "page.action-owner": ("Owner", "责任人"),
    "page.action-due": ("Due date", "整改期限"),
    "page.action-status": ("Status", "状态"),
    "page.action-open": ("Open", "未整改"),
    "page.action-closed": ("Closed", "已整改"),
    "page.action-save": ("Save action", "保存整改措施"),
    "page.action-bad-due": (
        "The due date must be a date: YYYY-MM-DD.",
        "整改期限须为日期，格式 YYYY-MM-DD。",
    ),
    # -- a site profile that cannot be used ---------------------------------------------
    "site.profile-name": ("site profile", "现场档案"),
    "site.error.concerns": (
        "site profile: 'concerns' must be a list of short texts.",
        "现场档案：“concerns”应为若干条简短文字组成的列表。",
    ),
    "site.error.jurisdiction": (
        "site profile: jurisdiction {code!r} is not a rules file name.",
        "现场档案：辖区 {code!r} 不是有效的规则文件名。",
    ),
    "site.error.toml": (
        "{name}: not valid TOML (line {line}, column {column}); mend it in a text editor.",
        "{name}：不是有效的 TOML（第 {line} 行第 {column} 列），请用文本编辑器修正。",
    ),
    "site.error.too-deep": (
        "{name}: tables or lists nested too deep; a site profile or rules file never is.",
        "{name}：表或列表嵌套过深，现场档案和规则文件不会这样。",
    ),
    "site.error.unknown": (
        "{name}: unknown field(s) {fields}; a profile has name, jurisdiction, context and "
        "concerns.",
        "{name}：未知字段 {fields}；现场档案只有 name、jurisdiction、context 和 concerns。",
    ),
    "site.error.too-big": (
        "{name}: larger than {kb} KB; a site profile is a few lines of text.",
        "{name}：超过 {kb} KB；现场档案只需几行文字。",
    ),
    "site.error.unreadable": (
        "{name}: cannot be read; choose the file again.",
        "{name}：无法读取，请重新选择该文件。",
    ),
    "site.error.not-utf8": (
        "{name}: not UTF-8 text; save it as UTF-8.",
        "{name}：不是 UTF-8 文本，请另存为 UTF-8 编码。",
    ),
    "site.error.prompt-too-long": (
        "The prompt is too long to add the site context (limit {limit} characters): shorten "
        "the prompt or the context.",
        "提示词过长，无法再加入现场信息（上限 {limit} 个字符），请缩短提示词或现场描述。",
    ),
}
