// Settings pages (no inline scripts: the CSP forbids them).
(function () {
  "use strict";
  // Show the chosen colour's code next to each colour input (and keep it readable for screen readers).
  function describeColours(root) {
    root.querySelectorAll('input[type="color"]').forEach(function (input) {
      if (input.dataset.described) {
        return;
      }
      input.dataset.described = "1";
      var code = document.createElement("span");
      code.className = "colour-code small text-muted ms-2";
      code.setAttribute("aria-live", "polite");
      code.textContent = input.value;
      input.insertAdjacentElement("afterend", code);
      input.addEventListener("input", function () {
        code.textContent = input.value;
      });
    });
  }

  // Settings lists in their order: drag an entry (Sortable) and the new place is saved;
  // when the server refuses, the page reloads with the order it keeps.
  function sortableLists(root) {
    if (typeof window.Sortable === "undefined" || !window.imBoard) return;
    root.querySelectorAll("[data-sortable-list]").forEach(function (list) {
      if (list.dataset.sortable) return;
      list.dataset.sortable = "1";
      window.Sortable.create(list, {
        animation: 150,
        handle: list.dataset.sortableHandle || null, // rows holding inputs drag by their handle
        onUpdate: function (evt) {
          window.imBoard
            .post(evt.item.dataset.moveUrl, { position: String(evt.newIndex + 1), format: "json" })
            .then(function () {
              // rows that also carry a position field show their new place (a later "Zapisz" keeps it)
              list.querySelectorAll("[data-position-input]").forEach(function (input, index) {
                input.value = String(index + 1);
              });
              list.dispatchEvent(new CustomEvent("im:reordered", { bubbles: true }));
            })
            .catch(function () { window.location.reload(); });
        },
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    sortableLists(document);
    describeColours(document);
  });
  document.addEventListener("htmx:load", function (event) {
    if (event.target instanceof Element) describeColours(event.target);
  });
})();
