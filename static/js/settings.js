// Settings pages (no inline scripts: the CSP forbids them).
(function () {
  "use strict";
  var HEX = /^#[0-9a-fA-F]{6}$/;

  // Colour chips: <span class="dot" data-color="#aabbcc"> gets its background from JS.
  function paint(root) {
    root.querySelectorAll("[data-color]").forEach(function (el) {
      var value = el.getAttribute("data-color");
      if (HEX.test(value)) {
        el.style.backgroundColor = value;
      }
    });
  }

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

  function init(root) {
    paint(root);
    describeColours(root);
  }

  document.addEventListener("DOMContentLoaded", function () {
    init(document);
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    init(event.target);
  });
})();
