/* kizuna search engine — dependency-free, classic script, loaded on first use by kizuna-search.js
 * (which defines window.kizunaSearch); defines window.kizunaSearchEngine(query, options) with
 * options {lang, kind, city, field, yearFrom, yearTo, limit, prefer_lang, facets}
 *   → Promise<{ total, results: [{ url, href, title, excerpt, lang, kind, score }], facets }>
 * (`facets`, the counts per language and kind before those filters, only when options.facets is true).
 * Reads the index written by `kizuna build` next to this file (search/manifest.bin, s/, p/, d/, r/, f/).
 * Over http(s) files are fetched; where fetch fails (file://) the .js twin of each file is loaded
 * with a <script> tag and hands its bytes to window.kizunaSearchData. Files are packed (one codec
 * byte, then stored or zlib bytes), inflated with DecompressionStream, or by inflate.js where a
 * browser lacks it.
 * The analyser and the ranking are the same as the Rust side (src/search/analyse.rs, query.rs);
 * tests/search_vectors.json and tests/search_js.rs prove it. */
(function (root) {
  "use strict";

  var MAX_TERM_BYTES = 80;
  var W_EXACT = 10, W_DIACRITICS = 4, W_PREFIX = 6, W_FUZZY = 5;
  var MIN_PREFIX_CHARS = 3, MAX_PREFIX_TERMS = 5;
  var MIN_FUZZY_CHARS = 5, MAX_FUZZY_TERMS = 3, MAX_FUZZY_SHARDS = 2;
  var EXCERPT_WINDOW = 200, EXCERPT_BEFORE = 60;
  var WORD = 1, CJK = 2, MYANMAR = 3, KHMER = 4, THAI = 5;

  /* ---------- analysis ---------- */

  var RE_WORDCHAR = /[\p{Alphabetic}\p{N}\p{M}]/u;
  var RE_MARK = /\p{M}/u;
  var RE_MARKS = /\p{M}/gu;

  function scriptOf(c) {
    var u = c.codePointAt(0);
    if (u < 0x80) return (u >= 0x61 && u <= 0x7a) || (u >= 0x30 && u <= 0x39) || (u >= 0x41 && u <= 0x5a) ? WORD : 0;
    if (!RE_WORDCHAR.test(c)) return 0;
    if ((u >= 0x3005 && u <= 0x3007) || (u >= 0x3040 && u <= 0x30ff) || (u >= 0x31f0 && u <= 0x31ff) ||
        (u >= 0x3400 && u <= 0x4dbf) || (u >= 0x4e00 && u <= 0x9fff) || (u >= 0xf900 && u <= 0xfaff) ||
        (u >= 0x20000 && u <= 0x3ffff)) return CJK;
    if ((u >= 0x1000 && u <= 0x109f) || (u >= 0xa9e0 && u <= 0xa9ff) || (u >= 0xaa60 && u <= 0xaa7f)) return MYANMAR;
    if ((u >= 0x1780 && u <= 0x17ff) || (u >= 0x19e0 && u <= 0x19ff)) return KHMER;
    if (u >= 0x0e00 && u <= 0x0e7f) return THAI;
    return WORD;
  }

  var FOLD = { "đ": "d", "ð": "d", "ł": "l", "ø": "o", "ı": "i" };
  function fold(w) {
    var s = w.normalize("NFD").replace(RE_MARKS, "");
    var o = "";
    for (var c of s) o += FOLD[c] || c;
    return o.normalize("NFC");
  }

  /* Light plural folding of a folded word of ASCII letters (see analyse::stem in the Rust source). */
  var RE_ASCII_WORD = /^[a-z]+$/;
  function stem(w) {
    var n = w.length;
    if (n < 3 || !RE_ASCII_WORD.test(w)) return w;
    var base = w;
    if (w.endsWith("sses")) base = w.slice(0, n - 2);
    else if (n >= 5 && w.endsWith("ies")) return w.slice(0, n - 3) + "i";
    else if (n >= 5 && (w.endsWith("xes") || w.endsWith("ches") || w.endsWith("shes"))) base = w.slice(0, n - 2);
    else if (n >= 4 && w[n - 1] === "s" && "sui".indexOf(w[n - 2]) < 0) base = w.slice(0, n - 1);
    var m = base.length;
    if (m >= 3 && base[m - 1] === "y" && "aeiouy".indexOf(base[m - 2]) < 0) return base.slice(0, m - 1) + "i";
    return base;
  }

  function utf8len(s) {
    var n = 0;
    for (var c of s) {
      var u = c.codePointAt(0);
      n += u < 0x80 ? 1 : u < 0x800 ? 2 : u < 0x10000 ? 3 : 4;
    }
    return n;
  }

  /* Runs of same-script chars of a normalised string; offsets are code point indices. */
  function runs(norm) {
    var out = [], cur = null, i = 0;
    for (var c of norm) {
      var u = c.charCodeAt(0);
      for (var l of u < 0x80 ? (u >= 0x41 && u <= 0x5a ? String.fromCharCode(u + 32) : c) : c.toLowerCase()) {
        var s = scriptOf(l);
        if (!s) {
          if (cur) { out.push(cur); cur = null; }
        } else if (cur && cur.script === s) {
          cur.chars.push([l, i, i + 1]);
        } else {
          if (cur) out.push(cur);
          cur = { script: s, chars: [[l, i, i + 1]] };
        }
      }
      i++;
    }
    if (cur) out.push(cur);
    return out;
  }

  function inR(u, a, b) { return u >= a && u <= b; }

  function breaksBefore(script, chars, i) {
    var c = chars[i][0].codePointAt(0);
    var prev = chars[i - 1][0].codePointAt(0);
    var next = i + 1 < chars.length ? chars[i + 1][0].codePointAt(0) : 0;
    switch (script) {
      case MYANMAR:
        return (inR(c, 0x1000, 0x1021) && prev !== 0x1039 && next !== 0x103a && next !== 0x1039) ||
          inR(c, 0x1023, 0x102a) || c === 0x103f || inR(c, 0x1040, 0x1049) || inR(c, 0x104c, 0x104f);
      case KHMER:
        return ((inR(c, 0x1780, 0x17b3) && prev !== 0x17d2 && next !== 0x17cb && next !== 0x17cd && next !== 0x17ce) ||
          inR(c, 0x17e0, 0x17e9)) && c !== 0x17d7;
      case THAI:
        return inR(c, 0x0e40, 0x0e44) ||
          (inR(c, 0x0e01, 0x0e2e) && !inR(prev, 0x0e40, 0x0e44) &&
            (next === 0x0e30 || next === 0x0e31 || inR(next, 0x0e32, 0x0e3a) || next === 0x0e45 || inR(next, 0x0e47, 0x0e4e))) ||
          inR(c, 0x0e50, 0x0e59);
      case CJK:
        return true;
      default:
        return false;
    }
  }

  function units(run) {
    var out = [];
    for (var i = 0; i < run.chars.length; i++) {
      var ch = run.chars[i];
      if (i === 0 || breaksBefore(run.script, run.chars, i)) out.push([ch[0], ch[1], ch[2]]);
      else { var last = out[out.length - 1]; last[0] += ch[0]; last[2] = ch[2]; }
    }
    return out;
  }

  function pieces(norm) {
    return runs(norm).map(function (run) {
      if (run.script === WORD) {
        var exact = run.chars.map(function (x) { return x[0]; }).join(""), folded = fold(exact);
        return {
          word: true, folded: stem(folded), exact: folded !== exact ? exact : null,
          start: run.chars[0][1], end: run.chars[run.chars.length - 1][2]
        };
      }
      return { word: false, units: units(run) };
    });
  }

  /* Index-time analysis: [{term, exact, position, start, end}] (offsets in code points of NFKC text). */
  function indexTokens(text) {
    var norm = text.normalize("NFKC"), out = [], pos = 0;
    pieces(norm).forEach(function (p) {
      if (p.word) {
        if (p.folded.length && utf8len(p.folded) <= MAX_TERM_BYTES) {
          out.push({ term: p.folded, exact: false, position: pos, start: p.start, end: p.end });
          if (p.exact && utf8len(p.exact) <= MAX_TERM_BYTES)
            out.push({ term: p.exact, exact: true, position: pos, start: p.start, end: p.end });
        }
        pos++;
      } else {
        var u = p.units;
        for (var i = 0; i < u.length; i++) {
          out.push({ term: u[i][0], exact: false, position: pos, start: u[i][1], end: u[i][2] });
          if (i + 1 < u.length)
            out.push({ term: u[i][0] + u[i + 1][0], exact: false, position: pos, start: u[i][1], end: u[i + 1][2] });
          pos++;
        }
      }
    });
    return out;
  }

  function parseQuery(q) {
    var terms = [], phrases = [];
    q.split('"').forEach(function (segment, i) {
      var phrase = i % 2 === 1, seq = [];
      pieces(segment.normalize("NFKC")).forEach(function (p) {
        if (p.word) {
          if (!p.folded.length || utf8len(p.folded) > MAX_TERM_BYTES) return;
          seq.push(p.folded);
          terms.push({ term: p.folded, exact: p.exact, isWord: true, phrase: phrase });
        } else {
          var u = p.units;
          if (u.length === 1) {
            seq.push(u[0][0]);
            terms.push({ term: u[0][0], exact: null, isWord: false, phrase: phrase });
          }
          for (var j = 0; j + 1 < u.length; j++) {
            var t = u[j][0] + u[j + 1][0];
            seq.push(t);
            terms.push({ term: t, exact: null, isWord: false, phrase: phrase });
          }
        }
      });
      if (phrase && seq.length > 1) phrases.push(seq);
    });
    var cps = Array.from(q), lastc = cps[cps.length - 1];
    var lt = terms[terms.length - 1];
    var lastIsPrefix = !!(lt && lt.isWord && !lt.phrase && lastc !== undefined && (scriptOf(lastc) || RE_MARK.test(lastc)));
    return { terms: terms, lastIsPrefix: lastIsPrefix, phrases: phrases };
  }

  function queryGroups(q) {
    return parseQuery(q).terms.map(function (t) { return t.exact ? [t.term, t.exact] : [t.term]; });
  }

  /* Compare strings by code point (= UTF-8 byte order, as the Rust side sorts). */
  function cmp(a, b) {
    var i = 0, j = 0;
    while (i < a.length && j < b.length) {
      var x = a.codePointAt(i), y = b.codePointAt(j);
      if (x !== y) return x < y ? -1 : 1;
      i += x > 0xffff ? 2 : 1;
      j += y > 0xffff ? 2 : 1;
    }
    if (i < a.length) return 1;
    return j < b.length ? -1 : 0;
  }

  function withinOneEdit(a, b) {
    var la = a.length, lb = b.length;
    if (Math.abs(la - lb) > 1) return false;
    var p = 0;
    while (p < la && p < lb && a[p] === b[p]) p++;
    if (p === la && p === lb) return true;
    var ra = a.slice(p), rb = b.slice(p);
    var eq = function (x, y) { return x.length === y.length && x.every(function (v, k) { return v === y[k]; }); };
    if (la === lb) return eq(ra.slice(1), rb.slice(1)) ||
      (ra.length >= 2 && ra[0] === rb[1] && ra[1] === rb[0] && eq(ra.slice(2), rb.slice(2)));
    if (la > lb) return eq(ra.slice(1), rb);
    return eq(ra, rb.slice(1));
  }

  /* ---------- binary reading ---------- */

  var decoder = new TextDecoder();
  function Reader(buf) { this.b = buf; this.p = 0; }
  Reader.prototype.byte = function () {
    if (this.p >= this.b.length) throw new Error("kizuna search: truncated index file");
    return this.b[this.p++];
  };
  Reader.prototype.varint = function () {
    var v = 0, mul = 1, b;
    do { b = this.byte(); v += (b & 0x7f) * mul; mul *= 128; } while (b & 0x80);
    return v;
  };
  Reader.prototype.bytes = function (n) {
    if (this.p + n > this.b.length) throw new Error("kizuna search: truncated index file");
    var s = this.b.subarray(this.p, this.p + n); this.p += n; return s;
  };
  /* A file's fingerprint (format.rs: put_fp), as the 8 hex digits of its URL's ?v=. */
  Reader.prototype.fp = function () {
    var b = this.bytes(4), h = "";
    for (var i = 0; i < 4; i++) h += (b[i] < 16 ? "0" : "") + b[i].toString(16);
    return h;
  };
  Reader.prototype.string = function () { return decoder.decode(this.bytes(this.varint())); };
  Reader.prototype.strings = function () {
    var n = this.varint(), o = [];
    for (var i = 0; i < n; i++) o.push(this.string());
    return o;
  };
  /* Postings as { docs, imp }: ascending document numbers and their impact bytes. */
  Reader.prototype.postings = function (df, numDocs) {
    var enc = this.byte(), docs = new Int32Array(df), n = 0;
    if (enc === 0) {
      var prev = 0;
      for (; n < df; n++) { prev += this.varint(); docs[n] = prev; }
    } else if (enc === 1) {
      var bits = this.bytes(Math.ceil(numDocs / 8));
      for (var k = 0; k < bits.length; k++) {
        var b = bits[k];
        // A typed array ignores writes past its end; n counts every bit, so a bad count is caught below.
        for (var j = 0; b; j++, b >>= 1) if (b & 1) docs[n++] = k * 8 + j;
      }
      if (n !== df) throw new Error("kizuna search: bitset does not match df");
    } else throw new Error("kizuna search: unknown postings encoding");
    return { docs: docs, imp: this.bytes(df) };
  };
  /* Moves past postings without decoding them. */
  Reader.prototype.skipPostings = function (df, numDocs) {
    var enc = this.byte();
    if (enc === 0) for (var i = 0; i < df; i++) this.varint();
    else this.bytes(Math.ceil(numDocs / 8));
    this.bytes(df);
  };

  /* ---------- loading ---------- */

  var script = root.document && root.document.currentScript;
  var BASE = script && script.src ? script.src.replace(/[^\/]*(\?.*)?(#.*)?$/, "") : "./";
  /* The theme's fingerprint (?v=…) this script was loaded with, passed on to the scripts it loads. */
  var VERSION = script && script.src ? (script.src.match(/\?v=[^#&]*/) || [""])[0] : "";
  var files = new Map(), waiting = new Map();
  var stats = { bytes: 0, files: 0 };

  function b64(s) {
    if (typeof atob === "function") {
      var bin = atob(s), out = new Uint8Array(bin.length);
      for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
      return out;
    }
    return new Uint8Array(Buffer.from(s, "base64"));
  }

  /* Called by the .js twins of index files. */
  root.kizunaSearchData = function (path, data) {
    var w = waiting.get(path);
    if (w) { waiting.delete(path); w.resolve(b64(data)); }
  };

  /* Runs the script at `src` once; resolves when it has run. */
  function addScript(src) {
    return new Promise(function (resolve, reject) {
      var s = root.document.createElement("script");
      s.src = src;
      s.async = true;
      s.onload = function () { s.remove(); resolve(); };
      s.onerror = function () { s.remove(); reject(new Error("kizuna search: cannot load " + src)); };
      root.document.head.appendChild(s);
    });
  }

  function viaScript(path) {
    return new Promise(function (resolve, reject) {
      waiting.set(path, { resolve: resolve });
      addScript(BASE + path.replace(/\.bin$/, ".js")).catch(function (e) { waiting.delete(path); reject(e); });
    });
  }

  var inflateP = null;
  function inflater() {
    if (root.kizunaInflate) return Promise.resolve(root.kizunaInflate);
    if (!inflateP) {
      inflateP = addScript(BASE + "inflate.js" + VERSION).then(function () { return root.kizunaInflate; });
      inflateP.catch(function () { inflateP = null; });
    }
    return inflateP;
  }

  /* The bytes of a packed index file: after a codec byte, stored (0) or zlib (1). */
  function unpack(b, path) {
    if (b[0] === 0) return b.subarray(1);
    if (b[0] !== 1) throw new Error("kizuna search: " + path + " is not a kizuna index file");
    var z = b.subarray(1);
    if (typeof DecompressionStream === "function" && !root.kizunaInflate) {
      var body = new Response(z).body.pipeThrough(new DecompressionStream("deflate"));
      return new Response(body).arrayBuffer().then(function (a) { return new Uint8Array(a); });
    }
    return inflater().then(function (inflate) { return inflate(z); });
  }

  /* Every file but the manifest is asked for with its own fingerprint (`fp`, found where its name is:
   * in the manifest, which is revalidated each time, or in a shard), so that a rebuild changes the URLs
   * of the files it changed only, and a browser never mixes cached files of two builds. */
  function load(path, fp) {
    var p = files.get(path);
    if (!p) {
      var pre = root.kizunaSearchPrefetch && root.kizunaSearchPrefetch[path];
      if (pre) delete root.kizunaSearchPrefetch[path];
      var isManifest = path === "manifest.bin";
      var viaFetch = typeof fetch === "function"
        ? (pre || fetch(BASE + path + (isManifest ? "" : "?v=" + fp),
            isManifest ? { cache: "no-cache" } : undefined)).then(function (r) {
            if (!r.ok) throw new Error("HTTP " + r.status);
            return r.arrayBuffer();
          }).then(function (a) { return new Uint8Array(a); })
        : Promise.reject(new Error("no fetch"));
      p = viaFetch.catch(function (e) {
        if (root.document && root.document.createElement) return viaScript(path);
        throw e;
      }).then(function (b) { stats.bytes += b.length; stats.files++; return unpack(b, path); });
      p.catch(function () { files.delete(path); });
      files.set(path, p);
    }
    return p;
  }

  var manifestP = null;
  function manifest() {
    if (!manifestP) manifestP = load("manifest.bin").then(function (b) {
      var r = new Reader(b);
      var magic = decoder.decode(r.bytes(4));
      if (magic !== "KZS5") throw new Error("kizuna search: bad index");
      var m = { numDocs: r.varint(), langs: r.strings(), kinds: r.strings(), cities: r.strings(), fields: r.strings(), groups: [] };
      var ng = r.varint();
      for (var i = 0; i < ng; i++) m.groups.push([r.varint(), r.varint(), r.varint(), r.varint()]);
      m.langOf = new Uint16Array(m.numDocs);
      m.kindOf = new Uint16Array(m.numDocs);
      m.groups.forEach(function (g) {
        m.langOf.fill(g[0], g[2], g[2] + g[3]);
        m.kindOf.fill(g[1], g[2], g[2] + g[3]);
      });
      m.yearMin = r.varint() - 10000;
      m.yearSpan = r.varint();
      // The first term of each shard, front-coded; decoded to text only when a lookup compares it.
      var nb = r.varint(), prev = new Uint8Array(0);
      m.bounds = { length: nb, bytes: [], text: [] };
      for (var k = 0; k < nb; k++) {
        var shared = r.varint(), rest = r.bytes(r.varint());
        var bb = new Uint8Array(shared + rest.length);
        bb.set(prev.subarray(0, shared)); bb.set(rest, shared);
        m.bounds.bytes.push(bb);
        prev = bb;
      }
      var fps = function (n) { var o = []; for (var i = 0; i < n; i++) o.push(r.fp()); return o; };
      m.fp = { shards: fps(nb), year: r.fp(), cities: fps(m.cities.length), fields: fps(m.fields.length) };
      recordBlocks = fps(r.varint());
      return m;
    });
    manifestP.catch(function () { manifestP = null; });
    return manifestP;
  }

  var shardCache = new Map();
  function shard(m, i) {
    var numDocs = m.numDocs;
    var p = shardCache.get(i);
    if (!p) {
      p = load("s/" + i + ".bin", m.fp.shards[i]).then(function (b) {
        var r = new Reader(b), n = r.varint(), out = [], prev = new Uint8Array(0);
        for (var k = 0; k < n; k++) {
          var shared = r.varint(), suffix = r.bytes(r.varint());
          var tb = new Uint8Array(shared + suffix.length);
          tb.set(prev.subarray(0, shared)); tb.set(suffix, shared);
          var e = { term: decoder.decode(tb), df: r.varint(), idf: r.varint() };
          var file = r.varint();
          if (file === 0) e.inline = r.bytes(r.varint());
          else {
            e.file = file - 1;
            e.fp = r.fp();
            e.chunkFp = r.fp();
            e.topCount = r.varint();
            var start = r.p;
            r.skipPostings(e.topCount, numDocs);
            e.top = r.b.subarray(start, r.p);
            e.typedTotal = r.varint();
          }
          prev = tb;
          out.push(e);
        }
        return out;
      });
      p.catch(function () { shardCache.delete(i); });
      shardCache.set(i, p);
    }
    return p;
  }

  function boundAt(bounds, i) {
    var t = bounds.text[i];
    if (t === undefined) t = bounds.text[i] = decoder.decode(bounds.bytes[i]);
    return t;
  }

  function shardOf(bounds, term) {
    var lo = 0, hi = bounds.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (cmp(boundAt(bounds, mid), term) <= 0) lo = mid + 1; else hi = mid; }
    return Math.max(0, lo - 1);
  }
  function shardRange(bounds, prefix) {
    return [shardOf(bounds, prefix), shardOf(bounds, prefix + "\u{10FFFF}")];
  }

  function lookup(m, term) {
    if (!m.bounds.length) return Promise.resolve(null);
    return shard(m, shardOf(m.bounds, term)).then(function (es) {
      return es.find(function (e) { return e.term === term; }) || null;
    });
  }

  function withPrefix(m, prefix, range) {
    var ps = [];
    for (var i = range[0]; i <= range[1]; i++) ps.push(shard(m, i));
    return Promise.all(ps).then(function (all) {
      var out = [];
      all.forEach(function (es) { es.forEach(function (e) { if (e.term.startsWith(prefix)) out.push(e); }); });
      return out;
    });
  }

  /* What a term's shard holds of its postings: all of them when inline, else its best documents. */
  function heldPostings(m, e) {
    if (e.inline) return new Reader(e.inline).postings(e.df, m.numDocs);
    return e.top ? new Reader(e.top).postings(e.topCount, m.numDocs) : { docs: [], imp: [] };
  }

  /* Whether ranking needs the postings file of an alternative (completions use their best documents). */
  function needsFile(alt) { return !alt[0].inline && !(alt[1] === W_PREFIX && alt[0].top); }

  function filePostings(m, e) {
    return load("p/" + e.file + ".bin", e.fp).then(function (b) { return new Reader(b).postings(e.df, m.numDocs); });
  }

  function facet(path, fp) {
    return load(path, fp).then(function (b) {
      var r = new Reader(b), n = r.varint(), out = new Set(), prev = 0;
      for (var i = 0; i < n; i++) { var d = r.varint(); prev = i === 0 ? d : prev + d; out.add(prev); }
      return out;
    });
  }

  /* One document's record: its URL, title and excerpt text. */
  function record(r) { return { url: r.string(), title: r.string(), text: r.string() }; }

  /* Records of RECORDS_PER_FILE consecutive documents share a file (format.rs): asking for one caches its
   * neighbours. Their fingerprints go by blocks of RECORD_FILES_PER_BLOCK files (from the manifest). */
  var RECORDS_PER_FILE = 8, RECORD_FILES_PER_BLOCK = 16, recordBlocks = [];
  var docCache = new Map();
  function doc(d) {
    var p = docCache.get(d);
    if (!p) {
      var first = d - d % RECORDS_PER_FILE;
      var k = first / RECORDS_PER_FILE;
      var file = load("d/" + k + ".bin", recordBlocks[Math.floor(k / RECORD_FILES_PER_BLOCK)]).then(function (b) {
        var r = new Reader(b), n = r.varint(), out = [];
        for (var i = 0; i < n; i++) out.push(record(r));
        return out;
      });
      var mine = [];
      for (var k = first; k < first + RECORDS_PER_FILE; k++) {
        if (docCache.has(k)) continue;
        mine.push(k);
        var rec = (function (i) {
          return file.then(function (all) {
            if (!all[i]) throw new Error("kizuna search: no record " + (first + i));
            return all[i];
          });
        })(k - first);
        rec.catch(function () {});
        docCache.set(k, rec);
      }
      p = docCache.get(d);
      file.catch(function () { mine.forEach(function (j) { docCache.delete(j); }); });
    }
    return p;
  }

  /* The records of a frequent word's first documents, kept together beside its postings (r/N.bin): each
   * goes into the record cache, so a query's first results cost one request, not one each. */
  var CHUNKS_PER_WORD = 2;
  var chunkCache = new Map();
  function chunk(e) {
    var p = chunkCache.get(e.file);
    if (!p) {
      p = load("r/" + e.file + ".bin", e.chunkFp).then(function (b) {
        var r = new Reader(b), n = r.varint();
        for (var i = 0; i < n; i++) {
          var d = r.varint(), rec = record(r);
          if (!docCache.has(d)) docCache.set(d, Promise.resolve(rec));
        }
      });
      p.catch(function () { chunkCache.delete(e.file); });
      chunkCache.set(e.file, p);
    }
    return p;
  }

  /* The record chunks a query asks for: per word, those of its CHUNKS_PER_WORD most frequent forms with a
   * postings file (the word itself, the completions of the word being typed). `ready` settles when they are
   * in (or failed); `covers` holds the documents they bring: the CHUNK_RECORDS of highest impact among each
   * word's best documents, which its shard holds (`held`, already decoded) — so the others' records are
   * asked for at once. */
  var CHUNK_RECORDS = 32;
  function chunksFor(alts, held) {
    var wanted = [], covers = new Set();
    alts.forEach(function (group, g) {
      group.map(function (alt, a) { return { e: alt[0], top: held[g][a] }; })
        .filter(function (x) { return x.e.file !== undefined; })
        .sort(function (x, y) { return byDfThenTerm(x.e, y.e); })
        .slice(0, CHUNKS_PER_WORD)
        .forEach(function (x) {
          if (wanted.some(function (w) { return w.file === x.e.file; })) return;
          wanted.push(x.e);
          var top = x.top, order = top.docs.map(function (d, i) { return i; });
          order.sort(function (a, b) { return top.imp[b] - top.imp[a] || top.docs[a] - top.docs[b]; });
          order.slice(0, CHUNK_RECORDS).forEach(function (i) { covers.add(top.docs[i]); });
        });
    });
    return {
      covers: covers,
      ready: Promise.all(wanted.map(function (f) { return chunk(f).catch(function () {}); }))
    };
  }

  /* The records of `cands`: those a chunk brings once it is in, the others at once. */
  function records(cands, chunks) {
    return Promise.all(cands.map(function (c) {
      return chunks.covers.has(c.doc) ? chunks.ready.then(function () { return doc(c.doc); }) : doc(c.doc);
    }));
  }

  function byDfThenTerm(a, b) { return b.df - a.df || cmp(a.term, b.term); }

  // The terms are looked up in parallel, and so are the shards one term may need (its own, its exact
  // form's, its completions'); shard loads are shared through `load`'s cache, so a query costs a few
  // round trips however many words it has.
  async function alternatives(m, pq) {
    var last = pq.terms.length - 1;
    return Promise.all(pq.terms.map(async function (qt, i) {
      var alts = [];
      var chars = Array.from(qt.term);
      var completes = i === last && pq.lastIsPrefix && chars.length >= MIN_PREFIX_CHARS && m.bounds.length;
      var found = await Promise.all([
        lookup(m, qt.term),
        qt.exact ? lookup(m, qt.exact) : null,
        completes ? withPrefix(m, qt.term, shardRange(m.bounds, qt.term)) : []
      ]);
      if (found[0]) alts.push([found[0], W_EXACT, true]);
      if (found[1]) alts.push([found[1], W_DIACRITICS, false]);
      var c = found[2].filter(function (e) { return e.term !== qt.term; });
      c.sort(byDfThenTerm);
      // Completions weigh no more than the word typed so far, when it is a word ("kitakyushubased" against
      // "kitakyushu"), else than the commonest of them, the word most readers are typing: a rare completion
      // does not push the word aside, and results stay put as the word is typed. (Capped on a copy: shards'
      // entries are cached.)
      var cap = found[0] ? found[0].idf : c.length ? c[0].idf : Infinity;
      c.slice(0, MAX_PREFIX_TERMS).forEach(function (e) {
        alts.push([e.idf > cap ? Object.assign({}, e, { idf: cap }) : e, W_PREFIX, true]);
      });
      if (qt.isWord && !qt.phrase && chars.length >= MIN_FUZZY_CHARS && !alts.length && m.bounds.length) {
        var k = 1;
        while (k < chars.length) {
          var r = shardRange(m.bounds, chars.slice(0, k).join(""));
          if (r[1] - r[0] < MAX_FUZZY_SHARDS) break;
          k++;
        }
        var p = chars.slice(0, k).join("");
        var f = (await withPrefix(m, p, shardRange(m.bounds, p)))
          .filter(function (e) { return withinOneEdit(chars, Array.from(e.term)); });
        f.sort(byDfThenTerm);
        f.slice(0, MAX_FUZZY_TERMS).forEach(function (e) { alts.push([e, W_FUZZY, true]); });
      }
      return alts;
    }));
  }

  function hasPhrase(text, seq) {
    var at = new Map();
    indexTokens(text).forEach(function (t) {
      if (t.exact) return;
      if (!at.has(t.position)) at.set(t.position, []);
      at.get(t.position).push(t.term);
    });
    for (var p of at.keys()) {
      var ok = seq.every(function (s, j) { var v = at.get(p + j); return v && v.indexOf(s) >= 0; });
      if (ok) return true;
    }
    return false;
  }

  function escapeHtml(s) {
    return s.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function excerpt(text, terms) {
    var chars = Array.from(text);
    var spans = indexTokens(text).filter(function (t) { return terms.has(t.term); })
      .map(function (t) { return [t.start, t.end]; });
    spans.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    var merged = [];
    spans.forEach(function (s) {
      var l = merged[merged.length - 1];
      if (l && s[0] <= l[1]) l[1] = Math.max(l[1], s[1]); else merged.push([s[0], s[1]]);
    });
    var start = 0;
    if (merged.length && merged[0][0] > EXCERPT_BEFORE) {
      start = merged[0][0] - EXCERPT_BEFORE;
      var sp = chars.slice(start, merged[0][0]).indexOf(" ");
      if (sp >= 0) start += sp + 1;
    }
    var end = Math.min(start + EXCERPT_WINDOW, chars.length);
    if (end < chars.length) {
      var from = Math.max(end - 30, start);
      var rp = chars.slice(from, end).lastIndexOf(" ");
      if (rp >= 0) end = from + rp;
    }
    var out = start > 0 ? "…" : "", at = start;
    merged.forEach(function (m) {
      var s = Math.max(m[0], start), e = Math.min(m[1], end);
      if (s >= e) return;
      out += escapeHtml(chars.slice(at, s).join("")) + "<mark>" + escapeHtml(chars.slice(s, e).join("")) + "</mark>";
      at = e;
    });
    if (at < end) out += escapeHtml(chars.slice(at, end).join(""));
    if (end < chars.length) out += "…";
    return out;
  }

  function siteHref(url) {
    if (!/^\//.test(url)) return url;
    var href = new URL("../" + url.slice(1), BASE).href;
    if (/^file:/.test(href) && /\/$/.test(href)) href += "index.html";
    return href;
  }

  /* ---------- search ---------- */

  function chosen(v) { return v != null && v !== ""; }
  /* The index of the reader's language (option prefer_lang), or -1. */
  function preferred(m, o) {
    var name = o.prefer_lang != null ? o.prefer_lang : o.preferLang;
    return name != null ? m.langs.indexOf(name) : -1;
  }
  /* The index of option value `v` in `list` (-1: no such value), or undefined when none is chosen. */
  function want(list, v) { return chosen(v) ? list.indexOf(v) : undefined; }

  /* Ranks the documents in `lists` (postings per alternative of each query term): those matching the
   * most terms, then by (reader's language, score, document); returns the first `keep`, the total and,
   * when options.facets asks for them, the facet counts. `sets` holds the city, field and year filters, if any. Work is proportional to
   * the postings, not to the number of documents. */
  function rank(m, alts, lists, o, keep, sets) {
    // Per document: how many query terms it matches (coverage) and its score. A term's score in a
    // document is its best main alternative plus the sum of the others, counted where a main one matches.
    var N = m.numDocs, cov = new Uint8Array(N), score = new Float64Array(N);
    var best = new Float64Array(N), extra = new Float64Array(N), stamp = new Uint16Array(N);
    var matched = [], touched = [];
    for (var g = 0; g < alts.length; g++) {
      touched.length = 0;
      for (var a = 0; a < alts[g].length; a++) {
        var alt = alts[g][a], f = alt[1] * alt[0].idf, ps = lists[g][a], docs = ps.docs, imp = ps.imp;
        for (var k = 0; k < docs.length; k++) {
          var d = docs[k], s = f * imp[k];
          if (stamp[d] !== g + 1) { stamp[d] = g + 1; best[d] = 0; extra[d] = 0; touched.push(d); }
          if (!alt[2]) extra[d] += s;
          else if (s > best[d]) best[d] = s;
        }
      }
      for (var t = 0; t < touched.length; t++) {
        var td = touched[t];
        if (best[td] > 0) { if (!cov[td]) matched.push(td); cov[td]++; score[td] += best[td] + extra[td]; }
      }
    }

    var lang = want(m.langs, o.lang), kind = want(m.kinds, o.kind);
    var city = sets.city, field = sets.field, years = sets.years, yFrom = sets.yFrom, yTo = sets.yTo;
    var prefer = preferred(m, o);

    // Candidates past the city, field and year filters; facet counts (for the /search/ page) are
    // over the best of them, before the language and kind filters.
    var pre = [], preMax = 0;
    for (var i = 0; i < matched.length; i++) {
      var di = matched[i];
      if (city && !city.has(di)) continue;
      if (field && !field.has(di)) continue;
      if (years) {
        var y = years[di];
        if (y === 0) continue;
        y = m.yearMin + y - 1;
        if (y < yFrom || y > yTo) continue;
      }
      pre.push(di);
      if (cov[di] > preMax) preMax = cov[di];
    }
    var facets = { lang: {}, kind: {} }, maxCov = 0, kept = [];
    for (var j = 0; j < pre.length; j++) {
      var c = pre[j], l = m.langOf[c], kk = m.kindOf[c];
      if (o.facets && cov[c] === preMax) {
        facets.lang[m.langs[l]] = (facets.lang[m.langs[l]] || 0) + 1;
        facets.kind[m.kinds[kk]] = (facets.kind[m.kinds[kk]] || 0) + 1;
      }
      if ((lang !== undefined && lang !== l) || (kind !== undefined && kind !== kk)) continue;
      if (cov[c] > maxCov) maxCov = cov[c];
      kept.push(c);
    }
    // The first `keep`, kept sorted while the rest stream by.
    var total = 0, cands = [];
    var before = function (x, z) {
      var px = prefer >= 0 && m.langOf[x] === prefer ? 1 : 0, pz = prefer >= 0 && m.langOf[z] === prefer ? 1 : 0;
      return (px - pz) || (score[x] - score[z]) || (z - x);
    };
    for (var q = 0; q < kept.length; q++) {
      var e = kept[q];
      if (cov[e] !== maxCov) continue;
      total++;
      if (cands.length === keep && before(e, cands[keep - 1]) <= 0) continue;
      var at = cands.length === keep ? keep - 1 : cands.length;
      while (at > 0 && before(e, cands[at - 1]) > 0) { cands[at] = cands[at - 1]; at--; }
      cands[at] = e;
    }
    cands = cands.map(function (c) { return { doc: c, lang: m.langOf[c], kind: m.kindOf[c], score: score[c] }; });

    return { cands: cands, total: total, facets: facets };
  }

  /* While the postings files of frequent terms load, requests the records of the documents most likely
   * to come first, ranked from what the shards hold (`held`), so that they arrive together. */
  function prefetch(m, alts, held, o, limit, chunks) {
    records(rank(m, alts, held, o, limit, {}).cands, chunks).catch(function () {});
  }

  /* A one-word query whose postings have their own file, without filters or facets, answered from its
   * shard: the word's best documents (and, for the word being typed, its completions' lists, which the
   * full ranking uses as they are) rank the same as with the file whenever the first `limit` of them are
   * in the reader's language (if one is preferred) and, with completions, score above the best the
   * word can give a document outside its best ones. The total is the word's df, or the count of
   * documents matched as the word being typed, which the index records. Otherwise null. */
  function fromShard(m, alts, held, o, pq, limit) {
    if (o.facets || pq.phrases.length || alts.length !== 1) return null;
    if ([o.lang, o.kind, o.city, o.field, o.yearFrom, o.yearTo].some(chosen)) return null;
    var group = alts[0], word = group[0];
    if (word[1] !== W_EXACT || !needsFile(word) || !word[0].top) return null;
    for (var a = 1; a < group.length; a++) if (group[a][1] !== W_PREFIX || needsFile(group[a])) return null;
    var completes = group.length > 1, imp = held[0][0].imp, least = Infinity;
    for (var i = 0; i < imp.length; i++) if (imp[i] < least) least = imp[i];
    var bound = word[1] * word[0].idf * least, prefer = preferred(m, o);
    var ranked = rank(m, alts, held, o, limit, {});
    if (ranked.cands.length < limit) return null;
    for (var c = 0; c < ranked.cands.length; c++) {
      if (prefer >= 0 && ranked.cands[c].lang !== prefer) return null;
      if (completes && !(ranked.cands[c].score > bound)) return null;
    }
    ranked.total = completes ? word[0].typedTotal : word[0].df;
    return ranked;
  }

  /* Ranks with every postings list, fetching the files of frequent words (and the records of the likely
   * first results meanwhile) and the city, field and year filters that are chosen. */
  async function fromPostings(m, alts, held, o, pq, limit, chunks) {
    var waits = false;
    var listsP = Promise.all(alts.map(function (group, g) {
      return Promise.all(group.map(function (alt, a) {
        if (!needsFile(alt)) return held[g][a];
        waits = true;
        return filePostings(m, alt[0]);
      }));
    }));
    if (waits && ![o.city, o.field, o.yearFrom, o.yearTo].some(chosen)) prefetch(m, alts, held, o, limit, chunks);
    var lists = await listsP;

    var ci = want(m.cities, o.city), fi = want(m.fields, o.field);
    var city = ci === undefined ? null : ci < 0 ? new Set() : await facet("f/c" + ci + ".bin", m.fp.cities[ci]);
    var field = fi === undefined ? null : fi < 0 ? new Set() : await facet("f/f" + fi + ".bin", m.fp.fields[fi]);
    var hasYears = o.yearFrom != null || o.yearTo != null;
    var years = null;
    if (hasYears) {
      var yr = new Reader(await load("f/year.bin", m.fp.year));
      years = [];
      for (var yi = 0; yi < m.numDocs; yi++) years.push(yr.varint());
    }
    var yFrom = o.yearFrom != null && o.yearFrom !== "" ? Number(o.yearFrom) : -Infinity;
    var yTo = o.yearTo != null && o.yearTo !== "" ? Number(o.yearTo) : Infinity;
    return rank(m, alts, lists, o, pq.phrases.length ? limit * 3 : limit, {
      city: city, field: field, years: years, yFrom: yFrom, yTo: yTo
    });
  }

  async function search(query, options) {
    var o = options || {};
    var m = await manifest();
    var pq = parseQuery(String(query || ""));
    var empty = { total: 0, results: [] };
    if (o.facets) empty.facets = { lang: {}, kind: {} };
    if (!pq.terms.length) return empty;
    var alts = await alternatives(m, pq);
    var held = alts.map(function (group) {
      return group.map(function (alt) { return heldPostings(m, alt[0]); });
    });
    var limit = Math.max(1, o.limit || 10);
    var chunks = chunksFor(alts, held);
    var ranked = fromShard(m, alts, held, o, pq, limit) || await fromPostings(m, alts, held, o, pq, limit, chunks);
    var cands = ranked.cands;

    if (pq.phrases.length) {
      var n = Math.min(cands.length, limit * 3);
      var head = [];
      var texts = await records(cands.slice(0, n), chunks);
      for (var i = 0; i < n; i++) {
        var dd = texts[i];
        var t = dd.title + "\n" + dd.text;
        head.push([pq.phrases.every(function (p) { return hasPhrase(t, p); }), cands[i]]);
      }
      head.sort(function (x, y) { return (y[0] ? 1 : 0) - (x[0] ? 1 : 0); });
      head.forEach(function (h, j) { cands[j] = h[1]; });
    }

    var marks = new Set();
    alts.forEach(function (g) { g.forEach(function (a) { marks.add(a[0].term); }); });
    var shown = cands.slice(0, limit);
    var docs = await records(shown, chunks);
    var results = shown.map(function (c, j) {
      return {
        url: docs[j].url,
        href: siteHref(docs[j].url),
        title: docs[j].title,
        excerpt: excerpt(docs[j].text, marks),
        lang: m.langs[c.lang] || "",
        kind: m.kinds[c.kind] || "",
        score: c.score / 1e4
      };
    });
    var out = { total: ranked.total, results: results };
    if (o.facets) out.facets = ranked.facets;
    return out;
  }

  function facetValues() {
    return manifest().then(function (m) {
      return {
        langs: m.langs.slice(), kinds: m.kinds.slice(), cities: m.cities.slice(), fields: m.fields.slice(),
        years: m.yearSpan ? [m.yearMin, m.yearMin + m.yearSpan - 1] : null
      };
    });
  }

  search.facets = facetValues;
  search.stats = stats;
  search.analyse = { indexTokens: indexTokens, queryGroups: queryGroups, parseQuery: parseQuery, fold: fold };
  search.setBase = function (b) { BASE = b; };
  root.kizunaSearchEngine = search;
})(typeof window !== "undefined" ? window : globalThis);
