"""Folded layouts: where each small page of a list goes on the printed sheets, and the PDF that puts it there.

WeasyPrint lays a folded list out as its small pages in reading order (tri-fold
panels, booklet pages, pocket cards). A plan says where each goes on which side
of which sheet; `Imposition`, a WeasyPrint finisher, then rewrites the PDF
before it is written: each small page becomes a form XObject drawn on its
sheet, and the tags follow it (each marked-content reference points at its
sheet and its XObject), so the folded PDF stays tagged and reads in order.

Plans are pure functions of the page count, tested on their own:
- booklet: pages padded to a multiple of 4 with blank pages before the back
  cover, two to a side of a landscape sheet, first sheet [last | 1], [2 | last-1]...
- tri-fold: six panels per landscape sheet, outside [flap | back | front], inside [3 | 4 | 5] in reading order.
- pocket cards: four copies of each card on a portrait sheet (cut apart), card
  backs on the back; the copies are drawn as artifacts so a screen reader reads one.
"""

import math
from dataclasses import dataclass

import pydyf


@dataclass(frozen=True)
class Slot:
    page: int  # index of the small page in the laid-out document
    column: int  # from the left of the sheet
    row: int  # from the top of the sheet
    copy: bool = False  # another copy of a page already placed: not read aloud


@dataclass(frozen=True)
class Plan:
    columns: int  # small pages across a sheet
    rows: int  # and down
    sides: tuple  # of tuples of Slots, one per side of a sheet, in printing order


def reading_order(pages, back, multiple):
    """Page indexes in reading order, padded with None (blank pages) to a multiple; the back page stays last."""
    keep_back = back is not None and 0 < back == pages - 1
    order = list(range(pages - 1 if keep_back else pages))
    count = max(multiple, math.ceil(pages / multiple) * multiple)
    order += [None] * (count - pages)
    return order + [back] if keep_back else order


def booklet(pages, back=None):
    """A saddle-stitched booklet: two pages to a side of a landscape sheet, sheets nested, folded and stapled.

    Blank pages pad it to a multiple of 4 before the back page (`back`: the
    codes), which stays the back cover. Sheet 1 is [last | 1] then [2 | last-1].
    """
    order = reading_order(pages, back, 4)
    count = len(order)
    sides = []
    for sheet in range(count // 4):
        front = ((count - 1 - 2 * sheet, 0), (2 * sheet, 1))
        reverse = ((2 * sheet + 1, 0), (count - 2 - 2 * sheet, 1))
        for side in (front, reverse):
            sides.append(tuple(Slot(order[at], column, 0) for at, column in side if order[at] is not None))
    return Plan(columns=2, rows=1, sides=tuple(sides))


def trifold(pages, back=None):
    """Tri-fold sheets of six panels in reading order: 1 front cover, 2 flap, 3-5 inside, 6 back cover.

    Outside of each sheet, left to right: panels 2, 6, 1; inside: 3, 4, 5
    (folded letter-style, printed on both sides flipping on the short edge).
    A longer list continues on more sheets folded the same way; the back
    page (the codes) stays the last sheet's back cover.
    """
    order = reading_order(pages, back, 6)
    sides = []
    for sheet in range(len(order) // 6):
        panel = order[sheet * 6 : sheet * 6 + 6]
        outside = ((panel[1], 0), (panel[5], 1), (panel[0], 2))
        inside = ((panel[2], 0), (panel[3], 1), (panel[4], 2))
        for side in (outside, inside):
            sides.append(tuple(Slot(page, column, 0) for page, column in side if page is not None))
    return Plan(columns=3, rows=1, sides=tuple(sides))


def pocket(pages, back=None):
    """Four copies of each card to a sheet, two across and two down; the card's back on the sheet's back."""
    sides = []
    for page in range(pages):
        sides.append(
            tuple(Slot(page, column, row, copy=(row, column) != (0, 0)) for row in range(2) for column in range(2))
        )
    return Plan(columns=2, rows=2, sides=tuple(sides))


PLANS = {"booklet": booklet, "trifold": trifold, "pocket": pocket}


class Imposition:
    """A WeasyPrint finisher placing the small pages of a laid-out document on sheets, as `plan` says.

    Works on the pydyf objects WeasyPrint is about to write: page content
    streams become form XObjects, new sheet pages draw them, and every
    structure element, link and bookmark that named a small page names its
    sheet (with the XObject for marked content) instead.
    """

    def __init__(self, plan):
        self.plan = plan

    def __call__(self, document, pdf):
        pages = [pdf.objects[number] for number in pdf.pages["Kids"][::3]]
        width, height = box_size(pages[0]["MediaBox"])
        forms = [self.form_of(pdf, page) for page in pages]
        moved = {}  # small page reference -> (sheet reference, form reference, x, y)
        sheets = []
        for side in self.plan.sides:
            sheet, placed = self.sheet(pdf, side, forms, width, height)
            sheets.append(sheet)
            for slot, (x, y) in placed:
                if not slot.copy:
                    moved[pages[slot.page].reference] = (sheet.reference, forms[slot.page].reference, x, y)
                    self.move_annotations(pdf, pages[slot.page], sheet, x, y)
        pdf.pages["Kids"] = pydyf.Array([part for sheet in sheets for part in (sheet.number, 0, "R")])
        pdf.pages["Count"] = len(sheets)
        self.retarget(pdf, moved)
        for page in pages:  # no longer in the page tree: left as empty objects
            page.clear()

    @staticmethod
    def form_of(pdf, page):
        """The page's content stream, made a form XObject that keeps the page's tags (StructParents)."""
        stream = pdf.objects[int(page["Contents"].split()[0])]
        stream.extra.update(
            {"Type": "/XObject", "Subtype": "/Form", "BBox": page["MediaBox"], "Resources": page["Resources"]}
        )
        if "StructParents" in page:
            stream.extra["StructParents"] = page["StructParents"]
        return stream

    def sheet(self, pdf, side, forms, width, height):
        content = pydyf.Stream(compress=True)
        xobjects = pydyf.Dictionary()
        placed = []
        for slot in side:
            x, y = slot.column * width, (self.plan.rows - 1 - slot.row) * height
            name = f"Page{slot.page}"
            xobjects[name] = forms[slot.page].reference
            if slot.copy:
                content.begin_marked_content("Artifact")
            content.push_state()
            content.set_matrix(1, 0, 0, 1, x, y)
            content.draw_x_object(name)
            content.pop_state()
            if slot.copy:
                content.end_marked_content()
            placed.append((slot, (x, y)))
        pdf.add_object(content)
        sheet = pydyf.Dictionary(
            {
                "Type": "/Page",
                "Parent": pdf.pages.reference,
                "MediaBox": pydyf.Array([0, 0, width * self.plan.columns, height * self.plan.rows]),
                "Contents": content.reference,
                "Resources": pydyf.Dictionary({"XObject": xobjects}),
                "Tabs": "/S",
            }
        )
        pdf.add_object(sheet)
        return sheet, placed

    @staticmethod
    def move_annotations(pdf, page, sheet, x, y):
        for reference in page.get("Annots", ()):
            annotation = pdf.objects[int(reference.split()[0])]
            left, bottom, right, top = annotation["Rect"]
            annotation["Rect"] = pydyf.Array([left + x, bottom + y, right + x, top + y])
            sheet.setdefault("Annots", pydyf.Array()).append(reference)

    @staticmethod
    def retarget(pdf, moved):
        """Structure elements, object references, bookmarks and named destinations: from small pages to sheets."""
        for item in pdf.objects:
            if not isinstance(item, dict):
                continue
            kind = item.get("Type")
            if kind == "/StructElem" and item.get("Pg") in moved:
                sheet, form, _x, _y = moved[item["Pg"]]
                item["Pg"] = sheet
                item["K"] = pydyf.Array(
                    [
                        pydyf.Dictionary({"Type": "/MCR", "Pg": sheet, "Stm": form, "MCID": kid})
                        if isinstance(kid, int)
                        else kid
                        for kid in item["K"]
                    ]
                )
            elif kind == "/OBJR" and item.get("Pg") in moved:
                item["Pg"] = moved[item["Pg"]][0]
            if "Dest" in item:
                item["Dest"] = moved_destination(item["Dest"], moved)
        names = pdf.catalog.get("Names", {}).get("Dests", {}).get("Names")
        if names:
            names[1::2] = [moved_destination(destination, moved) for destination in names[1::2]]


def moved_destination(destination, moved):
    """[page, /XYZ, left, top, zoom] on a small page, as the same point on its sheet."""
    if not destination or destination[0] not in moved:
        return destination
    sheet, _form, x, y = moved[destination[0]]
    found = pydyf.Array([sheet, *destination[1:]])
    if len(found) >= 4 and found[1] == "/XYZ":
        found[2] += x
        found[3] += y
    return found


def box_size(box):
    left, bottom, right, top = (float(value) for value in box)
    return right - left, top - bottom
