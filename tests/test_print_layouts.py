"""Printed layouts: pages, large print, the tri-fold brochure, the booklet and pocket cards, read back from the
PDF: where each small page lands on the sheets, the type sizes, and the tags a screen reader follows."""

import datetime as dt
import re

import pytest

from meetings.models import Meeting, MeetingTime
from meetings.printing.impose import Slot, booklet, pocket, trifold
from tests.factories import make_location
from tests.pdf_pages import marked_content_references, panels, pdf_of, smallest_type, structure, text_of

LETTER_LANDSCAPE = (792, 612)


def add_meetings(area, count):
    """`count` meetings on Monday, "Meeting 01" first: their order on paper is their number."""
    hall = make_location(area, name="Hall")
    meetings = Meeting.objects.bulk_create(
        Meeting(name=f"Meeting {n:02d}", slug=f"m-{n}", area=area, location=hall, timezone="America/Phoenix")
        for n in range(1, count + 1)
    )
    MeetingTime.objects.bulk_create(
        MeetingTime(meeting=m, weekday=1, start_time=dt.time(6 + n // 6, (n % 6) * 10)) for n, m in enumerate(meetings)
    )


def numbers(text):
    return [int(n) for n in re.findall(r"Meeting (\d\d)", text)]


def size_of(page):
    return round(float(page.mediabox.width)), round(float(page.mediabox.height))


# Where small pages go: the plans on their own ----------------------------------------------------------


def test_a_booklet_of_8_pages_puts_page_1_beside_the_last_and_nests_the_rest():
    plan = booklet(8)
    sides = [[(slot.page, slot.column) for slot in side] for side in plan.sides]
    assert sides == [[(7, 0), (0, 1)], [(1, 0), (6, 1)], [(5, 0), (2, 1)], [(3, 0), (4, 1)]]


def test_a_booklet_is_padded_to_4_pages_with_blanks_before_its_back_cover():
    plan = booklet(6, back=5)  # cover, four pages of meetings, the codes
    assert [[(slot.page, slot.column) for slot in side] for side in plan.sides] == [
        [(5, 0), (0, 1)],  # the codes are the back cover, beside page 1
        [(1, 0)],  # page 7 is blank
        [(2, 1)],  # page 6 is blank
        [(3, 0), (4, 1)],
    ]


def test_a_trifold_sheet_is_flap_back_front_outside_and_three_panels_inside():
    plan = trifold(6, back=5)
    assert [[(slot.page, slot.column) for slot in side] for side in plan.sides] == [
        [(1, 0), (5, 1), (0, 2)],
        [(2, 0), (3, 1), (4, 2)],
    ]


def test_a_longer_trifold_continues_on_another_sheet_and_keeps_the_codes_on_the_last_back_cover():
    plan = trifold(9, back=8)
    outside, inside, outside_2, inside_2 = [[(s.page, s.column) for s in side] for side in plan.sides]
    assert outside == [(1, 0), (5, 1), (0, 2)] and inside == [(2, 0), (3, 1), (4, 2)]
    assert outside_2 == [(7, 0), (8, 1), (6, 2)] and inside_2 == []  # the second sheet's inside is blank


def test_pocket_cards_are_four_copies_of_each_card_and_only_one_is_read_aloud():
    plan = pocket(2)
    assert len(plan.sides) == 2
    for page, side in enumerate(plan.sides):
        assert {slot.page for slot in side} == {page}
        assert sorted((slot.column, slot.row) for slot in side) == [(0, 0), (0, 1), (1, 0), (1, 1)]
        assert [slot for slot in side if not slot.copy] == [Slot(page, 0, 0)]


# The PDFs --------------------------------------------------------------------------------------------------


def test_the_trifold_has_2_pages_of_3_panels_in_folding_order(client, arizona):
    add_meetings(arizona, 60)
    reader = pdf_of(client, "area=arizona&layout=trifold&title=Sunrise+aftercare")
    assert len(reader.pages) == 2
    assert [size_of(page) for page in reader.pages] == [LETTER_LANDSCAPE] * 2
    outside, inside = panels(reader.pages[0], 3), panels(reader.pages[1], 3)
    assert "Sunrise aftercare" in outside[(2, 0)]  # the front cover on the right
    assert "Codes" in outside[(1, 0)] and "Meeting" not in outside[(1, 0)]  # the back cover in the middle
    # The meetings read on from the flap (outside left) to the inside, left to right, each panel full.
    reading = [outside[(0, 0)], inside[(0, 0)], inside[(1, 0)], inside[(2, 0)]]
    found = [numbers(panel) for panel in reading]
    assert all(found), found
    assert [n for panel in found for n in panel] == list(range(1, 61))


def test_the_booklet_has_a_multiple_of_4_pages_and_page_1_beside_the_last(client, arizona):
    add_meetings(arizona, 60)
    reader = pdf_of(client, "area=arizona&layout=booklet&title=Sunrise+aftercare")
    sides = len(reader.pages)
    assert sides % 2 == 0  # two sides to a sheet, two pages to a side: 4 pages per sheet
    assert [size_of(page) for page in reader.pages] == [LETTER_LANDSCAPE] * sides
    first = panels(reader.pages[0], 2)
    assert "Sunrise aftercare" in first[(1, 0)]  # page 1, the cover, on the right
    assert "Codes" in first[(0, 0)]  # the last page, the back cover, on the left
    second = panels(reader.pages[1], 2)
    assert numbers(second[(0, 0)])[0] == 1  # page 2: the meetings begin
    assert second[(0, 0)].strip().endswith("2")  # its page number
    listed = []
    for side in range(sides):  # each sheet's page 2k and 2k+1 read in order of the page numbers printed
        for half in panels(reader.pages[side], 2).values():
            listed += numbers(half)
    assert sorted(listed) == list(range(1, 61))


def test_pocket_cards_come_four_to_a_sheet_in_type_no_smaller_than_7_points(client, arizona):
    add_meetings(arizona, 30)
    reader = pdf_of(client, "area=arizona&layout=pocket&title=Pocket+list")
    assert size_of(reader.pages[0]) == (612, 792)
    cards = panels(reader.pages[0], 2, 2)
    assert len(cards) == 4 and all("Pocket list" in card for card in cards.values())
    assert len({card.strip() for card in cards.values()}) == 1  # four copies of one card
    assert all(smallest_type(page) >= 7 for page in reader.pages)


def test_pocket_cards_on_a4_are_a6(client, arizona):
    add_meetings(arizona, 5)
    reader = pdf_of(client, "area=arizona&layout=pocket&paper=a4")
    assert size_of(reader.pages[0]) == (595, 842)


def test_large_print_is_14_points_or_more_everywhere(client, arizona):
    add_meetings(arizona, 40)
    reader = pdf_of(client, "area=arizona&layout=large")
    assert len(reader.pages) > 1
    assert all(smallest_type(page) >= 14 for page in reader.pages)
    assert f"Page {len(reader.pages)} of {len(reader.pages)}" in text_of(reader)


def test_the_ordinary_list_is_smaller_than_large_print(client, arizona):
    add_meetings(arizona, 40)
    reader = pdf_of(client, "area=arizona")
    assert smallest_type(reader.pages[0]) < 14


def test_columns_are_for_pages_only(client, arizona):
    add_meetings(arizona, 3)
    response = client.get("/print/?area=arizona&layout=booklet&columns=2&show=1")
    assert "columns=2" not in response.context["query"]  # one list, one address, one cached PDF
    assert 'class="layout-booklet paper-letter columns-1 kind-schedule"' in response.content.decode()


@pytest.mark.parametrize("layout", ["page", "large", "trifold", "booklet", "pocket"])
def test_every_layout_is_a_tagged_pdf_in_the_lists_language(client, arizona, layout):
    add_meetings(arizona, 30)
    reader = pdf_of(client, f"area=arizona&layout={layout}")
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert bool(root["/MarkInfo"]["/Marked"])
    tags = structure(reader)
    assert [tag for tag, _page in tags if tag == "/H1"] == ["/H1"]
    assert "/H2" in {tag for tag, _page in tags}
    assert "missing" not in {page for _tag, page in tags}  # every element on a page of this PDF
    references = marked_content_references(reader)
    assert references and "missing" not in {page for page, _form, _mcid in references}
    # On small pages placed on sheets the tags point into each small page (a form XObject) on its sheet.
    folded = layout in ("trifold", "booklet", "pocket")
    assert all((form is not None) == folded for _page, form, _mcid in references)


def test_the_qr_code_has_its_link_written_beside_it_and_a_text_alternative(client, arizona, settings):
    settings.SITE_URL = "https://meetings.example.org"
    add_meetings(arizona, 3)
    reader = pdf_of(client, "area=arizona&layout=trifold")
    cover = panels(reader.pages[0], 3)[(2, 0)].replace(" ", "")
    assert "Livelist:scanthecode,orvisitmeetings.example.org/meetings/?area=arizona" in cover
    figures = []
    stack = [reader.trailer["/Root"]["/StructTreeRoot"]]
    while stack:
        node = stack.pop().get_object()
        if node.get("/S") == "/Figure":
            figures.append(node)
        kids = node.get("/K", [])
        stack.extend(kid for kid in (kids if isinstance(kids, list) else [kids]) if not isinstance(kid, int))
    assert [str(figure["/Alt"]) for figure in figures] == [
        "QR code of the live list; its address is written beside it"
    ]


def test_a_folded_layout_keeps_its_bookmarks_on_its_sheets(client, arizona):
    add_meetings(arizona, 30)
    reader = pdf_of(client, "area=arizona&layout=booklet")
    outlines = [outline for outline in reader.outline if not isinstance(outline, list)]
    destinations = [reader.get_destination_page_number(outline) for outline in outlines]
    assert destinations and all(0 <= number < len(reader.pages) for number in destinations)
