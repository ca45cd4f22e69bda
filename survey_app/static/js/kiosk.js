// Kiosk mode on a shared device: after a while with no touch, click or key press, go back to the
// start screen (the server forgets the last person's unsent answers there).
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="cv-kiosk"]');
  if (!meta) { return; }
  var seconds = parseInt(meta.getAttribute("content"), 10) || 180;
  var next = meta.getAttribute("data-next");
  var timer = null;
  function reset() {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(function () { window.location.replace(next); }, seconds * 1000);
  }
  ["pointerdown", "keydown", "input", "scroll", "touchstart"].forEach(function (name) {
    document.addEventListener(name, reset, { passive: true, capture: true });
  });
  reset();
  // The idle timer is running: say so on <html> (see respond.js), for anything waiting on it.
  var root = document.documentElement;
  var ready = (root.getAttribute("data-js-ready") || "").split(" ").filter(Boolean);
  if (ready.indexOf("kiosk") < 0) { ready.push("kiosk"); }
  root.setAttribute("data-js-ready", ready.join(" "));
})();
