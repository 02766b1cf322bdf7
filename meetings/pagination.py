"""A page of search results and how many there are, in a fixed number of queries whatever the total."""

from django.core.paginator import Page, Paginator

from meetings import kept_rows

COUNT_CAP = 500  # the API's (count_is_capped past it); results pages pass views.RESULTS_CAP. Counting all costs


class CappedPaginator(Paginator):
    """A Paginator whose count stops at a cap (`capped` says when it did)."""

    capped = False


def page_with_total(queryset, requested, size, rows, cap=None, read=kept_rows.in_bulk):
    """A page of `queryset` and its count up to `cap` (COUNT_CAP): two queries at most, whatever the total.

    One narrow query reads, in the search's order, the ids (and the search's
    annotations, the distance say) of the first `cap` + 1 matches: their
    number is the count, and any page is a slice of them (pages stop at the
    cap). The rows are then read by id from `rows`, a queryset with all
    that a card shows (select_related, prefetches), without repeating the
    search: from the cache where they are kept under the listings version
    (kept_rows.py), from the database for the others. `read(rows, ids)`
    gives {id: row}: the models (kept_rows.in_bulk), or what the cards need
    of them (card_dates.in_bulk).

    Counting and reading the page in two queries, as this did before, made the
    database find the matches twice. Measured at 100,000 meetings (the ids and
    the count, median of 9): near a ZIP 29 -> 15 ms on SQLite, 20 -> 11 ms on
    PostgreSQL; online meetings under way 88 -> 49 and 18 -> 14; near a city
    11 -> 10 and 17 -> 13; a broad text search the same on SQLite, but 7 -> 21
    ms on PostgreSQL, whose page query alone could stop after 25 dates on its
    (starts_at, ends_at) index. One code path, and the searches newcomers make
    most (near a place, under way now) faster on both.

    Returns a django.core.paginator.Page, so templates use it as usual. A page
    number past the end falls back to the last page, as Paginator.get_page does.
    """
    matched = matched_page(queryset, requested, size, cap)
    by_pk = read(rows, [pk for pk, _values in matched])
    page = []
    for pk, values in matched:
        if pk in by_pk:  # one may have gone between the two queries
            page.append(by_pk[pk])
            for name, value in values.items():
                setattr(by_pk[pk], name, value)
    return Page(page, matched.number, matched.paginator)


def matched_page(queryset, requested, size, cap=None):
    """The requested page of `queryset`'s first `cap` (COUNT_CAP) matches, as (pk, {annotation: value}), in one
    query: page_with_total's first step, for a caller that reads its rows its own way (the API, meetings/api.py)."""
    cap = cap or COUNT_CAP
    try:
        number = max(int(requested), 1)
    except (TypeError, ValueError):
        number = 1
    carried = list(queryset.query.annotation_select)  # set on the rows as if they came from the search itself
    matches = list(queryset.values_list("pk", *carried)[: cap + 1])
    paginator = CappedPaginator(queryset, size)
    paginator.count = min(len(matches), cap)  # Paginator.count is a cached property: set it
    paginator.capped = len(matches) > cap
    number = min(number, paginator.num_pages)
    found = matches[(number - 1) * size : number * size]
    return Page([(pk, dict(zip(carried, values, strict=True))) for pk, *values in found], number, paginator)
