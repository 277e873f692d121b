// The report form: "use my position", hiding the time fields when "now" is chosen, and
// telling the live check (HTMX) when the map was tapped.
(function () {
  "use strict";
  function byId(id) { return document.getElementById(id); }

  function changed(input) {
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function initGeolocate(button) {
    var status = document.querySelector("[data-geolocate-status]");
    if (!("geolocation" in navigator)) { button.hidden = true; return; }
    button.addEventListener("click", function () {
      if (status) { status.textContent = "Hämtar position …"; }
      navigator.geolocation.getCurrentPosition(function (pos) {
        var lat = byId(button.getAttribute("data-lat"));
        var lon = byId(button.getAttribute("data-lon"));
        var precision = byId(button.getAttribute("data-precision"));
        lat.value = pos.coords.latitude.toFixed(6);
        lon.value = pos.coords.longitude.toFixed(6);
        // A position less sure than 50 m is recorded as street level, not exact.
        if (precision) { precision.value = pos.coords.accuracy > 50 ? "street" : "exact"; }
        if (status) { status.textContent = "Position hämtad (±" + Math.round(pos.coords.accuracy) + " m)."; }
        var mapEl = byId("report-map");
        if (mapEl && mapEl._tryggnavMap) {
          mapEl._tryggnavMap.setView([pos.coords.latitude, pos.coords.longitude], 16);
        }
        changed(lat);
      }, function () {
        if (status) { status.textContent = "Positionen kunde inte hämtas. Tryck på kartan i stället."; }
      }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    });
  }

  function initWhen(form) {
    var earlier = form.querySelector("[data-when-earlier]");
    if (!earlier) { return; }
    function update() {
      var checked = form.querySelector("input[name=when]:checked");
      earlier.hidden = !checked || checked.value !== "earlier";
    }
    form.querySelectorAll("input[name=when]").forEach(function (r) { r.addEventListener("change", update); });
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = byId("report-form");
    if (!form) { return; }
    initWhen(form);
    var button = form.querySelector("[data-geolocate]");
    if (button) { initGeolocate(button); }
    var mapEl = byId("report-map");
    if (mapEl) {
      mapEl.addEventListener("tryggnav:picked", function () { changed(byId("id_lat")); });
    }
  });
})();
