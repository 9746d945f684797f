"""The Batch API: a provider answers every photo offline, at about half the price.

    python -m safety batch prepare PHOTOS|DIR... --out DIR   request files + manifest
    (upload to DashScope or OpenAI, or run ``vllm run-batch``; download the output file)
    python -m safety batch collect DIR OUTPUT.jsonl...       results, JSON, CSV, report

    prepare.py   photos -> request files within the provider's limits, the manifest
    collect.py   the provider's output lines, in any order -> ImageResults in input order
    (the ``batch`` subcommand, its flags, lines and exit status: safety.commands.batch)

A photo is framed exactly as a live run frames it (``safety.framing``), its request is
built by the live client's own function (``safety.backends.client.request_body``) and its answer
read by the live client's reader and the pipeline's (``client.read_completion``,
``reading.read_answer``): a batch and a live run give the same boxes for the same answer.
"""
