/* kizuna search loader — small, classic script on every page. Defines
 * window.kizunaSearch(query, options) → Promise<{ total, results: [{ url, title, excerpt, lang, kind }] }>
 * (options: lang, kind, city, field, yearFrom, yearTo, limit, prefer_lang; see engine.js).
 * The engine (engine.js) and the index manifest are fetched on first use, side by side; the search
 * box script and styles (ui.js, search.css) when the reader first reaches for a search box, or at
 * once on the /search/ page. Without JavaScript the box is a plain form that opens /search/. */
(function (w, d) {
  "use strict";
  var me = d.currentScript;
  var base = me && me.src ? me.src.replace(/[^\/]*(\?.*)?(#.*)?$/, "") : "./";
  /* The theme's fingerprint (?v=…) the page loaded this script with: the files it loads carry it too, so a
   * browser never runs a cached engine of another kizuna version with this loader. */
  var version = me && me.src ? (me.src.match(/\?v=[^#&]*/) || [""])[0] : "";
  var engineP = null, uiP = null;

  function script(name) {
    return new Promise(function (resolve, reject) {
      var s = d.createElement("script");
      s.src = base + name + version;
      s.onload = resolve;
      s.onerror = function () { reject(new Error("kizuna search: cannot load " + s.src)); };
      d.head.appendChild(s);
    });
  }

  /* The engine, loaded once; the manifest is requested at the same time. */
  function engine() {
    if (!engineP) {
      if (/^https?:/.test(base) && typeof fetch === "function") {
        var pre = fetch(base + "manifest.bin", { cache: "no-cache" });
        pre.catch(function () {});
        w.kizunaSearchPrefetch = { "manifest.bin": pre };
      }
      engineP = script("engine.js").then(function () { return w.kizunaSearchEngine; });
      engineP.catch(function () { engineP = null; });
    }
    return engineP;
  }

  function kizunaSearch(query, options) {
    return engine().then(function (e) { return e(query, options); });
  }
  kizunaSearch.facets = function () { return engine().then(function (e) { return e.facets(); }); };
  kizunaSearch.load = engine;
  w.kizunaSearch = kizunaSearch;

  function ui() {
    if (!uiP) {
      var css = d.createElement("link");
      css.rel = "stylesheet";
      css.href = base + "search.css" + version;
      d.head.appendChild(css);
      uiP = script("ui.js");
      engine();
    }
    return uiP;
  }

  function wire() {
    if (d.getElementById("kizuna-search-page")) return ui();
    var inputs = d.querySelectorAll("form[data-kizuna-search] input[type=search]");
    Array.prototype.forEach.call(inputs, function (input) {
      ["focus", "pointerenter", "input"].forEach(function (ev) { input.addEventListener(ev, ui, { once: true }); });
      if (d.activeElement === input || input.value) ui();
    });
  }
  if (d.readyState === "loading") d.addEventListener("DOMContentLoaded", wire); else wire();
})(window, document);
