// Lesson sheets: print buttons and the A4 / US Letter toggle. Without JavaScript the browser's own print
// command still works and the site's configured paper size applies (the inline <style id="kz-paper">).
(function () {
  "use strict";
  var KEY = "kizuna-paper";
  var SIZES = { a4: "A4", letter: "letter" };
  var bar = document.querySelector("[data-paper-default]");
  var fallback = (bar && bar.getAttribute("data-paper-default")) || "a4";

  function stored() {
    try { return window.localStorage.getItem(KEY); } catch (e) { return null; }
  }
  function remember(p) {
    try { window.localStorage.setItem(KEY, p); } catch (e) { /* private mode or file:// */ }
  }
  function fromQuery() {
    var m = /[?&]paper=(a4|letter)\b/i.exec(window.location.search);
    return m ? m[1].toLowerCase() : null;
  }
  function apply(p) {
    if (!SIZES[p]) p = fallback;
    var style = document.getElementById("kz-paper");
    if (!style) {
      style = document.createElement("style");
      style.id = "kz-paper";
      document.head.appendChild(style);
    }
    style.textContent = "@page { size: " + SIZES[p] + "; }";
    document.body.classList.remove("paper-a4", "paper-letter");
    document.body.classList.add("paper-" + p);
    document.querySelectorAll("[data-paper]").forEach(function (b) {
      b.setAttribute("aria-pressed", b.getAttribute("data-paper") === p ? "true" : "false");
    });
  }

  var asked = fromQuery();
  if (asked) remember(asked);
  apply(asked || stored() || fallback);

  document.querySelectorAll("[data-paper]").forEach(function (b) {
    b.addEventListener("click", function () {
      var p = b.getAttribute("data-paper");
      remember(p);
      apply(p);
    });
  });
  document.querySelectorAll("[data-print]").forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () { window.print(); });
  });
  document.querySelectorAll("[data-paper-toggle]").forEach(function (t) { t.hidden = false; });
  document.querySelectorAll("[data-no-js]").forEach(function (h) { h.hidden = true; });
})();
