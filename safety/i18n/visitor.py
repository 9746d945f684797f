"""Words of a public page's second round: what a visitor is told when a reopened run, a
report or a redraw is refused, or a run's folder has gone. Never a server path."""

WORDS = {
    "page.run-gone": (
        "This run is no longer on the server (a run is kept {hours} hours after its last "
        "change). Reopen it from its results JSON and its photos.",
        "该次检查已不在服务器上（检查在最后一次修改后保留 {hours} 小时）。"
        "请用其结果 JSON 和照片重新打开。",
    ),
    "page.error-unexpected": (
        "Something went wrong on the server. Try again, or reload the page.",
        "服务器出错了。请重试，或刷新页面。",
    ),
    "page.reopen-missing": (
        "Add the photos the results name: {names} (each is matched by SHA-256, else by file name).",
        "请一并添加结果中列出的照片：{names}（按 SHA-256 或文件名匹配）。",
    ),
    "page.reopen-size": (
        "{name}: the photo is {w}\u00d7{h} pixels, the results say {rw}\u00d7{rh}; add the "
        "photo that was inspected.",
        "{name}：照片为 {w}\u00d7{h} 像素，结果中为 {rw}\u00d7{rh}，请添加当初检查的那张照片。",
    ),
    "page.reopen-photo": ("{name}: {error}", "{name}：{error}"),
    "page.reopen-reading": ("Reading photo {done} of {total}…", "正在读取照片 {done}/{total}…"),
    "page.limit.reports": (
        "This public page writes at most {n} reports per hour for each visitor. Come back in "
        "{minutes} minute(s), or run the app yourself (see the README).",
        "本公开页面每位访客每小时最多生成 {n} 份报告。请 {minutes} 分钟后再来，或自行部署本应用"
        "（见 README）。",
    ),
    "page.limit.redraws": (
        "This public page draws at most {n} photos per hour for each visitor (each review "
        "decision draws its photo again). Come back in {minutes} minute(s), or run the app "
        "yourself (see the README).",
        "本公开页面每位访客每小时最多绘制 {n} 张照片（每次复核操作都会重绘照片）。请 {minutes} "
        "分钟后再来，或自行部署本应用（见 README）。",
    ),
    "page.add-outside": (
        "The box drawn lies outside the photo. Draw it on the photo.",
        "所画的框在照片之外，请在照片上画框。",
    ),
}
