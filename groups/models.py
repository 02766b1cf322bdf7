from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from groups.versions import VersionField
from meetings.schedule import validate_timezone

PRIVATE_CONTACT_HELP = _(
    "Private unless 'show contact publicly' is ticked. First names and last initials only, never full names."
)


class ServiceAreaQuerySet(models.QuerySet):
    def descendant_ids(self, roots):
        """Ids of `roots` (areas or ids) and every area below them.

        One query: the tree is small (hundreds of areas), so it is loaded as
        (id, parent) pairs and walked here rather than with a recursive CTE.
        """
        root_ids = {getattr(root, "pk", root) for root in roots}
        children = {}
        for pk, parent_id in ServiceArea.objects.values_list("pk", "parent_id"):
            children.setdefault(parent_id, []).append(pk)
        found, stack = set(), list(root_ids)
        while stack:
            pk = stack.pop()
            if pk in found:
                continue
            found.add(pk)
            stack.extend(children.get(pk, ()))
        return found


class ServiceArea(models.Model):
    class Clock(models.TextChoices):
        TWELVE_HOUR = "12", _("12-hour (1:00 PM)")
        TWENTY_FOUR_HOUR = "24", _("24-hour (13:00)")

    class Level(models.TextChoices):
        WORLD = "world", _("World service")
        REGION = "region", _("Region")
        AREA = "area", _("Area")
        DISTRICT = "district", _("District")

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("The larger area this one belongs to. Volunteers of that area can edit this one too."),
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.AREA)
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        default="America/New_York",
        validators=[validate_timezone],
        help_text=_("Used for new meetings in this area, e.g. America/Phoenix."),
    )
    clock = models.CharField(
        _("clock"),
        max_length=2,
        choices=Clock.choices,
        default=Clock.TWELVE_HOUR,
        help_text=_(
            "How the admin shows this area's meeting times: 1:00 PM (as in the US) or 13:00. "
            "Volunteers may type a time either way."
        ),
    )
    helpline_phone = models.CharField(_("helpline phone"), max_length=40, blank=True)
    helpline_email = models.EmailField(_("helpline email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    volunteers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("volunteers"),
        through="Membership",
        blank=True,
        related_name="service_areas",
    )
    version = VersionField()  # optimistic concurrency in the admin (groups/versions.py)

    objects = ServiceAreaQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("service area")
        verbose_name_plural = _("service areas")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("groups:area", args=[self.slug])

    @property
    def twelve_hour(self):
        return self.clock != self.Clock.TWENTY_FOUR_HOUR

    def ancestors(self):
        """This area's parents, nearest first (one query per level; trees are shallow)."""
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain


class GroupQuerySet(models.QuerySet):
    def in_area(self, area):
        return self.filter(area_id__in=ServiceArea.objects.descendant_ids([area]))


class Group(models.Model):
    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=150, unique=True)
    area = models.ForeignKey(
        ServiceArea, verbose_name=_("service area"), on_delete=models.PROTECT, related_name="groups"
    )
    notes = models.TextField(_("notes"), blank=True, help_text=_("Shown on the group's public page."))
    founded = models.DateField(_("founded"), null=True, blank=True)
    website = models.URLField(_("website"), blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True, help_text=PRIVATE_CONTACT_HELP)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True, help_text=PRIVATE_CONTACT_HELP)
    contact_public = models.BooleanField(
        _("show contact publicly"),
        default=False,
        help_text=_("Tick only if the group agreed to publish this email and phone."),
    )
    confirmation_emails = models.BooleanField(
        _("“still meeting?” emails"),
        default=True,
        help_text=_("Ask the contact email now and then to confirm the listings. Off when the group asked to stop."),
    )
    venmo = models.CharField(_("Venmo"), max_length=60, blank=True, help_text=_("Seventh Tradition, e.g. @HAGroupName"))
    cashapp = models.CharField(
        _("Cash App"), max_length=60, blank=True, help_text=_("Seventh Tradition, e.g. $HAGroupName")
    )
    paypal = models.CharField(_("PayPal"), max_length=60, blank=True, help_text=_("Seventh Tradition PayPal.me name"))
    version = VersionField()

    objects = GroupQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("group")
        verbose_name_plural = _("groups")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("groups:group", args=[self.slug])


class MembershipQuerySet(models.QuerySet):
    def area_ids_for(self, user, role=None):
        """Ids of the areas `user` may work on (with `role` if given): their areas and all below."""
        memberships = self.filter(user=user)
        if role:
            memberships = memberships.filter(role=role)
        return ServiceArea.objects.descendant_ids(memberships.values_list("area_id", flat=True))


class Membership(models.Model):
    """A volunteer's place in a service area. Rights flow down the area tree."""

    class Role(models.TextChoices):
        VOLUNTEER = "volunteer", _("Volunteer: keeps the area's listings")
        AREA_ADMIN = "area_admin", _("Area admin: also manages the area's volunteers")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    area = models.ForeignKey(ServiceArea, verbose_name=_("service area"), on_delete=models.CASCADE)
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.VOLUNTEER)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("area membership")
        verbose_name_plural = _("area memberships")
        constraints = [models.UniqueConstraint(fields=["user", "area"], name="membership_unique_user_area")]

    def __str__(self):
        return f"{self.user} · {self.area} ({self.get_role_display()})"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        if not self.user.is_staff:
            # Membership is what grants admin access; no separate switch to forget.
            self.user.is_staff = True
            self.user.save(update_fields=["is_staff"])
