"""Spanish for the volunteers' admin and the type descriptions: the editor fields get names a catalogue can
translate, and HA's seeded meeting types their descriptions in Spanish beside their names (a type a volunteer
renamed or described in Spanish already is left alone)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# code: Spanish description (the names came with 0002_seed_meeting_types).
DESCRIPTIONS_ES = {
    "D": "Los miembros comparten sobre un tema o una lectura.",
    "SP": "Un miembro cuenta su historia de adicción y recuperación.",
    "ST": "Se lee y se comenta uno de los Doce Pasos.",
    "TR": "Se lee y se comenta una de las Doce Tradiciones.",
    "LIT": "Se lee juntos literatura de recuperación.",
    "B": "Se lee juntos el Libro Grande.",
    "JFT": "Se lee de un libro de meditaciones diarias.",
    "BE": "Pensada para quienes empiezan en la recuperación. ¿Es su primera vez? Aquí es bienvenido.",
    "MED": "Incluye un rato de meditación en silencio.",
    "CAN": "A la luz de las velas.",
    "HNI": "Se celebra dentro de un centro de tratamiento, un hospital o una cárcel, normalmente solo para sus "
    "residentes.",
    "W": "Solo para mujeres.",
    "M": "Solo para hombres.",
    "Y": "Pensada para las necesidades de los miembros más jóvenes.",
    "LGBTQ": "Una reunión para miembros LGBTQ+ y sus aliados.",
    "X": "Entrada y sala de reunión sin escalones.",
    "XB": "Un baño accesible en silla de ruedas.",
    "ASL": "Interpretación en lengua de señas americana (ASL).",
    "BA": "Hay cuidado de niños durante la reunión.",
    "FF": "Por favor, no use perfume ni productos con fragancia.",
    "POA": "El secretario puede firmar comprobantes de asistencia (juzgado, tratamiento).",
    "OUT": "Al aire libre, si el tiempo lo permite.",
    "DB": "Las contribuciones de la Séptima Tradición se pueden hacer en línea.",
}


def describe_in_spanish(apps, schema_editor):
    MeetingType = apps.get_model("meetings", "MeetingType")
    for kind in MeetingType.objects.filter(code__in=DESCRIPTIONS_ES):
        spanish = dict(kind.translations.get("es") or {})
        if spanish.get("description"):
            continue
        spanish["description"] = DESCRIPTIONS_ES[kind.code]
        kind.translations = {**kind.translations, "es": spanish}
        kind.save(update_fields=["translations"])


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0008_print_profiles"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicalmeeting",
            name="created_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="created by",
            ),
        ),
        migrations.AlterField(
            model_name="historicalmeeting",
            name="updated_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="updated by",
            ),
        ),
        migrations.AlterField(
            model_name="meeting",
            name="created_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="created by",
            ),
        ),
        migrations.AlterField(
            model_name="meeting",
            name="updated_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="updated by",
            ),
        ),
        migrations.RunPython(describe_in_spanish, migrations.RunPython.noop),
    ]
