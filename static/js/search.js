// The header's global search: "/" or Ctrl+K focuses the box; typing shows the grouped
// results (GET /search/?q=…&partial=1); arrows move through them, Enter opens the chosen
// (or first) result, Escape closes. Without JavaScript the form opens /search/.
(function () {
  "use strict";
  var form = document.querySelector("form.global-search");
  if (!form) return;
  var input = form.querySelector("input[name=q]");
  var box = form.querySelector(".global-search-results");
  var timer = null;
  var asked = "";

  function hits() { return Array.prototype.slice.call(box.querySelectorAll("a.search-hit")); }

  function show(open) {
    box.classList.toggle("show", open);
    input.setAttribute("aria-expanded", open ? "true" : "false");
  }

  function load() {
    var q = input.value.trim();
    if (!q) { show(false); box.innerHTML = ""; return; }
    if (q === asked) { show(true); return; }
    asked = q;
    var url = form.dataset.searchUrl + "?partial=1&q=" + encodeURIComponent(q);
    fetch(url, { credentials: "same-origin", headers: { "HX-Request": "true" } })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) {
        if (q !== input.value.trim()) return;  // an older answer
        box.innerHTML = html;
        show(Boolean(html));
      });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(load, 150);
  });
  input.addEventListener("focus", function () { if (box.innerHTML) show(true); });

  form.addEventListener("keydown", function (event) {
    var links = hits();
    var index = links.indexOf(document.activeElement);
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!links.length) return;
      event.preventDefault();
      var next = event.key === "ArrowDown" ? index + 1 : index - 1;
      if (next < 0) { input.focus(); return; }
      links[Math.min(next, links.length - 1)].focus();
    } else if (event.key === "Enter" && document.activeElement === input && links.length && input.value.trim() === asked) {
      event.preventDefault();
      window.location.assign(links[0].href);
    } else if (event.key === "Escape") {
      show(false);
      input.focus();
    }
  });

  document.addEventListener("click", function (event) {
    if (!form.contains(event.target)) show(false);
  });

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    if ((event.key === "k" || event.key === "K") && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      input.focus();
      input.select();
    } else if (event.key === "/" && !typing && !event.altKey && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      input.focus();
    }
  });
})();
