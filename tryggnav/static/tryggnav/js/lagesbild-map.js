// The lägesbild map: switch area colouring between count and rate, and show or hide
// the hot-spot layer. map.js draws the GeoJSON and reports its layers by name.
(function () {
  "use strict";
  function setup(el) {
    var controls = document.querySelector("[data-lagesbild-map-controls]");
    el.addEventListener("tryggnav:map-loaded", function (e) {
      var map = e.detail.map;
      var layers = e.detail.layers;
      var hot = layers.hotspot || [];
      hot.forEach(function (l) { map.removeLayer(l); });
      if (!controls) { return; }
      function colour() {
        var mode = controls.querySelector("input[name=fargning]:checked").value;
        (layers.area || []).forEach(function (l) {
          var p = l.feature.properties;
          l.setStyle({ fillColor: mode === "rate" ? p.rateColor : p.countColor });
        });
      }
      function hotspots() {
        var on = controls.querySelector("input[name=hotspots]").checked;
        hot.forEach(function (l) { if (on) { l.addTo(map); } else { map.removeLayer(l); } });
        el.setAttribute("data-hotspots", on ? String(hot.length) : "off");
      }
      // Layers other apps add (the deficiencies): shown unless their box is unticked.
      function others() {
        controls.querySelectorAll("[data-layer-toggle]").forEach(function (box) {
          (layers[box.getAttribute("data-layer-toggle")] || []).forEach(function (l) {
            if (box.checked) { l.addTo(map); } else { map.removeLayer(l); }
          });
        });
      }
      controls.addEventListener("change", function () { colour(); hotspots(); others(); });
      el.setAttribute("data-hotspots", "off");
    });
  }
  document.querySelectorAll("[data-lagesbild-map]").forEach(setup);
})();
