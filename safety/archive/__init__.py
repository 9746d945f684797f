"""Archives: thousands of photos in one run that survives a crash.

sources.py   folders walked lazily, --glob, --shard K/N: which photos a run takes
journal.py   --results FILE.jsonl: one line per finished photo, flushed as it finishes;
             --resume repairs a line cut short and skips what is already done
outputs.py   JSON, CSV and the PDF written from the journal, with flat memory
progress.py  the progress bar on a terminal (tqdm), plain lines elsewhere
"""
