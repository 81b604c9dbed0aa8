"""Default plans (PLN, net). Prices and limits can be changed later in the Django
admin; Stripe price ids are filled per Stripe account (README: Billing)."""

from decimal import Decimal

from django.db import migrations

PLANS = [
    # code, name, monthly, yearly, seats, customers, trial default, order
    ("start", "Start", "49.00", "490.00", 3, 1000, False, 10),
    ("biznes", "Biznes", "99.00", "990.00", 10, 10000, True, 20),
    ("firma", "Firma", "199.00", "1990.00", 50, None, False, 30),
]


def seed(apps, schema_editor):
    if schema_editor.connection.schema_name != "public":
        return
    Plan = apps.get_model("billing_saas", "Plan")
    for code, name, monthly, yearly, seats, customers, trial_default, order in PLANS:
        Plan.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "price_monthly": Decimal(monthly),
                "price_yearly": Decimal(yearly),
                "seat_limit": seats,
                "customer_limit": customers,
                "is_trial_default": trial_default,
                "sort_order": order,
            },
        )


def unseed(apps, schema_editor):
    if schema_editor.connection.schema_name != "public":
        return
    apps.get_model("billing_saas", "Plan").objects.filter(code__in=[p[0] for p in PLANS]).delete()


class Migration(migrations.Migration):
    dependencies = [("billing_saas", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
