// The bell in the header (crm/notifications/templates/notifications/_bell.html): the
// unread count is asked from the API when the page opens, every `data-poll` seconds
// while the tab is visible and when the tab comes back into view, so a notification
// shows up without a reload. Also the @mention autocomplete of textareas marked
// `data-mentions` (the people come from `data-mentions-url`).
(function () {
  "use strict";

  var bell = document.querySelector("[data-notifications]");
  if (bell) {
    var badge = bell.querySelector("[data-notifications-count]");
    var said = bell.querySelector("[data-notifications-said]");
    var seconds = Math.max(1, parseInt(bell.dataset.poll, 10) || 30);
    var last = null;

    var show = function (count) {
      badge.hidden = count < 1;
      badge.textContent = count > 99 ? "99+" : String(count);
      if (last !== null && count > last && said) said.textContent = badge.textContent;
      last = count;
    };

    var load = function () {
      if (document.visibilityState === "hidden") return;
      fetch(bell.dataset.countUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (data) {
          if (data && typeof data.unread === "number") show(data.unread);
        })
        .catch(function () {});
    };

    document.addEventListener("visibilitychange", load);
    // The panel's "mark all read" answers with the panel again: its count is the truth.
    document.body.addEventListener("htmx:afterSwap", function (event) {
      var list = event.detail && event.detail.target && event.detail.target.querySelector("[data-unread]");
      if (list) show(parseInt(list.dataset.unread, 10) || 0);
    });
    load();
    window.setInterval(load, seconds * 1000);
  }

  // --- @mentions ---------------------------------------------------------------
  var TRIGGER = /(^|\s)@([^\s@]{0,30})$/;

  function attach(area) {
    var menu = document.createElement("ul");
    menu.className = "dropdown-menu mention-menu";
    menu.setAttribute("role", "listbox");
    menu.dataset.testid = "mention-menu";
    area.parentNode.style.position = "relative";
    area.parentNode.appendChild(menu);
    var pending = null;

    function close() {
      menu.classList.remove("show");
      menu.innerHTML = "";
    }

    function choose(name) {
      var caret = area.selectionStart;
      var before = area.value.slice(0, caret).replace(TRIGGER, function (all, space) {
        return space + "@" + name + " ";
      });
      area.value = before + area.value.slice(caret);
      area.focus();
      area.setSelectionRange(before.length, before.length);
      close();
    }

    function render(people) {
      menu.innerHTML = "";
      people.forEach(function (person) {
        var item = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "dropdown-item";
        button.setAttribute("role", "option");
        button.textContent = person.name;
        button.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(person.name);
        });
        item.appendChild(button);
        menu.appendChild(item);
      });
      menu.classList.toggle("show", people.length > 0);
    }

    area.addEventListener("input", function () {
      var match = area.value.slice(0, area.selectionStart).match(TRIGGER);
      if (!match) return close();
      if (pending) pending.abort();
      pending = new AbortController();
      fetch(area.dataset.mentionsUrl + "?q=" + encodeURIComponent(match[2]), {
        credentials: "same-origin",
        signal: pending.signal,
      })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (data) {
          render(data.results || []);
        })
        .catch(function () {});
    });
    area.addEventListener("keydown", function (event) {
      if (!menu.classList.contains("show")) return;
      if (event.key === "Escape") close();
      if (event.key === "Enter" || event.key === "Tab") {
        var first = menu.querySelector("button");
        if (first) {
          event.preventDefault();
          choose(first.textContent);
        }
      }
    });
    area.addEventListener("blur", function () {
      window.setTimeout(close, 150);
    });
  }

  function scan(root) {
    root.querySelectorAll("textarea[data-mentions]:not([data-mentions-ready])").forEach(function (area) {
      area.dataset.mentionsReady = "1";
      attach(area);
    });
  }
  scan(document);
  document.body.addEventListener("htmx:afterSwap", function (event) {
    scan(event.detail.target || document);
  });
})();
