/* kizuna search: zlib inflate (RFC 1950/1951) for browsers without DecompressionStream, loaded by
 * engine.js only there. Defines window.kizunaInflate(bytes) → Uint8Array; throws on bad data.
 * Decoding follows zlib's reference decoder, puff.c: canonical Huffman codes read bit by bit. */
(function (root) {
  "use strict";
  var LBASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115,
    131, 163, 195, 227, 258];
  var LEXT = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
  var DBASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
  var DEXT = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
  var ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

  function fail(why) { throw new Error("kizuna search: cannot inflate (" + why + ")"); }

  /* Canonical Huffman code from code lengths: count of codes per length, symbols in code order. */
  function code(lengths) {
    var count = new Uint16Array(16), offs = new Uint16Array(16), sym = new Uint16Array(lengths.length);
    for (var i = 0; i < lengths.length; i++) count[lengths[i]]++;
    count[0] = 0;
    for (i = 1; i < 16; i++) offs[i] = offs[i - 1] + count[i - 1];
    for (i = 0; i < lengths.length; i++) if (lengths[i]) sym[offs[lengths[i]]++] = i;
    return { count: count, sym: sym };
  }

  var fixedLit, fixedDist;
  function fixed() {
    if (!fixedLit) {
      var l = new Uint8Array(288);
      for (var i = 0; i < 288; i++) l[i] = i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8;
      fixedLit = code(l);
      fixedDist = code(new Uint8Array(30).fill(5));
    }
  }

  function inflate(data) {
    if (data.length < 2 || (data[0] & 15) !== 8 || ((data[0] << 8) | data[1]) % 31 || data[1] & 32) fail("not zlib");
    var pos = 2, acc = 0, nbits = 0, n = 0, out = new Uint8Array(Math.max(256, data.length * 4));
    function bits(k) {
      while (nbits < k) {
        if (pos >= data.length) fail("truncated");
        acc |= data[pos++] << nbits;
        nbits += 8;
      }
      var v = acc & ((1 << k) - 1);
      acc >>>= k;
      nbits -= k;
      return v;
    }
    function decode(h) {
      var c = 0, first = 0, index = 0;
      for (var len = 1; len < 16; len++) {
        c |= bits(1);
        var count = h.count[len];
        if (c - count < first) return h.sym[index + (c - first)];
        index += count;
        first = (first + count) << 1;
        c <<= 1;
      }
      return fail("bad code");
    }
    function put(b) {
      if (n === out.length) { var grown = new Uint8Array(out.length * 2); grown.set(out); out = grown; }
      out[n++] = b;
    }
    var last;
    do {
      last = bits(1);
      var type = bits(2);
      if (type === 0) {
        acc = 0; nbits = 0;
        if (pos + 4 > data.length) fail("truncated");
        var len = data[pos] | (data[pos + 1] << 8);
        if ((len ^ 0xffff) !== (data[pos + 2] | (data[pos + 3] << 8))) fail("bad stored block");
        pos += 4;
        if (pos + len > data.length) fail("truncated");
        for (var i = 0; i < len; i++) put(data[pos++]);
        continue;
      }
      var lit, dist;
      if (type === 1) { fixed(); lit = fixedLit; dist = fixedDist; }
      else if (type === 2) {
        var nlit = bits(5) + 257, ndist = bits(5) + 1, ncode = bits(4) + 4;
        var cl = new Uint8Array(19);
        for (i = 0; i < ncode; i++) cl[ORDER[i]] = bits(3);
        var clc = code(cl), lens = new Uint8Array(nlit + ndist);
        for (i = 0; i < nlit + ndist;) {
          var s = decode(clc);
          if (s < 16) { lens[i++] = s; continue; }
          var v = 0, rep;
          if (s === 16) { if (!i) fail("repeat with no length"); v = lens[i - 1]; rep = 3 + bits(2); }
          else rep = s === 17 ? 3 + bits(3) : 11 + bits(7);
          if (i + rep > nlit + ndist) fail("too many lengths");
          while (rep--) lens[i++] = v;
        }
        lit = code(lens.subarray(0, nlit));
        dist = code(lens.subarray(nlit));
      } else fail("bad block type");
      for (;;) {
        var sym = decode(lit);
        if (sym < 256) { put(sym); continue; }
        if (sym === 256) break;
        sym -= 257;
        if (sym >= 29) fail("bad length");
        var length = LBASE[sym] + bits(LEXT[sym]);
        var ds = decode(dist);
        if (ds >= 30) fail("bad distance");
        var back = DBASE[ds] + bits(DEXT[ds]);
        if (back > n) fail("distance too far");
        for (var k = 0; k < length; k++) put(out[n - back]);
      }
    } while (!last);
    return out.slice(0, n);
  }

  root.kizunaInflate = inflate;
})(typeof window !== "undefined" ? window : globalThis);
