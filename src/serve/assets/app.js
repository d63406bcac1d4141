// news-search page enhancements: results as you type, "/" to focus the box,
// j/k between results, dragging across timeline bars. The page works without it.
// Article text never passes through innerHTML: new results come as a whole
// server-rendered (escaped) document, parsed with DOMParser, and swapped in.
"use strict";
(function () {
  const box = document.getElementById("q");
  const form = document.getElementById("search");
  let timer = null;
  let current = -1;

  function url() {
    const data = new URLSearchParams(new FormData(form));
    return "/?" + data.toString();
  }

  async function load(target, push) {
    const response = await fetch(target, { headers: { Accept: "text/html" } });
    const text = await response.text();
    const doc = new DOMParser().parseFromString(text, "text/html");
    const fresh = doc.getElementById("results");
    const results = document.getElementById("results");
    if (!fresh || !results) return;
    results.replaceWith(document.importNode(fresh, true));
    document.title = doc.title;
    // A link that changed the query (a distinctive term, a suggestion) shows it
    // in the box, unless the reader is typing there.
    const freshBox = doc.getElementById("q");
    if (freshBox && box && document.activeElement !== box) box.value = freshBox.value;
    if (push) history.pushState(null, "", target); else history.replaceState(null, "", target);
    current = -1;
    wire();
  }

  if (box && form) {
    box.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        if (box.value.trim() !== "") load(url(), false);
      }, 300);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearTimeout(timer);
      load(url(), true);
    });
  }
  window.addEventListener("popstate", function () { load(location.pathname + location.search, false); });

  document.addEventListener("keydown", function (event) {
    const typing = event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement;
    if (event.key === "/" && !typing && box) {
      event.preventDefault();
      box.focus();
      box.select();
      return;
    }
    if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
    const hits = Array.from(document.querySelectorAll(".hit"));
    if (!hits.length || (event.key !== "j" && event.key !== "k")) return;
    current = event.key === "j" ? Math.min(current + 1, hits.length - 1) : Math.max(current - 1, 0);
    hits.forEach(function (hit, n) { hit.classList.toggle("current", n === current); });
    const link = hits[current].querySelector("h2 a");
    if (link) link.focus();
  });

  // Internal links inside the results load in place; drag across bars to narrow.
  function wire() {
    const results = document.getElementById("results");
    if (!results) return;
    results.querySelectorAll("a[href^='/?']").forEach(function (a) {
      a.addEventListener("click", function (event) {
        if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
        event.preventDefault();
        load(a.getAttribute("href"), true);
      });
    });
    const bars = Array.from(results.querySelectorAll("figure.timeline a[data-since]"));
    let from = null;
    bars.forEach(function (bar, n) {
      bar.addEventListener("mousedown", function (event) { from = n; event.preventDefault(); });
      bar.addEventListener("mouseenter", function () {
        if (from === null) return;
        bars.forEach(function (b, m) {
          const rect = b.querySelector("rect");
          if (rect) rect.classList.toggle("selected", m >= Math.min(from, n) && m <= Math.max(from, n));
        });
      });
      bar.addEventListener("mouseup", function (event) {
        if (from === null || from === n) { from = null; return; }
        event.preventDefault();
        const first = bars[Math.min(from, n)].dataset.since;
        const last = bars[Math.max(from, n)].dataset.until;
        from = null;
        const target = new URL(bar.getAttribute("href"), location.href);
        target.searchParams.set("since", first);
        target.searchParams.set("until", last);
        load(target.pathname + target.search, true);
      });
    });
  }
  wire();
})();

// Batch search: a chosen file is read into the list box (the form posts text).
(function () {
  var file = document.getElementById('list-file');
  var list = document.getElementById('list');
  if (!file || !list) return;
  file.addEventListener('change', function () {
    var chosen = file.files && file.files[0];
    if (!chosen) return;
    chosen.text().then(function (text) { list.value = text; });
  });
})();
