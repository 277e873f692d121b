// The walk's planning form: tap the map to draw the route point by point. The route
// is kept as a JSON list of [lon, lat] in the form's hidden "route" field.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var el = document.getElementById("walk-route-map");
    var input = document.querySelector("[data-route-input]");
    if (!el || !input || !window.TryggnavMap) { return; }
    window.TryggnavMap.init(el);
    var map = el._tryggnavMap;
    var status = document.querySelector("[data-route-status]");
    var points = [];
    try { points = JSON.parse(input.value || "[]") || []; } catch (e) { points = []; }
    var line = L.polyline([], { color: "#b3261e", weight: 3 }).addTo(map);

    function update() {
      input.value = points.length ? JSON.stringify(points) : "";
      line.setLatLngs(points.map(function (p) { return [p[1], p[0]]; }));
      if (status) { status.textContent = points.length + " " + status.getAttribute("data-word"); }
    }
    map.on("click", function (e) {
      points.push([Number(e.latlng.lng.toFixed(6)), Number(e.latlng.lat.toFixed(6))]);
      update();
    });
    document.querySelector("[data-route-undo]").addEventListener("click", function () {
      points.pop();
      update();
    });
    document.querySelector("[data-route-clear]").addEventListener("click", function () {
      points = [];
      update();
    });
    update();
  });
})();
