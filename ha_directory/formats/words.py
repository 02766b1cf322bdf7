"""Words of Django's own date formats that our catalogue writes differently: it is read before Django's.

Spanish writes "7:00 p. m." (with a space, as the Real Academia and HA's members in the Americas do), where
Django's catalogue has "p.m.".
"""

from django.utils.translation import gettext_noop

DATE_WORDS = [gettext_noop("a.m."), gettext_noop("p.m.")]
