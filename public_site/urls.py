from __future__ import annotations

from django.urls import path

from public_site import owner_email, signin, signup, views

app_name = "public_site"
urlpatterns = [
    path("", views.landing, name="landing"),
    path("signup/", signup.signup, name="signup"),
    path("signup/check/", signup.signup_check, name="signup_check"),
    path("signup/suggest/", signup.signup_suggest, name="signup_suggest"),
    path("zaloguj/", signin.signin, name="signin"),
    path("zaloguj/przypomnij-adres/", signin.address_reminder, name="address_reminder"),
    path("zaloguj/przypomnij-adres/wyslane/", signin.address_reminder_sent, name="address_reminder_sent"),
    path("email/potwierdz/<str:token>/", owner_email.confirm, name="owner_email_confirm"),
    path("email/to-nie-ja/<str:token>/", owner_email.not_me, name="owner_email_not_me"),
    path("regulamin/", views.terms, name="terms"),
    path("prywatnosc/", views.privacy, name="privacy"),
    path("kontakt/", views.contact, name="contact"),
]
