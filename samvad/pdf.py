"""PDFs of pages, with WeasyPrint: Pango and HarfBuzz shape Devanagari (conjuncts, matras, reph)
the way a browser does, with the Noto fonts that fontconfig finds on the host (fonts-noto-core).

Shaped Devanagari does not copy out of a PDF by itself: the short i (ि) is drawn before its
consonant, a reph after it, and a PDF maps each glyph to text once for the whole document
(WeasyPrint maps a glyph to the first cluster it meets, so क may copy as कि everywhere). So every
line is also written as an ActualText span holding the line's own text, which is what PDF readers
(Chrome's PDFium, Acrobat, poppler's pdftotext) copy instead of the glyphs
(docs/decisions/011-pdf-actualtext.md).
"""

import logging

# WeasyPrint reports each layout step at INFO; one PDF would fill the log with seven lines.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def render_pdf(html: str, *, base_url: str) -> bytes:
    # Imported here: loading WeasyPrint and Pango costs time that only a PDF request should pay.
    from weasyprint import HTML

    _copy_lines_as_their_text()
    return HTML(string=html, base_url=base_url).write_pdf()


def _copy_lines_as_their_text() -> None:
    """Wrap WeasyPrint's drawing of each line in /Span <</ActualText (the line)>> BDC ... EMC."""
    import pydyf
    from weasyprint.draw import text

    draw = text.draw_first_line
    if getattr(draw, "samvad_actual_text", False):
        return

    def draw_first_line(stream, textbox, *args, **kwargs):
        actual = pydyf.Dictionary({"ActualText": pydyf.String(textbox.pango_layout.text)})
        stream.begin_marked_content("Span", actual)
        try:
            return draw(stream, textbox, *args, **kwargs)
        finally:
            stream.end_marked_content()

    draw_first_line.samvad_actual_text = True
    text.draw_first_line = draw_first_line
