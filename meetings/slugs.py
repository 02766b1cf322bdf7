"""Free slugs: a wanted slug, or the same with a number, that no other row has, within a length."""

# What a name without a single Latin letter becomes before its number: slugify() keeps only ASCII.
NO_LATIN = "meeting"


def free_slug(wanted, taken, max_length, separator="-"):
    """`wanted` cut to `max_length`, or `<wanted><separator><n>` from 2 on, whichever is first not in `taken`.

    `taken` is a set (or anything with `in`); the slug returned is added to it when it is a set, so
    one set serves a whole batch of new rows.
    """
    base = wanted[:max_length].strip("-") or NO_LATIN
    slug, n = base, 2
    while slug in taken:
        suffix = f"{separator}{n}"
        slug, n = base[: max_length - len(suffix)].rstrip("-") + suffix, n + 1
    if isinstance(taken, set):
        taken.add(slug)
    return slug


def feed_slug_for(meeting):
    """A new weekly time's slug in our feed: the meeting's slug if free, else `<slug>--<n>`.

    Our own slugs never hold `--` (slugify collapses dashes), so these never take another
    meeting's slug. A removed weekly time's slug is never given again (it is in the history):
    someone's favourite may still point at it. Three queries: the feed slugs, past and present,
    and the meetings' slugs that start the same way.
    """
    from meetings.models import Meeting, MeetingTime
    from meetings.models.listings import FEED_SLUG_LENGTH

    base = meeting.slug[:FEED_SLUG_LENGTH]
    prefix = base[: FEED_SLUG_LENGTH - 4]
    taken = set(MeetingTime.objects.filter(feed_slug__startswith=prefix).values_list("feed_slug", flat=True))
    taken |= set(MeetingTime.history.filter(feed_slug__startswith=prefix).values_list("feed_slug", flat=True))
    taken |= set(Meeting.objects.filter(slug__startswith=prefix).exclude(pk=meeting.pk).values_list("slug", flat=True))
    return free_slug(base, taken, FEED_SLUG_LENGTH, separator="--")
