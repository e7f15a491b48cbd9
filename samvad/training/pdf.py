"""Server-side PDF of a page, with WeasyPrint: Pango shapes Devanagari (conjuncts, matras) the way a
browser does, with the Noto fonts that fontconfig finds on the host (fonts-noto-core)."""

import logging

# WeasyPrint reports each layout step at INFO; one PDF would fill the log with seven lines.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def render_pdf(html: str, *, base_url: str) -> bytes:
    # Imported here: loading WeasyPrint and Pango costs time that only a PDF request should pay.
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url).write_pdf()
