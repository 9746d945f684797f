"""What a reading gives (ParsedObject, ParsedAnswer, the FORM_* names) and the keys we
recognise in the model's JSON objects."""

from __future__ import annotations

from dataclasses import dataclass, field

# Keys are compared after strip() and lower(). The first key present wins.
BOX_KEYS = ("bbox_2d", "bbox", "box", "bbox_xyxy")
POINT_KEYS = ("point_2d", "point")
LABEL_KEYS = (
    "label",
    "name",
    "category",
    "class",
    "class_name",
    "text_content",
    "name_en",
    "label_en",
    "name_zh",
    "label_zh",
    "names",
)
SUB_LABEL_KEYS = (
    "sub_label",
    "sublabel",
    "status",
    "severity",
    "helmet",
    "hardhat",
    "hard_hat",
    "helmet_status",
    "attribute",
    "attributes",
)
# Inside a "names" object ({"zh": ..., "en": ...}) the first of these present wins.
LANGUAGE_KEYS = ("en", "zh")
# Wrapper keys whose EMPTY list is a clear "no objects" answer ({"objects": []}). A non-empty
# list of objects is accepted under any key.
WRAPPER_KEYS = (
    "objects",
    "detections",
    "results",
    "result",
    "boxes",
    "bboxes",
    "items",
    "annotations",
    "predictions",
    "data",
)

_SHAPE_KEYS = frozenset(BOX_KEYS + POINT_KEYS)

FORM_JSON = "json"
FORM_QWEN2_TAGS = "qwen2-tags"
FORM_QWEN_VL_TAGS = "qwen-vl-tags"


# A finding the model says lies within a permitted activity of the site context.
PERMITTED_KEYS = ("permitted", "within_permit", "permitted_activity")


@dataclass(frozen=True)
class ParsedObject:
    """One box as the model wrote it (model coordinates, corners put in order)."""

    coords: tuple[float, float, float, float]
    label: str
    sub_label: str
    # The model says the finding lies within a permitted activity named in the site context.
    permitted: bool = False


@dataclass
class ParsedAnswer:
    """Everything read from one answer, with honest notes about what was repaired."""

    objects: list[ParsedObject]
    form: str
    notes: list[str] = field(default_factory=list)
    truncated: bool = False
    points_ignored: int = 0
    swapped: int = 0
