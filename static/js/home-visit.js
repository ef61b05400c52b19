/* Home visit: once the person agrees, ask the browser where we are and keep it in the hidden
   inputs; if they withdraw consent, forget it. No inline script (CSP: scripts from 'self' only). */
(function () {
  "use strict";
  function setup(root) {
    var consent = root.querySelector("[data-consent=home-visit]");
    if (!consent || consent.dataset.bound) { return; }
    consent.dataset.bound = "1";
    var lat = root.querySelector("#visit-latitude");
    var lon = root.querySelector("#visit-longitude");
    var acc = root.querySelector("#visit-accuracy");
    var note = root.querySelector("#visit-location");
    var say = function (text) { if (note && text) { note.textContent = text; } };
    var clear = function () { lat.value = ""; lon.value = ""; acc.value = ""; };
    consent.addEventListener("change", function () {
      if (!consent.checked) { clear(); say(note.dataset.cleared); return; }
      if (!navigator.geolocation) { say(note.dataset.unavailable); return; }
      say(note.dataset.asking);
      navigator.geolocation.getCurrentPosition(function (pos) {
        if (!consent.checked) { return; }
        lat.value = pos.coords.latitude.toFixed(6);
        lon.value = pos.coords.longitude.toFixed(6);
        acc.value = Math.round(pos.coords.accuracy);
        say(note.dataset.found);
      }, function () { clear(); say(note.dataset.unavailable); }, { enableHighAccuracy: true, timeout: 15000 });
    });
  }
  function all() { setup(document); }
  document.addEventListener("DOMContentLoaded", all);
  document.addEventListener("htmx:load", all);
  all();
}());
