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

  document.addEventListener("DOMContentLoaded", function () {
    describeColours(document);
  });
  document.addEventListener("htmx:load", function (event) {
    if (event.target instanceof Element) describeColours(event.target);
  });
})();
