#!/usr/bin/env python3
"""What a person sees of `inventory --format html`, checked against the JSON report of the fleet.

usage: inventory_html_check.py INVENTORY.json PAGE.html DOM.html SCREENSHOT.png HOSTILE

DOM.html is the page's DOM after a headless browser loaded it (--dump-dom), SCREENSHOT.png what
it drew. Checks: the summary's numbers in the rendered text; the hostile hostname shown as text
and no element or script made of it; the grid in the PNG: every cell found by its colour (the
colours read from the page's own style), laid out as rows and columns, each cell's colour the
JSON matrix's answer for its pair (migratable, not, same class, different architectures).
The PNG is decoded with zlib alone. Prints TAP.
"""
import html.parser
import json
import os
import re
import struct
import sys
import zlib

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "peers"))
from tap import done, tap  # noqa: E402

inv_file, page_file, dom_file, png_file, hostile = sys.argv[1:6]
inv = json.load(open(inv_file))
page = open(page_file, encoding="utf-8").read()
dom = open(dom_file, encoding="utf-8").read()

def check(name, ok, why=""):
    return tap(ok, name, str(why).splitlines()[:5])


class Dom(html.parser.HTMLParser):
    """The rendered text (by element id where one is asked) and the elements met."""

    def __init__(self):
        super().__init__()
        self.tags = []
        self.text = []
        self.stack = []
        self.by_id = {}
        self.title = ""

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in ("br", "meta", "img", "input", "link", "hr"):
            return
        self.stack.append((tag, dict(attrs).get("id")))

    def handle_endtag(self, tag):
        while self.stack:
            t, _ = self.stack.pop()
            if t == tag:
                break

    def handle_data(self, data):
        self.text.append(data)
        for t, i in self.stack:
            if i:
                self.by_id[i] = self.by_id.get(i, "") + data
        if self.stack and self.stack[-1][0] == "title":
            self.title += data


d = Dom()
d.feed(dom)
text = "".join(d.text)
summary = re.sub(r"\s+", " ", d.by_id.get("summary", ""))
want = ["%d %s" % (inv["summary"][k], k) for k in ("hosts", "classes", "domains", "errors")]
check("the summary shows %s" % ", ".join(want), all(w in summary for w in want), summary)
check("the summary comes first", text.find(summary.split(",")[0]) < text.find("Migration matrix"))
check("the hostile hostname is shown as text", hostile in text,
      [t for t in d.text if "PWNED" in t])
check("no element came of it and nothing ran",
      not any(t in ("script", "img", "iframe", "object", "embed") for t, _ in d.tags) and
      "PWNED" not in d.title and d.title != "1", (d.title, [t for t, _ in d.tags][:20]))
check("nothing to fetch: no script, link, image or url in the page",
      not re.search(r"<script|<link|<img|<iframe|\burl\(|https?:|@import", page, re.I) and
      "default-src 'none'" in page)
for e in inv["errors"]:
    check("the error on %s is shown" % e["file"], e["message"] in text)


def png_pixels(path):
    """(width, height, rows of RGB tuples' bytes, bytes per pixel) of an 8-bit RGB/RGBA PNG."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and ctype in (2, 6) and not interlace, (depth, ctype, interlace)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    bpp = 3 if ctype == 2 else 4
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if f == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif f == 2:
            for i in range(stride):
                line[i] = (line[i] + prev[i]) & 255
        elif f == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 255
        elif f == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b = prev[i]
                c = prev[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[i] = (line[i] + pred) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, rows, bpp


# The colours of the four kinds of cell, as the page's style gives them.
colour = {}
for kind in ("yes", "no", "same", "na"):
    m = re.search(r"\.%s\{background:#([0-9a-f]{6})\}" % kind, page)
    colour[kind] = bytes.fromhex(m.group(1)) if m else None
check("the page's style colours the four kinds of cell apart",
      None not in colour.values() and len(set(colour.values())) == 4, colour)

w, h, rows, bpp = png_pixels(png_file)
kind_of = {v: k for k, v in colour.items()}
seen = [bytearray(w) for _ in range(h)]
cells = []  # (kind, x0, y0, x1, y1, pixels) of each area of one cell colour
for y in range(h):
    row = rows[y]
    for x in range(w):
        if seen[y][x]:
            continue
        k = kind_of.get(row[x * bpp:x * bpp + 3])
        if not k:
            continue
        rgb = colour[k]
        stack, count = [(x, y)], 0
        x0, y0, x1, y1 = x, y, x, y
        seen[y][x] = 1
        while stack:
            cx, cy = stack.pop()
            count += 1
            x0, y0, x1, y1 = min(x0, cx), min(y0, cy), max(x1, cx), max(y1, cy)
            for nx, ny in ((cx + 1, cy), (cx - 1, cy), (cx, cy + 1), (cx, cy - 1)):
                if 0 <= nx < w and 0 <= ny < h and not seen[ny][nx] and \
                        rows[ny][nx * bpp:nx * bpp + 3] == rgb:
                    seen[ny][nx] = 1
                    stack.append((nx, ny))
        cells.append((k, x0, y0, x1, y1, count))

# A cell is 96 x 22 pixels; the legend's swatches (14 x 14) and the holes of letters are smaller.
cells = [c for c in cells if c[3] - c[1] + 1 >= 60 and c[4] - c[2] + 1 >= 15]
ids = [c["id"] for c in inv["classes"]]
k = len(ids)
xs = sorted({c[1] for c in cells})
ys = sorted({c[2] for c in cells})
check("the grid drawn: %d x %d cells in %d columns and %d rows" % (k, k, k, k),
      len(cells) == k * k and len(xs) == k and len(ys) == k, (len(cells), len(xs), len(ys)))
pair = {(p["source"], p["destination"]): p["migratable"] for p in inv["matrix"]}
drawn = {(ys.index(c[2]), xs.index(c[1])): c[0] for c in cells if c[1] in xs and c[2] in ys}
wrong = []
count = {"yes": 0, "no": 0, "same": 0, "na": 0}
for a in range(k):
    for b in range(k):
        p = pair.get((ids[a], ids[b]))
        want = "same" if a == b else "na" if p is None else "yes" if p else "no"
        count[want] += 1
        if drawn.get((a, b)) != want:
            wrong.append("row %d column %d: drawn %s, the matrix says %s" % (a + 1, b + 1,
                                                                              drawn.get((a, b)), want))
check("every cell in the colour of its pair's verdict (%d migratable, %d not, %d same class, "
      "%d across architectures)" % (count["yes"], count["no"], count["same"], count["na"]),
      not wrong and count["yes"] and count["no"], "\n".join(wrong))
done()
