// Live preview of an article body written as text (newsroom/services/bodytext.py reads it the
// same way on the server, which also cleans it). Only the inline tags the server keeps are
// shown here; anything else is shown as its text.
"use strict";
(function () {
  const KEEP = new Set(["EM", "STRONG", "B", "I", "A", "BR", "SUB", "SUP"]);
  const INTERTITLE = /^-\s+(.+?)\s+-$/;

  function inline(html, into) {
    const doc = new DOMParser().parseFromString(`<body>${html}</body>`, "text/html");
    (function copy(from, to) {
      for (const node of from.childNodes) {
        if (node.nodeType === Node.TEXT_NODE) {
          to.appendChild(document.createTextNode(node.textContent));
        } else if (node.nodeType === Node.ELEMENT_NODE) {
          if (!KEEP.has(node.tagName)) { copy(node, to); continue; }
          const el = document.createElement(node.tagName.toLowerCase());
          const href = node.getAttribute("href");
          if (node.tagName === "A" && href && /^(https?:|mailto:)/i.test(href)) el.setAttribute("href", href);
          copy(node, el);
          to.appendChild(el);
        }
      }
    })(doc.body, into);
  }

  function render(text, preview) {
    preview.replaceChildren();
    for (const chunk of text.replace(/\r\n?/g, "\n").split(/\n[ \t]*\n/)) {
      const lines = chunk.split("\n").map((l) => l.trim()).filter(Boolean);
      if (!lines.length) continue;
      const title = lines.length === 1 && lines[0].match(INTERTITLE);
      let el;
      if (title) { el = document.createElement("h2"); inline(title[1], el); }
      else if (lines[0].startsWith(">")) {
        el = document.createElement("blockquote");
        inline(lines.map((l) => l.replace(/^>\s*/, "")).join(" "), el);
      } else { el = document.createElement("p"); inline(lines.join(" "), el); }
      preview.appendChild(el);
    }
  }

  function start() {
    for (const preview of document.querySelectorAll(".mh-body-preview")) {
      const area = document.getElementById(preview.dataset.for);
      if (!area) continue;
      const update = () => render(area.value, preview);
      area.addEventListener("input", update);
      update();
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
