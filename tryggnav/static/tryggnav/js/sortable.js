// Sortable tables: a header cell with data-sort="text" or data-sort="number" becomes a
// button that sorts the table's body by that column. Cells sort by their data-value
// (the number itself, never the formatted text) or, for text, by their content.
// Empty values go last; numbers sort largest first on the first click.
(function () {
  "use strict";

  function value(cell, numeric) {
    var raw = cell.hasAttribute("data-value") ? cell.getAttribute("data-value") : cell.textContent.trim();
    if (!numeric) { return raw; }
    return raw === "" ? null : parseFloat(raw);
  }

  function compare(a, b, numeric, direction) {
    if (a === null || a === "") { return b === null || b === "" ? 0 : 1; }
    if (b === null || b === "") { return -1; }
    var order = numeric ? a - b : a.localeCompare(b, document.documentElement.lang || "sv");
    return direction === "ascending" ? order : -order;
  }

  function sort(table, th, index) {
    var numeric = th.getAttribute("data-sort") === "number";
    var current = th.getAttribute("aria-sort");
    var direction = current ? (current === "ascending" ? "descending" : "ascending")
      : (numeric ? "descending" : "ascending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows).map(function (row, position) {
      return { row: row, key: value(row.cells[index], numeric), position: position };
    });
    rows.sort(function (a, b) {
      return compare(a.key, b.key, numeric, direction) || a.position - b.position;
    });
    rows.forEach(function (item) { body.appendChild(item.row); });
    table.querySelectorAll("thead th[aria-sort]").forEach(function (other) { other.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", direction);
  }

  function setup(table) {
    var headers = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(headers, function (th, index) {
      if (!th.hasAttribute("data-sort")) { return; }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      while (th.firstChild) { button.appendChild(th.firstChild); }
      th.appendChild(button);
      button.addEventListener("click", function () { sort(table, th, index); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("table[data-sortable]").forEach(setup);
  });
})();
