"""What search engines read: JSON-LD events, the sitemap and robots.txt."""

import json

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.http import HttpResponse
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from groups.models import Group, ServiceArea
from meetings.models import Meeting, Repeats

SCHEMA_DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]


def meeting_json_ld(meeting, rows):
    """A schema.org Event with a weekly eventSchedule per meeting time, as a safe <script> body."""
    url = f"{settings.SITE_URL}{meeting.get_absolute_url()}"
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": meeting.name,
        "url": url,
        "description": meeting.notes or f"Heroin Anonymous meeting ({meeting.get_access_display().lower()})",
        "isAccessibleForFree": True,
        "eventStatus": "https://schema.org/EventScheduled"
        if meeting.status == Meeting.Status.ACTIVE
        else "https://schema.org/EventPostponed",
        "eventAttendanceMode": {
            "in_person": "https://schema.org/OfflineEventAttendanceMode",
            "online": "https://schema.org/OnlineEventAttendanceMode",
            "phone": "https://schema.org/OnlineEventAttendanceMode",
            "hybrid": "https://schema.org/MixedEventAttendanceMode",
        }.get(meeting.attendance or "", "https://schema.org/OfflineEventAttendanceMode"),
        "organizer": {"@type": "Organization", "name": meeting.group.name if meeting.group else meeting.area.name},
        "eventSchedule": [schedule_of(row, meeting.timezone) for row in rows if row.rule.repeats != Repeats.ONCE],
    }
    coming = sorted(row.starts for row in rows if row.starts)
    if coming:
        data["startDate"] = coming[0].isoformat()
    places = []
    place = meeting.location.published if meeting.location else None
    if place and not place.approximate:
        places.append(
            {
                "@type": "Place",
                "name": place.name or place.address,
                "address": {
                    "@type": "PostalAddress",
                    "streetAddress": place.address,
                    "addressLocality": place.city,
                    "addressRegion": place.state,
                    "postalCode": place.postal_code,
                    "addressCountry": place.country,
                },
            }
        )
    if meeting.conference_url:
        places.append({"@type": "VirtualLocation", "url": url})  # our page, which carries the join link
    if places:
        data["location"] = places if len(places) > 1 else places[0]
    text = json.dumps(data, ensure_ascii=False)
    # Nothing in the data may close the <script> element it lives in.
    return mark_safe(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def schedule_of(row, zone_name):
    """A schema.org Schedule for a repeating time: weekly, every few weeks, or monthly on some weeks."""
    rule = row.rule
    found = {
        "@type": "Schedule",
        "repeatFrequency": f"P{rule.interval}W" if rule.repeats == Repeats.EVERY_N_WEEKS else "P1W",
        "byDay": f"https://schema.org/{SCHEMA_DAYS[rule.weekday]}",
        "startTime": rule.start.strftime("%H:%M"),
        "endTime": row.ends.strftime("%H:%M") if row.ends else None,
        "scheduleTimezone": zone_name,
    }
    if rule.repeats == Repeats.MONTHLY:
        found["repeatFrequency"] = "P1M"
        found["byMonthWeek"] = list(rule.weeks)
    if rule.first:
        found["startDate"] = rule.first.isoformat()
    if rule.last:
        found["endDate"] = rule.last.isoformat()
    return {key: value for key, value in found.items() if value is not None}


class Bilingual:
    """Every page in each language, with hreflang alternates (English is x-default)."""

    i18n = True
    alternates = True
    x_default = True


class MeetingSitemap(Bilingual, Sitemap):
    changefreq = "weekly"
    limit = 5000

    def items(self):
        return Meeting.objects.public().order_by("pk").only("slug", "updated_at")

    def lastmod(self, meeting):
        return meeting.updated_at


class GroupSitemap(Bilingual, Sitemap):
    changefreq = "monthly"

    def items(self):
        return Group.objects.order_by("pk").only("slug")


class AreaSitemap(Bilingual, Sitemap):
    changefreq = "weekly"

    def items(self):
        return ServiceArea.objects.order_by("pk").only("slug")


class PageSitemap(Bilingual, Sitemap):
    changefreq = "daily"

    def items(self):
        return ["meetings:home", "meetings:list", "meetings:print"]

    def location(self, name):
        return reverse(name)


SITEMAPS = {"meetings": MeetingSitemap, "groups": GroupSitemap, "areas": AreaSitemap, "pages": PageSitemap}


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        # Search results vary without end; the meeting pages are what to index.
        "Disallow: /meetings/?",
        "Disallow: /print",
        *[f"Disallow: /{code}/meetings/?" for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE],
        *[f"Disallow: /{code}/print" for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE],
        "Disallow: /admin/",
        "Disallow: /api/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
