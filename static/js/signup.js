// Signup form: subdomain suggested from the company name, live availability
// check while typing, the password rule ticked as it is met, one submit only.
// The server checks everything again; without this script the form still works.
(function () {
  "use strict";
  const form = document.querySelector("form[data-signup-form]");
  if (!form) return;

  const nameInput = form.querySelector("[name=company_name]");
  const subInput = form.querySelector("[name=subdomain]");
  const passwordInput = form.querySelector("[name=password]");
  const live = form.querySelector("#subdomain-live");
  const offers = form.querySelector("#subdomain-suggestions");
  const offerList = offers ? offers.querySelector("[data-suggestion-list]") : null;
  const rule = form.querySelector(".password-rule");
  const submit = form.querySelector("[type=submit]");
  const msg = form.dataset;

  // The suggestion follows the company name until the person types an address themselves.
  let subTouched = subInput.value.trim() !== "";
  let sequence = 0;
  let timer = null;

  function show(text, ok) {
    live.textContent = text || "";
    live.classList.toggle("is-ok", ok === true);
    live.classList.toggle("is-bad", ok === false);
  }

  // Free alternatives to a taken address, each a button that puts it into the field.
  function offer(list) {
    if (!offers || !offerList) return;
    offerList.replaceChildren();
    (list || []).forEach((sub) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-sm btn-outline-primary me-1";
      button.dataset.suggestion = sub;
      button.textContent = sub;
      offerList.appendChild(button);
    });
    offers.classList.toggle("d-none", !(list && list.length));
  }

  if (offers) {
    offers.addEventListener("click", (event) => {
      const button = event.target.closest("[data-suggestion]");
      if (!button) return;
      subInput.value = button.dataset.suggestion;
      subTouched = true;
      const error = form.querySelector("#id_subdomain_error");
      if (error) error.remove();
      check();
    });
  }

  function later(fn, delay) {
    window.clearTimeout(timer);
    timer = window.setTimeout(fn, delay);
  }

  async function ask(url) {
    const mine = ++sequence;
    const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
    const data = await response.json();
    return mine === sequence ? data : null; // an answer to an older question is dropped
  }

  async function check() {
    const value = subInput.value.trim();
    if (!value) {
      sequence++;
      show("", null);
      offer([]);
      return;
    }
    show(msg.msgChecking, null);
    try {
      const query = "?subdomain=" + encodeURIComponent(value) + "&company_name=" + encodeURIComponent(nameInput.value.trim());
      const data = await ask(msg.checkUrl + query);
      if (data) {
        show(data.available ? msg.msgAvailable : data.reason, data.available);
        offer(data.suggestions);
      }
    } catch (err) {
      show(msg.msgOffline, null);
    }
  }

  async function suggest() {
    const name = nameInput.value.trim();
    if (!name || subTouched) return;
    try {
      const data = await ask(msg.suggestUrl + "?company_name=" + encodeURIComponent(name));
      if (!data || subTouched) return;
      subInput.value = data.subdomain;
      if (data.subdomain) show(data.available ? msg.msgAvailable : data.reason, data.available);
      else show("", null);
      offer([]);
    } catch (err) {
      show("", null);
    }
  }

  nameInput.addEventListener("input", () => {
    if (!subTouched) later(suggest, 300);
  });
  subInput.addEventListener("input", () => {
    subTouched = subInput.value.trim() !== "";
    later(check, 200);
  });

  function passwordRule() {
    if (!rule || !passwordInput) return;
    const ok = passwordInput.value.length >= Number(rule.dataset.minLength || 8);
    rule.classList.toggle("is-ok", ok);
    const icon = rule.querySelector(".bi");
    if (icon) icon.className = "bi " + (ok ? "bi-check-circle-fill" : "bi-circle");
  }
  passwordInput.addEventListener("input", passwordRule);
  passwordRule();

  const submitLabel = submit.textContent;
  form.addEventListener("submit", () => {
    submit.disabled = true;
    submit.textContent = msg.msgSubmitting;
  });
  // Back/forward cache: a page restored after submitting gets its button back.
  window.addEventListener("pageshow", () => {
    submit.disabled = false;
    submit.textContent = submitLabel;
  });

  if (subInput.value.trim() && !form.querySelector("#id_subdomain_error")) check();
})();
