"""The round report as a Word document (DOCX), written as WordprocessingML directly.

The document holds what the print layout holds: the title, the summary with the scope
and date, a heading per section and per table, the notes, the table itself (header rows
repeated on every page, group headings spanning their columns, totals in bold), the
chart's counts and the legend; landscape A4 with 1.5 cm margins, the Handbook's name in
the running header and the round with "page N of M" in the footer.

The looks live in the styles part (9 pt text, 7.5 pt in tables, headings, a grid table
style), so a cell is a few dozen bytes of markup with no formatting of its own. Building
the same document through an object model, one element at a time with fonts set on
every run, cost 20-27 ms per response; here the body is written as text into the
package while the rows are read, once.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from datetime import UTC
from itertools import chain
from xml.sax.saxutils import escape, quoteattr

from django.utils import formats, timezone, translation

from surveys.reports.pdf import sections_for
from surveys.reports.tables import HeaderCell, Kind, Report, Section, Table

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# Twentieths of a point: landscape A4, 1.5 cm margins.
PAGE_WIDTH, PAGE_HEIGHT, MARGIN = 16838, 11906, 850
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
DRAWING = "http://schemas.openxmlformats.org/drawingml/2006/main"
PICTURE = "http://schemas.openxmlformats.org/drawingml/2006/picture"
WML = "application/vnd.openxmlformats-officedocument.wordprocessingml"

# Characters XML 1.0 cannot carry at all (an answer pasted from elsewhere may hold them).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_BREAKS = re.compile("(\n|\t)")


def _text(value: object) -> str:
    """A value as the runs' content: escaped, line breaks and tabs as their own elements."""
    text = _NOT_XML.sub("", "" if value is None else str(value)).replace("\r\n", "\n").replace("\r", "\n")
    if "\n" not in text and "\t" not in text:
        return f'<w:t xml:space="preserve">{escape(text)}</w:t>' if text else ""
    out = []
    for piece in _BREAKS.split(text):
        if piece == "\n":
            out.append("<w:br/>")
        elif piece == "\t":
            out.append("<w:tab/>")
        elif piece:
            out.append(f'<w:t xml:space="preserve">{escape(piece)}</w:t>')
    return "".join(out)


def _paragraph(text: object, style: str = "", run: str = "", align: str = "") -> str:
    props = (f'<w:pStyle w:val="{style}"/>' if style else "") + (f'<w:jc w:val="{align}"/>' if align else "")
    content = _text(text)
    runs = f"<w:r>{f'<w:rPr>{run}</w:rPr>' if run else ''}{content}</w:r>" if content else ""
    return f"<w:p>{f'<w:pPr>{props}</w:pPr>' if props else ''}{runs}</w:p>"


# --- tables -------------------------------------------------------------------------------------

ALIGN = {Kind.MARK: "center", Kind.COUNT: "right"}


def _grid(table: Table) -> str:
    widths = [round(TEXT_WIDTH * float(w) / 100) for w in table.print_widths]
    cols = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    return (
        '<w:tbl><w:tblPr><w:tblStyle w:val="ReportTable"/><w:tblW w:w="5000" w:type="pct"/>'
        '<w:tblLayout w:type="fixed"/><w:tblLook w:val="0020" w:firstRow="1" w:lastRow="0" w:firstColumn="0" '
        'w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr>'
        f"<w:tblGrid>{cols}</w:tblGrid>"
    )


def _header_rows(header_rows: list[list[HeaderCell]]) -> str:
    """The header rows, repeated on every page; a group heading spans its columns, a lone
    column's label fills both rows (merged vertically)."""
    out = []
    below: dict[int, str] = {}  # column → a merged cell continuing from the row above
    for header in header_rows:
        cells, col = [], 0
        bottom = iter(header)
        while True:
            if col in below:
                cells.append(below.pop(col))
                col += 1
                continue
            head = next(bottom, None)
            if head is None:
                break
            props = ""
            if head.colspan > 1:
                props += f'<w:gridSpan w:val="{head.colspan}"/>'
            if head.rowspan > 1:
                props += '<w:vMerge w:val="restart"/>'
                below[col] = f"<w:tc><w:tcPr><w:vMerge/></w:tcPr>{_paragraph('', 'TableHead')}</w:tc>"
            align = "center" if head.css == "rt-group" else ""
            props = f"<w:tcPr>{props}</w:tcPr>" if props else ""
            cells.append(f"<w:tc>{props}{_paragraph(head.text, 'TableHead', align=align)}</w:tc>")
            col += head.colspan
        out.append(f"<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>{''.join(cells)}</w:tr>")
    return "".join(out)


def _table(table: Table) -> Iterator[str]:
    """The table's markup in pieces: header rows, a row at a time, then the totals."""
    yield _grid(table) + _header_rows(table.header_rows)
    aligns = [ALIGN.get(c.kind, "") for c in table.columns]
    plain = [
        f'<w:p><w:pPr><w:pStyle w:val="TableText"/>{f"<w:jc w:val={quoteattr(a)}/>" if a else ""}</w:pPr>'
        for a in aligns
    ]
    key = '<w:p><w:pPr><w:pStyle w:val="TableKey"/></w:pPr>'
    starts = [key, *plain[1:]]
    for row in table.rows:
        cells = []
        for start, value in zip(starts, row.values, strict=True):
            content = _text(value)
            cells.append(
                f"<w:tc>{start}<w:r>{content}</w:r></w:p></w:tc>" if content else f"<w:tc>{start}</w:p></w:tc>"
            )
        yield f"<w:tr><w:trPr><w:cantSplit/></w:trPr>{''.join(cells)}</w:tr>"
    for totals in table.totals:
        cells = []
        for i, value in enumerate([totals.label, *totals.values[1:]]):
            align = "" if i == 0 else (aligns[i] or "center")
            cells.append(f"<w:tc>{_paragraph(value, 'TableTotal', align=align)}</w:tc>")
        yield f"<w:tr><w:trPr><w:cantSplit/></w:trPr>{''.join(cells)}</w:tr>"
    yield "</w:tbl>"


# --- the body -----------------------------------------------------------------------------------


def _body(report: Report, sections: list[Section], pictures: list[bytes] | None = None) -> Iterator[str]:
    """The document's body; each chart's picture is drawn and added to `pictures` (written
    to the package after the body), and its counts follow it as text."""
    from django.utils.translation import gettext

    generated = formats.date_format(timezone.localtime(report.generated_at), "j F Y")
    yield _paragraph(gettext("Committee on WIPO Standards (CWS) · survey report"), "Subtitle")
    yield _paragraph(report.title, "Title")
    yield _paragraph(
        gettext("Figures from %(scope)s · generated %(date)s") % {"scope": report.scope_label, "date": generated}
    )
    yield _paragraph(report.summary, "Summary")
    for section in sections:
        yield _paragraph(section.running_head, "Heading1")
        for passage in section.passages:
            yield _paragraph(passage.heading, "Heading2")
            for paragraph in passage.paragraphs:
                yield _paragraph(paragraph)
        for table in section.tables:
            yield _paragraph(table.title, "Heading2")
            for note in table.notes:
                yield _paragraph(note, "Note")
            if not table.rows:
                yield _paragraph(gettext("No response counts in this report yet."), "Legend")
                continue
            yield from _table(table)
            if table.chart:
                bars = "; ".join(f"{b.label}: {b.count}" for b in table.chart.bars)
                if pictures is not None and table.chart.bars:
                    yield _chart_picture(table.chart, pictures)
                yield _paragraph(f"{table.chart.title} — {bars}", "Chart")
            if table.legend:
                yield _paragraph(table.legend, "Legend")
    yield (
        '<w:sectPr><w:headerReference w:type="default" r:id="rIdHeader"/>'
        '<w:footerReference w:type="default" r:id="rIdFooter"/>'
        f'<w:pgSz w:w="{PAGE_WIDTH}" w:h="{PAGE_HEIGHT}" w:orient="landscape"/>'
        f'<w:pgMar w:top="{MARGIN}" w:right="{MARGIN}" w:bottom="{MARGIN}" w:left="{MARGIN}" '
        'w:header="425" w:footer="425" w:gutter="0"/></w:sectPr>'
    )


EMU_PER_PIXEL = 9525 // 2  # the chart pictures are drawn at twice the size they are shown at


def _chart_picture(chart, pictures: list[bytes]) -> str:
    """A paragraph holding the chart's picture (inline, its title as the description)."""
    from surveys.reports.chart_images import bar_chart_png

    png, width, height = bar_chart_png(chart)
    pictures.append(png)
    n = len(pictures)
    cx, cy = width * EMU_PER_PIXEL, height * EMU_PER_PIXEL
    return (
        '<w:p><w:pPr><w:pStyle w:val="Chart"/><w:keepNext/></w:pPr><w:r><w:drawing>'
        f'<wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx}" cy="{cy}"/>'
        f'<wp:docPr id="{n}" name="Chart {n}" descr={quoteattr(_NOT_XML.sub("", chart.title))}/>'
        '<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>'
        f'<a:graphic><a:graphicData uri="{PICTURE}"><pic:pic><pic:nvPicPr><pic:cNvPr id="{n}" name="chart{n}.png"/>'
        f'<pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="rIdChart{n}"/><a:stretch><a:fillRect/>'
        f'</a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic>'
        "</wp:inline></w:drawing></w:r></w:p>"
    )


def _document_rels(pictures: list[bytes]) -> str:
    extra = "".join(
        f'<Relationship Id="rIdChart{n}" Type="{OFFICE_DOC}/image" Target="media/chart{n}.png"/>'
        for n in range(1, len(pictures) + 1)
    )
    return DOCUMENT_RELS.replace("</Relationships>", f"{extra}</Relationships>")


def _footer(report: Report) -> str:
    """The round's title, then "page N of M" with Word's page fields."""
    pieces = []
    for i, piece in enumerate(re.split(r"\{(page|pages)\}", report.page_counter)):
        if i % 2:
            field = "PAGE" if piece == "page" else "NUMPAGES"
            pieces.append(f'<w:fldSimple w:instr=" {field} "><w:r><w:t>1</w:t></w:r></w:fldSimple>')
        elif piece:
            pieces.append(f"<w:r>{_text(piece)}</w:r>")
    counter = f'<w:p><w:pPr><w:pStyle w:val="Footer"/><w:jc w:val="right"/></w:pPr>{"".join(pieces)}</w:p>'
    return _part("ftr", _paragraph(report.title, "Footer") + counter)


XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def _part(root: str, content: str) -> str:
    return f'{XML}<w:{root} xmlns:w="{W}" xmlns:r="{R}">{content}</w:{root}>'


# --- the package -----------------------------------------------------------------------------------

CONTENT_TYPES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Default Extension="png" ContentType="image/png"/>
<Override PartName="/word/document.xml" ContentType="{WML}.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="{WML}.styles+xml"/>
<Override PartName="/word/settings.xml" ContentType="{WML}.settings+xml"/>
<Override PartName="/word/header1.xml" ContentType="{WML}.header+xml"/>
<Override PartName="/word/footer1.xml" ContentType="{WML}.footer+xml"/>
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
</Types>"""

CORE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
PACKAGE_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="{PKG}">
<Relationship Id="rId1" Type="{OFFICE_DOC}/officeDocument" Target="word/document.xml"/>
<Relationship Id="rId2" Type="{CORE}" Target="docProps/core.xml"/>
</Relationships>"""

DOCUMENT_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="{PKG}">
<Relationship Id="rIdStyles" Type="{OFFICE_DOC}/styles" Target="styles.xml"/>
<Relationship Id="rIdSettings" Type="{OFFICE_DOC}/settings" Target="settings.xml"/>
<Relationship Id="rIdHeader" Type="{OFFICE_DOC}/header" Target="header1.xml"/>
<Relationship Id="rIdFooter" Type="{OFFICE_DOC}/footer" Target="footer1.xml"/>
</Relationships>"""

WORD = "http://schemas.microsoft.com/office/word"
SETTINGS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings xmlns:w="{W}"><w:defaultTabStop w:val="720"/><w:characterSpacingControl w:val="doNotCompress"/>
<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="{WORD}" w:val="15"/></w:compat>
</w:settings>"""


def _style(kind: str, style_id: str, name: str, ppr: str = "", rpr: str = "", extra: str = "") -> str:
    return (
        f'<w:style w:type="{kind}" w:styleId="{style_id}"><w:name w:val="{name}"/>{extra}'
        f"{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}{f'<w:rPr>{rpr}</w:rPr>' if rpr else ''}</w:style>"
    )


BORDER = 'w:val="single" w:sz="4" w:space="0" w:color="9AA5B1"'
BLUE = '<w:color w:val="0B4F8A"/>'
MUTED = '<w:color w:val="56606B"/>'
CELL = '<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
BASED = '<w:basedOn w:val="Normal"/><w:qFormat/>'
TABLE_TEXT = '<w:basedOn w:val="Normal"/>'

STYLES = _part(
    "styles",
    "<w:docDefaults><w:rPrDefault><w:rPr>"
    '<w:rFonts w:ascii="Calibri" w:hAnsi="Calibri" w:eastAsia="Calibri" w:cs="Arial"/>'
    '<w:color w:val="1B2631"/><w:sz w:val="18"/><w:szCs w:val="18"/><w:lang w:val="en-GB"/></w:rPr></w:rPrDefault>'
    '<w:pPrDefault><w:pPr><w:spacing w:after="80" w:line="259" w:lineRule="auto"/></w:pPr></w:pPrDefault>'
    "</w:docDefaults>"
    + _style("paragraph", "Normal", "Normal", extra="<w:qFormat/>").replace(
        '<w:style w:type="paragraph"', '<w:style w:type="paragraph" w:default="1"', 1
    )
    + _style("paragraph", "Title", "Title", '<w:spacing w:after="60"/>', f'<w:b/>{BLUE}<w:sz w:val="30"/>', BASED)
    + _style("paragraph", "Subtitle", "Subtitle", '<w:spacing w:after="0"/>', MUTED, BASED)
    + _style("paragraph", "Summary", "Summary", '<w:spacing w:after="240"/>', '<w:b/><w:sz w:val="20"/>', BASED)
    + _style(
        "paragraph",
        "Heading1",
        "heading 1",
        '<w:keepNext/><w:spacing w:before="360" w:after="120"/><w:outlineLvl w:val="0"/>',
        f'<w:b/><w:caps/>{BLUE}<w:sz w:val="24"/>',
        BASED,
    )
    + _style(
        "paragraph",
        "Heading2",
        "heading 2",
        '<w:keepNext/><w:spacing w:before="240" w:after="60"/><w:outlineLvl w:val="1"/>',
        '<w:b/><w:sz w:val="20"/>',
        BASED,
    )
    + _style("paragraph", "Note", "Report note", "<w:keepNext/>", "<w:b/>", BASED)
    + _style("paragraph", "Chart", "Report chart", "", f'{MUTED}<w:sz w:val="16"/>', BASED)
    + _style("paragraph", "Legend", "Report legend", "", f'<w:i/>{MUTED}<w:sz w:val="14"/>', BASED)
    + _style("paragraph", "TableText", "Report table text", CELL, '<w:sz w:val="15"/><w:szCs w:val="15"/>', TABLE_TEXT)
    + _style(
        "paragraph", "TableKey", "Report table key", CELL, '<w:b/><w:sz w:val="15"/><w:szCs w:val="15"/>', TABLE_TEXT
    )
    + _style(
        "paragraph",
        "TableHead",
        "Report table heading",
        CELL,
        '<w:b/><w:sz w:val="15"/><w:szCs w:val="15"/>',
        TABLE_TEXT,
    )
    + _style(
        "paragraph",
        "TableTotal",
        "Report table totals",
        CELL,
        '<w:b/><w:sz w:val="15"/><w:szCs w:val="15"/>',
        TABLE_TEXT,
    )
    + _style("paragraph", "Header", "header", "", f'{MUTED}<w:sz w:val="15"/>', BASED)
    + _style("paragraph", "Footer", "footer", '<w:spacing w:after="0"/>', f'{MUTED}<w:sz w:val="15"/>', BASED)
    + '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
    '<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>'
    '<w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>'
    "</w:tblCellMar></w:tblPr></w:style>"
    '<w:style w:type="table" w:styleId="ReportTable"><w:name w:val="Report table"/><w:basedOn w:val="TableNormal"/>'
    f"<w:tblPr><w:tblBorders><w:top {BORDER}/><w:left {BORDER}/><w:bottom {BORDER}/><w:right {BORDER}/>"
    f"<w:insideH {BORDER}/><w:insideV {BORDER}/></w:tblBorders>"
    '<w:tblCellMar><w:top w:w="20" w:type="dxa"/><w:left w:w="57" w:type="dxa"/><w:bottom w:w="20" w:type="dxa"/>'
    '<w:right w:w="57" w:type="dxa"/></w:tblCellMar></w:tblPr>'
    '<w:tblStylePr w:type="firstRow"><w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="E6EDF4"/>'
    '<w:vAlign w:val="bottom"/></w:tcPr></w:tblStylePr></w:style>',
)


def _core(report: Report) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(_NOT_XML.sub('', report.title))}</dc:title>"
        f"<dc:subject>{escape(report.handbook)}</dc:subject><dc:language>{escape(report.language)}</dc:language>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{report.generated_at.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}'
        "</dcterms:created>"
        "</cp:coreProperties>"
    )


def _write(archive: zipfile.ZipFile, name: str, pieces: Iterable[str]) -> None:
    """Streams a part into the package, a buffered piece at a time."""
    with archive.open(name, "w") as part, io.BufferedWriter(part, buffer_size=1 << 16) as out:
        for piece in pieces:
            out.write(piece.encode("utf-8"))


def paragraph(text: object, style: str = "", align: str = "") -> str:
    """One paragraph in one of the document's styles, for parts written before the report (a cover)."""
    return _paragraph(text, style, align=align)


def portrait_section_end() -> str:
    """Ends a portrait A4 section (a cover page) before the report's landscape pages."""
    return (
        f'<w:p><w:pPr><w:sectPr><w:pgSz w:w="{PAGE_HEIGHT}" w:h="{PAGE_WIDTH}"/>'
        f'<w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1418" '
        'w:header="425" w:footer="425" w:gutter="0"/><w:titlePg/></w:sectPr></w:pPr></w:p>'
    )


def render_docx(report: Report, sections: list[Section], front: Iterable[str] = (), header: str = "") -> bytes:
    """The report's sections; `front`: paragraphs before them (e.g. a cover part), `header`
    instead of the Handbook's name in the running header."""
    buffer = io.BytesIO()
    with translation.override(report.language), zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", PACKAGE_RELS)
        archive.writestr("docProps/core.xml", _core(report))
        archive.writestr("word/styles.xml", STYLES)
        archive.writestr("word/settings.xml", SETTINGS)
        archive.writestr("word/header1.xml", _part("hdr", _paragraph(header or report.handbook, "Header")))
        archive.writestr("word/footer1.xml", _footer(report))
        head = (
            f'{XML}<w:document xmlns:w="{W}" xmlns:r="{R}" xmlns:wp="{WP}" xmlns:a="{DRAWING}" '
            f'xmlns:pic="{PICTURE}"><w:body>'
        )
        pictures: list[bytes] = []
        body = chain([head], front, _body(report, sections, pictures), ["</w:body></w:document>"])
        _write(archive, "word/document.xml", body)
        for n, png in enumerate(pictures, start=1):
            archive.writestr(f"word/media/chart{n}.png", png)
        archive.writestr("word/_rels/document.xml.rels", _document_rels(pictures))
    return buffer.getvalue()


def document(report: Report, table_id: str | None) -> bytes:
    """The whole report, or the one table `table_id` under its section's heading."""
    return render_docx(report, sections_for(report, table_id))
