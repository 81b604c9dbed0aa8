// "Pobierz dane z GUS" (crm/contacts/templatetags/contacts_tags.py registry_button): reads
// the NIP field, asks the company's register through the CRM (JSON) and fills the form's
// fields named in data-registry-fill ("key:inputId,...", "key:inputId?" only when the input
// is empty); the answer or the error is read out in the status line next to the button,
// with what the form has no field for (REGON, legal form, PKD...) listed under it.
(function () {
  "use strict";

  function fill(button, company) {
    (button.getAttribute("data-registry-fill") || "").split(",").forEach(function (pair) {
      var parts = pair.split(":");
      var onlyEmpty = /\?$/.test(parts[1] || "");
      var input = document.getElementById((parts[1] || "").replace(/\?$/, ""));
      if (input && company[parts[0]] && !(onlyEmpty && input.value)) {
        input.value = company[parts[0]];
        input.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-registry-url]");
    if (!button) return;
    var nipInput = document.getElementById(button.getAttribute("data-registry-nip"));
    var status = button.parentElement.querySelector("[data-registry-status]");
    var url = button.getAttribute("data-registry-url") + "?nip=" + encodeURIComponent(nipInput ? nipInput.value : "");
    button.disabled = true;
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (data.ok) {
          fill(button, data.company);
          if (status) {
            status.textContent = data.company.name + (data.company.warning ? " — " + data.company.warning : "");
            var list = document.createElement("ul");
            list.className = "list-unstyled mb-0 text-muted";
            (data.details || []).forEach(function (row) {
              var item = document.createElement("li");
              item.textContent = row[0] + ": " + row[1];
              list.appendChild(item);
            });
            if (list.children.length) status.appendChild(list);
          }
        } else if (status) {
          status.textContent = data.error || "";
        }
      })
      .catch(function () { if (status) status.textContent = "—"; })
      .then(function () { button.disabled = false; });
  });
})();
