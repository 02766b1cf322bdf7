/* The map: an extra beside the list, loaded only when a visitor presses its button.
   Until then nothing is asked of the tile server, and the map library itself
   (our own copy of Leaflet) is not loaded either. The markers come from our
   own server, for the same search as the list. Keyboard and screen-reader
   users keep the list; the map is a labelled region they can skip. */
(function () {
  "use strict";

  var loaded = {};  // one request per file, however many times a map is opened

  function once(key, make) {
    if (!loaded[key]) { loaded[key] = make(); }
    return loaded[key];
  }

  function stylesheet(href) {
    return once(href, function () {
      return new Promise(function (resolve, reject) {
        var link = document.createElement("link");
        link.rel = "stylesheet";
        link.href = href;
        link.onload = resolve;
        link.onerror = reject;
        document.head.appendChild(link);
      });
    });
  }

  function script(src) {
    return once(src, function () {
      return new Promise(function (resolve, reject) {
        var tag = document.createElement("script");
        tag.src = src;
        tag.onload = resolve;
        tag.onerror = reject;
        document.head.appendChild(tag);
      });
    });
  }

  function library(box, clusters) {
    var d = box.dataset;
    var styles = [d.leafletCss].concat(clusters ? d.clusterCss.split(" ") : [], [d.mapCss]);
    // Stylesheets in order (ours last, to win), all before the map measures its box.
    var css = styles.reduce(function (done, href) {
      return done.then(function () { return stylesheet(href); });
    }, Promise.resolve());
    var js = script(d.leafletJs).then(function () { return clusters ? script(d.clusterJs) : null; });
    return Promise.all([css, js]);
  }

  function fill(template, count) {
    return template.replace("%(count)s", Number(count).toLocaleString(document.documentElement.lang || undefined));
  }

  function baseMap(box, canvas) {
    var d = box.dataset;
    // Zoom buttons at the bottom right: in reach of a thumb, and clear of popups, which open upwards.
    var map = L.map(canvas, { scrollWheelZoom: false, attributionControl: false, zoomControl: false });
    L.control.zoom({ position: "bottomright", zoomInTitle: d.zoomIn, zoomOutTitle: d.zoomOut }).addTo(map);
    map.on("popupopen", function (event) {
      var close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
      if (close) { close.setAttribute("aria-label", d.close); close.title = d.close; }
    });
    // The tile server learns which tiles are shown, never from which page: no Referer.
    L.tileLayer(d.tiles, { maxZoom: 19, referrerPolicy: "no-referrer" }).addTo(map);
    return map;
  }

  function pin(box) {
    var d = box.dataset;
    // Named explicitly: Leaflet guesses the image folder from its CSS, which hashed static names defeat.
    return L.icon({
      iconUrl: d.icon, iconRetinaUrl: d.iconRetina, shadowUrl: d.shadow,
      iconSize: [25, 41], iconAnchor: [12, 41], popupAnchor: [1, -34], shadowSize: [41, 41]
    });
  }

  function popup(marker) {
    var box = document.createElement("div");
    var name = document.createElement("a");
    name.href = marker.url;
    name.textContent = marker.name;
    name.className = "map-popup-name";
    box.appendChild(name);
    [marker.note, marker.when, marker.place].forEach(function (text) {
      if (!text) { return; }
      var line = document.createElement("p");
      line.textContent = text;
      box.appendChild(line);
    });
    return box;
  }

  function clusterIcon(label) {
    // A cluster is a button to zoom in: it says how many meeting times it holds.
    var Icon = L.DivIcon.extend({
      createIcon: function (old) {
        var element = L.DivIcon.prototype.createIcon.call(this, old);
        element.setAttribute("aria-label", this.options.label);
        return element;
      }
    });
    return function (cluster) {
      var count = cluster.getChildCount();
      var size = count < 10 ? "small" : count < 100 ? "medium" : "large";
      return new Icon({
        html: "<div><span>" + count + "</span></div>",
        className: "marker-cluster marker-cluster-" + size,
        iconSize: L.point(40, 40),
        label: fill(label, count)
      });
    };
  }

  function results(box, canvas, say) {
    var d = box.dataset;
    var markers = fetch(d.markersUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error("map markers: " + response.status); }
        return response.json();
      });
    return Promise.all([library(box, true), markers]).then(function (parts) {
      var data = parts[1];
      var map = baseMap(box, canvas);
      var icon = pin(box);
      var group = L.markerClusterGroup({ showCoverageOnHover: false, iconCreateFunction: clusterIcon(d.clusterLabel) });
      data.markers.forEach(function (m) {
        group.addLayer(L.marker([m.lat, m.lng], { icon: icon, title: m.name, alt: m.name }).bindPopup(popup(m)));
      });
      map.addLayer(group);
      if (data.markers.length) {
        map.fitBounds(group.getBounds(), { padding: [24, 24], maxZoom: 15, animate: false });
      } else {
        map.setView([20, 0], 1);
      }
      canvas.setAttribute("data-markers", String(data.count));
      var text = data.count ? fill(d.loaded, data.count) : d.empty;
      say(data.capped ? text + " " + fill(d.capped, data.limit) : text);
      return map;
    });
  }

  function place(box, canvas, say) {
    var point = box.dataset.point.split(",").map(Number);
    return library(box, false).then(function () {
      var map = baseMap(box, canvas);
      L.marker(point, { icon: pin(box), title: box.dataset.name, alt: box.dataset.name }).addTo(map);
      map.setView(point, 16, { animate: false });
      canvas.setAttribute("data-markers", "1");
      say("");
      return map;
    });
  }

  document.querySelectorAll("[data-map]").forEach(function (box) {
    var button = box.querySelector("[data-map-toggle]");
    var panel = document.getElementById(button.getAttribute("aria-controls"));
    var canvas = panel.querySelector("[data-map-canvas]");
    var status = panel.querySelector("[data-map-status]");
    var shown = null;
    function say(text) { status.textContent = text; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var opening = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", String(opening));
      panel.hidden = !opening;
      if (!opening) { return; }
      if (shown) {
        shown.then(function (map) { if (map) { map.invalidateSize(); } });
        return;
      }
      say(box.dataset.loading);
      shown = (box.dataset.map === "place" ? place : results)(box, canvas, say).catch(function () {
        say(box.dataset.failed);
        shown = null;  // pressing again tries again
        return null;
      });
    });
  });
})();
