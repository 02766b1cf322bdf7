"""A page of search results and how many there are, in a fixed number of queries whatever the total."""

from django.core.paginator import Page, Paginator

COUNT_CAP = 500  # past this the page says "more than 500": nobody reads on, and counting them all costs


class CappedPaginator(Paginator):
    """A Paginator whose count stops at COUNT_CAP (`capped` says when it did)."""

    capped = False


def page_with_total(queryset, requested, size, rows):
    """A page of `queryset` and its count up to COUNT_CAP: three queries whatever the total.

    The page's ids (and the search's annotations, the distance say) come from
    a narrow query ordered and limited in the database, so it can walk an
    index in order and stop at the page's end; the count counts at most
    COUNT_CAP + 1 rows, so a broad search never sorts or counts every match;
    the rows are then read by id from `rows`, a queryset with all that a card
    shows (select_related, prefetches), without repeating the search.

    Returns a django.core.paginator.Page, so templates use it as usual. A page
    number past the end falls back to the last page, as Paginator.get_page does.
    """
    try:
        number = min(max(int(requested), 1), COUNT_CAP // size + 1)  # past any real end; keeps OFFSET small
    except (TypeError, ValueError):
        number = 1
    carried = list(queryset.query.annotations)  # set on the rows as if they came from the search itself
    narrow = queryset.values_list("pk", *carried)
    total = queryset.order_by().values("pk")[: COUNT_CAP + 1].count()
    paginator = CappedPaginator(queryset, size)
    paginator.count = min(total, COUNT_CAP)  # Paginator.count is a cached property: set it
    paginator.capped = total > COUNT_CAP
    number = min(number, paginator.num_pages)
    found = list(narrow[(number - 1) * size : number * size])
    by_pk = rows.in_bulk([pk for pk, *_ in found]) if found else {}
    page = []
    for pk, *values in found:
        if pk in by_pk:  # one may have gone between the two queries
            page.append(by_pk[pk])
            for name, value in zip(carried, values, strict=True):
                setattr(by_pk[pk], name, value)
    return Page(page, number, paginator)
