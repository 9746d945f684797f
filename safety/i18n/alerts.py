"""Words of the alerts to chat groups (safety/alerts/): the messages, and the alerts file's
errors and warnings."""

WORDS = {
    # -- the messages a site's chat group reads ----------------------------------------------
    "alerts.title": ("{level} at {site}", "【{level}】{site}"),
    "alerts.digest-title.one": ("{n} finding at {site}", "{site}：发现 {n} 项隐患"),
    "alerts.digest-title.other": ("{n} findings at {site}", "{site}：发现 {n} 项隐患"),
    "alerts.no-site": ("the site", "现场"),
    "alerts.finding": ("{what} ×{n} ({level})", "{what} ×{n}（{level}）"),
    "alerts.where": ("Photo: {source}, seen at {when}", "照片：{source}，发现时间 {when}"),
    "alerts.clauses": ("Clause: {clauses}", "依据条款：{clauses}"),
    "alerts.owner-due": ("Owner: {owner}; due: {due}", "整改责任人：{owner}；整改期限：{due}"),
    "alerts.unknown": ("not yet named", "待指定"),
    "alerts.open": ("Open the finding", "查看隐患详情"),
    "alerts.more.one": ("… and {n} more finding", "……另有 {n} 项隐患未列出"),
    "alerts.more.other": ("… and {n} more findings", "……另有 {n} 项隐患未列出"),
    "alerts.ledger-item": (
        "Ledger item {item} at {site}: past its due date",
        "台账编号 {item}（{site}）：已超过整改期限",
    ),
    "alerts.overdue-title": (
        "{n} overdue item(s) in the hazard ledger",
        "隐患台账中有 {n} 项逾期未整改",
    ),
    # -- sending -----------------------------------------------------------------------------
    "alerts.failed": (
        "Alert to {robot} not delivered ({n} finding(s)): {why}. The inspection goes on; "
        "check the robot's address and secret in the alerts file.",
        "告警未能发送到 {robot}（{n} 项隐患）：{why}。检查照常进行；请核对告警配置文件中"
        "机器人的地址和密钥。",
    ),
    "alerts.dropped": (
        "{n} alert(s) for {robot} were still waiting for its rate limit when the run ended, "
        "and were not sent.",
        "运行结束时仍有 {n} 条告警在等待 {robot} 的发送频率限制，未能发出。",
    ),
    "alerts.redirect": (
        "the robot's address redirects elsewhere; put the final address in the alerts file",
        "机器人地址被重定向到别处，请在告警配置文件中填写最终地址",
    ),
    "alerts.http": ("the platform answered HTTP {status}", "平台返回 HTTP {status}"),
    "alerts.refused": (
        "the platform refused the message (HTTP {status})",
        "平台拒收了消息（HTTP {status}）",
    ),
    "alerts.platform": (
        "the platform answered error {code}: {message}",
        "平台返回错误 {code}：{message}",
    ),
    "alerts.network": (
        "no answer from the robot's address ({why})",
        "机器人地址无响应（{why}）",
    ),
    "alerts.summary": (
        "Alerts: {sent} message(s) sent, {failed} failed.",
        "告警：已发送 {sent} 条，失败 {failed} 条。",
    ),
    # -- the alerts file ---------------------------------------------------------------------
    "alerts.file-open": (
        "WARNING: permissions {mode} for '{path}' are too open: others on this machine can "
        "read the robots' addresses and secrets. Run: chmod 600 {path}",
        "警告：'{path}' 的权限 {mode} 过于宽松，本机其他用户可读取机器人地址和密钥。"
        "请执行：chmod 600 {path}",
    ),
    "alerts.file-unreadable": (
        "The alerts file '{path}' cannot be read ({why}): check the path given to --alerts "
        "or SAFETY_ALERTS_FILE.",
        "无法读取告警配置文件 '{path}'（{why}）：请检查 --alerts 或 SAFETY_ALERTS_FILE 给出的路径。",
    ),
    "alerts.file-bad": (
        "The alerts file '{path}' is not valid TOML: {why}",
        "告警配置文件 '{path}' 不是有效的 TOML：{why}",
    ),
    "alerts.no-robot": (
        "The alerts file '{path}' names no robot: add a [[robot]] table with kind and url.",
        "告警配置文件 '{path}' 中没有机器人：请添加含 kind 和 url 的 [[robot]] 表。",
    ),
    "alerts.bad-kind": (
        "Robot {n} in the alerts file: kind must be one of {kinds}.",
        "告警配置文件中的第 {n} 个机器人：kind 必须是 {kinds} 之一。",
    ),
    "alerts.bad-url": (
        "Robot {n} in the alerts file: url must be the robot's http(s) webhook address, "
        "without a user name.",
        "告警配置文件中的第 {n} 个机器人：url 必须是机器人的 http(s) Webhook 地址，且不含用户名。",
    ),
    "alerts.env-unset": (
        "Robot {n} in the alerts file takes its {key} from {var}, which is not set: set it, "
        "or write {key} in the file.",
        "告警配置文件中的第 {n} 个机器人从环境变量 {var} 读取 {key}，但该变量未设置：请设置它，"
        "或直接在文件中填写 {key}。",
    ),
    "alerts.bad-lang": (
        "Robot {n} in the alerts file: lang must be one of {langs}.",
        "告警配置文件中的第 {n} 个机器人：lang 必须是 {langs} 之一。",
    ),
    "alerts.bad-level": (
        "Robot {n} in the alerts file: min_level must be one of {levels}, or a list of "
        'categories such as ["fire", "person:missing"].',
        "告警配置文件中的第 {n} 个机器人：min_level 必须是 {levels} 之一，或类别列表，"
        '如 ["fire", "person:missing"]。',
    ),
    "alerts.bad-number": (
        "The alerts file's {key} must be a number, 0 or more.",
        "告警配置文件中的 {key} 必须是不小于 0 的数字。",
    ),
    # -- flags -------------------------------------------------------------------------------
    "alerts.cli.alerts": (
        "send findings to chat robots (DingTalk, WeCom, Feishu, Slack, webhook) as this "
        "TOML file says (docs/alerts.md)",
        "按此 TOML 文件的配置把发现的隐患发送到群机器人（钉钉、企业微信、飞书、Slack、Webhook）"
        "（见 docs/alerts.md）",
    ),
    # -- watch mode --------------------------------------------------------------------------
    "watch.cli.help": (
        "watch folders and cameras: inspect what is new every few seconds, record it, alert",
        "持续监视文件夹和摄像头：每隔几秒检查新照片，登记入台账并发出告警",
    ),
    "watch.cli.description": (
        "Each SOURCE is a folder (new or changed photos and videos), a camera's snapshot URL "
        "(an unchanged picture is not sent again), or a stream URL (rtsp://, rtmp://, .m3u8, "
        ".mjpg: one frame an interval). Runs until Ctrl+C or SIGTERM.",
        "每个 SOURCE 可以是文件夹（新增或改动的照片和视频）、摄像头的快照地址（画面无变化则不重复发送），"
        "或视频流地址（rtsp://、rtmp://、.m3u8、.mjpg：每个间隔取一帧）。按 Ctrl+C 或发送 SIGTERM 结束。",
    ),
    "watch.cli.sources": ("folders, snapshot URLs or stream URLs", "文件夹、快照地址或视频流地址"),
    "watch.cli.every": ("seconds between two looks at each source", "每个来源两次查看之间的秒数"),
    "watch.cli.site": ("the site's name, in alerts and the ledger", "工地名称，用于告警和台账"),
    "watch.cli.out": ("keep each marked photo in DIR", "把每张标注后的照片保存到 DIR"),
    "watch.cli.threshold": (
        "a snapshot within this many bits (of 64) of the last one sent is the same scene and "
        "is not sent again (default {n})",
        "与上次发送的快照相差不超过这么多位（共 64 位）即视为同一画面，不再发送（默认 {n}）",
    ),
    "watch.bad-every": (
        "--every must be at least {n} seconds.",
        "--every 不能少于 {n} 秒。",
    ),
    "watch.bad-threshold": (
        "--threshold must be from 0 to 64.",
        "--threshold 必须在 0 到 64 之间。",
    ),
    "watch.start": (
        "Watching {n} source(s) every {every:g} s ({ledger}). Ctrl+C stops.",
        "开始监视 {n} 个来源，每 {every:g} 秒查看一次（{ledger}）。按 Ctrl+C 结束。",
    ),
    "watch.ledger-on": ("findings recorded in the hazard ledger", "发现的隐患将登记入台账"),
    "watch.ledger-off": ("no hazard ledger in this install", "本安装未启用隐患台账"),
    "watch.round": (
        "[{clock}] {new} new; {inspected} inspected so far, {alerts} alert(s); {down} source(s) "
        "down; next look in {every:g} s",
        "[{clock}] 新增 {new} 项；累计检查 {inspected} 项，告警 {alerts} 条；{down} 个来源离线；"
        "{every:g} 秒后再次查看",
    ),
    "watch.photo": ("[{clock}] {source}: {verdict}", "[{clock}] {source}：{verdict}"),
    "watch.photo-failed": (
        "[{clock}] {source}: failed: {error}",
        "[{clock}] {source}：检查失败：{error}",
    ),
    "watch.down": (
        "{source} is down ({why}); retrying every {every:g} s, and saying so again only when "
        "it is back.",
        "{source} 无法访问（{why}）；每 {every:g} 秒重试一次，恢复后再提示。",
    ),
    "watch.back": ("{source} is back.", "{source} 已恢复。"),
    "watch.no-video": (
        "Videos are skipped: this install has no video support (safety/video).",
        "已跳过视频：本安装不支持视频（safety/video）。",
    ),
    "watch.not-recorded": (
        "Not recorded in the ledger: {why}. Watching goes on.",
        "未能登记入台账：{why}。监视继续进行。",
    ),
    "watch.stopped.one": (
        "Stopped after {rounds} round(s): {n} photo inspected, {alerts} alert(s).",
        "已停止，共 {rounds} 轮：检查照片 {n} 张，告警 {alerts} 条。",
    ),
    "watch.stopped.other": (
        "Stopped after {rounds} round(s): {n} photos inspected, {alerts} alert(s).",
        "已停止，共 {rounds} 轮：检查照片 {n} 张，告警 {alerts} 条。",
    ),
    # -- the tools for agents (MCP) ------------------------------------------------------------
    "agents.bad-base64": (
        "image_base64 is not a photo in base64: send the file's bytes base64-encoded (at most "
        "about 20 MB), with or without a data:image/...;base64, prefix.",
        "image_base64 不是 base64 编码的照片：请发送经 base64 编码的照片文件（不超过约 20 MB），"
        "可带或不带 data:image/...;base64, 前缀。",
    ),
}
