// Maps: every element with data-map gets a Leaflet map drawn from the app's own
// GeoJSON (data-geojson-url), so it works without a tile server. A tile layer is
// added only when data-tile-url is set. Features' properties.layer picks the style.
(function () {
  "use strict";
  var STYLES = {
    municipality: { color: "#1d4e89", weight: 1.5, fillOpacity: 0.05 },
    area: { color: "#0b6e4f", weight: 1, fillColor: "#4fb286", fillOpacity: 0.25 },
    highlight: { color: "#b3261e", weight: 2, fillOpacity: 0.35 },
  };

  function styleFor(feature) {
    var p = feature.properties || {};
    if (p.fillColor) {
      return { color: p.color || "#333", weight: 1, fillColor: p.fillColor, fillOpacity: p.fillOpacity || 0.6 };
    }
    return STYLES[p.layer] || STYLES.area;
  }

  function pointToLayer(feature, latlng) {
    var p = feature.properties || {};
    if (p.count !== undefined && (p.layer === "cluster" || p.layer === "place")) {
      // Counted incidents: a circle sized by the count, with the count in it. Not a
      // tab stop (the map's list says the same); the title names it for the pointer.
      var size = Math.round(2 * (p.radius || 10));
      return L.marker(latlng, {
        keyboard: false,
        title: p.name + (p.label ? " – " + p.label : ""),
        icon: L.divIcon({
          className: "map-cluster map-cluster--" + p.layer,
          html: "<span>" + String(Number(p.count)) + "</span>",
          iconSize: [size, size],
        }),
      });
    }
    return L.circleMarker(latlng, {
      radius: p.radius || 6, color: p.color || "#1d1d1b", weight: 1,
      fillColor: p.fillColor || "#f2a900", fillOpacity: 0.9,
    });
  }

  function onEachFeature(feature, layer) {
    var p = feature.properties || {};
    if (p.name) {
      var text = p.name + (p.label ? " – " + p.label : "");
      layer.bindTooltip(text, { sticky: true });
      if (p.url) {
        layer.on("click", function () { window.location.href = p.url; });
      }
    }
  }

  // The map's content as a list, for keyboard and screen-reader users: each area,
  // cell or place with its count and label, and the single points counted per kind
  // (data-map-list="<map id>").
  function fillList(el, data) {
    var list = el.id && document.querySelector('[data-map-list="' + el.id + '"]');
    if (!list) { return; }
    var points = {};
    list.textContent = "";
    data.features.forEach(function (f) {
      var p = f.properties || {};
      if (f.geometry && f.geometry.type === "Point" && p.count === undefined) {
        points[p.name || ""] = (points[p.name || ""] || 0) + 1;
      } else if (p.name) {
        var item = document.createElement("li");
        item.textContent = p.name + (p.label ? ": " + p.label : "");
        list.appendChild(item);
      }
    });
    Object.keys(points).sort().forEach(function (name) {
      var item = document.createElement("li");
      item.textContent = (name || "–") + ": " + points[name] + " " + (list.getAttribute("data-points-word") || "");
      list.appendChild(item);
    });
  }

  // The GeoJSON URL with the frame the map shows (bbox=west,south,east,north).
  function framedUrl(url, map) {
    var b = map.getBounds();
    var bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) { return v.toFixed(5); });
    return url + (url.indexOf("?") < 0 ? "?" : "&") + "bbox=" + bbox.join(",");
  }

  function init(el) {
    var map = L.map(el, { zoomSnap: 0.25, attributionControl: true });
    el._tryggnavMap = map;
    var tiles = el.getAttribute("data-tile-url");
    if (tiles) {
      // The tile servers' usage policies ask for the page's origin as referrer.
      L.tileLayer(tiles, {
        maxZoom: 19,
        attribution: el.getAttribute("data-tile-attribution") || "",
        referrerPolicy: "strict-origin-when-cross-origin",
      }).addTo(map);
    } else {
      el.classList.add("map--no-tiles");
    }
    map.setView([62.0, 16.0], 4);
    var url = el.getAttribute("data-geojson-url");
    var layers = {};
    var drawn = null;
    var asked = 0;

    function draw(data, first) {
      if (drawn) { map.removeLayer(drawn); }
      layers = {};
      drawn = L.geoJSON(data, { style: styleFor, pointToLayer: pointToLayer, onEachFeature: onEachFeature }).addTo(map);
      drawn.eachLayer(function (l) {
        var name = (l.feature.properties || {}).layer || "area";
        (layers[name] = layers[name] || []).push(l);
      });
      if (first) {
        // A collection's bbox (west, south, east, north) frames the map, e.g. on a
        // group's own areas; without one the map frames everything it draws.
        var bounds = data.bbox ? L.latLngBounds([data.bbox[1], data.bbox[0]], [data.bbox[3], data.bbox[2]])
          : drawn.getBounds();
        if (bounds.isValid()) { map.fitBounds(bounds, { padding: [10, 10] }); }
      }
      el.setAttribute("data-loaded", String(data.features.length));
      fillList(el, data);
      el.dispatchEvent(new CustomEvent("tryggnav:map-loaded", { detail: { map: map, layers: layers } }));
    }

    function load(address, first) {
      var ticket = ++asked;
      return fetch(address, { credentials: "same-origin" })
        .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
        .then(function (data) {
          if (ticket === asked) { draw(data, first); }
          return data;
        });
    }

    load(url, true)
      .then(function (data) {
        // Counted per grid cell: ask again for the cells of each new frame.
        if (data.clustered) {
          map.on("moveend", function () { load(framedUrl(url, map), false).catch(function () {}); });
          map.fire("moveend");
        }
      })
      .catch(function () {
        el.setAttribute("data-error", "1");
        var p = document.createElement("p");
        p.className = "map-error";
        p.textContent = "Kartan kunde inte laddas. / The map could not be loaded.";
        el.appendChild(p);
      });

    var latId = el.getAttribute("data-pick-lat");
    var lonId = el.getAttribute("data-pick-lon");
    if (latId && lonId) {
      var marker = null;
      map.on("click", function (e) {
        document.getElementById(latId).value = e.latlng.lat.toFixed(6);
        document.getElementById(lonId).value = e.latlng.lng.toFixed(6);
        if (marker) { marker.setLatLng(e.latlng); } else { marker = L.marker(e.latlng).addTo(map); }
        el.dispatchEvent(new CustomEvent("tryggnav:picked", { detail: e.latlng }));
      });
    }
  }

  window.TryggnavMap = { init: init, styleFor: styleFor };
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-map]").forEach(function (el) {
      if (!el.hasAttribute("data-map-manual")) { init(el); }
    });
  });
})();
