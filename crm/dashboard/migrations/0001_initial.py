import django.contrib.postgres.fields
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HomepageLayout',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(choices=[('szef', 'Szef'), ('kierownik', 'Kierownik'), ('pracownik', 'Pracownik')], max_length=20, unique=True, verbose_name='ranga')),
                ('widgets', django.contrib.postgres.fields.ArrayField(base_field=models.CharField(max_length=40), blank=True, default=list, size=None, verbose_name='elementy')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='zmieniono')),
                ('updated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'układ strony głównej',
                'verbose_name_plural': 'układy strony głównej',
                'ordering': ('role',),
            },
        ),
    ]
