// Masthead reader: the text-size control. The remembered size is applied by the inline
// script in <head> before first paint; this file only wires up the buttons.
(function () {
  "use strict";
  var KEY = "masthead-text-size", MIN = -1, MAX = 3;
  var root = document.documentElement;

  function current() {
    var value = parseInt(root.getAttribute("data-text-size") || "0", 10);
    return isNaN(value) ? 0 : value;
  }

  function apply(size, output) {
    size = Math.max(MIN, Math.min(MAX, size));
    if (size === 0) root.removeAttribute("data-text-size");
    else root.setAttribute("data-text-size", String(size));
    try { localStorage.setItem(KEY, String(size)); } catch (e) { /* private mode: not remembered */ }
    if (output) output.textContent = output.getAttribute("data-label").replace("%s", String(100 + size * 12) + "%");
    return size;
  }

  document.querySelectorAll(".text-size").forEach(function (control) {
    var output = control.querySelector("output");
    if (output && !output.getAttribute("data-label")) output.setAttribute("data-label", control.getAttribute("data-announce") || "Text size %s");
    control.querySelectorAll("button[data-step]").forEach(function (button) {
      button.addEventListener("click", function () {
        apply(current() + parseInt(button.getAttribute("data-step"), 10), output);
      });
    });
  });
})();

// The ticker: every minute, new values from /ticker.json written into the same elements, so
// nothing moves (fixed widths in the stylesheet). Without JS the server's values stay.
(function () {
  "use strict";
  var ticker = document.querySelector(".ticker[data-src]");
  if (!ticker || !window.fetch) return;
  var PERIOD = 60000;

  function update(data) {
    (data.lines || []).forEach(function (line) {
      var item = ticker.querySelector('li[data-symbol="' + line.symbol + '"]');
      if (!item) return;
      item.querySelector(".chg").textContent = line.change;
      item.querySelector(".px").textContent = line.price + " " + line.currency;
      item.className = "q q-" + line.direction + " q-" + line.state;
    });
    var time = ticker.querySelector(".ticker-note time");
    if (time && data.as_of) {
      time.setAttribute("datetime", data.as_of);
      var when = new Date(data.as_of);
      time.textContent = when.toLocaleString(document.documentElement.lang || undefined,
        {day: "numeric", month: "short", hour: "2-digit", minute: "2-digit"});
    }
  }

  function refresh() {
    if (document.hidden) return;
    fetch(ticker.getAttribute("data-src"), {credentials: "omit"})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data) update(data); })
      .catch(function () { /* offline: keep what is shown */ });
  }

  setInterval(refresh, PERIOD);
})();
