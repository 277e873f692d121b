// The phone page of a safety walk: a point is saved in the browser first (IndexedDB,
// with its own UUID as key) and then sent; while the network is gone it waits and is
// sent when the browser is back online (the "online" event, and a retry every few
// seconds). The server stores a point once per key, so a point sent again after a
// lost answer is not stored twice.
(function () {
  "use strict";
  var DB = "tryggnav-walks";
  var STORE = "points";
  var RETRY_MS = 5000;
  var form, walk, sent = 0, flushing = false;

  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB, 1);
      request.onupgradeneeded = function () { request.result.createObjectStore(STORE, { keyPath: "key" }); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function withStore(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(STORE, mode);
        var request = work(t.objectStore(STORE));
        t.oncomplete = function () { db.close(); resolve(request ? request.result : undefined); };
        t.onerror = function () { db.close(); reject(t.error); };
      });
    });
  }

  function queued() {
    return withStore("readonly", function (s) { return s.getAll(); }).then(function (items) {
      return (items || []).filter(function (i) { return i.walk === walk; })
        .sort(function (a, b) { return a.recorded < b.recorded ? -1 : 1; });
    });
  }

  function msg(name) { return form.getAttribute("data-msg-" + name) || ""; }

  function render(items, note) {
    var box = document.getElementById("walk-queue-status");
    var text = box.querySelector("[data-queue-text]");
    text.textContent = sent + " " + msg("saved") + (items.length ? ", " + items.length + " " + msg("waiting") : "") + "." + (note ? " " + note : "");
    box.classList.toggle("walk-queue--waiting", items.length > 0);
    box.setAttribute("data-queued", String(items.length));
    var list = document.getElementById("walk-queue-list");
    list.textContent = "";
    items.forEach(function (i) {
      var li = document.createElement("li");
      li.textContent = i.themeLabel + (i.fields.note ? ": " + i.fields.note : "");
      list.appendChild(li);
    });
  }

  function refresh(note) { return queued().then(function (items) { render(items, note); }); }

  function send(item) {
    var data = new FormData();
    data.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    data.append("client_key", item.key);
    Object.keys(item.fields).forEach(function (k) { data.append(k, item.fields[k]); });
    if (item.photo) { data.append("photo", item.photo, item.photoName || "foto.jpg"); }
    return fetch(form.action, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "X-Requested-With": "fetch", "Accept": "application/json" },
    });
  }

  function remove(key) { return withStore("readwrite", function (s) { return s.delete(key); }); }

  // Send the queue in order; stop at the first failure of the network or the server
  // (the point stays and is tried again), drop a point the server refuses for good.
  function flush() {
    if (flushing) { return Promise.resolve(); }
    flushing = true;
    var note = "";
    return queued().then(function (items) {
      return items.reduce(function (chain, item) {
        return chain.then(function (go) {
          if (!go) { return false; }
          return send(item).then(function (response) {
            if (response.ok) {
              return response.json().then(function () {
                sent += 1;  // this queued point is stored, now or by an earlier try
                return remove(item.key).then(function () { return true; });
              });
            }
            if (response.status >= 400 && response.status < 500) {
              note = msg("refused") + " (" + response.status + ").";
              return remove(item.key).then(function () { return true; });
            }
            return false;
          }, function () { return false; });
        });
      }, Promise.resolve(true));
    }).then(function () { flushing = false; return refresh(note); }, function () { flushing = false; });
  }

  function fieldValue(name) {
    var el = form.querySelector("[name=" + name + "]:checked") || form.querySelector("[name=" + name + "]:not([type=radio])");
    return el ? el.value : "";
  }

  function save(event) {
    event.preventDefault();
    var theme = form.querySelector("[name=theme]:checked");
    if (!theme) { refresh(msg("theme")); return; }
    var file = form.querySelector("[name=photo]").files[0] || null;
    var item = {
      key: uuid(), walk: walk, recorded: new Date().toISOString(),
      themeLabel: theme.parentNode.textContent.trim(),
      fields: { theme: theme.value, unsafe: fieldValue("unsafe"), note: fieldValue("note"),
                lat: fieldValue("lat"), lon: fieldValue("lon"), recorded: new Date().toISOString() },
      photo: file, photoName: file ? file.name : "",
    };
    withStore("readwrite", function (s) { return s.put(item); }).then(function () {
      form.reset();
      document.querySelector("[data-place-status]").textContent = "";
      return refresh(msg("queued"));
    }).then(flush);
  }

  function here(button) {
    var status = document.querySelector("[data-place-status]");
    if (!("geolocation" in navigator)) { button.hidden = true; return; }
    button.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (pos) {
        document.getElementById("id_lat").value = pos.coords.latitude.toFixed(6);
        document.getElementById("id_lon").value = pos.coords.longitude.toFixed(6);
        status.textContent = "± " + Math.round(pos.coords.accuracy) + " m";
        var el = document.getElementById("walk-record-map");
        if (el && el._tryggnavMap) { el._tryggnavMap.setView([pos.coords.latitude, pos.coords.longitude], 17); }
      }, function () { status.textContent = "–"; }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 30000 });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    form = document.getElementById("walk-point-form");
    if (!form || !window.indexedDB || !window.fetch) { return; }
    walk = form.getAttribute("data-walk");
    sent = Number(document.getElementById("walk-queue-status").getAttribute("data-sent")) || 0;
    form.addEventListener("submit", save);
    var button = form.querySelector("[data-walk-here]");
    if (button) { here(button); }
    var mapEl = document.getElementById("walk-record-map");
    if (mapEl) {
      mapEl.addEventListener("tryggnav:picked", function (e) {
        document.querySelector("[data-place-status]").textContent = e.detail.lat.toFixed(5) + ", " + e.detail.lng.toFixed(5);
      });
    }
    window.addEventListener("online", flush);
    setInterval(flush, RETRY_MS);
    form.setAttribute("data-ready", "1");
    refresh("").then(flush);
  });
})();
