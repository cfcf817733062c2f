"""Builds NotoSansInvoice-Regular.ttf: Noto Sans and Noto Sans Devanagari Regular merged into one
font, hinting dropped (a PDF needs none), named "Noto Sans Invoice". The invoice uses no other
font: emphasis is the same glyphs stroked (invoice.typ `heavy`), not a bold face.

Why (bar S8, ../README.md "What made it faster"): Typst subsets and embeds every font a document
uses, once per document, and shapes each Hindi run twice when Latin comes first in the fallback
list; one font instead of four (two scripts, two weights) cuts both. The glyphs, advances and layout features are the
originals' (their scripts do not overlap: DFLT/latn/grek/cyrl and deva/dev2). SIL OFL 1.1 allows
modified versions (OFL.txt; the Noto fonts reserve no font name).

    python3 -m venv /tmp/ft && /tmp/ft/bin/pip install fonttools   # 4.66.1 was used
    /tmp/ft/bin/python merge.py                                    # run in this folder
"""

import os
import tempfile

from fontTools import subset
from fontTools.merge import Merger
from fontTools.ttLib import TTFont

FAMILY = "Noto Sans Invoice"


def unhinted(path: str, out: str) -> None:
    opts = subset.Options()
    opts.layout_features = ["*"]
    opts.hinting = False
    opts.name_IDs = ["*"]
    opts.name_languages = ["*"]
    opts.glyph_names = True
    opts.notdef_outline = True
    font = subset.load_font(path, opts)
    s = subset.Subsetter(opts)
    s.populate(unicodes=font.getBestCmap().keys())
    s.subset(font)
    subset.save_font(font, out, opts)


for weight in ("Regular",):
    with tempfile.TemporaryDirectory() as tmp:
        parts = []
        for name in (f"NotoSans-{weight}.ttf", f"NotoSansDevanagari-{weight}.ttf"):
            out = os.path.join(tmp, name)
            unhinted(name, out)
            parts.append(out)
        merged = Merger().merge(parts)
    names = merged["name"]
    for rec in list(names.names):
        if rec.nameID in (1, 3, 4, 6, 16, 17):
            names.removeNames(nameID=rec.nameID)
    names.setName(FAMILY, 1, 3, 1, 0x409)
    names.setName(weight, 2, 3, 1, 0x409)
    names.setName(f"{FAMILY} {weight}; merged from Noto Sans and Noto Sans Devanagari", 3, 3, 1, 0x409)
    names.setName(f"{FAMILY} {weight}", 4, 3, 1, 0x409)
    names.setName(f"NotoSansInvoice-{weight}", 6, 3, 1, 0x409)
    merged.save(f"NotoSansInvoice-{weight}.ttf")
    print(f"NotoSansInvoice-{weight}.ttf", len(merged.getGlyphOrder()), "glyphs")
