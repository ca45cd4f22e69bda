// Keyboard shortcuts for the theme review screen: 1-9 toggle a theme, S saves, K skips.
// Everything also works without this file (Tab, Space, Enter).
(function () {
  "use strict";
  var form = document.getElementById("review-form");
  if (!form) { return; }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var target = event.target;
    if (target && (target.tagName === "TEXTAREA" || (target.tagName === "INPUT" && target.type !== "checkbox"))) { return; }
    var key = event.key;
    if (/^[1-9]$/.test(key)) {
      var choice = form.querySelector('.theme-choice[data-key="' + key + '"] input');
      if (choice) {
        choice.checked = !choice.checked;
        choice.focus();
        event.preventDefault();
      }
    } else if (key === "s" || key === "S") {
      event.preventDefault();
      form.requestSubmit ? form.requestSubmit() : form.submit();
    } else if (key === "k" || key === "K") {
      event.preventDefault();
      window.location.assign(document.getElementById("skip").href);
    }
  });
  // The shortcuts are listening: say so on <html> (see respond.js), for anything waiting to press them.
  var root = document.documentElement;
  var ready = (root.getAttribute("data-js-ready") || "").split(" ").filter(Boolean);
  if (ready.indexOf("coding-review") < 0) { ready.push("coding-review"); }
  root.setAttribute("data-js-ready", ready.join(" "));
}());
