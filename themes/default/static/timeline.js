// Timeline filters without a page load. The filter links work without JavaScript (a page per filter value);
// on the page with every entry this script filters in place instead and keeps the choice in the URL's hash
// (#city=dalian), so that the back button and shared links work.
(function () {
  "use strict";
  var bar = document.querySelector("[data-timeline-filters]");
  var list = document.querySelector("[data-timeline]");
  if (!bar || !list) return;
  var all = bar.querySelector('a[data-filter=""]');
  if (!all || !all.hasAttribute("aria-current")) return; // a filter page: plain links
  var count = document.querySelector("[data-timeline-count]");
  var links = Array.prototype.slice.call(bar.querySelectorAll("a[data-filter]"));

  function apply() {
    var want = decodeURIComponent(location.hash.replace(/^#/, ""));
    var parts = want.split("=");
    var dim = parts.length === 2 && /^(city|field|kind)$/.test(parts[0]) ? parts[0] : "";
    var value = dim ? parts[1] : "";
    var shown = 0;
    list.querySelectorAll(".timeline-entry").forEach(function (li) {
      var ok = !dim || (li.getAttribute("data-" + dim) || "").split(" ").indexOf(value) >= 0;
      li.hidden = !ok;
      if (ok) shown++;
    });
    list.querySelectorAll(".timeline-year, .timeline-decade").forEach(function (g) {
      g.hidden = !g.querySelector(".timeline-entry:not([hidden])");
    });
    links.forEach(function (a) {
      if (a.getAttribute("data-filter") === (dim ? dim + "=" + value : "")) a.setAttribute("aria-current", "page");
      else a.removeAttribute("aria-current");
    });
    if (count && count.getAttribute("data-template")) {
      count.textContent = count.getAttribute("data-template")
        .replace("{count}", shown).replace("{total}", count.getAttribute("data-total"));
    }
  }

  links.forEach(function (a) {
    a.addEventListener("click", function (ev) {
      if (ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.button !== 0) return;
      ev.preventDefault();
      var f = a.getAttribute("data-filter");
      if (f) location.hash = f;
      else history.pushState(null, "", location.pathname + location.search);
      apply();
    });
  });
  window.addEventListener("hashchange", apply);
  window.addEventListener("popstate", apply);
  if (location.hash) apply();
})();
