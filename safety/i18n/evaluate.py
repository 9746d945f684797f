"""Words of ``python -m safety evaluate``: its --help, the lines it prints, its errors and
notices (see safety/i18n/__init__.py and safety/evaluation/; the report's words are in
evaluate_report.py)."""

WORDS: dict[str, tuple[str, str]] = {
    # -- --help ----------------------------------------------------------------------------------
    "eval.cli.help": (
        "score an endpoint on labelled photos (VOC, YOLO or COCO)",
        "用已标注的照片（VOC、YOLO 或 COCO）评测模型服务",
    ),
    "eval.cli.description": (
        "Ask the endpoint about every photo of a labelled data set and score its answers\n"
        "against the labels: per category TP, FP, FN, precision, recall and F1 (one-to-one\n"
        "matching at --iou), the hard-hat status of the persons found, hazard present per\n"
        "photo, failures, tokens and latency. Answers are remembered on disk: scoring again\n"
        "with another --iou or --map asks nothing, and a stopped run picks up where it\n"
        "stopped. The figures hold for this data set only.",
        "将已标注数据集中的每张照片发给模型服务，并与标注比对评分：按类别统计 TP、FP、FN、\n"
        "精确率、召回率和 F1（按 --iou 一对一匹配），已检出人员的安全帽状态，逐张照片判断\n"
        "有无隐患，以及失败数、token 用量和耗时。模型回答缓存在磁盘上：换 --iou 或 --map\n"
        "重新评分无需再调用模型，中断后再次运行会从中断处继续。评测结果仅代表该数据集。",
    ),
    "eval.cli.epilog": (
        "data set forms:\n"
        "  voc    Annotations/*.xml beside JPEGImages/ (GDUT-HWD, SHWD)\n"
        "  yolo   images/ and labels/*.txt (class cx cy w h, normalised), names in data.yaml\n"
        "         or classes.txt (D-Fire: 0 smoke, 1 fire; Roboflow exports)\n"
        "  coco   one JSON with images, annotations (bbox [x, y, w, h]) and categories\n"
        "\n"
        "--map categories: fire, smoke, person, head (a person labelled by the head), ignore;\n"
        "statuses: worn or missing (person, head), minor, moderate or severe (fire, smoke).\n"
        "Class names fire, smoke, person and head map themselves.\n"
        "\n"
        "examples:\n"
        "  python -m safety evaluate D-Fire/test --json dfire.json --report dfire.pdf\n"
        "  python -m safety evaluate GDUT-HWD --map blue=head:worn --map yellow=head:worn \\\n"
        "      --map white=head:worn --map red=head:worn --map none=head:missing --json hwd.json\n"
        "  python -m safety evaluate SHWD --map hat=head:worn --map person=head:missing \\\n"
        "      --compare small:max_pixels=401408 --compare max:preset=dashscope,model=qwen-vl-max \\\n"
        "      --json shwd.json --report shwd.pdf\n",
        "数据集格式：\n"
        "  voc    Annotations/*.xml 与 JPEGImages/ 同级（GDUT-HWD、SHWD）\n"
        "  yolo   images/ 与 labels/*.txt（类别 cx cy w h，归一化），类名见 data.yaml 或\n"
        "         classes.txt（D-Fire：0 smoke，1 fire；Roboflow 导出）\n"
        "  coco   一个 JSON 文件，含 images、annotations（bbox 为 [x, y, w, h]）和 categories\n"
        "\n"
        "--map 的类别：fire（火）、smoke（烟）、person（人员）、head（以头部标注的人员）、\n"
        "ignore（忽略）；状态：worn 或 missing（person、head），minor、moderate 或 severe\n"
        "（fire、smoke）。名为 fire、smoke、person、head 的类别自动对应。\n"
        "\n"
        "示例：\n"
        "  python -m safety evaluate D-Fire/test --json dfire.json --report dfire.pdf\n"
        "  python -m safety evaluate GDUT-HWD --map blue=head:worn --map yellow=head:worn \\\n"
        "      --map white=head:worn --map red=head:worn --map none=head:missing --json hwd.json\n"
        "  python -m safety evaluate SHWD --map hat=head:worn --map person=head:missing \\\n"
        "      --compare small:max_pixels=401408 --compare max:preset=dashscope,model=qwen-vl-max \\\n"
        "      --json shwd.json --report shwd.pdf\n",
    ),
    "eval.cli.dataset": (
        "folder of the labelled data set (or a COCO JSON file)",
        "已标注数据集所在的文件夹（或 COCO JSON 文件）",
    ),
    "eval.cli.group.data": ("data set", "数据集"),
    "eval.cli.format": (
        "form of the data set (default auto: recognised from the folder)",
        "数据集格式（默认 auto：按文件夹结构自动识别）",
    ),
    "eval.cli.map": (
        "what a class name means, e.g. none=head:missing (repeatable)",
        "类别名的含义，例如 none=head:missing（可多次使用）",
    ),
    "eval.cli.limit": ("score only the first N photos (by name)", "只评测按名称排序的前 N 张照片"),
    "eval.cli.min-confidence": (
        "score only answers whose confidence (uncalibrated, from the endpoint's token log-probabilities) is at least P; answers without one always count",
        "只计入置信度不低于 P 的回答（置信度未校准，来自服务返回的 token 对数概率）；没有置信度的回答一律计入",
    ),
    "eval.error.min-confidence": (
        "--min-confidence {value} is not valid: use a number from 0 to 1.",
        "--min-confidence {value} 无效：请使用 0 到 1 之间的数。",
    ),
    "eval.cli.iou": (
        "IoU an answer box needs to match a labelled box (default 0.5)",
        "回答框与标注框匹配所需的 IoU（默认 0.5）",
    ),
    "eval.cli.name": (
        "name of this run in the report (default: the model's name)",
        "本次评测在报告中的名称（默认为模型名称）",
    ),
    "eval.cli.compare": (
        "also score a variant of the endpoint settings, side by side: NAME:key=value,... "
        "with keys base_url, model, preset, coords, max_pixels, max_tokens, prompt_file "
        "(repeatable)",
        "同时评测一组改动后的服务设置并列对比：NAME:key=value,...，可用的键有 base_url、"
        "model、preset、coords、max_pixels、max_tokens、prompt_file（可多次使用）",
    ),
    "eval.cli.fresh": (
        "ask the model again even for photos whose answer is cached",
        "即使已有缓存的回答，也重新询问模型",
    ),
    "eval.cli.quiet": ("no line per photo asked", "不逐张输出进度"),
    "eval.cli.json": ("write the figures as JSON (required)", "将评测结果写入 JSON 文件（必填）"),
    "eval.cli.report": ("write a PDF evaluation report", "生成 PDF 评测报告"),
    # -- lines printed -----------------------------------------------------------------------------
    "eval.line.warning": ("warning: {text}", "注意：{text}"),
    "eval.line.dataset": (
        "{path}: {form}, {photos} photos, {boxes} labelled objects scored ({categories})",
        "{path}：{form} 格式，照片 {photos} 张，参与评分的标注目标 {boxes} 个（{categories}）",
    ),
    "eval.line.run": ("run {name}: {model} at {host}", "评测 {name}：{host} 上的 {model}"),
    "eval.line.summary": (
        "{name}: {images} photos ({asked} asked, {cached} from the cache), {failed} failed",
        "{name}：照片 {images} 张（询问模型 {asked} 张，取自缓存 {cached} 张），失败 {failed} 张",
    ),
    "eval.line.class": (
        "  {category}: TP {tp}, FP {fp}, FN {fn}; precision {precision}, recall {recall}, F1 {f1}",
        "  {category}：TP {tp}，FP {fp}，FN {fn}；精确率 {precision}，召回率 {recall}，F1 {f1}",
    ),
    "eval.line.unscored": (
        "  {category}: {n} answers, not labelled in this data set (not scored)",
        "  {category}：回答 {n} 个，该数据集未标注此类别（不评分）",
    ),
    "eval.line.helmet": (
        "  hard hat right on {correct} of {scored} persons found",
        "  已检出人员中安全帽状态判断正确 {correct} / {scored}",
    ),
    "eval.line.photos": (
        "  photos: hazard present or not right on {correct} of {scored} ({accuracy}); "
        "false alarms on {alarms} of {without} photos without a hazard ({rate})",
        "  逐张照片：有无隐患判断正确 {correct} / {scored}（{accuracy}）；"
        "无隐患照片中误报 {alarms} / {without}（{rate}）",
    ),
    # -- errors (one line, exit status 2) ----------------------------------------------------------
    "eval.error.no-dir": ("No such data set folder: {path}.", "数据集文件夹不存在：{path}。"),
    "eval.error.no-photos": (
        "No photos in {path}: give the folder of a VOC, YOLO or COCO data set.",
        "{path} 中没有照片：请指定 VOC、YOLO 或 COCO 数据集所在的文件夹。",
    ),
    "eval.error.no-labels": (
        "{path} has photos but no labels: a VOC data set needs Annotations/*.xml, a YOLO one "
        "labels/*.txt beside images/, a COCO one a JSON file of annotations.",
        "{path} 中有照片但没有标注：VOC 数据集需要 Annotations/*.xml，YOLO 数据集需要与 "
        "images/ 同级的 labels/*.txt，COCO 数据集需要一个标注 JSON 文件。",
    ),
    "eval.error.ambiguous": (
        "The folder holds labels in several forms ({forms}): choose one with --format.",
        "该文件夹同时包含多种格式的标注（{forms}）：请用 --format 指定其一。",
    ),
    "eval.error.form": (
        "Unknown data set form {form!r}: use one of {forms}.",
        "未知的数据集格式 {form!r}：可选 {forms}。",
    ),
    "eval.error.form-empty": (
        "No labelled photos of the {form} form in {path}.",
        "{path} 中没有 {form} 格式的已标注照片。",
    ),
    "eval.error.label-unreadable": (
        "Cannot read the label file {file}: {why}.",
        "无法读取标注文件 {file}：{why}。",
    ),
    "eval.error.label-too-big": (
        "The label file {file} is over 64 MB.",
        "标注文件 {file} 超过 64 MB。",
    ),
    "eval.error.label-bad": (
        "The label file {file} cannot be read: {why}.",
        "标注文件 {file} 内容有误，无法解析：{why}。",
    ),
    "eval.error.voc-box": (
        "{file}: a box has no number in <{tag}>.",
        "{file}：有一个框的 <{tag}> 不是数字。",
    ),
    "eval.error.voc-object": (
        "{file}: an <object> lacks its <name> or <bndbox>.",
        "{file}：有一个 <object> 缺少 <name> 或 <bndbox>。",
    ),
    "eval.error.yolo-names": (
        "{file} has no class list: it needs names: as a list or as 0: name lines.",
        "{file} 中没有类别列表：需要 names:，写成列表或 0: 名称 的形式。",
    ),
    "eval.error.yolo-line": (
        "{file}: a YOLO label line is class cx cy w h (or class and a polygon's points).",
        "{file}：YOLO 标注行应为 类别 cx cy w h（或类别加多边形各点坐标）。",
    ),
    "eval.error.yolo-range": (
        "{file}: YOLO coordinates are fractions of the photo's sides, from 0 to 1.",
        "{file}：YOLO 坐标应为相对照片边长的比例，取值 0 到 1。",
    ),
    "eval.error.yolo-class": (
        "{file}: class {cls} is not among the {n} classes the data set names.",
        "{file}：类别 {cls} 不在数据集列出的 {n} 个类别之中。",
    ),
    "eval.error.coco-none": (
        "No COCO JSON file (with images, annotations and categories) found.",
        "未找到 COCO 格式的 JSON 文件（需含 images、annotations 和 categories）。",
    ),
    "eval.error.coco-several": (
        "Several COCO JSON files ({files}): give the one to use instead of the folder.",
        "找到多个 COCO JSON 文件（{files}）：请直接指定要用的那个文件。",
    ),
    "eval.error.coco-annotation": (
        "{file}: annotation number {n} lacks a known image_id, category_id or bbox.",
        "{file}：第 {n} 条标注缺少有效的 image_id、category_id 或 bbox。",
    ),
    "eval.error.map-form": (
        "--map {item}: write NAME=CATEGORY or NAME=CATEGORY:STATUS, e.g. none=head:missing.",
        "--map {item}：应写作 类名=类别 或 类名=类别:状态，例如 none=head:missing。",
    ),
    "eval.error.map-category": (
        "--map {item}: the category is one of {categories}, or ignore.",
        "--map {item}：类别应为 {categories} 之一，或 ignore。",
    ),
    "eval.error.map-status": (
        "--map {item}: a {category} status is one of {allowed}.",
        "--map {item}：{category} 的状态应为 {allowed} 之一。",
    ),
    "eval.error.nothing-mapped": (
        "None of the data set's classes ({classes}) means fire, smoke, a person or a head: "
        "say what they mean with --map NAME=CATEGORY[:STATUS].",
        "数据集的类别（{classes}）都不对应火、烟、人员或头部：请用 --map 类名=类别[:状态] "
        "说明其含义。",
    ),
    "eval.error.compare-form": (
        "--compare {item}: write NAME:key=value,key=value, e.g. small:max_pixels=401408.",
        "--compare {item}：应写作 名称:键=值,键=值，例如 small:max_pixels=401408。",
    ),
    "eval.error.compare-key": (
        "--compare {item}: the keys are {keys}.",
        "--compare {item}：可用的键为 {keys}。",
    ),
    "eval.error.compare-number": (
        "--compare {item}: {key} takes a whole number.",
        "--compare {item}：{key} 应为整数。",
    ),
    "eval.error.compare-names": (
        "Each run needs its own name (got {names}): set --name or rename a --compare.",
        "每组评测需要不同的名称（当前为 {names}）：请设置 --name 或修改 --compare 的名称。",
    ),
    "eval.error.iou": (
        "--iou {value} is not valid: use a number above 0, at most 1.",
        "--iou {value} 无效：应为大于 0、不超过 1 的数。",
    ),
    "eval.error.limit": (
        "--limit {value} is not valid: use a whole number, 1 or more.",
        "--limit {value} 无效：应为不小于 1 的整数。",
    ),
    # -- notices: things skipped -------------------------------------------------------------------
    "eval.notice.unmapped": (
        "classes not mapped, their boxes ignored: {classes}; say what they mean with "
        "--map NAME=CATEGORY[:STATUS] (or NAME=ignore)",
        "以下类别未对应，其标注框已忽略：{classes}；请用 --map 类名=类别[:状态] 说明含义"
        "（或 类名=ignore）",
    ),
    "eval.notice.map-unknown": (
        "--map names classes the data set does not have: {names} (its classes: {classes})",
        "--map 中的类别在数据集中不存在：{names}（数据集的类别：{classes}）",
    ),
    "eval.notice.empty-boxes": (
        "{n} labelled boxes with no area were skipped",
        "已跳过 {n} 个面积为零的标注框",
    ),
    "eval.notice.labels-without-photo": (
        "{n} label files name a photo that is not there: skipped",
        "{n} 个标注文件对应的照片不存在，已跳过",
    ),
    "eval.notice.voc-unlabelled": (
        "{n} photos in JPEGImages/ have no annotation file: not scored",
        "JPEGImages/ 中有 {n} 张照片没有标注文件，不参与评分",
    ),
    "eval.notice.yolo-numbers": (
        "no data.yaml or classes.txt: classes are named by their numbers (map them, e.g. "
        "--map 0=smoke --map 1=fire)",
        "没有 data.yaml 或 classes.txt：类别以编号命名（请映射，例如 --map 0=smoke --map 1=fire）",
    ),
    "eval.notice.yolo-no-label": (
        "{n} photos have no label file: taken as photos with nothing to find",
        "{n} 张照片没有标注文件，视为无目标的照片",
    ),
    "eval.notice.coco-crowd": (
        "{n} crowd annotations (iscrowd) were left out",
        "已排除 {n} 条群体标注（iscrowd）",
    ),
    "eval.notice.coco-missing": (
        "{n} photos listed in the COCO file are not there: skipped",
        "COCO 文件中列出的照片有 {n} 张不存在，已跳过",
    ),
    # -- notes in the JSON and the report ----------------------------------------------------------
    "eval.note.no-ap": (
        "The model gives no confidence score, so there is no ranking of its answers to draw a "
        "precision-recall curve from: no AP (average precision) is computed, and none is "
        "invented. Each category has one precision and recall at the IoU threshold.",
        "模型不给出置信度，无法对回答排序、绘制精确率-召回率曲线，因此不计算 AP（平均精度），"
        "也不凭空编造。每个类别只有在 IoU 阈值下的一组精确率和召回率。",
    ),
    "eval.note.matching": (
        "Matching is one-to-one, per category. A label and an answer may pair when their IoU "
        "reaches the threshold, or when the label is a head lying in the upper half of a "
        "person answer's box (at least half of the head inside it): hard-hat data sets label "
        "heads, the model boxes whole persons. Pairs are taken best first (by IoU, else by "
        "how well the head sits at the top of the box), each label and each answer at most "
        "once. Unpaired labels are misses (FN); unpaired answers are false alarms (FP), "
        "duplicates included. A fire answered as smoke is a missed fire and a false smoke; "
        "the confusion table shows it as such. Hard-hat status is scored on matched persons.",
        "按类别一对一匹配。标注与回答的 IoU 达到阈值即可配对；若标注是头部，而头部位于某个"
        "人员回答框的上半部分（且至少一半在框内），也可配对——安全帽数据集标注的是头部，"
        "模型框出的是整个人。配对按质量从高到低选取（先看 IoU，其次看头部是否贴近框顶），"
        "每个标注、每个回答至多使用一次。未配对的标注为漏检（FN），未配对的回答为误报（FP），"
        "重复的回答也算误报。把火判成烟，记为漏检一处火、误报一处烟，混淆表中会如实显示。"
        "安全帽状态只在已配对的人员上评分。",
    ),
}
