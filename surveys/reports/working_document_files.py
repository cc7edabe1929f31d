"""The CWS working document laid out as DOCX (editable) and PDF: a portrait cover part, then
the Annex on the report's landscape pages, with the document's symbol in the running header."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils import translation
from django.utils.translation import gettext

from surveys.reports import docx, pdf
from surveys.reports.exporters import Export
from surveys.reports.working_document import Block, WorkingDocumentContent

DOCX_STYLES = {
    "committee": ("Title", ""),
    "session": ("Subtitle", ""),
    "title": ("Title", ""),
    "prepared": ("Summary", ""),
    "heading": ("Heading1", ""),
    "closing": ("", "right"),
    "symbol": ("", "right"),
}


def _numbered(block: Block) -> str:
    return f"{block.number}.\t{block.text}" if block.number else block.text


def _docx_front(content: WorkingDocumentContent) -> Iterator[str]:
    for block in content.blocks:
        style, align = DOCX_STYLES.get(block.kind, ("", ""))
        yield docx.paragraph(_numbered(block), style, align)
    yield docx.portrait_section_end()
    yield docx.paragraph(gettext("Annex"), "Title", "center")


def _header(content: WorkingDocumentContent) -> str:
    return gettext("%(symbol)s · Annex") % {"symbol": content.symbol}


def docx_bytes(content: WorkingDocumentContent) -> bytes:
    with translation.override(content.language):
        front, header = list(_docx_front(content)), _header(content)
    return docx.render_docx(content.report, content.annex, front=front, header=header)


def _pdf_styles() -> dict:
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    base = pdf._styles()
    body = ParagraphStyle("cover-body", base["summary"], fontName=pdf.REGULAR, fontSize=10.5, leading=14)
    return {
        "symbol": ParagraphStyle("cover-symbol", body, alignment=TA_RIGHT, fontName=pdf.BOLD, spaceAfter=1),
        "committee": ParagraphStyle("cover-committee", base["h1"], fontSize=14, spaceBefore=28, spaceAfter=6),
        "session": ParagraphStyle("cover-session", body, fontName=pdf.BOLD, spaceAfter=2),
        "title": ParagraphStyle("cover-title", base["h1"], fontSize=13, leading=17, spaceBefore=30, spaceAfter=12),
        "prepared": ParagraphStyle("cover-prepared", body, fontName=pdf.ITALIC, spaceAfter=24),
        "heading": ParagraphStyle("cover-heading", base["h2"], fontSize=11, spaceBefore=10, spaceAfter=8),
        "paragraph": ParagraphStyle("cover-paragraph", body, spaceAfter=9, firstLineIndent=0),
        "decision": ParagraphStyle("cover-decision", body, leftIndent=80, spaceBefore=6, spaceAfter=9),
        "closing": ParagraphStyle("cover-closing", body, alignment=TA_RIGHT, spaceBefore=36),
        "annex": ParagraphStyle("cover-annex", base["h1"], alignment=TA_CENTER),
    }


def _pdf_front(content: WorkingDocumentContent) -> list:
    styles = _pdf_styles()
    front = []
    for block in content.blocks:
        text = block.text.upper() if block.kind in ("title", "heading") else block.text
        front.append(pdf._para(_numbered(Block(block.kind, text, block.number)).replace("\t", " "), styles[block.kind]))
    return front


def pdf_bytes(content: WorkingDocumentContent) -> bytes:
    pdf.register_fonts()
    with translation.override(content.language):
        front, header = _pdf_front(content), _header(content)
    return pdf.render_pdf(content.report, content.annex, front=front, header=header)


def export(content: WorkingDocumentContent, fmt: str) -> Export:
    """The document as a file: `fmt` is "docx" or "pdf"."""
    if fmt == "docx":
        return Export(docx_bytes(content), docx.CONTENT_TYPE, f"{content.filename}.docx")
    if fmt == "pdf":
        return Export(pdf_bytes(content), pdf.CONTENT_TYPE, f"{content.filename}.pdf")
    raise ValueError(f"no working document as {fmt!r}")
