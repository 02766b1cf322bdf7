/* The admin's pin picker: a click on the map drops the pin, a drag moves it, and
   the latitude and longitude fields follow (typing in them moves the pin).
   The time zone follows the pin, asked of our own server, unless the
   volunteer typed one. "Find from address" asks our server too, which asks
   the configured geocoder: the browser never talks to a third party but the
   tile server. */
(function () {
  "use strict";

  var ADDRESS = ["address", "city", "state", "postal_code", "country"];

  function decimal(value) { return String(Math.round(value * 1e6) / 1e6); }

  function setUp(box) {
    var form = box.closest("form");
    var fields = form.elements;
    var lat = fields.latitude, lng = fields.longitude, zone = fields.timezone;
    var status = box.querySelector("[data-pin-status]");
    var osm = box.querySelector("[data-pin-osm]");
    var find = box.querySelector("[data-pin-find]");
    var zoneTyped = false;
    var moves = 0;
    var map = null, marker = null, icon = null;

    function say(text, error) {
      status.textContent = text;
      status.classList.toggle("error", Boolean(error));
    }

    function point() {
      var a = parseFloat(lat.value), b = parseFloat(lng.value);
      return isFinite(a) && isFinite(b) && Math.abs(a) <= 90 && Math.abs(b) <= 180 ? [a, b] : null;
    }

    function address() {
      return ADDRESS.map(function (name) { return fields[name] ? fields[name].value.trim() : ""; })
        .filter(Boolean).join(", ");
    }

    function updateLink() {
      var p = point(), where = address();
      if (p) {
        var a = decimal(p[0]), b = decimal(p[1]);
        osm.href = "https://www.openstreetmap.org/?mlat=" + a + "&mlon=" + b + "#map=17/" + a + "/" + b;
      } else if (where) {
        osm.href = "https://www.openstreetmap.org/search?query=" + encodeURIComponent(where);
      }
      osm.hidden = !p && !where;
    }

    function ask(values) {
      var body = new FormData();
      body.append("area", fields.area ? fields.area.value : "");
      body.append("location", box.dataset.location || "");
      Object.keys(values).forEach(function (name) { body.append(name, values[name]); });
      return fetch(box.dataset.lookupUrl, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": fields.csrfmiddlewaretoken.value, Accept: "application/json" }
      }).then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      });
    }

    // Says the zone even when it did not change: the volunteer sees it was checked.
    function setZone(name) {
      if (!zone || zoneTyped || !name) { return ""; }
      zone.value = name;
      return box.dataset.zone.replace("%(zone)s", name);
    }

    // A pin put on the map by hand stays where the hand put it; one typed or looked up is brought into view.
    function showPin(p, recentre) {
      if (!map) { return; }
      if (!marker) {
        var label = box.dataset.pinLabel;
        marker = L.marker(p, { icon: icon, draggable: true, title: label, alt: label }).addTo(map);
        marker.on("dragend", function () {
          var moved = marker.getLatLng();
          pinned([moved.lat, moved.lng]);
        });
      } else {
        marker.setLatLng(p);
      }
      if (recentre) { map.setView(p, Math.max(map.getZoom() || 0, 16), { animate: false }); }
    }

    // The pin moved (click, drag, typed or looked up): the fields, the link and the time zone follow.
    function pinned(p, message, recentre) {
      lat.value = decimal(p[0]);
      lng.value = decimal(p[1]);
      updateLink();
      showPin(p, recentre);
      say(message || box.dataset.moved);
      if (!zone || zoneTyped) { return; }
      var move = ++moves;
      ask({ latitude: lat.value, longitude: lng.value }).then(function (answer) {
        if (move !== moves) { return; }  // the pin has moved again since: that answer will come
        var note = answer.ok ? setZone(answer.data.timezone) : "";
        if (note) { say((message || box.dataset.moved) + " " + note); }
      }).catch(function () { /* the zone is filled on save anyway */ });
    }

    if (zone) { zone.addEventListener("input", function () { zoneTyped = zone.value.trim() !== ""; }); }
    [lat, lng].forEach(function (field) {
      field.addEventListener("change", function () {
        var p = point();
        updateLink();
        if (p) { pinned(p, "", true); }
      });
    });
    ADDRESS.forEach(function (name) { if (fields[name]) { fields[name].addEventListener("change", updateLink); } });

    if (find) {
      find.addEventListener("click", function () {
        var values = {};
        ADDRESS.forEach(function (name) { values[name] = fields[name] ? fields[name].value : ""; });
        find.disabled = true;
        say(box.dataset.finding);
        ask(values).then(function (answer) {
          if (!answer.ok) { say(answer.data.message || box.dataset.failed, true); return; }
          var found = box.dataset.found.replace("%(label)s", answer.data.label || address());
          pinned([answer.data.latitude, answer.data.longitude], found, true);
          var note = setZone(answer.data.timezone);
          if (note) { say(found + " " + note); }
        }).catch(function () {
          say(box.dataset.failed, true);
        }).then(function () { find.disabled = false; });
      });
    }

    var canvas = box.querySelector("[data-pin-map]");
    if (canvas && window.L) {
      map = L.map(canvas, { attributionControl: false, scrollWheelZoom: false, zoomControl: false });
      L.control.zoom({ zoomInTitle: box.dataset.zoomIn, zoomOutTitle: box.dataset.zoomOut }).addTo(map);
      L.tileLayer(box.dataset.tiles, { maxZoom: 19, referrerPolicy: "no-referrer" }).addTo(map);
      icon = L.icon({
        iconUrl: box.dataset.icon, iconRetinaUrl: box.dataset.iconRetina, shadowUrl: box.dataset.shadow,
        iconSize: [25, 41], iconAnchor: [12, 41], shadowSize: [41, 41]
      });
      map.on("click", function (event) { pinned([event.latlng.lat, event.latlng.lng]); });
      var start = point();
      if (start) { showPin(start, true); } else { map.setView([20, 0], 2); }
    }
    updateLink();
  }

  function start() { document.querySelectorAll("[data-pin-picker]").forEach(setUp); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
