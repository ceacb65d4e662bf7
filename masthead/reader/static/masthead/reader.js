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
