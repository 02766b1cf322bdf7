"""A page of search results and the total, in two queries whatever the total."""

from django.core.paginator import Page, Paginator
from django.db.models import Count, Window


def page_with_total(queryset, requested, size, rows):
    """A page of `queryset` and the total count, in two queries whatever the total.

    The first is narrow: the page's ids, the total (COUNT(*) OVER ()) and the
    search's annotations (the distance, say), from the ids and sort keys
    alone. The second reads those rows by id from `rows`, a queryset with all
    that a card shows (select_related, prefetches), without repeating the
    search. A window over whole rows made the database carry every matching
    row's columns through the sort: a broad text search took twice as long.
    Worth it for searches; not for a whole large area, where the window makes
    the database sort every row.

    Returns a django.core.paginator.Page, so templates use it as usual. A page
    number past the end falls back to the last page, as Paginator.get_page does.
    """
    try:
        number = min(max(int(requested), 1), 100_000)  # past any real end; keeps OFFSET in range
    except (TypeError, ValueError):
        number = 1
    carried = list(queryset.query.annotations)  # set on the rows as if they came from the search itself
    counted = queryset.annotate(total_rows=Window(Count("pk"))).values_list("pk", "total_rows", *carried)
    found = list(counted[(number - 1) * size : number * size])
    if not found and number > 1:
        total = queryset.count()
        number = max(1, -(-total // size))
        found = list(counted[(number - 1) * size : number * size])
    by_pk = rows.in_bulk([pk for pk, *_ in found]) if found else {}
    page = []
    for pk, _total, *values in found:
        if pk in by_pk:  # one may have gone between the two queries
            page.append(by_pk[pk])
            for name, value in zip(carried, values, strict=True):
                setattr(by_pk[pk], name, value)
    paginator = Paginator(queryset, size)
    paginator.count = found[0][1] if found else 0  # Paginator.count is a cached property: set it
    return Page(page, number, paginator)
