"""Words that libraries we use show but do not translate into Spanish themselves (django-simple-history and
django-axes have no Spanish catalogue; Django's lacks two of the language names the search offers). Marked here so that
`makemessages` keeps them in our catalogue, which Django reads before any library's; nothing imports this
module."""

from django.utils.translation import gettext_noop

SIMPLE_HISTORY = [
    gettext_noop("View history: %s"),
    gettext_noop("Change history: %s"),
    gettext_noop('The %(name)s "%(obj)s" was changed successfully.'),
    gettext_noop("You may edit it again below"),
    gettext_noop("View %s"),
    gettext_noop("Revert %s"),
    gettext_noop("Created"),
    gettext_noop("Changed"),
    gettext_noop("Deleted"),
    gettext_noop("Choose a date from the list below to revert to a previous version of this object."),
    gettext_noop("This object doesn't have a change history."),
    gettext_noop("View %(verbose_name)s"),
    gettext_noop("Revert %(verbose_name)s"),
    gettext_noop("Press the 'Revert' button below to revert to this version of the object."),
    gettext_noop("Press the 'Change History' button below to edit the history."),
    gettext_noop("Object"),
    gettext_noop("Date/time"),
    gettext_noop("Comment"),
    gettext_noop("Changed by"),
    gettext_noop("Change reason"),
    gettext_noop("Revert"),
    gettext_noop("Change History"),
]

# Django's LANG_INFO names that its Spanish catalogue lacks (meetings.models.choices.LANGUAGE_CHOICES).
LANGUAGE_NAMES = [gettext_noop("Norwegian"), gettext_noop("Norwegian Bokmal")]

# django-axes' lockout page (a volunteer who typed a wrong password too often).
AXES = [
    gettext_noop("Account locked: too many login attempts. Please try again later."),
    gettext_noop("Account locked: too many login attempts. Contact an admin to unlock your account."),
]
