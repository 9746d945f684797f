"""Every command reads its flags into a frozen options object at its door: each flag given
arrives in its field, unchanged, and nothing below the commands ever sees argparse."""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path

import pytest

from safety.archive.outputs import Outputs
from safety.archive.run import RunOptions
from safety.commands.args import EndpointOptions
from safety.commands.batch import CollectOptions, PrepareOptions
from safety.commands.cli import InspectOptions, build_parser
from safety.commands.evaluate import EvaluateOptions
from safety.commands.report import ReportOptions
from safety.config import load_config

ROOT = Path(__file__).resolve().parent.parent

ENDPOINT_FLAGS = ["--preset", "vllm", "--model", "m-1", "--coords", "relative-1000",
                  "--max-pixels", "401408", "--max-tokens", "900"]  # fmt: skip
SENDING_FLAGS = ["--base-url", "http://127.0.0.1:1/v1", "--base-url", "http://127.0.0.1:2/v1",
                 "--api-key", "sk-flag", "--timeout", "7.5", "--retries", "4"]  # fmt: skip
REQUEST_FLAGS = ["--prompt-file", "p.txt", "--concurrency", "3", "--detail", "high",
                 "--recheck", "all"]  # fmt: skip
COVER = ["--lang", "zh", "--site", "Site B", "--inspector", "Li", "--notes", "n"]
WRITTEN = Outputs(
    json="r.json", csv="r.csv", report="r.pdf", site="Site B", inspector="Li", notes="n"
)

ENDPOINT = EndpointOptions(
    preset="vllm",
    base_url=("http://127.0.0.1:1/v1", "http://127.0.0.1:2/v1"),
    model="m-1",
    api_key="sk-flag",
    coords="relative-1000",
    max_pixels=401408,
    timeout=7.5,
    retries=4,
    max_tokens=900,
    concurrency=3,
    prompt_file="p.txt",
    detail="high",
    recheck="all",
)


def parse(*argv: str) -> argparse.Namespace:
    return build_parser("en").parse_args(list(argv))


def no_namespace_inside(value) -> None:
    """The options, all the way down, are frozen dataclasses of plain values."""
    assert not isinstance(value, argparse.Namespace)
    if dataclasses.is_dataclass(value):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(value, dataclasses.fields(value)[0].name, None)
        for f in dataclasses.fields(value):
            no_namespace_inside(getattr(value, f.name))
    else:
        assert not isinstance(value, list)  # a list in a frozen object could still change


def test_inspect_reads_every_flag_into_its_field():
    args = parse("inspect", "a.jpg", "dir", *ENDPOINT_FLAGS, *SENDING_FLAGS, *REQUEST_FLAGS,
                 "--out", "marked", "--json", "r.json", "--csv", "r.csv", "--report", "r.pdf",
                 *COVER, "-q", "--glob", "*.png", "--results", "run.jsonl", "--resume",
                 "--shard", "2/3", "--blur-faces", "--blur-before-send",
                 "--site-profile", "site.toml", "--rules", "cn")  # fmt: skip
    opts = InspectOptions.read(args)
    run = RunOptions(photos=("a.jpg", "dir"), outputs=WRITTEN, out="marked", glob="*.png",
                     results="run.jsonl", resume=True, shard="2/3", quiet=True)  # fmt: skip
    assert opts == InspectOptions(
        endpoint=ENDPOINT, run=run, lang="zh", blur_faces=True, blur_before_send=True,
        site_profile="site.toml", rules="cn",
    )  # fmt: skip
    no_namespace_inside(opts)


def test_inspect_without_flags_leaves_the_endpoint_to_the_environment():
    opts = InspectOptions.read(parse("inspect", "a.jpg"))
    assert opts.endpoint == EndpointOptions()
    assert opts.run == RunOptions(photos=("a.jpg",)) and opts.run.outputs == Outputs()


def test_calibrate_reads_the_same_endpoint_flags():
    args = parse("calibrate", *ENDPOINT_FLAGS, *SENDING_FLAGS)
    expected = dataclasses.replace(
        ENDPOINT, concurrency=None, prompt_file=None, detail=None, recheck=None
    )
    assert EndpointOptions.read(args) == expected


def test_batch_prepare_reads_the_shared_endpoint_flags_without_those_for_sending():
    args = parse("batch", "prepare", "a.jpg", "--out", "b", "--force", "--glob", "*.jpg",
                 "--shard", "1/2", "--lang", "zh", *ENDPOINT_FLAGS,
                 "--base-url", "http://127.0.0.1:1/v1", "--provider", "openai",
                 "--max-requests", "10", "--max-file-mb", "2.5", "--prompt-file", "p.txt",
                 "--detail", "high", "--recheck", "all", "--blur-before-send",
                 "--site-profile", "site.toml")  # fmt: skip
    endpoint = dataclasses.replace(ENDPOINT, base_url="http://127.0.0.1:1/v1", api_key=None,
                                   timeout=None, retries=None, concurrency=None)  # fmt: skip
    assert PrepareOptions.read(args) == PrepareOptions(
        photos=("a.jpg",), out="b", endpoint=endpoint, force=True, glob="*.jpg", shard="1/2",
        lang="zh", provider="openai", max_requests=10, max_file_mb=2.5, blur_before_send=True,
        site_profile="site.toml",
    )  # fmt: skip
    for sending in ("--api-key", "--timeout", "--retries"):  # a batch file sends nothing
        with pytest.raises(SystemExit):
            parse("batch", "prepare", "a.jpg", "--out", "b", sending, "1")


def test_batch_collect_and_report_read_their_outputs_and_site():
    args = parse("batch", "collect", "folder", "o1.jsonl", "o2.jsonl", "--results", "r.jsonl",
                 "--json", "r.json", "--csv", "r.csv", "--report", "r.pdf", *COVER, "-q",
                 "--blur-faces", "--site-profile", "s.toml", "--rules", "us")  # fmt: skip
    opts = CollectOptions.read(args)
    assert opts == CollectOptions(folder="folder", outputs=("o1.jsonl", "o2.jsonl"),
                                  written=WRITTEN, results="r.jsonl", quiet=True, lang="zh",
                                  blur_faces=True, site_profile="s.toml", rules="us")  # fmt: skip
    no_namespace_inside(opts)
    args = parse("report", "r.json", "--report", "o.pdf", "--json", "o.json", "--csv", "o.csv",
                 "--coco", "o.coco.json", *COVER, "--photos", "pics", "--blur-faces",
                 "--site-profile", "s.toml", "--rules", "us")  # fmt: skip
    assert ReportOptions.read(args) == ReportOptions(
        results="r.json", report="o.pdf", json="o.json", csv="o.csv", coco="o.coco.json",
        lang="zh", site="Site B", inspector="Li", notes="n", photos="pics", blur_faces=True,
        site_profile="s.toml", rules="us",
    )  # fmt: skip


def test_evaluate_reads_its_flags_and_a_compare_changes_only_its_own(tmp_path):
    args = parse("evaluate", "data", *ENDPOINT_FLAGS, *SENDING_FLAGS, *REQUEST_FLAGS,
                 "--format", "yolo", "--map", "hat=head:worn", "--limit", "5", "--iou", "0.4",
                 "--min-confidence", "0.2", "--name", "main", "--compare", "b:max_pixels=200704",
                 "--fresh", "-q", "--json", "m.json", "--report", "m.pdf",
                 "--lang", "zh")  # fmt: skip
    opts = EvaluateOptions.read(args)
    assert opts == EvaluateOptions(
        dataset="data", endpoint=ENDPOINT, json="m.json", format="yolo", map=("hat=head:worn",),
        limit=5, iou=0.4, min_confidence=0.2, name="main", compare=("b:max_pixels=200704",),
        fresh=True, quiet=True, report="m.pdf", lang="zh",
    )  # fmt: skip
    no_namespace_inside(opts)
    prompt = tmp_path / "p.txt"
    prompt.write_text("Find fire. Answer in JSON.", encoding="utf-8")
    endpoint = opts.endpoint.with_(prompt_file=str(prompt))
    config = load_config({"SAFETY_CACHE_DIR": str(tmp_path)})
    main = endpoint.settings(config, "en")
    small = endpoint.with_(max_pixels=200704).settings(config, "en")
    assert main.prompt == small.prompt == "Find fire. Answer in JSON."
    assert (main.max_pixels, small.max_pixels) == (401408, 200704)
    assert small.api_key == main.api_key == "sk-flag" and small.model == main.model == "m-1"


def test_only_the_commands_know_argparse():
    """Flags are defined and read in safety/commands/ only: no other module builds a parser,
    adds an argument, or is handed a Namespace."""
    found = []
    for path in sorted((ROOT / "safety").rglob("*.py")):
        if path.parent.name == "commands":
            continue
        text = path.read_text(encoding="utf-8")
        for word in ("argparse", "add_argument", "Namespace", "getattr(args"):
            if word in text:
                found.append(f"{path.relative_to(ROOT)}: {word}")
    assert found == []
