// Draws every [data-vega-spec] element with the vendored vega-embed, in Swedish
// number and date formats on Swedish pages. Also runs after HTMX swaps in new content.
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

  // Small multiples (a faceted spec): as many columns of panels as the page has room for.
  function fitPanels(spec, width) {
    if (!spec.facet || !spec.spec || !width) { return; }
    var panel = spec.spec.width + 70;
    spec.columns = Math.max(1, Math.min(spec.columns || 3, Math.floor(width / panel)));
    if (spec.columns === 1) { spec.spec.width = Math.max(120, width - 80); }
  }

  function draw(root) {
    (root || document).querySelectorAll("[data-vega-spec]").forEach(function (el) {
      if (el.getAttribute("data-drawn")) { return; }
      var spec;
      try { spec = JSON.parse(el.getAttribute("data-vega-spec")); } catch (e) { return; }
      el.setAttribute("data-drawn", "1");
      fitPanels(spec, el.clientWidth);
      var swedish = (document.documentElement.lang || "sv").indexOf("sv") === 0;
      var options = { actions: false, renderer: "svg" };
      if (swedish) { options.formatLocale = SV_FORMAT; options.timeFormatLocale = SV_TIME; }
      window.vegaEmbed(el, spec, options).then(function () {
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
