"""Words of videos on the page (safety.web.video_view): the upload, the cost shown before a
run, a public page's bounds, the timeline of events and the frames stepped through."""

WORDS = {
    # -- the upload and what it will cost ------------------------------------------------------
    "page.photos-videos": (
        "Photos and videos: up to {limit} files; photos ≤ {mb} MB, videos ≤ {video_mb} MB",
        "照片和视频：最多 {limit} 个；照片 ≤ {mb} MB，视频 ≤ {video_mb} MB",
    ),
    "page.video.estimate-title": ("Before you inspect", "检查前预估"),
    "page.video.photos": (
        "Photos: {n}; requests: about {requests:,}.",
        "照片 {n} 张，约 {requests:,} 次请求。",
    ),
    "page.video.line": (
        "{name}: {length}, {size}, about {frames} frames",
        "{name}：时长 {length}，{size}，约 {frames} 帧",
    ),
    "page.video.money": (
        "About {money:.2f} {currency} at this model's prices (before re-checks).",
        "按当前模型价格约 {money:.2f} {currency}（不含复核请求）。",
    ),
    "page.video.no-price": (
        "The price of this model is not known here: see your provider's price list.",
        "本程序不知道该模型的价格，请查看服务商的价目表。",
    ),
    "page.video.bounds": (
        "On this public page a video may be up to {length} and {mb} MB; at most {frames} "
        "frames are sent from each.",
        "本公开页面的视频时长不超过 {length}、大小不超过 {mb} MB，每段视频最多发送 {frames} 帧。",
    ),
    "page.video.charged": (
        "Counted against your {per_hour} photos an hour: {n} (each frame sent counts as a "
        "photo; frames not needed are not given back).",
        "将计入您每小时 {per_hour} 张照片的额度：{n} 张（每发送一帧按一张照片计，未用完的帧不退回）。",
    ),
    "page.video.too-long": (
        "{name} is {length} long; this page takes videos up to {limit}. Cut it shorter "
        "(or run the app yourself), then try again.",
        "{name} 时长 {length}，本页面只接受不超过 {limit} 的视频。请剪短后再试（或自行部署本应用）。",
    ),
    "page.video.too-big": (
        "{name} is {mb:.0f} MB; this page takes videos up to {limit} MB. Export it at a "
        "lower resolution or cut it, then try again.",
        "{name} 大小为 {mb:.0f} MB，本页面只接受不超过 {limit} MB 的视频。请降低分辨率导出或剪短后再试。",
    ),
    "page.photo-too-big": (
        "{name} is {mb:.1f} MB; photos may be up to {limit} MB each. Resize it, then try again.",
        "{name} 大小为 {mb:.1f} MB，照片单张不能超过 {limit} MB。请缩小后再试。",
    ),
    # -- the timeline and the frames -----------------------------------------------------------
    "page.video.title": ("Video: events over time", "视频：按时间排列的事件"),
    "page.video.facts": (
        "{length} · {frames} frames inspected, {fps:.2g} a second · events: {events}",
        "时长 {length} · 已检查 {frames} 帧（每秒 {fps:.2g} 帧）· 事件 {events} 个",
    ),
    "page.video.hint": (
        "Each bar is one event, from when it was first seen to when it was last seen. Choose "
        "one to see its best frame marked and to review it below.",
        "每个色条代表一个事件，从首次出现到最后出现。点击色条可查看其最佳画面（已标出位置），"
        "并在下方进行复核。",
    ),
    "page.video.timeline": ("Timeline of events", "事件时间轴"),
    "page.video.no-events": (
        "Nothing was found in this video's frames.",
        "该视频的画面中未发现任何目标。",
    ),
    "page.video.event": (
        "Event {id}: {what}, seen {first} to {last}, best frame at {best}",
        "事件 {id}：{what}，出现于 {first} 至 {last}，最佳画面在 {best}",
    ),
    "page.video.frames": ("Frames sent to the model", "已发送给模型的画面"),
    "page.video.frame-no": ("Frame", "帧"),
    "page.video.prev": ("◀ Previous frame", "◀ 上一帧"),
    "page.video.next": ("Next frame ▶", "下一帧 ▶"),
    "page.video.frame": ("Frame {k} of {n}, at {t}: {found}", "第 {k}/{n} 帧（{t}）：{found}"),
    "page.video.frame-failed": (
        "Frame {k} of {n}, at {t}, could not be inspected: {error}",
        "第 {k}/{n} 帧（{t}）未能完成检查：{error}",
    ),
    "page.video.frame-missing": (
        "Frame {k} of {n}, at {t}: no picture was kept for it (a reopened run keeps only "
        "the findings).",
        "第 {k}/{n} 帧（{t}）：没有保存该帧画面（重新打开的检查只保留检查结果）。",
    ),
    "page.video.no-add": (
        "Findings in a video are events: confirm, reject or correct them. To record "
        "something the model missed, write it in the report's notes.",
        "视频中的发现以事件为单位，只能确认、驳回或更正。模型漏检的内容请写在报告备注中。",
    ),
}
