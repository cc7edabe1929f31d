"""One response as a document to keep: PDF and DOCX, laid out like its public page.

An office keeps its response for its records or for sign-off; the public downloads a
published one. The document holds what the response pages show: the office, the
numbering system, the round, the edition, the status and version with the dates it was
submitted and published; then the ST.13 compliance of the system; then each question
with the edition's own text, numbered as in the questionnaire, and its answer — choices
as their labels, tables as tables, "Not applicable" where the branching skipped the
question. The footer carries the page number and, for a published response, the address
of its public page. Everything is in the reader's language (the edition's translations
and the interface's catalogues).

The layout reuses the round report's engines: the ReportLab fonts, styles and numbered
canvas of ``surveys.reports.pdf``, the WordprocessingML parts and styles of
``surveys.reports.docx``. A response is a few pages, so the PDF uses ReportLab's own
tables for the answers.

A published response's document is the same for every reader in a language: it is kept
in the cache (``cached_document``), keyed by the response, its version, the language,
the format and the address printed in the footer, and made out of date with the
published pages (``page_cache``'s generations), so asking for it again builds nothing.
"""

from __future__ import annotations

import hashlib
import io
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import chain
from typing import Any

from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from standards.st13 import ComplianceReport
from surveys.models import SurveyResponse
from surveys.questionnaire.edition import base_language
from surveys.reports import docx, pdf
from surveys.responses import page_cache
from surveys.responses.display import Display, status_label, verdict_label
from surveys.responses.presenters import ItemView, SectionView, response_page

FORMATS = ("pdf", "docx")
CONTENT_TYPES = {"pdf": pdf.CONTENT_TYPE, "docx": docx.CONTENT_TYPE}


@dataclass
class ResponseSheet:
    """What both formats lay out, in the reader's language."""

    language: str
    edition_title: str
    heading: str
    facts: list[tuple[str, str]]
    compliance: ComplianceReport
    sections: list[SectionView]
    # The public page's address (published responses), or "".
    url: str
    running_head: str
    # The running header's right side: "Published · version 7".
    status_line: str
    page_counter: str
    generated_at: datetime

    # What the DOCX parts of the report engine read (core properties, footer).
    @property
    def title(self) -> str:
        return self.heading

    @property
    def handbook(self) -> str:
        return self.running_head


def filename(response: SurveyResponse, fmt: str) -> str:
    """e.g. "MD-1-2012.pdf": the office, the response's number, the round's year."""
    return f"{response.office_id}-{response.sequence}-{response.round.year}.{fmt}"


def _date(moment: datetime | None) -> str:
    return formats.date_format(timezone.localtime(moment), "j F Y") if moment else "—"


def _marked(text: Any) -> str:
    """An edition text, with "(English)" after it where English stands in for a translation."""
    return f"{text} {gettext('(English)')}" if getattr(text, "fallback", False) else str(text)


def response_sheet(response: SurveyResponse, *, language: str, url: str = "") -> ResponseSheet:
    """The response as its document shows it. ``url``: the public page's address, printed
    in the footer of a published response."""
    language = base_language(language)
    with translation.override(language):
        page = response_page(response, include_not_applicable=True, language=language)
        edition_row = response.round.edition
        facts = [
            (gettext("Office"), f"{response.office_id} – {response.office.local_name}"),
            (gettext("Numbering system"), response.numbering_system.label),
            (gettext("Round"), response.round.title_in(language)),
            (
                gettext("Edition"),
                gettext("%(title)s, version %(version)s")
                % {"title": _marked(page["edition_title"]), "version": edition_row.version},
            ),
            (gettext("Status"), status_label(response.status)),
            (gettext("Version"), str(response.version)),
            (gettext("Submitted on"), _date(response.submitted_at)),
            (gettext("Published on"), _date(response.published_at)),
        ]
        return ResponseSheet(
            language=language,
            edition_title=_marked(page["edition_title"]),
            heading=page["heading"],
            facts=facts,
            compliance=page["compliance"],
            sections=page["document"],
            url=url if response.is_public else "",
            running_head=f"{response.office_id} – {response.office.local_name} · {response.numbering_system.label}",
            status_line=gettext("%(status)s · version %(version)s")
            % {"status": status_label(response.status), "version": response.version},
            page_counter=gettext("Page %(page)s of %(pages)s") % {"page": "{page}", "pages": "{pages}"},
            generated_at=timezone.now(),
        )


def _attached(attachment: Any) -> str:
    return gettext("Attached file: %(name)s") % {"name": attachment.original_name}


def _answer_lines(item: ItemView) -> list[str]:
    """The answer as lines of text (a table answer is laid out by each format)."""
    if item.display is not None:
        return list(item.display.lines)
    if item.attachments:
        return []
    return [item.state_label]


def _compliance_rows(sheet: ResponseSheet) -> list[list[str]]:
    return [[f"({r.section})", r.title, verdict_label(r.verdict), r.reason] for r in sheet.compliance.rules]


def _compliance_flags(sheet: ResponseSheet) -> list[str]:
    flags = []
    if sheet.compliance.disagrees:
        flags.append(gettext("Flagged for review: the office’s declaration (q13a) and the evaluation disagree."))
    if sheet.compliance.codes_disagree:
        flags.append(
            gettext(
                "Flagged for review: the office’s word on its type codes (q5c) and the codes it gives (q5b) disagree."
            )
        )
    return flags


def _compliance_headers() -> list[str]:
    return [gettext("Section"), gettext("Rule"), gettext("Verdict"), gettext("Why")]


def _english_rules_note(sheet: ResponseSheet) -> str:
    if sheet.language == "en":
        return ""
    return gettext(
        "The rules of ST.13 and the reasons for each verdict are given in English, as the standard words them."
    )


# --- PDF -------------------------------------------------------------------------------------

PAGE = (210 * pdf.MM, 297 * pdf.MM)  # portrait A4
FRAME_WIDTH = PAGE[0] - 2 * pdf.MARGIN_SIDE
FRAME_HEIGHT = PAGE[1] - pdf.MARGIN_TOP - pdf.MARGIN_BOTTOM
NOT_ANSWERED = "#7a4b00"
ACCENT = "#e8f1fa"


def _pdf_styles() -> dict:
    from reportlab.lib.colors import HexColor
    from reportlab.lib.styles import ParagraphStyle

    report = pdf._styles()
    text = ParagraphStyle("text", report["meta"], fontSize=9, leading=12, textColor=HexColor(pdf.INK), spaceBefore=0)
    muted = HexColor(pdf.MUTED)
    return {
        **report,
        "text": text,
        "section": ParagraphStyle("section", report["h2"], spaceBefore=10, spaceAfter=4),
        "reminder": ParagraphStyle(
            "reminder", text, backColor=HexColor(ACCENT), borderPadding=(3, 4, 3, 6), spaceBefore=2, spaceAfter=6
        ),
        "question_heading": ParagraphStyle(
            "question_heading", report["h3"], textColor=HexColor("#083a66"), spaceBefore=8, spaceAfter=2
        ),
        "question": ParagraphStyle("question", text, fontName=pdf.BOLD, spaceBefore=3, spaceAfter=1),
        "question_na": ParagraphStyle("question_na", text, textColor=muted, spaceBefore=3, spaceAfter=1),
        "answer": ParagraphStyle("answer", text, leftIndent=14, spaceAfter=1),
        "bullet": ParagraphStyle("bullet", text, leftIndent=24, bulletIndent=14, spaceAfter=1),
        "state": ParagraphStyle("state", text, fontName=pdf.ITALIC, textColor=muted, leftIndent=14),
        "not_answered": ParagraphStyle(
            "not_answered", text, fontName=pdf.ITALIC, textColor=HexColor(NOT_ANSWERED), leftIndent=14
        ),
        "cell": ParagraphStyle("cell", text, fontSize=8, leading=10),
        "cell_head": ParagraphStyle("cell_head", text, fontName=pdf.BOLD, fontSize=8, leading=10),
        "fact": ParagraphStyle("fact", text, textColor=muted),
        "fact_value": ParagraphStyle("fact_value", text, fontName=pdf.BOLD),
        "verdict": ParagraphStyle("verdict", text, fontName=pdf.BOLD, fontSize=10, leading=13, spaceBefore=2),
        "flag": ParagraphStyle("flag", text, fontName=pdf.BOLD, textColor=HexColor(pdf.RED)),
    }


ANSWER_INDENT_PT = 14


def _pdf_table(rows: list[list[str]], styles: dict, *, headers: list[str] | None, widths: list[float] | None = None):
    """A grid of paragraphs: the header row shaded and repeated on each page, or, without
    headers, the first column bold (the row's name)."""
    from reportlab.lib.colors import HexColor
    from reportlab.platypus import Table, TableStyle

    data = []
    if headers:
        data.append([pdf._para(h, styles["cell_head"]) for h in headers])
    for row in rows:
        data.append(
            [pdf._para(cell, styles["cell_head" if not headers and i == 0 else "cell"]) for i, cell in enumerate(row)]
        )
    columns = max(len(r) for r in data)
    if widths is None:  # an answer's table, indented under its question
        widths = [(FRAME_WIDTH - ANSWER_INDENT_PT) / columns] * columns
    table = Table(data, colWidths=widths, repeatRows=1 if headers else 0, hAlign="LEFT")
    look = [
        ("GRID", (0, 0), (-1, -1), 0.4, HexColor(pdf.RULE)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if headers:
        look.append(("BACKGROUND", (0, 0), (-1, 0), HexColor(pdf.HEAD_FILL)))
    table.setStyle(TableStyle(look))
    return table


def _pdf_answer(item: ItemView, styles: dict) -> list:
    from reportlab.platypus import Indenter

    display: Display | None = item.display
    if display is not None and display.is_table:
        headers = display.headers if display.headers[0] else None
        table = _pdf_table(display.rows, styles, headers=headers)
        return [Indenter(ANSWER_INDENT_PT), table, Indenter(-ANSWER_INDENT_PT)]
    style = {"not_applicable": "state", "not_answered": "not_answered"}.get(item.state, "answer")
    bullets = display is not None and display.bullets
    flowables = []
    for line in _answer_lines(item):
        if bullets:
            flowables.append(pdf._para(line, styles["bullet"]))
            flowables[-1].bulletText = "•"
        else:
            flowables.append(pdf._para(line, styles[style]))
    flowables += [pdf._para(_attached(a), styles["answer"]) for a in item.attachments]
    if display is not None and display.fallback:
        flowables.append(pdf._para(gettext("(English)"), styles["state"]))
    return flowables


def _pdf_question(item: ItemView, styles: dict) -> list:
    from reportlab.platypus import KeepTogether

    head = []
    if item.heading:
        heading = item.heading + (f" {_marked(item.continuation)}" if item.continuation else "")
        head.append(pdf._para(heading, styles["question_heading"]))
    text = f"{item.letter_label} {_marked(item.text)}" if item.letter_label else _marked(item.text)
    head.append(pdf._para(text, styles["question_na" if item.state == "not_applicable" else "question"]))
    answer = _pdf_answer(item, styles)
    # The question stays with (the start of) its answer.
    return [KeepTogether(head + answer[:2]), *answer[2:]]


def _pdf_story(sheet: ResponseSheet) -> list:
    from reportlab.lib.colors import HexColor
    from reportlab.platypus import HRFlowable, Spacer, Table, TableStyle

    styles = _pdf_styles()
    facts = Table(
        [[pdf._para(label, styles["fact"]), pdf._para(value, styles["fact_value"])] for label, value in sheet.facts],
        colWidths=[38 * pdf.MM, FRAME_WIDTH - 38 * pdf.MM],
        hAlign="LEFT",
    )
    facts.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (0, -1), 0)]))
    story = [
        pdf._para(sheet.edition_title, styles["handbook"]),
        Spacer(0, 3),
        pdf._para(sheet.heading, styles["h1"]),
        Spacer(0, 4),
        facts,
        HRFlowable(width="100%", thickness=1.2, color=HexColor(pdf.BLUE), spaceBefore=5, spaceAfter=8),
        pdf._para(gettext("Against WIPO Standard ST.13"), styles["h2"]),
        pdf._para(f"{verdict_label(sheet.compliance.overall)} — {sheet.compliance.summary}", styles["verdict"]),
    ]
    story += [pdf._para(flag, styles["flag"]) for flag in _compliance_flags(sheet)]
    if note := _english_rules_note(sheet):
        story.append(pdf._para(note, styles["legend"]))
    story.append(Spacer(0, 4))
    widths = [17 * pdf.MM, 40 * pdf.MM, 33 * pdf.MM, FRAME_WIDTH - 90 * pdf.MM]
    story.append(_pdf_table(_compliance_rows(sheet), styles, headers=_compliance_headers(), widths=widths))
    for section in sheet.sections:
        story.append(pdf._para(_marked(section.title), styles["section"]))
        if section.reminder:
            story.append(pdf._para(_marked(section.reminder), styles["reminder"]))
        for item in section.items:
            story += _pdf_question(item, styles)
    return story


def render_pdf(sheet: ResponseSheet) -> bytes:
    from reportlab.lib.colors import HexColor

    pdf.register_fonts()

    def decorate(canvas, document) -> None:
        canvas.saveState()
        canvas.setStrokeColor(HexColor("#888888"))
        canvas.setLineWidth(0.4)
        top = PAGE[1] - pdf.MARGIN_TOP + 2 * pdf.MM
        canvas.line(pdf.MARGIN_SIDE, top, PAGE[0] - pdf.MARGIN_SIDE, top)
        canvas.line(
            pdf.MARGIN_SIDE, pdf.MARGIN_BOTTOM - 1 * pdf.MM, PAGE[0] - pdf.MARGIN_SIDE, pdf.MARGIN_BOTTOM - pdf.MM
        )
        canvas.setFont(pdf.REGULAR, 7.5)
        canvas.setFillColor(HexColor("#333333"))
        canvas.drawString(pdf.MARGIN_SIDE, top + 2 * pdf.MM, sheet.running_head)
        canvas.drawRightString(PAGE[0] - pdf.MARGIN_SIDE, top + 2 * pdf.MM, sheet.status_line)
        if sheet.url:
            canvas.setFillColor(HexColor(pdf.BLUE))
            canvas.drawString(pdf.MARGIN_SIDE, pdf.MARGIN_BOTTOM - 2 * pdf.MM - 7.5, sheet.url)
            canvas.linkURL(
                sheet.url,
                (pdf.MARGIN_SIDE, pdf.MARGIN_BOTTOM - 4 * pdf.MM - 7.5, PAGE[0] / 2, pdf.MARGIN_BOTTOM - 1.5 * pdf.MM),
            )
        canvas.restoreState()

    buffer = io.BytesIO()
    document = pdf.document_template(
        buffer,
        PAGE,
        decorate,
        title=sheet.heading,
        author=sheet.running_head,
        subject=sheet.edition_title,
        lang=sheet.language,
    )
    with translation.override(sheet.language):
        document.build(_pdf_story(sheet), canvasmaker=pdf._canvas_class(sheet.page_counter, PAGE[0]))
    return buffer.getvalue()


# --- DOCX ------------------------------------------------------------------------------------

# Twentieths of a point: portrait A4, the report's 1.5 cm margins.
DOCX_WIDTH, DOCX_HEIGHT = docx.PAGE_HEIGHT, docx.PAGE_WIDTH
DOCX_TEXT_WIDTH = DOCX_WIDTH - 2 * docx.MARGIN
MUTED_COLOUR = '<w:color w:val="56606B"/>'
MUTED_RUN = f"<w:i/>{MUTED_COLOUR}"
NOT_ANSWERED_RUN = '<w:i/><w:color w:val="7A4B00"/>'
ANSWER_INDENT = '<w:ind w:left="284"/>'


def _docx_indented(text: str, run: str = "") -> str:
    """An answer line: indented under its question, like the page's answers."""
    content = docx._text(text)
    runs = f"<w:r>{f'<w:rPr>{run}</w:rPr>' if run else ''}{content}</w:r>" if content else ""
    return f"<w:p><w:pPr>{ANSWER_INDENT}</w:pPr>{runs}</w:p>"


def _docx_table(rows: list[list[str]], *, headers: list[str] | None, widths: list[int] | None = None) -> str:
    """A grid in the report's table style: the header row repeated on each page, or,
    without headers, the first column bold."""
    columns = max([len(headers or [])] + [len(r) for r in rows])
    widths = widths or [DOCX_TEXT_WIDTH // columns] * columns
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    # The table style shades the first row: only when it is a header row.
    first_row = "1" if headers else "0"
    out = [
        '<w:tbl><w:tblPr><w:tblStyle w:val="ReportTable"/><w:tblW w:w="5000" w:type="pct"/>'
        f'<w:tblLook w:val="{"0020" if headers else "0000"}" w:firstRow="{first_row}" w:lastRow="0" '
        f'w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>'
    ]
    if headers:
        cells = "".join(f"<w:tc>{docx._paragraph(h, 'TableHead')}</w:tc>" for h in headers)
        out.append(f"<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>{cells}</w:tr>")
    for row in rows:
        cells = "".join(
            f"<w:tc>{docx._paragraph(cell, 'TableKey' if not headers and i == 0 else 'TableText')}</w:tc>"
            for i, cell in enumerate(row)
        )
        out.append(f"<w:tr><w:trPr><w:cantSplit/></w:trPr>{cells}</w:tr>")
    out.append("</w:tbl>")
    # Word needs a paragraph between two tables and after a table that ends a cell.
    out.append(docx._paragraph(""))
    return "".join(out)


def _docx_answer(item: ItemView) -> Iterator[str]:
    display = item.display
    if display is not None and display.is_table:
        yield _docx_table(display.rows, headers=display.headers if display.headers[0] else None)
        return
    run = {"not_applicable": MUTED_RUN, "not_answered": NOT_ANSWERED_RUN}.get(item.state, "")
    bullets = display is not None and display.bullets
    for line in _answer_lines(item):
        yield _docx_indented(f"• {line}" if bullets else line, run)
    for attachment in item.attachments:
        yield _docx_indented(_attached(attachment))
    if display is not None and display.fallback:
        yield _docx_indented(gettext("(English)"), MUTED_RUN)


def _docx_body(sheet: ResponseSheet) -> Iterator[str]:
    yield docx._paragraph(sheet.edition_title, "Subtitle")
    yield docx._paragraph(sheet.heading, "Title")
    label_width = 2000
    yield _docx_table(
        [[label, value] for label, value in sheet.facts],
        headers=None,
        widths=[label_width, DOCX_TEXT_WIDTH - label_width],
    )
    yield docx._paragraph(gettext("Against WIPO Standard ST.13"), "Heading1")
    yield docx._paragraph(f"{verdict_label(sheet.compliance.overall)} — {sheet.compliance.summary}", "Summary")
    for flag in _compliance_flags(sheet):
        yield docx._paragraph(flag, run='<w:b/><w:color w:val="B3261E"/>')
    if note := _english_rules_note(sheet):
        yield docx._paragraph(note, "Legend")
    widths = [800, 3400, 1500, DOCX_TEXT_WIDTH - 5700]
    yield _docx_table(_compliance_rows(sheet), headers=_compliance_headers(), widths=widths)
    for section in sheet.sections:
        yield docx._paragraph(_marked(section.title), "Heading1")
        if section.reminder:
            yield docx._paragraph(_marked(section.reminder), "Note")
        for item in section.items:
            if item.heading:
                heading = item.heading + (f" {_marked(item.continuation)}" if item.continuation else "")
                yield docx._paragraph(heading, "Heading2")
            text = f"{item.letter_label} {_marked(item.text)}" if item.letter_label else _marked(item.text)
            if item.state == "not_applicable":
                yield docx._paragraph(text, run=MUTED_COLOUR)
            else:
                yield docx._paragraph(text, "Note")
            yield from _docx_answer(item)
    yield (
        '<w:sectPr><w:headerReference w:type="default" r:id="rIdHeader"/>'
        '<w:footerReference w:type="default" r:id="rIdFooter"/>'
        f'<w:pgSz w:w="{DOCX_WIDTH}" w:h="{DOCX_HEIGHT}"/>'
        f'<w:pgMar w:top="{docx.MARGIN}" w:right="{docx.MARGIN}" w:bottom="{docx.MARGIN}" w:left="{docx.MARGIN}" '
        'w:header="425" w:footer="425" w:gutter="0"/></w:sectPr>'
    )


def _docx_footer(sheet: ResponseSheet) -> str:
    """The public page's address (a link), then "page N of M" (the report's footer)."""
    footer = docx._footer(sheet)
    if not sheet.url:
        return footer.replace(docx._paragraph(sheet.title, "Footer"), "", 1)
    return footer.replace(docx._paragraph(sheet.title, "Footer"), docx._paragraph(sheet.url, "Footer"), 1)


def render_docx(sheet: ResponseSheet) -> bytes:
    buffer = io.BytesIO()
    with translation.override(sheet.language), zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", docx.CONTENT_TYPES)
        archive.writestr("_rels/.rels", docx.PACKAGE_RELS)
        archive.writestr("docProps/core.xml", docx._core(sheet))
        archive.writestr("word/_rels/document.xml.rels", docx.DOCUMENT_RELS)
        archive.writestr("word/styles.xml", docx.STYLES)
        archive.writestr("word/settings.xml", docx.SETTINGS)
        archive.writestr(
            "word/header1.xml",
            docx._part("hdr", docx._paragraph(f"{sheet.running_head} · {sheet.status_line}", "Header")),
        )
        archive.writestr("word/footer1.xml", _docx_footer(sheet))
        head = f'{docx.XML}<w:document xmlns:w="{docx.W}" xmlns:r="{docx.R}"><w:body>'
        docx._write(archive, "word/document.xml", chain([head], _docx_body(sheet), ["</w:body></w:document>"]))
    return buffer.getvalue()


RENDERERS: dict[str, Callable[[ResponseSheet], bytes]] = {"pdf": render_pdf, "docx": render_docx}


def build(response: SurveyResponse, fmt: str, *, language: str, url: str = "") -> bytes:
    """The response's document in ``fmt`` ("pdf" or "docx"), built now."""
    return RENDERERS[fmt](response_sheet(response, language=language, url=url))


# --- kept documents of published responses ----------------------------------------------------


def cache_key(response: SurveyResponse, fmt: str, language: str, url: str, generations: tuple[str, str]) -> str:
    """What a kept document depends on: the response and its version, the language, the
    format, the address in its footer, and the published pages' generations (an office
    renamed, an edition's translation corrected)."""
    digest = hashlib.sha256("\n".join([url, *generations]).encode()).hexdigest()[:24]
    return f"response-document:{response.pk}:{response.version}:{base_language(language)}:{fmt}:{digest}"


def _generations(cache, office_code: str) -> tuple[str, str]:
    keys = (page_cache.SITE_GENERATION, page_cache.office_generation_key(office_code))
    found = cache.get_many(keys)
    return found.get(keys[0]) or "-", found.get(keys[1]) or "-"


@dataclass
class Served:
    content: bytes
    # Whether it was built for this request (else it came from the cache).
    built: bool
    seconds: float


def cached_document(
    response: SurveyResponse,
    fmt: str,
    *,
    language: str,
    url: str = "",
    may_build: Callable[[], bool] = lambda: True,
) -> Served | None:
    """A published response's document: the kept copy, else built and kept. ``may_build``
    is asked before building (a client's rate); None when it says no."""
    cache = page_cache.page_cache()
    key = cache_key(response, fmt, language, url, _generations(cache, response.office_id))
    kept = cache.get(key)
    if kept is not None:
        return Served(kept, built=False, seconds=0.0)
    if not may_build():
        return None
    started = time.perf_counter()
    content = build(response, fmt, language=language, url=url)
    cache.set(key, content, page_cache.lifetime())
    return Served(content, built=True, seconds=time.perf_counter() - started)
