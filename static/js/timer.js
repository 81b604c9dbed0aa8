// The running timer in the page header (crm/timetracking/templates/timetracking/_header_timer.html).
// The timer lives on the server: this asks /api/v1/time-entries/running/ on load and
// whenever the tab comes back into view (a timer started or stopped on another device
// shows up), then counts the seconds locally.
(function () {
  "use strict";
  var box = document.querySelector("[data-timer]");
  if (!box) return;
  var label = box.querySelector("[data-timer-label]");
  var elapsed = box.querySelector("[data-timer-elapsed]");
  var link = box.querySelector("[data-timer-link]");
  var startedAt = null;
  var offset = 0; // server clock minus this device's clock, in ms
  var ticking = null;

  function pad(n) {
    return n < 10 ? "0" + n : String(n);
  }

  function tick() {
    if (startedAt === null) return;
    var seconds = Math.max(0, Math.floor((Date.now() + offset - startedAt) / 1000));
    elapsed.textContent = Math.floor(seconds / 3600) + ":" + pad(Math.floor(seconds / 60) % 60) + ":" + pad(seconds % 60);
  }

  function show(entry) {
    if (!entry) {
      startedAt = null;
      box.hidden = true;
      if (ticking) window.clearInterval(ticking);
      ticking = null;
      return;
    }
    startedAt = Date.parse(entry.started_at);
    label.textContent = entry.task_title ? entry.project_name + " · " + entry.task_title : entry.project_name;
    link.href = box.dataset.projectUrl.replace(/\/0\/$/, "/" + entry.project + "/");
    box.hidden = false;
    tick();
    if (!ticking) ticking = window.setInterval(tick, 1000);
  }

  function load() {
    fetch(box.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) return null;
        var date = Date.parse(response.headers.get("Date") || "");
        if (!isNaN(date)) offset = date - Date.now();
        return response.json();
      })
      .then(show)
      .catch(function () {});
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") load();
  });
  load();
})();
