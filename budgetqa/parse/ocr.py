"""OCR for scanned pages (no text layer), offline.

rapidocr-onnxruntime carries its detection and recognition models inside its wheel, so
nothing is downloaded at run time (bench/ocr_comparison.md: why this engine). A scanned page
becomes text lines with their positions, the same `Line`s the PDF parser reads from
characters; the document records which pages were OCR'd so that every figure read from them
is cited as "OCR — check the page image".
"""
from __future__ import annotations

from functools import lru_cache

from budgetqa.parse.pdf_grid import Line

RESOLUTION = 150  # dpi: the scanned fixtures read word-perfect at 150 (bench/ocr_comparison.md)


class OcrUnavailable(RuntimeError):
    pass


@lru_cache(maxsize=1)
def _engine():
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError as error:  # the wheel is in requirements.txt; a bare install may lack it
        raise OcrUnavailable(f"OCR engine not installed ({error})") from None
    return RapidOCR()


def needs_ocr(page) -> bool:
    """A page with pictures and no text layer."""
    return not page.chars and bool(page.images)


def page_lines(page) -> list[Line]:
    """Text lines of a scanned page, top to bottom, in PDF points."""
    import numpy as np

    image = page.to_image(resolution=RESOLUTION).original.convert("RGB")
    result, _ = _engine()(np.asarray(image))
    scale = 72 / RESOLUTION
    boxes = []
    for box, text, _score in result or []:
        xs = [p[0] * scale for p in box]
        ys = [p[1] * scale for p in box]
        boxes.append(Line(text=text, x0=min(xs), x1=max(xs), top=min(ys), bottom=max(ys),
                          size=max(ys) - min(ys)))
    return _merge_rows(sorted(boxes, key=lambda ln: (ln.top, ln.x0)))


def _merge_rows(boxes: list[Line]) -> list[Line]:
    """Boxes on one baseline (a label and its figure read apart) become one line."""
    lines: list[Line] = []
    for box in boxes:
        last = lines[-1] if lines else None
        mid = (box.top + box.bottom) / 2
        if last is not None and last.top <= mid <= last.bottom:
            left, right = (last, box) if last.x0 <= box.x0 else (box, last)
            lines[-1] = Line(text=f"{left.text} {right.text}", x0=min(last.x0, box.x0),
                             x1=max(last.x1, box.x1), top=min(last.top, box.top),
                             bottom=max(last.bottom, box.bottom), size=max(last.size, box.size))
        else:
            lines.append(box)
    return lines
