// The lines of a business document (invoice, offer) in a Django formset: add and remove
// lines, fill a line from the chosen catalogue product, and show each line's net value and
// the totals per VAT rate while typing (rounded as the server does: the line's net to grosze,
// VAT once per rate). The server recomputes everything on save; this is only a preview.
//
// Markup: a form with [data-document-lines] holding the formset's management form,
// <tbody data-lines> with rows [data-line], a <template data-line-template> with the empty
// form's row (prefix __prefix__), a [data-line-add] button, [data-line-remove] buttons, a
// cell [data-line-net] per row and an element [data-totals-preview] whose data-label-net,
// data-label-vat and data-label-gross attributes hold the translated words.
(function () {
  "use strict";

  var RATES = { "23": 23, "8": 8, "5": 5, "0": 0 };

  function field(row, name) {
    return row.querySelector("[name$='-" + name + "']");
  }

  function parseNumber(text) {
    if (!text) return 0;
    var clean = String(text).replace(/[\s\u00a0\u202f]/g, "").replace(",", ".");
    var value = parseFloat(clean);
    return isFinite(value) ? value : 0;
  }

  // Half-up rounding to grosze on integers of hundredths (no binary surprises for 2.675).
  function grosze(value) {
    return Math.round((value + (value >= 0 ? 1e-9 : -1e-9)) * 100);
  }

  function formatter() {
    var lang = document.documentElement.lang || "pl";
    return new Intl.NumberFormat(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }

  function visibleRows(form) {
    return Array.prototype.filter.call(form.querySelectorAll("[data-lines] [data-line]"), function (row) {
      return !row.classList.contains("d-none");
    });
  }

  function recalc(form) {
    var fmt = formatter();
    var perRate = {};
    var order = [];
    visibleRows(form).forEach(function (row, index) {
      var number = row.querySelector("[data-line-number]");
      if (number) number.textContent = String(index + 1);
      var quantity = parseNumber(field(row, "quantity") && field(row, "quantity").value);
      var price = parseNumber(field(row, "net_price") && field(row, "net_price").value);
      var discount = parseNumber(field(row, "discount_percent") && field(row, "discount_percent").value);
      var rateInput = field(row, "vat_rate");
      var rate = rateInput ? rateInput.value : "23";
      var net = grosze(quantity * price * (100 - discount) / 100);
      var cell = row.querySelector("[data-line-net]");
      if (cell) cell.textContent = fmt.format(net / 100);
      if (!(rate in perRate)) { perRate[rate] = 0; order.push(rate); }
      perRate[rate] += net;
    });
    var totalNet = 0, totalVat = 0;
    order.forEach(function (rate) {
      totalNet += perRate[rate];
      totalVat += grosze((perRate[rate] / 100) * (RATES[rate] || 0) / 100);
    });
    var preview = form.querySelector("[data-totals-preview]");
    if (preview) {
      preview.textContent =
        (preview.getAttribute("data-label-net") || "Netto") + ": " + fmt.format(totalNet / 100) + " · " +
        (preview.getAttribute("data-label-vat") || "VAT") + ": " + fmt.format(totalVat / 100) + " · " +
        (preview.getAttribute("data-label-gross") || "Brutto") + ": " + fmt.format((totalNet + totalVat) / 100);
    }
  }

  function addLine(form) {
    var template = form.querySelector("template[data-line-template]");
    var total = form.querySelector("input[name$='-TOTAL_FORMS']");
    var body = form.querySelector("[data-lines]");
    if (!template || !total || !body) return;
    var index = parseInt(total.value, 10) || 0;
    var holder = document.createElement("tbody");
    holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
    var row = holder.querySelector("[data-line]");
    if (!row) return;
    body.appendChild(row);
    total.value = String(index + 1);
    if (window.htmx) window.htmx.process(row);
    recalc(form);
    var name = field(row, "name");
    if (name) name.focus();
  }

  function removeLine(form, row) {
    var remove = field(row, "DELETE");
    if (remove) remove.value = "on";
    row.classList.add("d-none");
    row.querySelectorAll("input, select, textarea").forEach(function (input) {
      if (input !== remove) input.disabled = true;
    });
    recalc(form);
    var add = form.querySelector("[data-line-add]");
    if (add) add.focus();
  }

  function fillFromProduct(form, select) {
    var option = select.options[select.selectedIndex];
    if (!option || !option.value) return;
    var row = select.closest("[data-line]");
    var pairs = { name: "data-name", unit: "data-unit", net_price: "data-net-price", vat_rate: "data-vat-rate", gtu: "data-gtu" };
    Object.keys(pairs).forEach(function (name) {
      var input = field(row, name);
      var value = option.getAttribute(pairs[name]);
      if (input && value !== null) input.value = value;
    });
    recalc(form);
  }

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    var form = target.closest("[data-document-lines]");
    if (!form) return;
    if (target.closest("[data-line-add]")) {
      event.preventDefault();
      addLine(form);
    } else if (target.closest("[data-line-remove]")) {
      event.preventDefault();
      removeLine(form, target.closest("[data-line]"));
    }
  });

  document.addEventListener("input", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    var form = target && target.closest("[data-document-lines]");
    if (form) recalc(form);
  });

  document.addEventListener("change", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    var form = target && target.closest("[data-document-lines]");
    if (!form) return;
    if (target instanceof HTMLSelectElement && /-product$/.test(target.name)) fillFromProduct(form, target);
    recalc(form);
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-document-lines]").forEach(recalc);
  });
})();
