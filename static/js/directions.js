/* Directions in the phone's own maps app: Apple Maps on Apple devices, Google
   Maps (and a geo: link for any other app) on Android. Without this script,
   or elsewhere, the link stays OpenStreetMap's. Only the links change: no map
   service hears of the visitor until they tap one. */
(function () {
  "use strict";

  var agent = navigator.userAgent || "";
  var platform = navigator.platform || "";
  // Macs count too (maps.apple.com opens Maps there), and so iPads, which present themselves as Macs.
  var apple = /iPhone|iPad|iPod|Macintosh/.test(agent) || /^(Mac|iPhone|iPad|iPod)/.test(platform);
  var android = /Android/i.test(agent);

  document.querySelectorAll("[data-directions]").forEach(function (box) {
    var link = box.querySelector("[data-directions-link]");
    var geo = box.querySelector("[data-directions-geo]");
    var kind = apple ? "apple" : android ? "android" : "";
    if (!kind || !link) { return; }
    link.href = link.getAttribute("data-" + kind + "-href");
    link.textContent = link.getAttribute("data-" + kind + "-label");
    if (geo && android) { geo.hidden = false; }
  });
})();
