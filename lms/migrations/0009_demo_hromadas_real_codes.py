"""The demo hromadas of earlier versions take their codes in the codifier.

``lms/data/hromadas_demo.csv`` had real names with codes that only followed
the codifier's format. A database seeded with it keeps those rows (profiles,
enrolments and pilots point at them); here each takes its real code, so that
importing the codifier updates the row instead of adding a second hromada
and marking the first abolished. Two were renamed since: Сєвєродонецька
(now Сіверськодонецька) and Новопсковська (now Айдарська); the import
brings the new names. A row whose real code is already taken is left alone.
"""

from django.db import migrations

DEMO_CODES = {
    "UA44060070000026489": "UA44120030000094047",  # Кремінська
    "UA44060150000036714": "UA44120090000062828",  # Рубіжанська
    "UA44060110000056233": "UA44120110000010163",  # Сєвєродонецька
    "UA44140110000061257": "UA44140110000056578",  # Старобільська
    "UA44140090000071849": "UA44140090000072167",  # Новопсковська
    "UA32080150000081342": "UA32080150000035443",  # Ірпінська
    "UA46060250000082416": "UA46060250000025047",  # Львівська
    "UA05020030000025816": "UA05020030000031457",  # Вінницька
    "UA61040290000054617": "UA61040490000035010",  # Тернопільська
    "UA53080370000023562": "UA53080370000025447",  # Полтавська
    "UA18040470000069821": "UA18040250000068141",  # Коростишівська
    "UA07080170000043823": "UA07080170000013585",  # Луцька
}


def real_codes(apps, schema_editor):
    Hromada = apps.get_model("lms", "Hromada")
    taken = set(
        Hromada.objects.filter(code__in=DEMO_CODES.values()).values_list(
            "code", flat=True
        )
    )
    for demo, real in DEMO_CODES.items():
        if real not in taken:
            Hromada.objects.filter(code=demo).update(code=real)


class Migration(migrations.Migration):
    dependencies = [("lms", "0008_districts_and_codifier_editions")]

    operations = [migrations.RunPython(real_codes, migrations.RunPython.noop)]
