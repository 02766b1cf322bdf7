"""HA's own meeting types, mapped to Meeting Guide codes where one exists.

Not the 12 Step Meeting List plugin's "HA" list (a copy of NA's). Open/closed,
language, online/phone and "temporarily closed" are fields of a meeting, not
types. Custom codes are three letters or more so that they collide neither
with a Meeting Guide code nor with an ISO 639-1 language code.
"""

from django.db import migrations

# (code, name, description, category, Meeting Guide code, Spanish name)
HA_TYPES = [
    ("D", "Discussion", "Members share on a topic or a reading.", "format", "D", "Discusión"),
    ("SP", "Speaker", "A member tells their story of addiction and recovery.", "format", "SP", "Orador"),
    ("ST", "Step Study", "Reading and discussing one of the Twelve Steps.", "format", "ST", "Estudio de los Pasos"),
    ("TR", "Tradition Study", "Reading and discussing one of the Twelve Traditions.", "format", "TR", "Estudio de las Tradiciones"),
    ("LIT", "Literature Study", "Reading recovery literature together.", "format", "LIT", "Estudio de literatura"),
    ("B", "Big Book Study", "Reading the Big Book together.", "format", "B", "Estudio del Libro Grande"),
    ("JFT", "Just For Today", "Reading from a daily meditation book.", "format", "LIT", "Sólo por hoy"),
    ("BE", "Newcomer", "Focused on people new to recovery. First time? You are welcome here.", "format", "BE", "Recién llegados"),
    ("MED", "Meditation", "Includes a period of quiet meditation.", "format", "MED", "Meditación"),
    ("CAN", "Candlelight", "Held by candlelight.", "format", "CAN", "A la luz de las velas"),
    ("HNI", "Hospitals & Institutions", "Held inside a treatment centre, hospital or jail, usually for its residents only.", "format", "", "Hospitales e instituciones"),
    ("W", "Women", "For women only.", "audience", "W", "Mujeres"),
    ("M", "Men", "For men only.", "audience", "M", "Hombres"),
    ("Y", "Young People", "Focused on the needs of younger members.", "audience", "Y", "Jóvenes"),
    ("LGBTQ", "LGBTQ+", "A meeting for LGBTQ+ members and allies.", "audience", "LGBTQ", "LGBTQ+"),
    ("X", "Wheelchair Access", "Step-free entrance and meeting room.", "accessibility", "X", "Acceso en silla de ruedas"),
    ("XB", "Accessible Bathroom", "A wheelchair-accessible bathroom.", "accessibility", "XB", "Baño accesible"),
    ("ASL", "Sign Language", "American Sign Language interpretation.", "accessibility", "ASL", "Lengua de señas"),
    ("BA", "Child Care", "Child care is available during the meeting.", "accessibility", "BA", "Cuidado de niños"),
    ("FF", "Fragrance Free", "Please do not wear perfume or scented products.", "accessibility", "FF", "Sin fragancias"),
    ("POA", "Proof of Attendance", "The secretary can sign attendance slips (court, treatment).", "other", "POA", "Comprobante de asistencia"),
    ("OUT", "Outdoor", "Held outdoors, weather permitting.", "other", "OUT", "Al aire libre"),
    ("DB", "Digital Basket", "Seventh Tradition contributions can be made online.", "other", "DB", "Canasta digital"),
]


def seed(apps, schema_editor):
    MeetingType = apps.get_model("meetings", "MeetingType")
    for position, (code, name, description, category, mg_code, name_es) in enumerate(HA_TYPES):
        MeetingType.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "description": description,
                "category": category,
                "mg_code": mg_code,
                "position": position,
                "translations": {"es": {"name": name_es}},
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("meetings", "MeetingType").objects.filter(code__in=[t[0] for t in HA_TYPES]).delete()


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
