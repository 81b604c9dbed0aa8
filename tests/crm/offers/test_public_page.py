"""The customer's page of an offer, /o/<token>/ on the company host, without login:
viewing is recorded once, accepting (name, time, address) and declining (comment) once,
expired offers are refused, another host does not know the token, guessing is limited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_tenants.utils import schema_context

from crm.activity.models import ActivityEntry
from crm.notes.models import TimelineEvent
from crm.offers.answers import offers_expire
from crm.offers.models import Offer, OfferStatus
from tenants.models import CompanyStatus
from tests.billing_saas.conftest import company_set
from tests.crm.offers.factories import offer_make

CUSTOMER_IP = "203.0.113.7"


def _url(offer: Offer, suffix: str = "") -> str:
    return f"/o/{offer.public_token}/{suffix}"


def _reload(company, offer: Offer) -> Offer:
    with schema_context(company.schema_name):
        return Offer.objects.get(pk=offer.pk)


def test_the_first_visit_marks_the_offer_viewed_once_and_tells_the_owner(client_a, company_a, sent_offer):
    offer = sent_offer()
    mail.outbox.clear()

    first = client_a.get(_url(offer), REMOTE_ADDR=CUSTOMER_IP)
    second = client_a.get(_url(offer), REMOTE_ADDR=CUSTOMER_IP)

    assert first.status_code == second.status_code == 200
    page = first.content.decode()
    assert offer.number in page and "Wdrożenie systemu" in page and "1\xa0554,00 PLN" in page
    stored = _reload(company_a, offer)
    assert stored.status == OfferStatus.VIEWED and stored.viewed_at is not None
    with schema_context(company_a.schema_name):
        assert TimelineEvent.objects.filter(offer=offer, code="offer.viewed").count() == 1
        assert ActivityEntry.objects.filter(code="offer.viewed", object_id=str(offer.pk)).count() == 1
    assert [m.to for m in mail.outbox] == [["szef@alfa.test"]]
    assert "otworzył" in mail.outbox[0].subject


def test_the_page_is_kept_out_of_search_engines_and_caches(client_a, sent_offer):
    response = client_a.get(_url(sent_offer()))

    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()


def test_staff_opening_the_link_see_a_preview_that_does_not_count_and_cannot_answer(
    client_a, szef, company_a, sent_offer
):
    offer = sent_offer()
    client_a.login_as(szef)

    page = client_a.get(_url(offer))
    answer = client_a.post(_url(offer, "accept/"), {"name": "Jan Kowalski", "confirm": "on"})

    assert "Podgląd" in page.content.decode()
    assert answer.status_code == 403
    stored = _reload(company_a, offer)
    assert (stored.status, stored.viewed_at) == (OfferStatus.SENT, None)


def test_accepting_records_the_typed_name_the_time_and_the_address_once(client_a, company_a, sent_offer):
    offer = sent_offer()
    client_a.get(_url(offer), REMOTE_ADDR=CUSTOMER_IP)
    mail.outbox.clear()

    accepted = client_a.post(
        _url(offer, "accept/"), {"name": "  Jan   Kowalski ", "confirm": "on"}, REMOTE_ADDR=CUSTOMER_IP
    )
    again = client_a.post(_url(offer, "accept/"), {"name": "Ktoś Inny", "confirm": "on"}, REMOTE_ADDR=CUSTOMER_IP)
    declined_after = client_a.post(_url(offer, "decline/"), {"comment": "Jednak nie"}, REMOTE_ADDR=CUSTOMER_IP)

    assert accepted.status_code == 302
    stored = _reload(company_a, offer)
    assert stored.status == OfferStatus.ACCEPTED
    assert (stored.accepted_name, stored.answer_ip) == ("Jan Kowalski", CUSTOMER_IP)
    assert stored.answered_at is not None and abs(timezone.now() - stored.answered_at) < timedelta(minutes=1)
    assert again.status_code == 409 and declined_after.status_code == 409
    assert "została już zaakceptowana" in again.content.decode()
    assert _reload(company_a, offer).accepted_name == "Jan Kowalski"
    with schema_context(company_a.schema_name):
        event = TimelineEvent.objects.get(offer=offer, code="offer.accepted")
        assert event.customer_id == offer.customer_id
        assert "Jan Kowalski" in event.text and CUSTOMER_IP in event.text
        assert ActivityEntry.objects.get(code="offer.accepted").user_label == "Jan Kowalski"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["szef@alfa.test"]
    assert "zaakceptowana" in mail.outbox[0].subject and CUSTOMER_IP in mail.outbox[0].body


def test_accepting_needs_a_name_and_the_confirmation(client_a, company_a, sent_offer):
    offer = sent_offer()

    no_name = client_a.post(_url(offer, "accept/"), {"name": "", "confirm": "on"})
    no_tick = client_a.post(_url(offer, "accept/"), {"name": "Jan Kowalski"})
    digits = client_a.post(_url(offer, "accept/"), {"name": "123", "confirm": "on"})

    assert no_name.status_code == no_tick.status_code == digits.status_code == 400
    assert "imię i nazwisko" in digits.content.decode()
    assert _reload(company_a, offer).status in (OfferStatus.SENT, OfferStatus.VIEWED)


def test_declining_keeps_the_comment_and_tells_the_owner(client_a, company_a, sent_offer):
    offer = sent_offer()
    mail.outbox.clear()

    response = client_a.post(
        _url(offer, "decline/"), {"comment": "Za drogo, prosimy o rabat."}, REMOTE_ADDR=CUSTOMER_IP
    )
    again = client_a.post(_url(offer, "accept/"), {"name": "Jan Kowalski", "confirm": "on"})

    assert response.status_code == 302
    stored = _reload(company_a, offer)
    assert (stored.status, stored.decline_comment, stored.answer_ip) == (
        OfferStatus.DECLINED,
        "Za drogo, prosimy o rabat.",
        CUSTOMER_IP,
    )
    assert again.status_code == 409 and "została już odrzucona" in again.content.decode()
    with schema_context(company_a.schema_name):
        assert "Za drogo" in TimelineEvent.objects.get(offer=offer, code="offer.declined").text
    assert "Za drogo, prosimy o rabat." in mail.outbox[-1].body


def test_an_offer_past_its_validity_cannot_be_accepted_and_becomes_expired(client_a, company_a, sent_offer):
    offer = sent_offer()
    with schema_context(company_a.schema_name):
        Offer.objects.filter(pk=offer.pk).update(valid_until=timezone.localdate() - timedelta(days=1))

    page = client_a.get(_url(offer))
    response = client_a.post(_url(offer, "accept/"), {"name": "Jan Kowalski", "confirm": "on"})

    assert "nie można jej już zaakceptować" in page.content.decode()
    assert response.status_code == 409
    assert "wygasła" in response.content.decode()
    stored = _reload(company_a, offer)
    assert stored.status == OfferStatus.EXPIRED and stored.accepted_name == ""


def test_the_daily_job_marks_offers_past_their_validity_expired(company_a, sent_offer):
    old, current = sent_offer(), sent_offer()
    with schema_context(company_a.schema_name):
        Offer.objects.filter(pk=old.pk).update(valid_until=timezone.localdate() - timedelta(days=1))
        today = timezone.localdate()
        draft = offer_make(issue_date=today - timedelta(days=10), valid_until=today - timedelta(days=5))

        assert offers_expire() == 1
        assert offers_expire() == 0

        assert Offer.objects.get(pk=old.pk).status == OfferStatus.EXPIRED
        assert Offer.objects.get(pk=current.pk).status == OfferStatus.SENT
        assert Offer.objects.get(pk=draft.pk).status == OfferStatus.DRAFT
        assert TimelineEvent.objects.filter(offer=old, code="offer.expired").exists()


def test_the_expiry_job_runs_daily_for_every_company(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["offers-expire"]
    assert entry["task"] == "offers.offers_expire_fanout"


def test_another_companys_host_and_the_public_site_do_not_know_the_token(client_b, public_client, sent_offer):
    offer = sent_offer()

    assert client_b.get(_url(offer)).status_code == 404
    assert client_b.post(_url(offer, "accept/"), {"name": "Jan Kowalski", "confirm": "on"}).status_code == 404
    assert public_client.get(_url(offer)).status_code == 404


def test_a_draft_has_no_public_page(client_a, company_a):
    with schema_context(company_a.schema_name):
        draft = offer_make()

    assert client_a.get(_url(draft)).status_code == 404


def test_guessing_tokens_is_stopped_for_a_while_even_for_a_right_one(client_a, sent_offer, settings):
    settings.IMCRM_OFFER_PUBLIC_RATE_LIMITS = {"offer_public_miss": (3, 3600)}
    offer = sent_offer()

    misses = [client_a.get(f"/o/zgadywany-token-{n}/").status_code for n in range(3)]
    blocked = client_a.get(_url(offer))
    other_address = client_a.get(_url(offer), REMOTE_ADDR="198.51.100.20")

    assert misses == [404, 404, 404]
    assert blocked.status_code == 429 and blocked.has_header("Retry-After")
    assert other_address.status_code == 200


def test_a_read_only_company_still_takes_the_customers_answer(client_a, company_a, sent_offer, fresh_companies):
    offer = sent_offer()
    company_set(company_a, status=CompanyStatus.READ_ONLY)

    assert client_a.get(_url(offer)).status_code == 200
    response = client_a.post(_url(offer, "accept/"), {"name": "Jan Kowalski", "confirm": "on"})

    assert response.status_code == 302
    assert _reload(company_a, offer).status == OfferStatus.ACCEPTED


def test_a_suspended_company_shows_no_offer(client_a, company_a, sent_offer, fresh_companies):
    offer = sent_offer()
    company_set(company_a, status=CompanyStatus.SUSPENDED)

    assert client_a.get(_url(offer)).status_code == 403
    assert client_a.post(_url(offer, "accept/"), {"name": "Jan Kowalski", "confirm": "on"}).status_code == 403
    assert _reload(company_a, offer).status == OfferStatus.SENT


@pytest.mark.parametrize("language", ["pl", "en"])
def test_the_page_speaks_the_offers_language(language, client_a, sent_offer):
    offer = sent_offer(language=language)

    page = client_a.get(_url(offer)).content.decode()

    assert f'<html lang="{language}">' in page
    assert ("Akceptuję" if language == "pl" else "I accept") in page
