// Drag and drop on boards (SortableJS): a card dropped on another list is saved on the
// server; when the server refuses, the card goes back and the reason shows in #board-alert.
// Used by the pipeline (sales.js), the task board and the calendar (tasks.js).
(function () {
  "use strict";

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function showAlert(message) {
    var box = document.getElementById("board-alert");
    if (!box) return;
    box.textContent = message;
    box.classList.remove("d-none");
  }

  function hideAlert() {
    var box = document.getElementById("board-alert");
    if (box) box.classList.add("d-none");
  }

  function putBack(evt) {
    var reference = evt.from.children[evt.oldIndex] || null;
    evt.from.insertBefore(evt.item, reference);
  }

  // POST form fields (an object or URLSearchParams); resolves with the JSON answer when it
  // says ok, rejects with an Error carrying the server's message otherwise.
  function post(url, fields) {
    var body = fields instanceof URLSearchParams ? fields : new URLSearchParams();
    if (!(fields instanceof URLSearchParams)) {
      Object.keys(fields).forEach(function (key) { body.set(key, fields[key]); });
    }
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "Content-Type": "application/x-www-form-urlencoded" },
      body: body.toString(),
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok || !data.ok) throw new Error(data.error || response.statusText);
        return data;
      });
    });
  }

  // Makes every list in `lists` a drop target with the Sortable `options`; `onDrop(evt)`
  // saves the move and returns a promise. A rejected promise puts the card back (and shows
  // the error's message; rejecting with null puts it back silently, e.g. a cancelled dialog).
  function connect(lists, options, onDrop) {
    if (typeof window.Sortable === "undefined") return;
    Array.prototype.forEach.call(lists, function (list) {
      var config = Object.assign({ sort: false }, options, {
        onAdd: function (evt) {
          hideAlert();
          Promise.resolve()
            .then(function () { return onDrop(evt); })
            .catch(function (error) {
              putBack(evt);
              if (error) showAlert(error.message);
            });
        },
      });
      window.Sortable.create(list, config);
    });
  }

  window.imBoard = { connect: connect, post: post };
})();
