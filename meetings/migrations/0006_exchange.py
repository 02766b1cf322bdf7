"""What a lossless exchange with the Meeting Guide format needs, and feed sources kept in sync.

- open/closed and language may be unknown (empty): an import never invents them;
- codes outside HA's list, and a meeting's own Seventh Tradition handles, are kept;
- each weekly time has its own slug in our feed, given once (`feed_slug`): the
  first time of each meeting gets the meeting's slug and the n-th `<slug>--<n>`,
  the slugs the feed published until now, so nobody's favourites break; a slug
  past the schema's 64 characters is cut and numbered to stay unique;
- FeedSource, and the meeting's link to the source that keeps it in sync.
"""

import django.db.models.deletion
import meetings.schedule
import simple_history.models
from django.conf import settings
from django.db import migrations, models

BATCH = 2000


def fill_feed_slugs(apps, schema_editor):
    """Give every weekly time the slug the feed published for it, in batches of meetings."""
    from meetings.slugs import free_slug

    db = schema_editor.connection.alias
    Meeting = apps.get_model("meetings", "Meeting")
    MeetingTime = apps.get_model("meetings", "MeetingTime")
    taken = set(Meeting.objects.using(db).filter(times__isnull=True).values_list("slug", flat=True))
    last = 0
    while True:
        meetings = list(Meeting.objects.using(db).filter(pk__gt=last).order_by("pk").values_list("pk", "slug")[:BATCH])
        if not meetings:
            return
        slugs = dict(meetings)
        times = (
            MeetingTime.objects.using(db).filter(meeting_id__in=slugs).order_by("meeting_id", "weekday", "start_time")
        )
        changed, position, current = [], 0, None
        for slot in times.only("pk", "meeting_id"):
            position = position + 1 if slot.meeting_id == current else 1
            current = slot.meeting_id
            wanted = slugs[current] if position == 1 else f"{slugs[current]}--{position}"
            slot.feed_slug = free_slug(wanted, taken, 64, separator="--")
            changed.append(slot)
        MeetingTime.objects.using(db).bulk_update(changed, ["feed_slug"], batch_size=500)
        last = meetings[-1][0]


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0001_initial"),
        ("meetings", "0005_schedules"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="FeedSource",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "name",
                    models.CharField(
                        help_text="For example: District 3 website feed.", max_length=120, verbose_name="name"
                    ),
                ),
                (
                    "url",
                    models.URLField(
                        help_text="The feed's https:// address: a Meeting Guide JSON feed, a CSV, or a published Google Sheet.",
                        max_length=1000,
                        verbose_name="feed address",
                    ),
                ),
                (
                    "format",
                    models.CharField(
                        choices=[
                            ("auto", "Recognise it (JSON or CSV)"),
                            ("meeting-guide", "Meeting Guide JSON"),
                            ("csv", "CSV (Meeting Guide columns, or a published Google Sheet)"),
                        ],
                        default="auto",
                        max_length=16,
                        verbose_name="format",
                    ),
                ),
                (
                    "timezone",
                    models.CharField(
                        blank=True,
                        help_text="Empty: the area's time zone.",
                        max_length=64,
                        validators=[meetings.schedule.validate_timezone],
                        verbose_name="time zone for rows without one",
                    ),
                ),
                (
                    "wins",
                    models.CharField(
                        choices=[
                            (
                                "source",
                                "The source: a meeting edited here is overwritten by the next change in the source",
                            ),
                            ("here", "This directory: a meeting edited here is no longer updated from the source"),
                        ],
                        default="here",
                        max_length=8,
                        verbose_name="when a synced meeting was edited here",
                    ),
                ),
                ("enabled", models.BooleanField(default=True, verbose_name="sync it")),
                ("every_hours", models.PositiveSmallIntegerField(default=24, verbose_name="every (hours)")),
                (
                    "approved",
                    models.BooleanField(
                        default=False,
                        help_text="The first sync only previews what it would add. Read the preview below, then tick this: the next sync applies it.",
                        verbose_name="first sync approved",
                    ),
                ),
                (
                    "last_attempt_at",
                    models.DateTimeField(blank=True, editable=False, null=True, verbose_name="last attempt"),
                ),
                (
                    "last_success_at",
                    models.DateTimeField(blank=True, editable=False, null=True, verbose_name="last success"),
                ),
                ("last_error", models.TextField(blank=True, editable=False, verbose_name="last error")),
                ("last_report", models.TextField(blank=True, editable=False, verbose_name="last report")),
            ],
            options={
                "verbose_name": "feed source",
                "verbose_name_plural": "feed sources",
                "ordering": ["name"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalFeedSource",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "name",
                    models.CharField(
                        help_text="For example: District 3 website feed.", max_length=120, verbose_name="name"
                    ),
                ),
                (
                    "url",
                    models.URLField(
                        help_text="The feed's https:// address: a Meeting Guide JSON feed, a CSV, or a published Google Sheet.",
                        max_length=1000,
                        verbose_name="feed address",
                    ),
                ),
                (
                    "format",
                    models.CharField(
                        choices=[
                            ("auto", "Recognise it (JSON or CSV)"),
                            ("meeting-guide", "Meeting Guide JSON"),
                            ("csv", "CSV (Meeting Guide columns, or a published Google Sheet)"),
                        ],
                        default="auto",
                        max_length=16,
                        verbose_name="format",
                    ),
                ),
                (
                    "timezone",
                    models.CharField(
                        blank=True,
                        help_text="Empty: the area's time zone.",
                        max_length=64,
                        validators=[meetings.schedule.validate_timezone],
                        verbose_name="time zone for rows without one",
                    ),
                ),
                (
                    "wins",
                    models.CharField(
                        choices=[
                            (
                                "source",
                                "The source: a meeting edited here is overwritten by the next change in the source",
                            ),
                            ("here", "This directory: a meeting edited here is no longer updated from the source"),
                        ],
                        default="here",
                        max_length=8,
                        verbose_name="when a synced meeting was edited here",
                    ),
                ),
                ("enabled", models.BooleanField(default=True, verbose_name="sync it")),
                ("every_hours", models.PositiveSmallIntegerField(default=24, verbose_name="every (hours)")),
                (
                    "approved",
                    models.BooleanField(
                        default=False,
                        help_text="The first sync only previews what it would add. Read the preview below, then tick this: the next sync applies it.",
                        verbose_name="first sync approved",
                    ),
                ),
                (
                    "last_attempt_at",
                    models.DateTimeField(blank=True, editable=False, null=True, verbose_name="last attempt"),
                ),
                (
                    "last_success_at",
                    models.DateTimeField(blank=True, editable=False, null=True, verbose_name="last success"),
                ),
                ("last_error", models.TextField(blank=True, editable=False, verbose_name="last error")),
                ("last_report", models.TextField(blank=True, editable=False, verbose_name="last report")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
            ],
            options={
                "verbose_name": "historical feed source",
                "verbose_name_plural": "historical feed sources",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddField(
            model_name="historicalmeeting",
            name="cashapp",
            field=models.CharField(blank=True, max_length=60, verbose_name="Cash App"),
        ),
        migrations.AddField(
            model_name="historicalmeeting",
            name="other_types",
            field=models.JSONField(
                blank=True,
                default=list,
                editable=False,
                help_text="Codes an imported listing had that HA's list of types has not: published in feeds as they came.",
                verbose_name="other Meeting Guide codes",
            ),
        ),
        migrations.AddField(
            model_name="historicalmeeting",
            name="paypal",
            field=models.CharField(blank=True, max_length=60, verbose_name="PayPal"),
        ),
        migrations.AddField(
            model_name="historicalmeeting",
            name="source_fingerprint",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="historicalmeeting",
            name="venmo",
            field=models.CharField(
                blank=True,
                help_text="Seventh Tradition of this meeting, if not its group's.",
                max_length=60,
                verbose_name="Venmo",
            ),
        ),
        migrations.AddField(
            model_name="historicalmeetingtime",
            name="feed_slug",
            field=models.CharField(
                blank=True,
                editable=False,
                help_text="What apps key favourites on: given once, kept for life.",
                max_length=64,
                verbose_name="slug in our feed",
            ),
        ),
        migrations.AddField(
            model_name="historicalmeetingtime",
            name="source_slug",
            field=models.CharField(
                blank=True, editable=False, max_length=160, verbose_name="slug in the imported feed"
            ),
        ),
        migrations.AddField(
            model_name="meeting",
            name="cashapp",
            field=models.CharField(blank=True, max_length=60, verbose_name="Cash App"),
        ),
        migrations.AddField(
            model_name="meeting",
            name="other_types",
            field=models.JSONField(
                blank=True,
                default=list,
                editable=False,
                help_text="Codes an imported listing had that HA's list of types has not: published in feeds as they came.",
                verbose_name="other Meeting Guide codes",
            ),
        ),
        migrations.AddField(
            model_name="meeting",
            name="paypal",
            field=models.CharField(blank=True, max_length=60, verbose_name="PayPal"),
        ),
        migrations.AddField(
            model_name="meeting",
            name="source_fingerprint",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="meeting",
            name="venmo",
            field=models.CharField(
                blank=True,
                help_text="Seventh Tradition of this meeting, if not its group's.",
                max_length=60,
                verbose_name="Venmo",
            ),
        ),
        migrations.AddField(
            model_name="meetingtime",
            name="feed_slug",
            field=models.CharField(
                blank=True,
                editable=False,
                help_text="What apps key favourites on: given once, kept for life.",
                max_length=64,
                verbose_name="slug in our feed",
            ),
        ),
        migrations.AddField(
            model_name="meetingtime",
            name="source_slug",
            field=models.CharField(
                blank=True, editable=False, max_length=160, verbose_name="slug in the imported feed"
            ),
        ),
        migrations.AlterField(
            model_name="historicalmeeting",
            name="access",
            field=models.CharField(
                blank=True,
                choices=[("open", "Open"), ("closed", "Closed")],
                default="closed",
                help_text="Open: anyone may attend. Closed: only people with a desire to stop using. Empty: not known (an imported listing that did not say).",
                max_length=6,
                verbose_name="open or closed",
            ),
        ),
        migrations.AlterField(
            model_name="historicalmeeting",
            name="language",
            field=models.CharField(
                blank=True,
                choices=[
                    ("af", "Afrikaans"),
                    ("sq", "Albanian"),
                    ("ar", "Arabic"),
                    ("hy", "Armenian"),
                    ("az", "Azerbaijani"),
                    ("eu", "Basque"),
                    ("be", "Belarusian"),
                    ("bn", "Bengali"),
                    ("bs", "Bosnian"),
                    ("br", "Breton"),
                    ("bg", "Bulgarian"),
                    ("my", "Burmese"),
                    ("ca", "Catalan"),
                    ("hr", "Croatian"),
                    ("cs", "Czech"),
                    ("da", "Danish"),
                    ("nl", "Dutch"),
                    ("en", "English"),
                    ("eo", "Esperanto"),
                    ("et", "Estonian"),
                    ("fi", "Finnish"),
                    ("fr", "French"),
                    ("fy", "Frisian"),
                    ("gl", "Galician"),
                    ("ka", "Georgian"),
                    ("de", "German"),
                    ("el", "Greek"),
                    ("he", "Hebrew"),
                    ("hi", "Hindi"),
                    ("hu", "Hungarian"),
                    ("is", "Icelandic"),
                    ("io", "Ido"),
                    ("ig", "Igbo"),
                    ("id", "Indonesian"),
                    ("ia", "Interlingua"),
                    ("ga", "Irish"),
                    ("it", "Italian"),
                    ("ja", "Japanese"),
                    ("kn", "Kannada"),
                    ("kk", "Kazakh"),
                    ("km", "Khmer"),
                    ("ko", "Korean"),
                    ("ky", "Kyrgyz"),
                    ("lv", "Latvian"),
                    ("lt", "Lithuanian"),
                    ("lb", "Luxembourgish"),
                    ("mk", "Macedonian"),
                    ("ms", "Malay"),
                    ("ml", "Malayalam"),
                    ("mr", "Marathi"),
                    ("mn", "Mongolian"),
                    ("ne", "Nepali"),
                    ("no", "Norwegian"),
                    ("nb", "Norwegian Bokmal"),
                    ("nn", "Norwegian Nynorsk"),
                    ("os", "Ossetic"),
                    ("fa", "Persian"),
                    ("pl", "Polish"),
                    ("pt", "Portuguese"),
                    ("pa", "Punjabi"),
                    ("ro", "Romanian"),
                    ("ru", "Russian"),
                    ("gd", "Scottish Gaelic"),
                    ("sr", "Serbian"),
                    ("sk", "Slovak"),
                    ("sl", "Slovenian"),
                    ("es", "Spanish"),
                    ("sw", "Swahili"),
                    ("sv", "Swedish"),
                    ("tg", "Tajik"),
                    ("ta", "Tamil"),
                    ("tt", "Tatar"),
                    ("te", "Telugu"),
                    ("th", "Thai"),
                    ("tr", "Turkish"),
                    ("tk", "Turkmen"),
                    ("uk", "Ukrainian"),
                    ("ur", "Urdu"),
                    ("ug", "Uyghur"),
                    ("uz", "Uzbek"),
                    ("vi", "Vietnamese"),
                    ("cy", "Welsh"),
                ],
                default="en",
                help_text="Empty: not known (an imported listing that did not say).",
                max_length=2,
                verbose_name="language",
            ),
        ),
        migrations.AlterField(
            model_name="meeting",
            name="access",
            field=models.CharField(
                blank=True,
                choices=[("open", "Open"), ("closed", "Closed")],
                default="closed",
                help_text="Open: anyone may attend. Closed: only people with a desire to stop using. Empty: not known (an imported listing that did not say).",
                max_length=6,
                verbose_name="open or closed",
            ),
        ),
        migrations.AlterField(
            model_name="meeting",
            name="language",
            field=models.CharField(
                blank=True,
                choices=[
                    ("af", "Afrikaans"),
                    ("sq", "Albanian"),
                    ("ar", "Arabic"),
                    ("hy", "Armenian"),
                    ("az", "Azerbaijani"),
                    ("eu", "Basque"),
                    ("be", "Belarusian"),
                    ("bn", "Bengali"),
                    ("bs", "Bosnian"),
                    ("br", "Breton"),
                    ("bg", "Bulgarian"),
                    ("my", "Burmese"),
                    ("ca", "Catalan"),
                    ("hr", "Croatian"),
                    ("cs", "Czech"),
                    ("da", "Danish"),
                    ("nl", "Dutch"),
                    ("en", "English"),
                    ("eo", "Esperanto"),
                    ("et", "Estonian"),
                    ("fi", "Finnish"),
                    ("fr", "French"),
                    ("fy", "Frisian"),
                    ("gl", "Galician"),
                    ("ka", "Georgian"),
                    ("de", "German"),
                    ("el", "Greek"),
                    ("he", "Hebrew"),
                    ("hi", "Hindi"),
                    ("hu", "Hungarian"),
                    ("is", "Icelandic"),
                    ("io", "Ido"),
                    ("ig", "Igbo"),
                    ("id", "Indonesian"),
                    ("ia", "Interlingua"),
                    ("ga", "Irish"),
                    ("it", "Italian"),
                    ("ja", "Japanese"),
                    ("kn", "Kannada"),
                    ("kk", "Kazakh"),
                    ("km", "Khmer"),
                    ("ko", "Korean"),
                    ("ky", "Kyrgyz"),
                    ("lv", "Latvian"),
                    ("lt", "Lithuanian"),
                    ("lb", "Luxembourgish"),
                    ("mk", "Macedonian"),
                    ("ms", "Malay"),
                    ("ml", "Malayalam"),
                    ("mr", "Marathi"),
                    ("mn", "Mongolian"),
                    ("ne", "Nepali"),
                    ("no", "Norwegian"),
                    ("nb", "Norwegian Bokmal"),
                    ("nn", "Norwegian Nynorsk"),
                    ("os", "Ossetic"),
                    ("fa", "Persian"),
                    ("pl", "Polish"),
                    ("pt", "Portuguese"),
                    ("pa", "Punjabi"),
                    ("ro", "Romanian"),
                    ("ru", "Russian"),
                    ("gd", "Scottish Gaelic"),
                    ("sr", "Serbian"),
                    ("sk", "Slovak"),
                    ("sl", "Slovenian"),
                    ("es", "Spanish"),
                    ("sw", "Swahili"),
                    ("sv", "Swedish"),
                    ("tg", "Tajik"),
                    ("ta", "Tamil"),
                    ("tt", "Tatar"),
                    ("te", "Telugu"),
                    ("th", "Thai"),
                    ("tr", "Turkish"),
                    ("tk", "Turkmen"),
                    ("uk", "Ukrainian"),
                    ("ur", "Urdu"),
                    ("ug", "Uyghur"),
                    ("uz", "Uzbek"),
                    ("vi", "Vietnamese"),
                    ("cy", "Welsh"),
                ],
                default="en",
                help_text="Empty: not known (an imported listing that did not say).",
                max_length=2,
                verbose_name="language",
            ),
        ),
        migrations.AddField(
            model_name='historicalmeeting',
            name='group_notes',
            field=models.TextField(blank=True, editable=False, help_text="An imported listing's notes about its group when it names no group: published as they came.", verbose_name='group notes'),
        ),
        migrations.AddField(
            model_name='meeting',
            name='group_notes',
            field=models.TextField(blank=True, editable=False, help_text="An imported listing's notes about its group when it names no group: published as they came.", verbose_name='group notes'),
        ),
    
        migrations.RunPython(fill_feed_slugs, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="meetingtime",
            constraint=models.UniqueConstraint(
                condition=models.Q(("feed_slug", ""), _negated=True),
                fields=("feed_slug",),
                name="meetingtime_unique_feed_slug",
            ),
        ),
        migrations.AddField(
            model_name="feedsource",
            name="area",
            field=models.ForeignKey(
                help_text="Its meetings go into this area; the feed's regions become areas below it.",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="feed_sources",
                to="groups.servicearea",
                verbose_name="service area",
            ),
        ),
        migrations.AddField(
            model_name="historicalmeeting",
            name="source",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="meetings.feedsource",
                verbose_name="kept in sync with",
            ),
        ),
        migrations.AddField(
            model_name="meeting",
            name="source",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="meetings",
                to="meetings.feedsource",
                verbose_name="kept in sync with",
            ),
        ),
        migrations.AddField(
            model_name="historicalfeedsource",
            name="area",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                help_text="Its meetings go into this area; the feed's regions become areas below it.",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="groups.servicearea",
                verbose_name="service area",
            ),
        ),
        migrations.AddField(
            model_name="historicalfeedsource",
            name="history_user",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL
            ),
        ),
    ]
