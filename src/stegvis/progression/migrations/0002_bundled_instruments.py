"""Every database gets the bundled instruments (later changes to the files load as new
versions with ``stegvis load_instruments``)."""

from django.db import migrations


def load_bundled(apps, schema_editor):
    from stegvis.progression import bundled

    models = {
        name: apps.get_model("progression", name)
        for name in ("Instrument", "InstrumentVersion", "Item", "ItemText")
    }
    for path in bundled.bundled_files():
        bundled.load(bundled.read(path), models=models, note=path.name)


class Migration(migrations.Migration):
    dependencies = [("progression", "0001_instruments_assessments")]

    operations = [migrations.RunPython(load_bundled, migrations.RunPython.noop)]
