"""Words stored as data that the interface shows, marked here so that they reach the
translation catalogues: the default sections (``sources`` migration 0002), which
templates translate with the ``section_name`` filter, and the kinds of topics and feed
states, translated with ``{% translate %}``."""

from django.utils.translation import gettext_noop

SECTION_NAMES = (
    gettext_noop("World"),
    gettext_noop("Politics"),
    gettext_noop("Business"),
    gettext_noop("Technology"),
    gettext_noop("Science"),
    gettext_noop("Health"),
    gettext_noop("Sport"),
    gettext_noop("Culture"),
    gettext_noop("Entertainment"),
    gettext_noop("Opinion"),
)
TOPIC_KINDS = (gettext_noop("person"), gettext_noop("organisation"), gettext_noop("place"))
FEED_STATES = (gettext_noop("active"), gettext_noop("failing"), gettext_noop("gone"))
