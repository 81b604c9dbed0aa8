// The offer form: lines added and removed without reloading (a Django formset), filled
// from the product catalogue, and the totals per VAT rate computed as the server does
// (crm/documents/totals.py: each line's net rounded to grosze, VAT once per rate on the
// rate's net sum, half up), in exact integer arithmetic. No inline scripts: the CSP forbids them.
(function () {
  "use strict";

  var RATE_ORDER = ["23", "8", "5", "0", "zw", "np", "oo"];

  // "1 234,5" or "1234.50" -> BigInt of value * 10^places (half up beyond), or null.
  function scaled(text, places) {
    var clean = String(text || "").replace(/[\s\u00a0]/g, "").replace(",", ".");
    if (clean === "") return null;
    var match = /^(\d*)(?:\.(\d*))?$/.exec(clean);
    if (!match || (match[1] === "" && !match[2])) return null;
    var whole = match[1] || "0";
    var fraction = match[2] || "";
    var kept = (fraction + "0".repeat(places)).slice(0, places);
    var value = BigInt(whole + kept);
    if (fraction.length > places && Number(fraction.charAt(places)) >= 5) value += 1n;
    return value;
  }

  function divideHalfUp(value, divisor) {
    return (value * 2n + divisor) / (divisor * 2n);
  }

  function formatGrosze(grosze) {
    var lang = document.documentElement.lang || "pl";
    return new Intl.NumberFormat(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(
      Number(grosze) / 100
    );
  }

  function field(row, name) {
    return row.querySelector("[data-line-field='" + name + "']");
  }

  function lineNet(row) {
    var quantity = scaled(field(row, "quantity").value, 4);
    var price = scaled(field(row, "net_price").value, 2);
    var discount = scaled(field(row, "discount_percent").value, 2);
    if (quantity === null || price === null) return null;
    if (discount === null) discount = 0n;
    if (discount > 10000n) return null;
    // quantity (10^4) x price (10^2) x (100% - discount) (10^4) = grosze x 10^8
    return divideHalfUp(quantity * price * (10000n - discount), 100000000n);
  }

  function liveRows(box) {
    return Array.prototype.filter.call(box.querySelectorAll("[data-line]"), function (row) {
      return !row.closest("template") && !row.hidden;
    });
  }

  function recompute(box) {
    var table = box.querySelector(".offer-totals");
    var percents = JSON.parse(table.getAttribute("data-rates"));
    var nets = {};
    liveRows(box).forEach(function (row) {
      var net = lineNet(row);
      row.querySelector("[data-line-net]").textContent = net === null ? "—" : formatGrosze(net);
      var rate = field(row, "vat_rate").value;
      if (net !== null) nets[rate] = (nets[rate] || 0n) + net;
    });
    var labels = {};
    var template = box.querySelector("[data-line-template]");
    template.content.querySelectorAll("[data-line-field='vat_rate'] option").forEach(function (option) {
      labels[option.value] = option.textContent;
    });
    var body = table.querySelector("[data-rate-rows]");
    body.textContent = "";
    var sums = { net: 0n, vat: 0n, gross: 0n };
    RATE_ORDER.forEach(function (rate) {
      if (!(rate in nets)) return;
      var net = nets[rate];
      var vat = divideHalfUp(net * BigInt(percents[rate] || 0), 100n);
      sums.net += net;
      sums.vat += vat;
      sums.gross += net + vat;
      var tr = document.createElement("tr");
      tr.setAttribute("data-rate", rate);
      [labels[rate] || rate, formatGrosze(net), formatGrosze(vat), formatGrosze(net + vat)].forEach(function (text, i) {
        var cell = document.createElement(i === 0 ? "th" : "td");
        if (i === 0) cell.setAttribute("scope", "row");
        else cell.className = "text-end text-nowrap";
        cell.textContent = text;
        tr.appendChild(cell);
      });
      body.appendChild(tr);
    });
    ["net", "vat", "gross"].forEach(function (key) {
      table.querySelector("[data-total='" + key + "']").textContent = formatGrosze(sums[key]);
    });
    var currency = document.getElementById("id_currency");
    table.querySelector("[data-currency]").textContent = currency ? currency.value : "";
    var empty = box.querySelector("[data-lines-empty]");
    if (empty) empty.hidden = liveRows(box).length > 0;
  }

  function addRow(box) {
    var prefix = box.getAttribute("data-prefix");
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var index = Number(total.value);
    var html = box.querySelector("[data-line-template]").innerHTML.replace(/__prefix__/g, String(index));
    var holder = document.createElement("div");
    holder.innerHTML = html.trim();
    var row = holder.firstElementChild;
    box.querySelector("[data-line-list]").appendChild(row);
    total.value = String(index + 1);
    return row;
  }

  function removeRow(box, row) {
    var remove = row.querySelector("input[type='checkbox'][name$='-DELETE']");
    if (remove) remove.checked = true;
    row.hidden = true;
    recompute(box);
  }

  function pick(box, button) {
    var rows = liveRows(box);
    var last = rows[rows.length - 1];
    var row = last && !field(last, "name").value.trim() ? last : addRow(box);
    field(row, "product").value = button.getAttribute("data-id");
    field(row, "name").value = button.getAttribute("data-name");
    field(row, "unit").value = button.getAttribute("data-unit");
    field(row, "net_price").value = button.getAttribute("data-price");
    field(row, "vat_rate").value = button.getAttribute("data-vat");
    if (!field(row, "quantity").value) field(row, "quantity").value = "1";
    recompute(box);
    field(row, "quantity").focus();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector("[data-lines]");
    if (!box) return;
    var form = box.closest("form");
    box.addEventListener("click", function (event) {
      var target = event.target instanceof Element ? event.target : null;
      if (!target) return;
      if (target.closest("[data-line-add]")) {
        var row = addRow(box);
        recompute(box);
        field(row, "name").focus();
      } else if (target.closest("[data-line-remove]")) {
        removeRow(box, target.closest("[data-line]"));
      } else if (target.closest("[data-product-pick]")) {
        pick(box, target.closest("[data-product-pick]"));
      }
    });
    form.addEventListener("input", function () { recompute(box); });
    form.addEventListener("change", function () { recompute(box); });
    // Enter in the catalogue search must not submit the offer.
    var search = document.getElementById("product-search");
    if (search) {
      search.addEventListener("keydown", function (event) {
        if (event.key === "Enter") event.preventDefault();
      });
    }
    recompute(box);
  });
})();
