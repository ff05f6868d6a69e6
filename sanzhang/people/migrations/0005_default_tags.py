"""The special groups the county's rule book names, as the install's defaults (特殊人群)."""

from django.db import migrations

DEFAULT_TAGS = ("独居老人", "空巢老人", "低保", "残疾", "留守儿童", "退役军人", "特困供养")


def add(apps, schema_editor):  # type: ignore[no-untyped-def]
    Tag = apps.get_model("people", "Tag")
    for name in DEFAULT_TAGS:
        Tag.objects.get_or_create(place=None, name=name)


def remove(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("people", "Tag").objects.filter(place=None, name__in=DEFAULT_TAGS).delete()


class Migration(migrations.Migration):
    dependencies = [("people", "0004_household_register")]
    operations = [migrations.RunPython(add, remove)]
