"""Make fonts/wqy-microhei.woff2, the web page's CJK font, from fonts/wqy-microhei.ttc.

Browsers refuse the collection itself (Chromium's font sanitizer: "FFTM: misaligned table"),
so the page is served the collection's first face, WenQuanYi Micro Hei Regular, without the
FontForge timestamp table, as WOFF2 (1.4 MB instead of 5.2 MB). Same font, same licence
(fonts/LICENSE-wqy-microhei.txt). Run once when the font changes; needs
``pip install fonttools brotli`` (not needed at run time):

    python fonts/make_web_font.py
"""

from pathlib import Path

from fontTools.ttLib import TTCollection

HERE = Path(__file__).resolve().parent

font = TTCollection(str(HERE / "wqy-microhei.ttc")).fonts[0]
if "FFTM" in font:
    del font["FFTM"]
font.flavor = "woff2"
font.save(str(HERE / "wqy-microhei.woff2"))
