"""``python -m safety evaluate``: how well does an endpoint find what labelled photos show?

    truth.py      Truth (one photo and its labelled boxes), Dataset, EvalError, Notice
    formats.py    readers of Pascal VOC, YOLO and COCO JSON
    datasets.py   which form a folder holds (auto), and loading it
    classmap.py   --map: what the data set's class names mean (fire, smoke, person, head)
    matching.py   IoU, a head inside a person box, one-to-one greedy matching
    metrics.py    per category TP/FP/FN/precision/recall/F1, hard-hat status, per photo
    cache.py      answers remembered per photo, endpoint, model, prompt and frame size
    runner.py     asking one endpoint (through the cache and the ordinary pipeline); --compare
    scored.py     one run scored (Scored, score_run) and its figures as text
    report.py     the PDF: page 1, the appendix, the document
    sections.py   the PDF: one run's section and the side-by-side table
    pictures.py   the PDF: confusion heat maps, photos with labels and answers drawn
    (the command itself: safety.commands.evaluate)

The figures hold for the data set they were computed on, and for nothing else.
"""
