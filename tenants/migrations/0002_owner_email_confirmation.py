from django.db import migrations, models
from django.utils import timezone


def paying_companies_count_as_confirmed(apps, schema_editor):
    """Companies that already pay proved who they are to Stripe; the others are asked
    to confirm (the banner in the CRM sends the link)."""
    Company = apps.get_model("tenants", "Company")
    Company.objects.filter(status__in=["active", "past_due"]).update(owner_email_confirmed_at=timezone.now())


class Migration(migrations.Migration):
    dependencies = [
        ("tenants", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="company",
            name="owner_email_confirmed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="e-mail właściciela potwierdzony"),
        ),
        migrations.AddField(
            model_name="company",
            name="owner_reported_not_me_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="zgłoszona jako „to nie ja”"),
        ),
        migrations.RunPython(paying_companies_count_as_confirmed, migrations.RunPython.noop),
    ]
