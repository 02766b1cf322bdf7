"""Reading our PDFs back in tests (pypdf): text as laid out, where each small page sits on a sheet, type sizes,
and the tags a screen reader follows."""

import io
import re

from pypdf import PdfReader
from pypdf.generic import IndirectObject


def pdf_of(client, query, path="/print.pdf"):
    response = client.get(f"{path}?{query}" if query else path)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(response.content))


def text_of(reader):
    """The PDF's text line by line as laid out, with runs of spaces (and no-break spaces) as one space."""
    pages = (page.extract_text(extraction_mode="layout") for page in reader.pages)
    return "\n".join(re.sub(r"[ \u00a0]+", " ", text) for text in pages)


def placed_texts(page):
    """[(x, y, text)]: each piece of text with the offset of the small page it is drawn in (0, 0 when none)."""
    found, offset = [], [(0, 0)]

    def before(operator, operands, cm, tm):
        if operator == b"Do":  # a small page (form XObject) placed on the sheet
            offset[0] = (round(cm[4]), round(cm[5]))

    def visit(text, cm, tm, font, size):
        if text.strip():
            found.append((*offset[0], re.sub(r"[ \u00a0]+", " ", text.strip())))

    page.extract_text(visitor_operand_before=before, visitor_text=visit)
    return found


def panels(page, columns, rows=1):
    """{(column, row): text} of a sheet cut into equal small pages, rows counted from the top."""
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    found = {}
    for x, y, text in placed_texts(page):
        where = (int(x // (width / columns)), rows - 1 - int(y // (height / rows)))
        found[where] = found.get(where, "") + " " + text
    return found


def smallest_type(page):
    """The smallest type size on a page, in points."""
    sizes = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            sizes.append(abs(size * tm[3] * cm[3]))

    page.extract_text(visitor_text=visit)
    return round(min(sizes), 1)


def structure(reader):
    """[(tag, page number or None)] of every structure element, in reading order; [] for an untagged PDF."""
    root = reader.trailer["/Root"]
    if "/StructTreeRoot" not in root:
        return []
    numbers = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages)}
    found, stack = [], [root["/StructTreeRoot"]]
    while stack:
        node = stack.pop()
        node = node.get_object() if isinstance(node, IndirectObject) else node
        if not hasattr(node, "get"):
            continue
        if node.get("/Type") == "/StructElem":
            page = node.raw_get("/Pg") if "/Pg" in node else None
            found.append((node["/S"], numbers.get(page.idnum, "missing") if page is not None else None))
        kids = node.get("/K")
        kids = kids if isinstance(kids, list) else [kids] if kids is not None else []
        stack.extend(reversed([kid for kid in kids if not isinstance(kid, int)]))
    return found


def marked_content_references(reader):
    """[(page number, form XObject name or None, MCID)]: where the tags find each piece of content they name."""
    numbers = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages)}
    forms = {}
    for n, page in enumerate(reader.pages):
        for name, form in page["/Resources"].get("/XObject", {}).items():
            forms[form.idnum] = (n, name)
    found, stack, seen = [], [reader.trailer["/Root"]["/StructTreeRoot"]], set()
    while stack:
        node = stack.pop()
        if isinstance(node, IndirectObject):
            if node.idnum in seen:
                continue
            seen.add(node.idnum)
            node = node.get_object()
        if not hasattr(node, "get"):
            continue
        if node.get("/Type") == "/MCR":
            form = forms.get(node.raw_get("/Stm").idnum) if "/Stm" in node else None
            found.append((numbers.get(node.raw_get("/Pg").idnum, "missing"), form, node["/MCID"]))
        kids = node.get("/K")
        kids = kids if isinstance(kids, list) else [kids] if kids is not None else []
        for kid in kids:
            if isinstance(kid, int):  # content on the element's own page
                found.append((numbers.get(node.raw_get("/Pg").idnum, "missing"), None, kid))
            else:
                stack.append(kid)
    return found
