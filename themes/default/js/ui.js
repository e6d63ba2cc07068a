/* kizuna search box and search page — dependency-free, classic script, loaded by kizuna-search.js
 * when the reader first reaches for a search box (or at once on /search/).
 * Enhances every form[data-kizuna-search] (ARIA combobox with a results listbox, results as the
 * reader types) and, on the /search/ page, fills #kizuna-search-page with full results and facet
 * filters (kind, language, city, field, year range) kept in the URL (?q=…&kind=…).
 * Labels: optional data-label-* attributes on the form or page element, English fallback. */
(function () {
  "use strict";
  var doc = document;
  if (typeof window.kizunaSearch !== "function") return;
  var search = window.kizunaSearch;
  var readerLang = (doc.documentElement.getAttribute("lang") || "").split("-")[0] || undefined;
  var uid = 0;

  var EN = {
    results: "{n} results", "one-result": "1 result", "no-results": "No results for “{q}”",
    loading: "Searching…", error: "Search is not available.", kind: "Kind", lang: "Language",
    city: "City", field: "Field", "year-from": "From year", "year-to": "To year", any: "All",
    "all-results": "All results for “{q}”", filters: "Filters", clear: "Clear filters", more: "Show more results"
  };
  var KINDS = {
    case_study: "Case study", agreement: "Agreement", event: "Event", city: "City",
    programme: "Programme", lesson: "Lesson", page: "Page"
  };

  function label(el, key, vars) {
    var s = (el && el.getAttribute("data-label-" + key)) || EN[key] || key;
    if (vars) Object.keys(vars).forEach(function (k) { s = s.split("{" + k + "}").join(vars[k]); });
    return s;
  }
  function kindName(el, k) { return (el && el.getAttribute("data-kind-" + k)) || KINDS[k] || k; }
  var langNames = null;
  try { langNames = new Intl.DisplayNames([readerLang || "en"], { type: "language" }); } catch (e) { langNames = null; }
  function langName(el, l) {
    var a = el && el.getAttribute("data-lang-" + l);
    if (a) return a;
    try { return (langNames && langNames.of(l)) || l; } catch (e) { return l; }
  }
  function countLabel(el, n) { return n === 1 ? label(el, "one-result") : label(el, "results", { n: n }); }
  function make(tag, cls, text) {
    var e = doc.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  function debounce(fn, ms) {
    var t;
    return function () { var a = arguments; clearTimeout(t); t = setTimeout(function () { fn.apply(null, a); }, ms); };
  }

  function resultBody(el, r, tagName) {
    var a = make("a", "kz-result-link");
    a.href = r.href || r.url;
    a.tabIndex = -1;
    if (r.lang) a.hreflang = r.lang;
    var t = make("span", "kz-result-title", r.title);
    if (r.lang) t.lang = r.lang;
    var meta = make("span", "kz-result-meta", kindName(el, r.kind) + " · " + langName(el, r.lang));
    var ex = make(tagName || "span", "kz-result-excerpt");
    if (r.lang) ex.lang = r.lang;
    ex.innerHTML = r.excerpt; /* escaped by the client; only <mark> is markup */
    a.appendChild(t); a.appendChild(meta); a.appendChild(ex);
    return a;
  }

  /* ---------- the search box (combobox) ---------- */

  function enhanceBox(form, onPage) {
    var input = form.querySelector('input[name="q"]');
    if (!input || form.kizunaEnhanced) return;
    form.kizunaEnhanced = true;
    var id = "kz-search-" + (++uid);
    form.classList.add("kz-search");
    var list = make("ul", "kz-listbox");
    list.id = id + "-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", input.getAttribute("aria-label") || label(form, "results", { n: "" }).trim());
    list.hidden = true;
    var status = make("div", "kz-status visually-hidden");
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    form.appendChild(list);
    form.appendChild(status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("autocomplete", "off");
    var active = -1, items = [], seq = 0;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function setActive(i) {
      if (!items.length) return;
      active = (i + items.length) % items.length;
      items.forEach(function (li, j) { li.setAttribute("aria-selected", j === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", items[active].id);
      items[active].scrollIntoView({ block: "nearest" });
    }
    var run = debounce(function () {
      var q = input.value;
      if (onPage) { onPage(q); return; }
      var mine = ++seq;
      if (!q.trim()) { close(); list.textContent = ""; status.textContent = ""; return; }
      search(q, { prefer_lang: readerLang, limit: 8 }).then(function (res) {
        if (mine !== seq) return;
        list.textContent = "";
        items = [];
        active = -1;
        input.removeAttribute("aria-activedescendant");
        res.results.forEach(function (r, i) {
          var li = make("li", "kz-option");
          li.id = id + "-opt-" + i;
          li.setAttribute("role", "option");
          li.setAttribute("aria-selected", "false");
          li.appendChild(resultBody(form, r));
          li.addEventListener("mousedown", function (e) { e.preventDefault(); });
          li.addEventListener("click", function () { window.location.href = r.href || r.url; });
          list.appendChild(li);
          items.push(li);
        });
        if (res.total > res.results.length) {
          var more = make("li", "kz-more");
          more.setAttribute("role", "presentation");
          var a = make("a", null, label(form, "all-results", { q: q }));
          a.href = (form.getAttribute("action") || "search/") + "?q=" + encodeURIComponent(q);
          more.appendChild(a);
          list.appendChild(more);
        }
        if (!res.results.length) {
          var none = make("li", "kz-empty", label(form, "no-results", { q: q }));
          none.setAttribute("role", "presentation");
          list.appendChild(none);
        }
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        status.textContent = res.results.length ? countLabel(form, res.total) : label(form, "no-results", { q: q });
      }).catch(function () {
        if (mine !== seq) return;
        status.textContent = label(form, "error");
      });
    }, 60);

    input.addEventListener("input", run);
    input.addEventListener("focus", function () { if (!onPage && items.length && input.value.trim()) { list.hidden = false; input.setAttribute("aria-expanded", "true"); } });
    input.addEventListener("keydown", function (e) {
      if (onPage) return;
      if (e.key === "ArrowDown") {
        e.preventDefault();
        if (list.hidden && items.length) { list.hidden = false; input.setAttribute("aria-expanded", "true"); }
        setActive(active + 1);
      } else if (e.key === "ArrowUp") {
        e.preventDefault();
        setActive(active - 1);
      } else if (e.key === "Enter") {
        if (!list.hidden && active >= 0 && items[active]) {
          e.preventDefault();
          items[active].querySelector("a").click();
        }
      } else if (e.key === "Escape") {
        if (!list.hidden) { e.preventDefault(); close(); } else { input.value = ""; }
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
    return input;
  }

  /* ---------- the /search/ page ---------- */

  function enhancePage(page) {
    var params = new URLSearchParams(window.location.search);
    var state = {
      q: params.get("q") || "", kind: params.get("kind") || "", lang: params.get("lang") || "",
      city: params.get("city") || "", field: params.get("field") || "",
      from: params.get("from") || "", to: params.get("to") || ""
    };
    var prefer = page.getAttribute("data-lang") || readerLang;
    page.classList.add("kz-page");
    var filters = make("form", "kz-facets");
    filters.setAttribute("aria-label", label(page, "filters"));
    var count = make("p", "kz-count");
    count.setAttribute("role", "status");
    count.setAttribute("aria-live", "polite");
    var results = make("ol", "kz-page-results");
    var PAGE = 50, shown = PAGE;
    var more = make("button", "kz-more-results", label(page, "more"));
    more.type = "button";
    more.hidden = true;
    more.addEventListener("click", function () { shown += PAGE; update(true); });
    page.appendChild(filters);
    page.appendChild(count);
    page.appendChild(results);
    page.appendChild(more);
    var controls = {};

    function select(name, values, show) {
      var wrap = make("div", "kz-facet");
      var sid = "kz-facet-" + name;
      var l = make("label", null, label(page, name));
      l.htmlFor = sid;
      var s = make("select");
      s.id = sid; s.name = name;
      var any = make("option", null, label(page, "any"));
      any.value = "";
      s.appendChild(any);
      values.forEach(function (v) { var o = make("option", null, show(v)); o.value = v; s.appendChild(o); });
      s.value = state[name];
      s.addEventListener("change", function () { state[name] = s.value; update(); });
      wrap.appendChild(l); wrap.appendChild(s);
      filters.appendChild(wrap);
      controls[name] = s;
    }
    function year(name, years) {
      var wrap = make("div", "kz-facet kz-facet-year");
      var l = make("label", null, label(page, name === "from" ? "year-from" : "year-to"));
      var i = make("input");
      i.type = "number"; i.id = "kz-facet-" + name; i.name = name; i.inputMode = "numeric";
      l.htmlFor = i.id;
      if (years) { i.min = years[0]; i.max = years[1]; i.placeholder = name === "from" ? years[0] : years[1]; }
      i.value = state[name];
      i.addEventListener("change", function () { state[name] = i.value; update(); });
      wrap.appendChild(l); wrap.appendChild(i);
      filters.appendChild(wrap);
    }

    var boxInputs = [];
    function syncUrl() {
      var p = new URLSearchParams();
      Object.keys(state).forEach(function (k) { if (state[k]) p.set(k, state[k]); });
      var qs = p.toString();
      try { history.replaceState(null, "", window.location.pathname + (qs ? "?" + qs : "")); } catch (e) { /* file:// may refuse */ }
    }
    var seq = 0;
    /* Runs the search; with `next`, asks for the next page of results and appends it (the ranking is
     * deterministic, so the first ones are those already shown) and moves focus to the first new one. */
    function update(next) {
      syncUrl();
      var mine = ++seq;
      if (next !== true) shown = PAGE;
      if (!state.q.trim()) { results.textContent = ""; count.textContent = ""; more.hidden = true; return; }
      // Until this search answers, there is nothing more to show: a new query hides the button, the next page
      // of the same one disables it.
      if (next !== true) { count.textContent = label(page, "loading"); more.hidden = true; }
      else more.disabled = true;
      search(state.q, {
        prefer_lang: prefer, limit: shown, facets: true, kind: state.kind || undefined, lang: state.lang || undefined,
        city: state.city || undefined, field: state.field || undefined,
        yearFrom: state.from || undefined, yearTo: state.to || undefined
      }).then(function (res) {
        if (mine !== seq) return;
        var from = next === true ? results.children.length : 0;
        if (!from) results.textContent = "";
        res.results.slice(from).forEach(function (r, j) {
          var li = make("li", "kz-page-result");
          var link = resultBody(page, r, "p");
          link.tabIndex = 0;
          li.appendChild(link);
          results.appendChild(li);
          if (from && !j) link.focus();
        });
        more.hidden = res.results.length >= res.total;
        more.disabled = false;
        count.textContent = res.total ? countLabel(page, res.total) : label(page, "no-results", { q: state.q });
        ["kind", "lang"].forEach(function (f) {
          var s = controls[f];
          if (!s) return;
          Array.prototype.forEach.call(s.options, function (o) {
            if (!o.value) return;
            var n = res.facets[f][o.value] || 0;
            o.textContent = (f === "kind" ? kindName(page, o.value) : langName(page, o.value)) + " (" + n + ")";
          });
        });
      }).catch(function () {
        if (mine !== seq) return;
        count.textContent = label(page, "error");
        more.hidden = true;
        more.disabled = false;
      });
    }

    search.facets().then(function (f) {
      select("kind", f.kinds, function (k) { return kindName(page, k); });
      select("lang", f.langs, function (l) { return langName(page, l); });
      if (f.cities.length) select("city", f.cities, function (c) { return page.getAttribute("data-city-" + c) || c; });
      if (f.fields.length) select("field", f.fields, function (c) { return page.getAttribute("data-field-" + c) || c; });
      if (f.years) { year("from", f.years); year("to", f.years); }
      var clear = make("button", "kz-clear", label(page, "clear"));
      clear.type = "button";
      clear.addEventListener("click", function () {
        ["kind", "lang", "city", "field", "from", "to"].forEach(function (k) { state[k] = ""; });
        Array.prototype.forEach.call(filters.elements, function (el) { if (el.name) el.value = ""; });
        update();
      });
      filters.appendChild(clear);
      update();
    }).catch(function () { count.textContent = label(page, "error"); });
    filters.addEventListener("submit", function (e) { e.preventDefault(); });

    function onType(q) {
      state.q = q;
      boxInputs.forEach(function (i) { if (i.value !== q) i.value = q; });
      update();
    }
    onType.inputs = boxInputs;
    return onType;
  }

  function init() {
    var page = doc.getElementById("kizuna-search-page");
    var onPage = page ? enhancePage(page) : null;
    Array.prototype.forEach.call(doc.querySelectorAll("form[data-kizuna-search]"), function (form) {
      var input = enhanceBox(form, onPage);
      if (onPage && input) {
        input.value = new URLSearchParams(window.location.search).get("q") || input.value;
        onPage.inputs.push(input);
        form.addEventListener("submit", function (e) { e.preventDefault(); onPage(input.value); });
      } else if (input && input.value && doc.activeElement === input) {
        // Typed before this script arrived: show the results for it now.
        input.dispatchEvent(new Event("input"));
      }
    });
  }
  if (doc.readyState === "loading") doc.addEventListener("DOMContentLoaded", init); else init();
})();
