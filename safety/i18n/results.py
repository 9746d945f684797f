"""Words for a results file read back (safety.results_io): what is wrong with it, one line
each, naming the photo and the field so a person can fix a hand-edited file in one go."""

WORDS = {
    "results.where": ("photo {n} ({source})", "照片 {n}（{source}）"),
    "results.where-n": ("photo {n}", "照片 {n}"),
    "results.unreadable": (
        "{name}: cannot be read; upload or name the file again",
        "{name}：无法读取，请重新上传或指定该文件",
    ),
    "results.not-json": (
        "{name}: not JSON (line {line}, column {column}); open it in a text editor and mend it",
        "{name}：不是有效的 JSON（第 {line} 行第 {column} 列），请用文本编辑器打开修正",
    ),
    "results.not-results": (
        '{name}: not a results document: it needs an "images" list',
        "{name}：不是检查结果文件：缺少 “images” 列表",
    ),
    "results.too-deep": (
        "{name}: lists and objects nested more than {limit} deep; a results file never is",
        "{name}：列表和对象嵌套超过 {limit} 层，检查结果文件不会这样",
    ),
    "results.too-big": (
        "{name}: {mb:.1f} MB; a results file opened here may be at most {limit} MB",
        "{name}：文件大小为 {mb:.1f} MB，此处打开的结果文件最大 {limit} MB",
    ),
    "results.too-many-photos": (
        "{name}: lists {n} photos; at most {limit} can be opened here at once, so split it",
        "{name}：包含 {n} 张照片，此处一次最多打开 {limit} 张，请拆分后再打开",
    ),
    "results.too-many-findings": (
        "{where}: detections: {n} findings; a photo may have at most {limit}",
        "{where}：detections：共 {n} 处识别结果，每张照片最多 {limit} 处",
    ),
    "results.field-type": ("{where}: {field} must be {kind}", "{where}：{field} 应为{kind}"),
    "results.kind.number": ("a number or null", "数字或 null"),
    "results.kind.whole": ("a whole number or null", "整数或 null"),
    "results.kind.text": ("text or null", "文本或 null"),
    "results.kind.texts": ("a list of texts", "文本列表"),
    "results.kind.objects": ("a list of objects", "对象列表"),
    "results.kind.counts": (
        "an object of whole numbers or null",
        "由整数组成的对象或 null",
    ),
}
