// Draws every [data-vega-spec] element with the vendored vega-embed, in Swedish
// number and date formats. Also runs after HTMX swaps in new content.
(function () {
  "use strict";
  var SV_FORMAT = { decimal: ",", thousands: "\u00a0", grouping: [3], currency: ["", "\u00a0kr"] };
  var SV_TIME = {
    dateTime: "%A %e %B %Y %X", date: "%Y-%m-%d", time: "%H:%M:%S",
    periods: ["fm", "em"],
    days: ["söndag", "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag"],
    shortDays: ["sön", "mån", "tis", "ons", "tor", "fre", "lör"],
    months: ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"],
    shortMonths: ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"],
  };

  function draw(root) {
    (root || document).querySelectorAll("[data-vega-spec]").forEach(function (el) {
      if (el.getAttribute("data-drawn")) { return; }
      var spec;
      try { spec = JSON.parse(el.getAttribute("data-vega-spec")); } catch (e) { return; }
      el.setAttribute("data-drawn", "1");
      window.vegaEmbed(el, spec, {
        actions: false, renderer: "svg", formatLocale: SV_FORMAT, timeFormatLocale: SV_TIME,
      }).then(function () {
        // The figure carries the accessible name (role=img, aria-label) and the data
        // table; Vega's own ARIA inside the SVG would only repeat it, incompletely.
        el.querySelectorAll("svg").forEach(function (svg) { svg.setAttribute("aria-hidden", "true"); });
        el.setAttribute("data-rendered", "1");
      })
        .catch(function () { el.textContent = "Diagrammet kunde inte ritas. / The chart could not be drawn."; });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSwap", function (e) { draw(e.target); });
  window.TryggnavCharts = { draw: draw };
})();
