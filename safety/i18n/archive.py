"""Words of archive runs: folders, --results and --resume, --shard, the progress
bar, and the end of a run that stopped."""

WORDS = {
    # -- --help ---------------------------------------------------------------------------
    "archive.cli.group": ("archives and long runs", "大批量与长时间运行"),
    "archive.cli.glob": (
        "in folders, take only photos matching PATTERN: with a '/', matched against the path "
        "below the folder, else against the file name; case is ignored (e.g. '*.jpg', "
        "'site-07/2026-11-*/*')",
        "在文件夹中只取与 PATTERN 匹配的照片：含“/”时匹配文件夹下的相对路径，否则匹配文件名；"
        "不区分大小写（如 '*.jpg'、'site-07/2026-11-*/*'）",
    ),
    "archive.cli.results": (
        "append each photo's result to FILE.jsonl as it finishes (one JSON object per line, "
        "flushed to disk): a crash loses nothing that finished",
        "每张照片完成后立即把结果追加写入 FILE.jsonl（每行一个 JSON 对象，随写随落盘）："
        "程序崩溃也不会丢失已完成的结果",
    ),
    "archive.cli.resume": (
        "carry on a run from its --results file: photos already done (same file, same "
        "SHA-256) are skipped without a request, photos that failed are tried again, a last "
        "line cut short is repaired",
        "接着 --results 文件继续上次的运行：已完成的照片（同一文件、SHA-256 相同）直接跳过，"
        "不再发送请求；失败的照片重新检查；被截断的最后一行会自动修复",
    ),
    "archive.cli.shard": (
        "take only the K-th of N disjoint parts of the input (1 <= K <= N), chosen by a hash "
        "of each photo's path: run the same command with K = 1..N on N machines",
        "只处理输入的 N 个互不重叠部分中的第 K 份（1 <= K <= N），按照片路径的哈希划分："
        "在 N 台机器上分别以 K = 1..N 运行同一条命令",
    ),
    # -- the progress bar -------------------------------------------------------------------
    "archive.unit": (" photos", " 张"),
    "archive.bar": (
        "{percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt} photos · {rate_fmt} · {remaining} left{postfix}",
        "{percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt} 张 · {rate_fmt} · 剩余 {remaining}{postfix}",
    ),
    "archive.failed-so-far": ("{n} failed", "失败 {n} 张"),
    # -- resuming and stopping ----------------------------------------------------------------
    "archive.results-exist": (
        "{path} already holds results. Add --resume to carry on that run, or name another "
        "file (or delete this one) to start afresh.",
        "{path} 中已有结果。要继续那次运行请加 --resume；要重新开始请换一个文件名（或删除该文件）。",
    ),
    "archive.results-busy": (
        "{path} is being written by another run right now. Wait for it to end, or name "
        "another results file.",
        "另一个运行正在写入 {path}。请等它结束，或换一个结果文件名。",
    ),
    "archive.other-model": (
        "note: {path} holds photos inspected with {models}; this run uses {model}. The "
        "results will mix both: use another results file to keep them apart.",
        "说明：{path} 中的照片是用 {models} 检查的，本次运行使用 {model}，结果将混在一起；"
        "如需分开，请换一个结果文件。",
    ),
    "archive.resume-needs-results": (
        "--resume needs the results file of the run to carry on: add --results FILE.jsonl.",
        "--resume 需要指定要继续的那次运行的结果文件：请加上 --results FILE.jsonl。",
    ),
    "archive.repaired.one": (
        "note: {path}: {n} line was cut short or unreadable (the run was killed while "
        "writing) and has been dropped; its photo is inspected again",
        "说明：{path}：有 {n} 行被截断或无法读取（写入时运行被中止），已删除，对应照片将重新检查",
    ),
    "archive.repaired.other": (
        "note: {path}: {n} lines were cut short or unreadable and have been dropped; their "
        "photos are inspected again",
        "说明：{path}：有 {n} 行被截断或无法读取，已删除，对应照片将重新检查",
    ),
    "archive.retrying.one": (
        "{n} photo that failed last time is tried again",
        "上次失败的 {n} 张照片将重新检查",
    ),
    "archive.retrying.other": (
        "{n} photos that failed last time are tried again",
        "上次失败的 {n} 张照片将重新检查",
    ),
    "archive.skipped.one": (
        "{n} photo done by an earlier run was skipped (no request sent)",
        "有 {n} 张照片在之前的运行中已完成，已跳过（未发送请求）",
    ),
    "archive.skipped.other": (
        "{n} photos done by an earlier run were skipped (no request sent)",
        "有 {n} 张照片在之前的运行中已完成，已跳过（未发送请求）",
    ),
    "archive.stopped": (
        "the run stopped before the end: every endpoint failed (the error above says which "
        "and why); the photos not yet tried were left for --resume",
        "运行未完成即已停止：所有模型服务均失败（原因见上方错误信息）；尚未检查的照片留待 --resume 继续",
    ),
    "archive.resume-hint": (
        "to carry on later, run the same command with --resume (results so far: {path})",
        "稍后要继续，请以同一条命令加上 --resume 运行（目前的结果在 {path}）",
    ),
    "archive.nothing-kept": (
        "nothing of this run was kept: give a long run --results FILE.jsonl, so that the same "
        "command with --resume can carry it on",
        "本次运行没有保存任何结果：长时间运行请加上 --results FILE.jsonl，之后可用同一条命令加 "
        "--resume 继续",
    ),
    "archive.no-photo": (
        "note: the report shows this photo without its picture: {problem}",
        "说明：报告中此照片不附图片：{problem}",
    ),
    "archive.bad-shard": (
        "--shard {shard!r} is not valid: use K/N with 1 <= K <= N, e.g. --shard 3/8 (a "
        "0-based job index i is --shard $((i+1))/N).",
        "--shard {shard!r} 无效：请用 K/N 形式，且 1 <= K <= N，例如 --shard 3/8"
        "（从 0 开始的任务序号 i 对应 --shard $((i+1))/N）。",
    ),
    "archive.folder-unreadable": (
        "The folder {folder!r} cannot be read (permission denied).",
        "无法读取文件夹 {folder!r}（没有权限）。",
    ),
}
