"""Company data from the Polish public registers by NIP ("Pobierz dane z GUS" on the
customer and lead forms).

A pluggable client: `registry_client()` gives the configured one, or None (then the
forms hide the button). Two registers are implemented:

- GUS BIR1.1 (REGON, SOAP 1.2 over HTTP with a user key, `GUS_BIR_API_URL` +
  `GUS_BIR_API_KEY`): `Zaloguj` gives a session id sent as
  the `sid` HTTP header of `DaneSzukajPodmioty` (search by `Nip`), then
  `DanePobierzPelnyRaport` (the full report and the PKD report of the unit: phone,
  e-mail, WWW, legal form, start date, main PKD, REGON-14). A full report that fails
  leaves the basic data, with a `warning`;
- the VAT taxpayers' list of the Ministry of Finance ("Biała lista", REST, public, no
  key: `GET {VAT_WHITELIST_API_BASE}/api/search/nip/{nip}?date=YYYY-MM-DD`).

When both are configured GUS is asked first and the whitelist answers when GUS fails or
does not know the NIP. Tests point the addresses at local fake servers
(tests/support/fake_whitelist.py, tests/support/fake_gus.py); the clients never call the
internet unless an operator configures the real addresses.
"""

from __future__ import annotations

import contextlib
import html
import logging
import re
from dataclasses import asdict, dataclass, replace
from typing import Any, Protocol
from xml.sax.saxutils import escape

import httpx
from django.conf import settings
from django.utils import timezone
from lxml import etree

from crm.contacts.validators import nip_checksum_ok, nip_digits

logger = logging.getLogger(__name__)

TIMEOUT = 8.0
_ADDRESS = re.compile(r"^(?P<street>.*?),?\s*(?P<postal>\d{2}-\d{3})\s+(?P<city>.+)$")


class RegistryError(Exception):
    """The register did not answer usefully (down, refused, malformed answer)."""


@dataclass(frozen=True)
class CompanyData:
    name: str
    tax_id: str
    regon: str = ""
    street: str = ""
    postal_code: str = ""
    city: str = ""
    vat_status: str = ""
    # from the GUS full report (empty when not asked or not known)
    regon14: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    legal_form: str = ""
    start_date: str = ""  # RRRR-MM-DD
    pkd_code: str = ""  # the main (przeważające) activity
    pkd_name: str = ""
    warning: str = ""  # the full report failed: only the basic data is filled

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


class RegistryClient(Protocol):
    def lookup(self, nip: str) -> CompanyData | None:
        """The company with this NIP (10 digits), None when the register has none."""


def _address(text: str) -> tuple[str, str, str]:
    match = _ADDRESS.match(" ".join((text or "").split()))
    if match is None:
        return (text or "").strip(), "", ""
    return match["street"].strip().rstrip(","), match["postal"], match["city"].strip()


class WhiteListClient:
    """The VAT taxpayers' list (Biała lista) REST API."""

    def __init__(self, base_url: str, *, transport: httpx.BaseTransport | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.transport = transport

    def lookup(self, nip: str) -> CompanyData | None:
        day = timezone.localdate().isoformat()
        url = f"{self.base_url}/api/search/nip/{nip}"
        try:
            with httpx.Client(timeout=TIMEOUT, transport=self.transport) as client:
                response = client.get(url, params={"date": day}, headers={"Accept": "application/json"})
        except httpx.HTTPError as exc:
            raise RegistryError(str(exc)) from exc
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise RegistryError(f"HTTP {response.status_code}")
        try:
            body: Any = response.json()
            subject = (body.get("result") or {}).get("subject")
        except (ValueError, AttributeError) as exc:
            raise RegistryError("malformed answer") from exc
        if not subject:
            return None
        street, postal, city = _address(subject.get("workingAddress") or subject.get("residenceAddress") or "")
        return CompanyData(
            name=str(subject.get("name") or "").strip(),
            tax_id=str(subject.get("nip") or nip),
            regon=str(subject.get("regon") or ""),
            street=street,
            postal_code=postal,
            city=city,
            vat_status=str(subject.get("statusVat") or ""),
        )


BIR_NS = "http://CIS/BIR/PUBL/2014/07"
_SOAP_RESULT = re.compile(r"<(?:\w+:)?(?P<op>\w+)Result(?:\s[^>]*)?>(?P<body>.*?)</(?:\w+:)?(?P=op)Result>", re.S)
_SOAP_EMPTY_RESULT = re.compile(r"<(?:\w+:)?\w+Result(?:\s[^>]*)?/>")
_SOAP_FAULT = re.compile(r"<(?:\w+:)?Fault[\s>]")
_XML_PARSER = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False, huge_tree=False)


class GusBirClient:
    """GUS BIR1.1 (the REGON database, `UslugaBIRzewnPubl.svc`): SOAP 1.2 with WS-Addressing.

    `Zaloguj(pKluczUzytkownika)` answers a session id, sent as the `sid` HTTP header of the
    following calls; `DaneSzukajPodmioty(pParametryWyszukiwania/Nip)` answers an XML
    document (escaped inside the SOAP result) with one `dane` per unit, or an `ErrorCode`
    (4: nothing found). The real service wraps answers in MTOM (multipart/related): the
    result element is found by pattern, whatever wraps it. `Wyloguj` ends the session."""

    def __init__(self, url: str, key: str, *, timeout: float | None = None) -> None:
        self.url = url
        self.key = key
        self.timeout = timeout or TIMEOUT

    def _envelope(self, action: str, body: str) -> str:
        return (
            '<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"'
            f' xmlns:ns="{BIR_NS}" xmlns:dat="{BIR_NS}/DataContract">'
            '<soap:Header xmlns:wsa="http://www.w3.org/2005/08/addressing">'
            f"<wsa:To>{escape(self.url)}</wsa:To>"
            f"<wsa:Action>{BIR_NS}/IUslugaBIRzewnPubl/{action}</wsa:Action>"
            f"</soap:Header><soap:Body>{body}</soap:Body></soap:Envelope>"
        )

    def _call(self, client: httpx.Client, action: str, body: str, sid: str = "") -> str:
        headers = {
            "Content-Type": f'application/soap+xml; charset=utf-8; action="{BIR_NS}/IUslugaBIRzewnPubl/{action}"'
        }
        if sid:
            headers["sid"] = sid
        try:
            response = client.post(self.url, content=self._envelope(action, body).encode(), headers=headers)
        except httpx.HTTPError as exc:
            raise RegistryError(f"{action}: {exc.__class__.__name__}") from exc
        text = response.text
        if response.status_code != 200 or _SOAP_FAULT.search(text):
            raise RegistryError(f"{action}: HTTP {response.status_code}")
        match = _SOAP_RESULT.search(text)
        if match is None:
            if _SOAP_EMPTY_RESULT.search(text):
                return ""
            raise RegistryError(f"{action}: no result in the answer")
        return html.unescape(match["body"]).strip()

    def lookup(self, nip: str) -> CompanyData | None:
        with httpx.Client(timeout=self.timeout) as client:
            sid = self._call(
                client,
                "Zaloguj",
                f"<ns:Zaloguj><ns:pKluczUzytkownika>{escape(self.key)}</ns:pKluczUzytkownika></ns:Zaloguj>",
            )
            if not sid:
                raise RegistryError("Zaloguj: the user key was refused")
            try:
                found = self._call(
                    client,
                    "DaneSzukajPodmioty",
                    "<ns:DaneSzukajPodmioty><ns:pParametryWyszukiwania>"
                    f"<dat:Nip>{nip}</dat:Nip>"
                    "</ns:pParametryWyszukiwania></ns:DaneSzukajPodmioty>",
                    sid,
                )
                if not found:
                    # An empty answer: the session was not accepted (GetValue KomunikatKod 7).
                    raise RegistryError("DaneSzukajPodmioty: empty answer")
                company, unit = self._company(found, nip)
                if company is not None and unit is not None:
                    company = self._with_full_report(client, sid, company, unit)
            finally:
                with contextlib.suppress(RegistryError):  # the session ends by itself after an hour
                    self._call(
                        client,
                        "Wyloguj",
                        f"<ns:Wyloguj><ns:pIdentyfikatorSesji>{escape(sid)}</ns:pIdentyfikatorSesji></ns:Wyloguj>",
                        sid,
                    )
        return company

    def _report(self, client: httpx.Client, sid: str, regon: str, report: str) -> list[dict[str, str]]:
        """The `dane` rows of one full report ({field: text}); [] when GUS has none (ErrorCode 4)."""
        document = self._call(
            client,
            "DanePobierzPelnyRaport",
            f"<ns:DanePobierzPelnyRaport><ns:pRegon>{escape(regon)}</ns:pRegon>"
            f"<ns:pNazwaRaportu>{escape(report)}</ns:pNazwaRaportu></ns:DanePobierzPelnyRaport>",
            sid,
        )
        rows = [{child.tag: _text(child.text) for child in unit} for unit in _units(document, "DanePobierzPelnyRaport")]
        if rows and rows[0].get("ErrorCode"):
            if rows[0]["ErrorCode"] == "4":
                return []
            raise RegistryError(f"DanePobierzPelnyRaport {report}: error {rows[0]['ErrorCode']}")
        return rows

    def _with_full_report(self, client: httpx.Client, sid: str, company: CompanyData, unit: Any) -> CompanyData:
        """`company` completed from the unit's full report and PKD report; on failure the
        basic data stays, with a warning (the register is asked once more at most)."""
        kind, silo = _field(unit, "Typ"), _field(unit, "SilosID")
        if kind == "P":
            reports, prefix, pkd = ("BIR11OsPrawna", "BIR11OsPrawnaPkd"), "praw_", ("praw_pkd", "")
        elif kind == "F" and silo in FIZ_REPORTS:
            reports, prefix, pkd = (FIZ_REPORTS[silo], "BIR11OsFizycznaPkd"), "fiz_", ("fiz_pkd", "_")
        else:
            return company  # a local unit: the basic search says what there is
        if not company.regon:
            return company
        try:
            main = self._report(client, sid, company.regon, reports[0])
            activities = self._report(client, sid, company.regon, reports[1])
        except RegistryError as exc:
            logger.warning("GUS full report of %s failed: %s", company.regon, exc)
            return replace(company, warning=FULL_REPORT_FAILED)
        row = main[0] if main else {}

        def value(name: str) -> str:
            return row.get(prefix + name, "")

        start, sep = pkd
        chosen = next((a for a in activities if a.get(f"{start}{sep}Przewazajace") == "1"), None)
        regon14 = value("regon14")
        website = value("adresStronyinternetowej")
        if website and not re.match(r"^https?://", website, re.I):
            website = f"https://{website}"  # GUS writes "www.firma.pl"; the form wants an address
        return replace(
            company,
            regon14=regon14 if len(regon14) == 14 else "",
            phone=value("numerTelefonu"),
            email=value("adresEmail").lower(),
            website=website,
            legal_form=value("szczegolnaFormaPrawna_Nazwa") or value("podstawowaFormaPrawna_Nazwa"),
            start_date=value("dataRozpoczeciaDzialalnosci"),
            pkd_code=_pkd_code(chosen.get(f"{start}{sep}Kod", "")) if chosen else "",
            pkd_name=chosen.get(f"{start}{sep}Nazwa", "") if chosen else "",
        )

    @staticmethod
    def _company(document: str, nip: str) -> tuple[CompanyData | None, Any]:
        units = _units(document, "DaneSzukajPodmioty")
        if not units:
            raise RegistryError("DaneSzukajPodmioty: malformed answer")
        field = _field
        first = units[0]
        if field(first, "ErrorCode"):
            if field(first, "ErrorCode") == "4":
                return None, None
            raise RegistryError(f"DaneSzukajPodmioty: error {field(first, 'ErrorCode')}")
        # A NIP may have several units (local ones, ended ones): prefer the main one still active.
        active = [u for u in units if not field(u, "DataZakonczeniaDzialalnosci")] or units
        unit = next((u for u in active if field(u, "Typ") in ("P", "F")), active[0])
        number = field(unit, "NrNieruchomosci")
        if field(unit, "NrLokalu"):
            number = f"{number}/{field(unit, 'NrLokalu')}"
        street = " ".join(part for part in (field(unit, "Ulica") or field(unit, "Miejscowosc"), number) if part)
        company = CompanyData(
            name=field(unit, "Nazwa"),
            tax_id=field(unit, "Nip") or nip,
            regon=field(unit, "Regon"),
            street=street,
            postal_code=field(unit, "KodPocztowy"),
            city=field(unit, "MiejscowoscPoczty") or field(unit, "Miejscowosc"),
        )
        return company, unit


# The full report of a natural person's business, by the silo the search names.
FIZ_REPORTS = {
    "1": "BIR11OsFizycznaDzialalnoscCeidg",
    "2": "BIR11OsFizycznaDzialalnoscRolnicza",
    "3": "BIR11OsFizycznaDzialalnoscPozostala",
    "4": "BIR11OsFizycznaDzialalnoscSkreslonaDo20141108",
}
FULL_REPORT_FAILED = "full_report_failed"


def _text(value: str | None) -> str:
    return " ".join((value or "").split())


def _field(unit: Any, name: str) -> str:
    return _text(unit.findtext(name))


def _units(document: str, action: str) -> list[Any]:
    try:
        root = etree.fromstring(document.encode(), _XML_PARSER)
    except etree.XMLSyntaxError as exc:
        raise RegistryError(f"{action}: malformed answer") from exc
    return list(root.findall("dane"))


def _pkd_code(code: str) -> str:
    """ "6201Z" -> "62.01.Z" (as PKD codes are written); anything else as it came."""
    code = code.replace(".", "").strip().upper()
    if re.fullmatch(r"\d{4}[A-Z]", code):
        return f"{code[:2]}.{code[2:4]}.{code[4]}"
    return code


class ChainClient:
    """Asks the registers in order: the first that knows the NIP answers. A register that
    fails is skipped; the failure is reported only when no register answered at all."""

    def __init__(self, clients: list[RegistryClient]) -> None:
        self.clients = clients

    def lookup(self, nip: str) -> CompanyData | None:
        failure: RegistryError | None = None
        answered = False
        for client in self.clients:
            try:
                found = client.lookup(nip)
            except RegistryError as exc:
                logger.warning("register %s failed: %s", type(client).__name__, exc)
                failure = exc
                continue
            if found is not None:
                return found
            answered = True
        if failure is not None and not answered:
            raise failure
        return None


def registry_client() -> RegistryClient | None:
    """The configured register client (GUS first, then the whitelist), or None when
    neither is configured."""
    clients: list[RegistryClient] = []
    gus_url = getattr(settings, "GUS_BIR_API_URL", "") or ""
    gus_key = getattr(settings, "GUS_BIR_API_KEY", "") or ""
    if gus_url and gus_key:
        clients.append(GusBirClient(gus_url, gus_key))
    base = getattr(settings, "VAT_WHITELIST_API_BASE", "") or ""
    if base:
        clients.append(WhiteListClient(base))
    if not clients:
        return None
    return clients[0] if len(clients) == 1 else ChainClient(clients)


def registry_configured() -> bool:
    return registry_client() is not None


def registry_nip_clean(value: str) -> str | None:
    """The 10 digits of a Polish NIP with a right checksum, else None."""
    digits = nip_digits(value)
    return digits if nip_checksum_ok(digits) else None
