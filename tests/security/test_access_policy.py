"""The access markers (crm.common.policy) of every company-host view, discovered from
config.urls_tenant: the views a suspended company may still reach, those a read-only
company may still write to, and those open before 2FA are each a reviewed list, so a
view that gains a marker fails here until someone looks at it. Then every unmarked
view is requested while the company is suspended: each GET and POST is refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import resolve

from crm.common.policy import LOCKED, NO_IP, NO_MFA, READ_ONLY, match_markers
from tenants.models import CompanyStatus
from tests.billing_saas.conftest import company_set
from tests.security.urlmap import Endpoint, company_endpoints

ENDPOINTS = company_endpoints()

SIGN_IN = {
    "account_login",
    "account_logout",
    "account_confirm_login_code",
    "mfa_authenticate",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    "auth-handoff",
    "api-token",
}
# Reachable while suspended: signing in and out, language, health, billing, the locked page, exports.
REVIEWED_LOCKED = SIGN_IN | {
    "healthz",
    "set_language",
    "billing_saas:billing",
    "billing_saas:checkout",
    "billing_saas:portal",
    "billing_saas:owner_email_resend",
    "billing-locked",
    "contacts:customer_export",
    "crmsettings:activity_export",
    "dashboard:report_csv",
    "expenses:expense_export",
    "expenses:report_csv",
    "projects:project_export",
    "leads:lead_export",
    "payments:unpaid_csv",
    "payments:sales_report_csv",
    # the RODO download of a customer / contact person (crm/privacy/services.py)
    "privacy:customer_personal_data",
    "privacy:contact_personal_data",
    "privacy:lead_personal_data",
    # a company's own backup archive: its data is its own, also while locked (crm/backups)
    "backups:download",
}
# The customer's pages of an offer (/o/<token>/, no login): the answer is not staff work, so
# also while read-only; outside the IP list and 2FA, which guard staff (crm/offers/public.py).
REVIEWED_OFFER_PUBLIC = {"offers_public:page", "offers_public:pdf", "offers_public:accept", "offers_public:decline"}
# The same for the customer's page of a contract (/c/<token>/: read and sign; crm/contracts/public.py).
REVIEWED_OFFER_PUBLIC |= {"contracts_public:page", "contracts_public:sign"}
# The inbound e-mail endpoint (/inbound/email/, no login: the company's secret, CSRF-exempt,
# rate- and size-limited): the mail provider posts customers' e-mail, not staff work
# (crm/tickets/public.py).
REVIEWED_OFFER_PUBLIC |= {"tickets_inbound:email"}
# The company's own Stripe webhook (/payments/stripe/webhook/, no login: signed with the company's
# signing secret, CSRF-exempt) and the page the customer returns to from Stripe Checkout: a
# customer's payment is not staff work (crm/payments/views_public.py).
REVIEWED_OFFER_PUBLIC |= {"online_payments:webhook", "online_payments:return"}
# The web-to-lead form (/forms/<slug>/, no login: CSRF-exempt on purpose, honeypot, a limit
# per address and the form's Origin allowlist; it only adds a lead): crm/leads/public.py.
REVIEWED_OFFER_PUBLIC |= {"leads_public:form"}
# The public knowledge base (/kb/, no login, only reading): as the offer pages (crm/kb/public.py).
REVIEWED_KB_PUBLIC = {"kb_public:index", "kb_public:article"}
# The client portal (/portal/, its own login; crm/portal/auth.py): a contact person's answers,
# signatures and tickets are not staff work, so also while read-only; outside the staff IP
# list and 2FA (crm.common.token_pages.customer_page); refused while suspended.
REVIEWED_PORTAL = {
    "portal:home",
    "portal:login",
    "portal:logout",
    "portal:password_reset",
    "portal:password_set",
    "portal:profile",
    "portal:personal_data",
    "portal:logo",
    "portal:invoice_list",
    "portal:invoice_pdf",
    "portal:invoice_pay",
    "portal:offer_list",
    "portal:offer_detail",
    "portal:offer_pdf",
    "portal:offer_accept",
    "portal:offer_decline",
    "portal:contract_list",
    "portal:contract_detail",
    "portal:contract_sign",
    "portal:project_list",
    "portal:project_detail",
    "portal:ticket_list",
    "portal:ticket_create",
    "portal:ticket_detail",
    "portal:ticket_reply",
    "portal:ticket_close",
    "portal:ticket_attachment",
    "portal:kb_index",
    "portal:kb_article",
    # the 2FA step of the sign-in, the company's colour stylesheet, the contact's own 2FA,
    # a project's shared files and its discussion with staff
    "portal:login_code",
    "portal:brand_css",
    "portal:twofa_setup",
    "portal:twofa_disable",
    "portal:project_file",
    "portal:project_message",
    "portal:project_message_file",
    # the contact takes back their own discussion message (crm/portal/discussion.py)
    "portal:project_message_delete",
}
# Writable while read-only besides the above: a person's own account (password, e-mail, 2FA).
REVIEWED_OWN_ACCOUNT = {
    "account_inactive",
    "account_reauthenticate",
    "account_request_reauthentication_code",
    "account_confirm_reauthentication_code",
    "account_email",
    "account_email_verification_sent",
    "account_confirm_email",
    "account_change_password",
    "account_set_password",
    "mfa_index",
    "mfa_reauthenticate",
    "mfa_activate_totp",
    "mfa_deactivate_totp",
    "mfa_view_recovery_codes",
    "mfa_generate_recovery_codes",
    "mfa_download_recovery_codes",
}
# Open before 2FA (pages; the API applies the rule itself): sign-in, own account, profile, invitation.
REVIEWED_NO_MFA_PAGES = (
    (SIGN_IN - {"api-token"})
    | REVIEWED_OWN_ACCOUNT
    | {"healthz", "set_language", "profile:index", "profile:token_revoke", "accounts:invite_accept", "account_signup"}
    | REVIEWED_OFFER_PUBLIC
    | REVIEWED_KB_PUBLIC
    | REVIEWED_PORTAL
)


def _markers(endpoint: Endpoint) -> frozenset[str]:
    return match_markers(resolve(endpoint.urls()[0], urlconf="config.urls_tenant"))


def _names_with(marker: str) -> set[str]:
    return {e.name for e in ENDPOINTS if marker in _markers(e)}


def test_discovery_sees_every_kind_of_company_view():
    names = {e.name for e in ENDPOINTS}
    assert {"account_login", "set_language", "contacts:customer_export", "customer-list", "billing-locked"} <= names
    assert all(e.name for e in ENDPOINTS), "every company-host view needs a URL name (the policy table uses it)"


def test_views_reachable_while_suspended_are_exactly_the_reviewed_ones():
    assert _names_with(LOCKED) == REVIEWED_LOCKED


def test_views_writable_while_read_only_are_the_reviewed_ones():
    assert (
        _names_with(READ_ONLY)
        == REVIEWED_LOCKED | REVIEWED_OWN_ACCOUNT | REVIEWED_OFFER_PUBLIC | REVIEWED_KB_PUBLIC | REVIEWED_PORTAL
    )
    assert "accounts:invite_accept" not in _names_with(READ_ONLY)  # accepting adds a person


def test_pages_open_before_2fa_are_the_reviewed_ones_and_the_api_is_exempt_as_a_whole():
    pages = {e.name for e in ENDPOINTS if not e.template.startswith("/api/")}
    assert _names_with(NO_MFA) & pages == REVIEWED_NO_MFA_PAGES
    api = [e for e in ENDPOINTS if e.template.startswith("/api/")]
    assert api and all(NO_MFA in _markers(e) for e in api)


def test_only_health_and_the_customers_public_pages_are_answered_outside_the_allowed_ip_list():
    assert _names_with(NO_IP) == {"healthz"} | REVIEWED_OFFER_PUBLIC | REVIEWED_KB_PUBLIC | REVIEWED_PORTAL


@pytest.fixture
def suspended_szef(client_a: Any, szef: Any, company_a: Any) -> Any:
    company_set(company_a, status=CompanyStatus.SUSPENDED)
    client_a.raise_request_exception = False
    return client_a.login_as(szef)


def test_a_suspended_company_is_refused_on_every_unmarked_get_and_post(suspended_szef):
    problems = []
    for endpoint in ENDPOINTS:
        if LOCKED in _markers(endpoint):
            continue
        refused = 402 if endpoint.template.startswith("/api/") else 403
        for url in endpoint.urls():
            for method in ("get", "post"):
                status = getattr(suspended_szef, method)(url).status_code
                if status != refused:
                    problems.append(f"{method.upper()} {url} ({endpoint.name}): {status}, expected {refused}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "url",
    [
        "/dashboard/widgets/export/",  # a widget key
        "/dashboard/widgets/csv/",
        "/customers/?export=1",
        "/customers/7000001/?next=/customers/export/",
        "/api/v1/customers/?format=csv&export=1",
    ],
)
def test_a_path_or_query_with_export_in_it_is_not_an_export_while_suspended(suspended_szef, url):
    response = suspended_szef.get(url)
    assert response.status_code in (402, 403)
    if response.status_code == 403:
        assert "zawieszone" in response.content.decode()


def test_the_real_exports_still_work_while_suspended(suspended_szef):
    assert suspended_szef.get("/customers/export/").status_code == 200
    assert suspended_szef.get("/settings/activity/export.csv").status_code == 200
    assert suspended_szef.get("/reports/open-sales/csv/").status_code == 200


def test_read_only_refuses_accepting_an_invitation_but_not_changing_ones_password(client_a, szef, company_a):
    company_set(company_a, status=CompanyStatus.READ_ONLY)
    assert client_a.post("/accounts/invite/some-token/", {"password1": "x"}).status_code == 403
    client_a.login_as(szef)
    assert client_a.post("/accounts/password/change/", {"oldpassword": "wrong"}).status_code == 200
