// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  var NEUTRAL = "https://www.bbc.co.uk/weather";

  // Quick exit: wipe the page and replace it in the history. Because survey navigation below never
  // adds history entries, the whole visit is one entry, so Back cannot return to the survey.
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

  // --- Navigation that leaves no trail -------------------------------------------------------
  // Links on this site open with location.replace, and forms are sent with fetch and the page they
  // lead to is opened with location.replace, so moving through the survey never adds to the Back
  // history: the whole visit is one entry, which the quick exit then replaces. Each page is still an
  // ordinary page load. On any failure the browser does an ordinary navigation, so nothing is lost.
  var busy = false, leaving = false;
  // If the person goes somewhere else while an answer is on its way, go there, not to the next page.
  window.addEventListener("beforeunload", function () { leaving = true; });
  function sameSite(url) {
    return url.origin === window.location.origin;
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[href]") : null;
    if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) { return; }
    if (link.hasAttribute("data-quick-exit")) { quickExit(event); return; }
    var url = new URL(link.href, window.location.href);
    if (!sameSite(url) || link.target || link.hasAttribute("download") || url.pathname.indexOf("/static/") === 0) { return; }
    if (url.pathname === window.location.pathname && url.search === window.location.search && url.hash) { return; } // same-page anchor
    event.preventDefault();
    window.location.replace(url.href);
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter;
    // The button pressed may send the form elsewhere ("Save and come back later" has its own
    // formaction and formmethod); getAttribute: a button named "action" hides form.action.
    var action = (button && button.getAttribute("formaction")) || form.getAttribute("action") || window.location.href;
    var method = (button && button.getAttribute("formmethod")) || form.getAttribute("method") || "get";
    if (event.defaultPrevented || method.toLowerCase() !== "post") { return; }
    var url = new URL(action, window.location.href);
    if (!sameSite(url)) { return; }
    event.preventDefault();
    if (busy) { return; }
    busy = true;
    var data = new FormData(form);
    if (button && button.name) { data.append(button.name, button.value); }
    fetch(url.href, { method: "POST", body: new URLSearchParams(data), credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) {
        if (!sameSite(new URL(response.url))) { throw new Error("left the site"); }
        if (leaving) { return; }
        if (response.redirected) { window.location.replace(response.url); return; }
        // The same page again, with a message (an error): show it in place of this one.
        return response.text().then(function (html) {
          document.open();
          document.write(html);
          document.close();
        });
      })
      .catch(function () {
        busy = false;
        // An ordinary submit as a last resort (adds a history entry, but keeps the answers).
        if (button && button.name) {
          var hidden = document.createElement("input");
          hidden.type = "hidden"; hidden.name = button.name; hidden.value = button.value;
          form.appendChild(hidden);
        }
        form.setAttribute("action", url.href); // submit() ignores the button's formaction
        HTMLFormElement.prototype.submit.call(form);
      });
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

  // --- Per-page behaviour, run on load and after each swapped-in page --------------------------
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
      });
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
  // name per script; a page swapped in with document.write gets a new <html>, so it starts empty.
  function markReady(name) {
    var root = document.documentElement;
    var ready = (root.getAttribute("data-js-ready") || "").split(" ").filter(Boolean);
    if (ready.indexOf(name) < 0) { ready.push(name); }
    root.setAttribute("data-js-ready", ready.join(" "));
  }
})();
