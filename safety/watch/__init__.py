"""Watch mode (``python -m safety watch``): folders and cameras looked at every interval.

Modules: sources (folders, snapshot URLs through safety.net, streams through PyAV), phash
(whether a snapshot shows anything new), loop (the rounds: inspect, record, alert, say).
The command's flags are read in safety/commands/watch.py.
"""
