"""Words of walkthrough videos and camera clips (safety.video): a video that cannot be read,
the sampling, the estimate before a run, and the report's video section."""

WORDS = {
    # -- a video that cannot be read (its own error; the other inputs go on) ----------------
    "video.missing": (
        "No such video file. Check the path.",
        "找不到该视频文件，请检查路径。",
    ),
    "video.empty": (
        "The video file is empty (0 bytes): copy it from the camera or phone again.",
        "视频文件为空（0 字节），请重新从相机或手机中拷贝。",
    ),
    "video.unreadable": (
        "The video cannot be decoded ({why}): the file is damaged or not a video. Play it "
        "in a video player to check, or export it again from the camera or phone.",
        "无法解码该视频（{why}）：文件已损坏或并非视频。请先用播放器打开确认，"
        "或从相机、手机重新导出。",
    ),
    "video.no-frames": (
        "The video has no frames that can be decoded: export it again from the camera or phone.",
        "该视频中没有可解码的画面，请从相机或手机重新导出。",
    ),
    "video.is-image": (
        "This file is a still image with a video name: rename it to .jpg or .png and "
        "inspect it as a photo.",
        "这是一张改成了视频扩展名的图片：请改回 .jpg 或 .png，按照片进行检查。",
    ),
    "video.audio-only": (
        "The file holds only sound, no picture: nothing to inspect. Choose the video file.",
        "该文件只有音频、没有画面，无法检查。请选择视频文件。",
    ),
    "video.no-video": (
        "The file holds no video stream: choose the video file itself.",
        "该文件中没有视频流，请选择视频文件本身。",
    ),
    "video.codec": (
        "The video uses a compression ({codec}) this program cannot decode: convert it to "
        "H.264 MP4 (any video converter, or the phone's export) and try again.",
        "该视频采用的编码（{codec}）本程序无法解码：请转换为 H.264 MP4"
        "（任意视频转换工具或手机导出均可）后重试。",
    ),
    "video.codec.unknown": ("unknown to FFmpeg", "FFmpeg 无法识别"),
    "video.url": (
        "Videos are read from files, not from web addresses: download the video first and "
        "give its path.",
        "视频只能从本地文件读取，不支持网址：请先下载视频，再提供文件路径。",
    ),
    "video.batch": (
        "Videos are not sent through the Batch API: inspect them with python -m safety "
        "inspect, which samples their frames and merges the findings into events.",
        "视频暂不支持通过批量接口（Batch API）发送：请用 python -m safety inspect 检查，"
        "它会抽取画面并把识别结果合并为事件。",
    ),
    "video.internal": (
        "Internal error while reading this video ({kind}). The other inputs are not "
        "affected; please report this.",
        "读取该视频时发生内部错误（{kind}）。其他文件不受影响，请反馈此问题。",
    ),
    # -- notes on a video's result ---------------------------------------------------------
    "video.cut-short": (
        "The video file is damaged or cut short after {t}: frames up to there were "
        "inspected, the rest could not be read.",
        "视频文件在 {t} 之后损坏或被截断：此前的画面已检查，之后的内容无法读取。",
    ),
    "video.capped": (
        "Stopped at {n} frames (--max-frames) at {t}: the rest of the video was not "
        "inspected. Raise --max-frames to cover it.",
        "已达到 {n} 帧上限（--max-frames），在 {t} 处停止：其后的内容未检查。"
        "如需覆盖全片，请调高 --max-frames。",
    ),
    "video.rate-lowered": (
        "Sampled at {rate:.2f} frames a second instead of {fps:g}, so that {n} frames "
        "(--max-frames) span the whole video.",
        "为使 {n} 帧（--max-frames）覆盖整段视频，抽帧频率由每秒 {fps:g} 帧降为 {rate:.2f} 帧。",
    ),
    "video.note-frames": ("{note} (in {n} frames)", "{note}（共 {n} 帧）"),
    "video.more-notes": (
        "{n} other notes on single frames are in the frames of the JSON results.",
        "另有 {n} 条针对个别画面的说明，见 JSON 结果中的各帧。",
    ),
    "video.frames-failed": (
        "{n} of {total} frames could not be inspected: what they showed is not in the events.",
        "{total} 帧中有 {n} 帧未能完成检查，这些画面中的情况未计入事件。",
    ),
    # -- the command line ----------------------------------------------------------------
    "video.cli.group": ("videos (mp4, mov, mkv, webm, avi)", "视频（mp4、mov、mkv、webm、avi）"),
    "video.cli.fps": (
        "frames sampled per second of video (default {n}); scene changes are added, "
        "near-duplicate frames skipped",
        "每秒视频抽取的帧数（默认 {n}）；画面切换时另行补帧，几乎相同的画面会跳过",
    ),
    "video.cli.max-frames": (
        "frames sent per video at most (default {n}); a longer video is sampled more "
        "sparsely so that they span all of it",
        "每段视频最多发送的帧数（默认 {n}）；视频较长时自动降低抽帧频率，使抽取的帧覆盖全片",
    ),
    "video.bad-fps": (
        "--fps must be a number from {low} to {high} (frames per second), not {value!r}.",
        "--fps 须为 {low} 到 {high} 之间的数（每秒帧数），当前为 {value!r}。",
    ),
    "video.bad-max-frames": (
        "--max-frames must be a whole number from 1 to {high}, not {value!r}.",
        "--max-frames 须为 1 到 {high} 之间的整数，当前为 {value!r}。",
    ),
    "video.estimate": (
        "Videos: {videos}, {seconds} of footage: about {frames:,} frames to send, about "
        "{requests:,} requests and {tokens:,} tokens",
        "视频 {videos} 段，时长共 {seconds}：约发送 {frames:,} 帧，约 {requests:,} 次请求、"
        "{tokens:,} 个 token",
    ),
    "video.estimate-money": (
        ", about {money:.2f} {currency} at {model} prices.",
        "，按 {model} 价格约 {money:.2f} {currency}。",
    ),
    "video.estimate-end": (".", "。"),
    "video.estimate-unreadable": (
        "{n} of them cannot be opened (each will say why).",
        "其中 {n} 段无法打开（稍后会逐一说明原因）。",
    ),
    "video.no-frames-for-report": (
        "{where}: the video's best frames cannot be shown (the video file is not where it "
        "was); put it back there to see them in the report.",
        "{where}：无法显示该视频的最佳画面（视频文件已不在原处），放回原处后即可在报告中显示。",
    ),
    # -- the verdict line: a video counts its events, not its frames ---------------------
    "verdict.videos.one": ("; {n} video ({events} events)", "；视频 {n} 段（事件 {events} 个）"),
    "verdict.videos.other": ("; {n} videos ({events} events)", "；视频 {n} 段（事件 {events} 个）"),
    # -- the PDF report's video section ---------------------------------------------------
    "report.video-of": ("Video {n} of {total}", "视频 {n} / {total}"),
    "report.video.length": ("length {t}", "时长 {t}"),
    "report.video.sampled": (
        "{n} frames inspected (about {fps:.2g} a second)",
        "检查了 {n} 帧（约每秒 {fps:.2g} 帧）",
    ),
    "report.video.duplicates": (
        "{n} near-identical frames skipped",
        "跳过 {n} 帧几乎相同的画面",
    ),
    "report.video.best-frames": (
        "Each hazard at its best frame",
        "各事件的最佳画面",
    ),
    "report.video.frame-caption": ("#{id} at {t}: {what}", "#{id}，{t}：{what}"),
    "report.video.no-frame": (
        "(frame not available)",
        "（画面无法显示）",
    ),
    "report.video.more": (
        "{n} more events are listed in the table below without their frame.",
        "另有 {n} 个事件仅列于下表，未附画面。",
    ),
    "report.video.events": (
        "Events (each object once, over the frames it was seen in)",
        "事件（同一对象只计一次，汇总其出现的各帧）",
    ),
    "report.video.col.seen": ("Seen", "出现时段"),
    "report.video.col.best": ("Best frame", "最佳画面"),
    "report.video.col.frames": ("Frames", "帧数"),
    "report.video.seen": ("{first} to {last}", "{first} 至 {last}"),
    "report.video.took-off": ("hard hat taken off at {t}", "{t} 摘下安全帽"),
    "report.video.put-on": ("hard hat put on at {t}", "{t} 戴上安全帽"),
    "report.video.nothing": (
        "Nothing found: every frame inspected was read and none shows fire, smoke or a person.",
        "未发现异常：所检查的每一帧均已读取，均未见火灾、烟雾或人员。",
    ),
}
