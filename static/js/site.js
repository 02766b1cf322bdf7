/* Small enhancements; every page works without them.
   Nothing here talks to any server but ours, and a visitor's position is
   rounded (about 1 km) before it leaves the browser, for the query only. */
(function () {
  "use strict";

  var zone = "";
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { zone = ""; }

  function round(value) { return (Math.round(value * 100) / 100).toFixed(2); }

  // The viewer's time zone rides along with searches, so online meetings show in their time.
  document.querySelectorAll("form[data-search-form]").forEach(function (form) {
    var tz = form.querySelector("input[name=tz]");
    if (!tz) {
      tz = document.createElement("input");
      tz.type = "hidden";
      tz.name = "tz";
      form.appendChild(tz);
    }
    if (!tz.value && zone) { tz.value = zone; }
    var near = form.querySelector("input[name=near]");
    if (near) {
      near.addEventListener("input", function () {
        ["lat", "lng"].forEach(function (name) {
          var field = form.querySelector("input[name=" + name + "]");
          if (field) { field.value = ""; }
        });
      });
    }
  });

  // "Use my location".
  document.querySelectorAll("[data-locate]").forEach(function (button) {
    if (!("geolocation" in navigator)) { return; }
    button.hidden = false;
    var form = button.closest("form");
    var status = form && form.querySelector("[data-locate-status]");
    function say(text) { if (status) { status.textContent = text; } }
    button.addEventListener("click", function () {
      say(button.getAttribute("data-finding") || "Finding your location…");
      navigator.geolocation.getCurrentPosition(function (position) {
        var params = new URLSearchParams(new FormData(form));
        params.delete("near");
        params.delete("page");
        params.set("lat", round(position.coords.latitude));
        params.set("lng", round(position.coords.longitude));
        params.delete("sort");  // now first, within the radius: the distance is on every card
        if (zone) { params.set("tz", zone); }
        Array.from(params.keys()).forEach(function (key) { if (params.get(key) === "") { params.delete(key); } });
        window.location.assign(form.getAttribute("action") + "?" + params.toString());
      }, function () {
        say(button.getAttribute("data-failed") || "We couldn't get your location. Type a ZIP code or a city instead.");
      }, { enableHighAccuracy: false, timeout: 15000, maximumAge: 600000 });
    });
  });

  // Online and phone meeting times, also in the viewer's own zone: the one place any page says "your time".
  // The server never guesses a visitor's zone, so without JavaScript no page shows one.
  if (zone) {
    var dayTime = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
      weekday: "short", hour: "numeric", minute: "2-digit", timeZone: zone
    });
    document.querySelectorAll("time[data-viewer-time]").forEach(function (el) {
      var when = new Date(el.getAttribute("datetime"));
      if (isNaN(when)) { return; }
      var offset = el.getAttribute("datetime").slice(-6);
      var mine = -new Date(when).getTimezoneOffset();
      var sign = mine >= 0 ? "+" : "-";
      var abs = Math.abs(mine);
      var mineText = sign + String(Math.floor(abs / 60)).padStart(2, "0") + ":" + String(abs % 60).padStart(2, "0");
      if (offset === mineText) { return; }
      var span = document.createElement("span");
      span.className = "viewer-time";
      span.textContent = dayTime.format(when) + " " + (document.documentElement.getAttribute("data-your-time") || "your time");
      el.appendChild(span);
    });
  }

  // A visitor whose browser prefers another language we speak is offered this page in it, once: a bookmarked
  // page never changes language by itself. Remembered in this browser only.
  var preferred = ((navigator.languages && navigator.languages[0]) || navigator.language || "").toLowerCase();
  document.querySelectorAll("[data-language-suggestion]").forEach(function (note) {
    var code = note.getAttribute("data-language-suggestion");
    var seen = "";
    try { seen = window.localStorage.getItem("language-suggested") || ""; } catch (e) { seen = "shown"; }
    if (preferred.split("-")[0] !== code || seen) { return; }
    note.hidden = false;
    try { window.localStorage.setItem("language-suggested", code); } catch (e) { /* private mode: shown each time */ }
  });

  // After a search, take keyboard and screen-reader users to the result count.
  var summary = document.querySelector("[data-results-summary]");
  if (summary && window.location.search) { summary.focus({ preventScroll: false }); }
})();
