// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  var NEUTRAL = "https://www.bbc.co.uk/weather";

  // Quick exit: wipe the page, then leave through /exit (which deletes the unsent answers on the
  // server and the cookie) with location.replace, so the page being left is not kept in the history.
  // The survey's earlier pages stay in the history as addresses only: they are never cached
  // (Cache-Control: no-store) and are rebuilt from the server's copy of the answers, which is gone
  // by then, so going Back to them shows an empty start page instead of anything that was answered.
  function quickExit(event) {
    if (event) { event.preventDefault(); }
    var link = document.querySelector("[data-quick-exit]");
    if (window.speechSynthesis) { window.speechSynthesis.cancel(); }
    document.title = "";
    document.body.innerHTML = "";
    try { window.sessionStorage.clear(); } catch (e) { /* storage may be disabled */ }
    window.location.replace(link ? link.href : NEUTRAL);
  }
  var shifts = 0, timer = null;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Shift") { shifts = 0; return; }
    if (event.repeat) { return; } // Shift held down (auto-repeat) is one press, not three
    shifts += 1;
    clearTimeout(timer);
    timer = setTimeout(function () { shifts = 0; }, 1000);
    if (shifts >= 3) { quickExit(); }
  });
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-quick-exit], a.quick-exit-float") : null;
    if (link && !event.defaultPrevented && event.button === 0) { quickExit(event); }
  });

  // --- Back goes to the previous question ---------------------------------------------------------
  // Links and forms are ordinary navigations, so every page is its own history entry and the phone's
  // Back button goes to the previous question. Answers are saved on the server as each page is sent,
  // and every page is built afresh from them (never from the browser's cache), so Back shows them
  // until the person sends them or leaves quickly, and nothing after that.
  window.addEventListener("pageshow", function (event) {
    // A page kept whole in the back-forward cache would show what was on it when it was left, even
    // after the answers were sent or wiped: ask the server for it again instead.
    if (event.persisted) { window.location.reload(); }
  });
  // A page with a message about an answer is the result of sending a form: make its history entry
  // an ordinary address, so coming back to it later loads it afresh instead of asking to send again.
  if (document.querySelector("[data-error-summary]") && window.history.replaceState) {
    window.history.replaceState(window.history.state, "", window.location.href);
  }
  // One press sends a page: a second press while the first is on its way would send it again.
  var sending = false;
  window.addEventListener("pageshow", function () { sending = false; });
  document.addEventListener("submit", function (event) {
    if (event.defaultPrevented) { return; }
    var method = ((event.submitter && event.submitter.getAttribute("formmethod")) || event.target.getAttribute("method") || "get").toLowerCase();
    if (method !== "post") { return; }
    if (sending) { event.preventDefault(); return; }
    sending = true;
  });

  // --- Read aloud, with the device's own voices only -------------------------------------------
  function localVoice() {
    if (!("speechSynthesis" in window) || !window.SpeechSynthesisUtterance) { return null; }
    var lang = (document.documentElement.lang || "en").toLowerCase().slice(0, 2);
    // Only voices that run on this device: online voices would send the words elsewhere.
    var voices = window.speechSynthesis.getVoices().filter(function (v) { return v.localService; });
    return voices.filter(function (v) { return v.lang.toLowerCase().slice(0, 2) === lang; })[0] || null;
  }
  function textOf(block) {
    var parts = [];
    var heading = block.querySelector("legend, label.question-text, .legend-heading");
    if (heading) { parts.push(heading.textContent); }
    block.querySelectorAll(".hint:not([id$='-limit'])").forEach(function (h) { parts.push(h.textContent); });
    block.querySelectorAll(".choice label, .face-choice label, select option").forEach(function (l) { parts.push(l.textContent); });
    return parts.map(function (p) { return p.replace(/\s+/g, " ").trim(); }).filter(Boolean).join(". ");
  }
  function setUpReadAloud(root) {
    var buttons = root.querySelectorAll("[data-read-aloud]");
    if (!buttons.length) { return; }
    var voice = localVoice();
    buttons.forEach(function (button) {
      button.hidden = !voice;
      if (!voice || button.dataset.ready) { return; }
      button.dataset.ready = "1";
      button.addEventListener("click", function () {
        var block = document.getElementById(button.getAttribute("data-read-aloud"));
        var synth = window.speechSynthesis;
        synth.cancel();
        var utterance = new SpeechSynthesisUtterance(textOf(block));
        utterance.voice = localVoice();
        utterance.lang = document.documentElement.lang || "en";
        utterance.rate = 0.9;
        synth.speak(utterance);
      });
    });
  }
  if ("speechSynthesis" in window && window.speechSynthesis.addEventListener) {
    window.speechSynthesis.addEventListener("voiceschanged", function () { setUpReadAloud(document); });
  }

  // --- Per-page behaviour ----------------------------------------------------------------------
  function enhance(root) {
    setUpReadAloud(root);
    // Move focus to the error summary so screen readers announce it.
    var summary = root.querySelector("[data-error-summary]");
    if (summary) { summary.focus(); }
    // Exclusive tick boxes ("None of these", "Prefer not to say") clear the others, and the reverse.
    root.querySelectorAll("input[type=checkbox]").forEach(function (box) {
      box.addEventListener("change", function () {
        if (!box.checked) { return; }
        var group = document.querySelectorAll("input[type=checkbox][name='" + box.name + "']");
        group.forEach(function (other) {
          if (other !== box && (box.hasAttribute("data-exclusive") || other.hasAttribute("data-exclusive"))) { other.checked = false; }
        });
        // "Nothing worries me" empties the "Other" box too: words left in it went on to be sent as
        // "Other", or, with the exclusive answer, to an error a child could not follow.
        var written = box.hasAttribute("data-exclusive") ? document.querySelector("input[name='" + box.name + "-other']") : null;
        if (written) { written.value = ""; }
      });
    });
    // Writing in the "Other" box of tick boxes ticks "Other" (and so clears an exclusive answer).
    root.querySelectorAll(".other-box input[type=text]").forEach(function (written) {
      written.addEventListener("input", function () {
        var name = written.name.replace(/-other$/, "");
        var choice = document.getElementById(name + "-other-choice") || document.getElementById(name + "-other");
        if (!written.value.trim() || !choice || choice === written || choice.type !== "checkbox" || choice.checked) { return; }
        choice.checked = true;
        document.querySelectorAll("input[type=checkbox][name='" + name + "'][data-exclusive]").forEach(function (x) { x.checked = false; });
      });
    });
    // A text box with a limit counts down under it as it is typed. The count is read out only when
    // typing pauses (a status region updated after a second), not at every letter.
    root.querySelectorAll("[data-count-for]").forEach(function (hint) {
      var box = document.getElementById(hint.getAttribute("data-count-for"));
      var limit = box ? parseInt(box.getAttribute("data-max-length"), 10) : NaN;
      if (!box || !(limit > 0)) { return; }
      var spoken = document.createElement("span");
      spoken.className = "visually-hidden";
      spoken.setAttribute("role", "status");
      hint.parentNode.insertBefore(spoken, hint.nextSibling);
      var timer = null;
      function update() {
        var used = Array.from(box.value).length;
        var words = used > limit ? hint.getAttribute("data-over").replace("{n}", String(used - limit))
                                 : hint.getAttribute("data-left").replace("{n}", String(limit - used));
        hint.textContent = words;
        hint.classList.toggle("over-limit", used > limit);
        clearTimeout(timer);
        timer = setTimeout(function () { spoken.textContent = words; }, 1000);
      }
      box.addEventListener("input", update);
      if (box.value) { update(); }
    });
    // One press of the send button: a second press while the first is on its way does nothing.
    root.querySelectorAll("[data-prevent-double-click]").forEach(function (button) {
      button.form.addEventListener("submit", function (event) {
        if (button.dataset.sent) { event.preventDefault(); event.stopImmediatePropagation(); return; }
        button.dataset.sent = "1";
      });
    });
  }
  enhance(document);
  markReady("respond");

  // Say on the page that this script's handlers are attached, so anything driving the page (the
  // browser tests) can wait for that rather than for time. A space-separated list on <html>, one
  // name per script.
  function markReady(name) {
    var root = document.documentElement;
    var ready = (root.getAttribute("data-js-ready") || "").split(" ").filter(Boolean);
    if (ready.indexOf(name) < 0) { ready.push(name); }
    root.setAttribute("data-js-ready", ready.join(" "));
  }
})();
