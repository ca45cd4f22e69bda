// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Quick exit: replace this page in the history so Back does not return to the survey.
  function quickExit(event) {
    if (event) { event.preventDefault(); }
    var link = document.querySelector("[data-quick-exit]");
    document.body.innerHTML = "";
    try { window.sessionStorage.clear(); } catch (e) { /* storage may be disabled */ }
    window.location.replace(link ? link.href : "https://www.bbc.co.uk/weather");
  }
  document.querySelectorAll("[data-quick-exit]").forEach(function (el) { el.addEventListener("click", quickExit); });
  var shifts = 0, timer = null;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Shift") { shifts = 0; return; }
    if (event.repeat) { return; } // Shift held down (auto-repeat) is one press, not three
    shifts += 1;
    clearTimeout(timer);
    timer = setTimeout(function () { shifts = 0; }, 1000);
    if (shifts >= 3) { quickExit(); }
  });
  // Move focus to the error summary so screen readers announce it.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }
  // Exclusive tick boxes ("None of these", "Prefer not to say") clear the others, and the reverse.
  document.querySelectorAll("input[type=checkbox]").forEach(function (box) {
    box.addEventListener("change", function () {
      if (!box.checked) { return; }
      var group = document.querySelectorAll("input[type=checkbox][name='" + box.name + "']");
      group.forEach(function (other) {
        if (other !== box && (box.hasAttribute("data-exclusive") || other.hasAttribute("data-exclusive"))) { other.checked = false; }
      });
    });
  });
  // One press of the send button: a second press while the first is on its way does nothing.
  document.querySelectorAll("[data-prevent-double-click]").forEach(function (button) {
    button.form.addEventListener("submit", function (event) {
      if (button.dataset.sent) { event.preventDefault(); return; }
      button.dataset.sent = "1";
    });
  });
})();
