"""python manage.py create_operator --email E --password P [--name N] [--totp-secret S]

Creates (or updates) an operator account of the service: a user in the public
schema with is_staff. The console also needs 2FA: set up TOTP on first sign-in at
/operator/, or pass --totp-secret (base32) to register an authenticator app now.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from tenants.db import connection
from tenants.urls_helpers import public_url


class Command(BaseCommand):
    help = "Create or update an operator account (public schema, is_staff) for the operator console."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--email", required=True)
        parser.add_argument("--password", required=True)
        parser.add_argument("--name", default="")
        parser.add_argument("--totp-secret", default="", help="base32 secret to register as the TOTP authenticator")

    def handle(self, *args: Any, **options: Any) -> None:
        from crm.accounts.models import Role, User

        email = options["email"].strip().lower()
        password = options["password"]
        secret = options["totp_secret"].strip().replace(" ", "").upper()
        try:
            validate_email(email)
        except ValidationError as exc:
            raise CommandError("Invalid e-mail address.") from exc
        try:
            password_validation.validate_password(password)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        if secret:
            try:
                base64.b32decode(secret, casefold=True)
            except (binascii.Error, ValueError) as exc:
                raise CommandError("--totp-secret must be base32.") from exc
        connection.set_schema_to_public()
        with transaction.atomic():
            user = User.objects.filter(email=email).first()
            created = user is None
            if user is None:
                user = User(email=email, role=Role.SZEF)
            user.name = options["name"] or user.name
            user.is_staff = True
            user.is_active = True
            user.set_password(password)
            user.save()
            if secret:
                Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
                TOTP.activate(user, secret)
        verb = "Created" if created else "Updated"
        self.stdout.write(self.style.SUCCESS(f"{verb} operator {email}."))
        self.stdout.write(f"Console: {public_url('/operator/')}")
        if not secret and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            self.stdout.write("2FA is required: set up an authenticator app (TOTP) after the first sign-in.")
