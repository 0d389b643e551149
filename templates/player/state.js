/* scormbuild player: the learner state and its compact codec (no DOM, no rules here: the
 * completion rules and scoring are completion.js's, the standards' syntax the trackers').
 *
 * The codec is FIXED-WIDTH for a given course: every field has a width derived from the course
 * data alone, so every state of a course encodes to the same length. That length is what
 * scormbuild/state_budget.py predicts at build time; keep the two in step (tests/player runs
 * this file under node against the Python prediction).
 *
 * Layout (bits, most significant first, then packed 6 bits per character, base64url alphabet):
 *   version 6 | schema hash 12 | location bits(views-1) | seat seconds 22 | per module: seat
 *   seconds 22 | visited 1 per page/check view | knowledge-check answers | [knowledge-check
 *   shuffle seed 16, when the course has knowledge checks] | [post-test:
 *   attempts bits(A), phase 2, seed 16, answers] | [evaluation: done 1, likert answers] |
 *   attested 1 | certificate day 16 (days since 1970-01-01 of the local completion date; 0 =
 *   no certificate yet)
 * Seat time is ACTIVE time: counted by player.js only while the page is visible and the
 * learner was active in the last idle_minutes.
 * Answers are small integers, one field each: single/true-false: chosen index + 1 (0 = none);
 * multiple: one bit per choice; matching: per source, target index + 1; sequencing: per
 * position, choice index + 1. Free-text survey answers are NOT in the state (see automation.md).
 */
(function (root) {
  'use strict';
  var ALPHA = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  var VERSION = 3; // 3: knowledge-check shuffle seed
  var SEAT_BITS = 22;
  var SEAT_MAX = 4194303; // 2^22 - 1 seconds, about 1,165 hours: seat time saturates here
  var SEED_BITS = 16;
  var DAY_BITS = 16; // completion day: days since 1970-01-01, good until 2149
  var UNLIMITED_ATTEMPTS = 255; // unlimited attempts: the counter saturates at 255

  function bits(n) { // width able to hold every value 0..n
    var b = 1;
    while (Math.pow(2, b) <= n) b++;
    return b;
  }

  function views(course) {
    var v = [{ id: 'course:menu', view: 'menu' }];
    (course.modules || []).forEach(function (m, mi) {
      m.pages.forEach(function (p) { v.push({ id: p.id, view: 'page', module: mi, page: p }); });
      if (m.knowledge_check && m.knowledge_check.length) {
        v.push({ id: 'check:' + m.id, view: 'check', module: mi });
      }
    });
    if (course.assessment) v.push({ id: 'posttest:' + course.assessment.id, view: 'posttest' });
    if (course.evaluation) v.push({ id: 'evaluation:' + course.evaluation.id, view: 'evaluation' });
    v.push({ id: 'course:completion', view: 'completion' });
    return v;
  }

  function questionWidths(q) {
    var c = (q.choices || []).length;
    switch (q.type) {
      case 'single': return [bits(c)];
      case 'true-false': return [bits(2)];
      case 'multiple': return q.choices.map(function () { return 1; });
      case 'matching': return q.sources.map(function () { return bits(q.targets.length); });
      case 'sequencing': return q.choices.map(function () { return bits(c); });
    }
    throw new Error('unknown question type ' + q.type);
  }

  function maxAttempts(course) {
    var a = course.assessment.attempts;
    return a > 0 ? a : UNLIMITED_ATTEMPTS;
  }

  function kcQuestions(course) {
    var out = [];
    (course.modules || []).forEach(function (m) {
      (m.knowledge_check || []).forEach(function (q) { out.push(q); });
    });
    return out;
  }

  function likertWidths(item) {
    return item.type === 'likert' ? [bits(item.scale.length)] : [];
  }

  // The field list, in encoding order: [path, width] where path addresses the state object.
  function layout(course) {
    var vs = views(course);
    var f = [];
    var tracked = 0;
    f.push(['loc', bits(vs.length - 1)]);
    f.push(['seat', SEAT_BITS]);
    (course.modules || []).forEach(function (m, mi) { f.push([['mseat', mi], SEAT_BITS]); });
    vs.forEach(function (v) { if (v.view === 'page' || v.view === 'check') tracked++; });
    for (var i = 0; i < tracked; i++) f.push([['visited', i], 1]);
    var kq = kcQuestions(course);
    kq.forEach(function (q, qi) {
      questionWidths(q).forEach(function (w, k) { f.push([['kc', qi, k], w]); });
    });
    // One seed per learner for the knowledge-check choice order (player.js draws it once).
    if (kq.length) f.push(['kcseed', SEED_BITS]);
    if (course.assessment) {
      f.push([['test', 'attempts'], bits(maxAttempts(course))]);
      f.push([['test', 'phase'], 2]);
      f.push([['test', 'seed'], SEED_BITS]);
      course.assessment.questions.forEach(function (q, qi) {
        questionWidths(q).forEach(function (w, k) { f.push([['test', 'answers', qi, k], w]); });
      });
    }
    if (course.evaluation) {
      f.push([['evaluation', 'done'], 1]);
      course.evaluation.items.forEach(function (it, ii) {
        likertWidths(it).forEach(function (w, k) { f.push([['evaluation', 'answers', ii, k], w]); });
      });
    }
    f.push([['cert', 'attested'], 1]);
    f.push([['cert', 'day'], DAY_BITS]);
    return { views: vs, tracked: tracked, fields: f };
  }

  function totalBits(lay) {
    var n = 18; // version + hash
    lay.fields.forEach(function (f) { n += f[1]; });
    return n;
  }

  function encodedLength(course) { return Math.ceil(totalBits(layout(course)) / 6); }

  // Schema hash: a saved state from a different course build (pages or questions added,
  // choices changed) must not be decoded into the wrong slots; it is discarded instead.
  function schemaHash(course, lay) {
    var s = course.id + '|' + lay.views.map(function (v) { return v.id; }).join(',') + '|' +
      lay.fields.map(function (f) { return f[1]; }).join('');
    var h = fnv(s, 0x811c9dc5);
    return (h ^ (h >>> 12) ^ (h >>> 24)) & 0xfff;
  }
  function fnv(s, h) { // FNV-1a, 32 bits
    for (var i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
    return h;
  }

  function empty(course) {
    var lay = layout(course);
    var st = { loc: 0, seat: 0, mseat: [], visited: [], kc: [], kcseed: 0, test: null, evaluation: null,
      cert: { attested: 0, day: 0 } };
    (course.modules || []).forEach(function () { st.mseat.push(0); });
    for (var i = 0; i < lay.tracked; i++) st.visited.push(0);
    st.kc = kcQuestions(course).map(function (q) { return questionWidths(q).map(function () { return 0; }); });
    if (course.assessment) {
      st.test = {
        attempts: 0, phase: 0, seed: 0,
        answers: course.assessment.questions.map(function (q) {
          return questionWidths(q).map(function () { return 0; });
        })
      };
    }
    if (course.evaluation) {
      st.evaluation = {
        done: 0,
        answers: course.evaluation.items.map(function (it) { return likertWidths(it).map(function () { return 0; }); })
      };
    }
    return st;
  }

  function getPath(st, p) {
    if (typeof p === 'string') return st[p];
    var o = st;
    for (var i = 0; i < p.length; i++) o = o == null ? undefined : o[p[i]];
    return o;
  }

  function setPath(st, p, val) {
    if (typeof p === 'string') { st[p] = val; return; }
    var o = st;
    for (var i = 0; i < p.length - 1; i++) o = o[p[i]];
    o[p[p.length - 1]] = val;
  }

  function encode(course, st) {
    var lay = layout(course);
    var out = [];
    var acc = 0;
    var n = 0;
    function put(value, width) {
      var max = Math.pow(2, width) - 1;
      value = Math.max(0, Math.min(max, Math.floor(Number(value) || 0)));
      for (var b = width - 1; b >= 0; b--) {
        acc = acc * 2 + (Math.floor(value / Math.pow(2, b)) % 2);
        if (++n === 6) { out.push(ALPHA.charAt(acc)); acc = 0; n = 0; }
      }
    }
    put(VERSION, 6);
    put(schemaHash(course, lay), 12);
    lay.fields.forEach(function (f) { put(getPath(st, f[0]), f[1]); });
    if (n > 0) put(0, 6 - n);
    return out.join('');
  }

  function decode(course, str) {
    if (typeof str !== 'string' || !str) return null;
    var lay = layout(course);
    if (str.length !== Math.ceil(totalBits(lay) / 6)) return null;
    var pos = 0;
    function get(width) {
      var v = 0;
      for (var i = 0; i < width; i++) {
        var c = ALPHA.indexOf(str.charAt(Math.floor(pos / 6)));
        if (c < 0) throw new Error('bad character');
        v = v * 2 + ((c >> (5 - (pos % 6))) & 1);
        pos++;
      }
      return v;
    }
    try {
      if (get(6) !== VERSION) return null;
      if (get(12) !== schemaHash(course, lay)) return null;
      var st = empty(course);
      lay.fields.forEach(function (f) { setPath(st, f[0], get(f[1])); });
      if (st.loc >= lay.views.length) st.loc = 0;
      return st;
    } catch (e) {
      return null;
    }
  }

  // Deterministic shuffle (post-test and knowledge checks): mulberry32 seeded from the saved seed and the
  // question position, so a resumed attempt shows exactly the same order.
  function order(seed, qi, n) {
    var a = (seed * 65599 + (qi + 1) * 0x9e3779b1) >>> 0;
    function rnd() {
      a = (a + 0x6d2b79f5) >>> 0;
      var t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    }
    var idx = [];
    for (var i = 0; i < n; i++) idx.push(i);
    for (var j = n - 1; j > 0; j--) {
      var k = Math.floor(rnd() * (j + 1));
      var tmp = idx[j]; idx[j] = idx[k]; idx[k] = tmp;
    }
    return idx;
  }

  function indexOfId(list, id) {
    for (var i = 0; i < list.length; i++) if (list[i].id === id) return i;
    return -1;
  }

  // An answer's small integers as author ids, the form every tracker starts from (see
  // tracking/standalone.js): chosen choice ids in source order (true-false: ['true'] or
  // ['false']); sequencing: choice ids in the learner's order; matching: 'source.target' pairs
  // in source order. Unanswered fields are left out.
  function answerIds(q, ans) {
    var out = [];
    (ans || []).forEach(function (x, i) {
      if (!x) return;
      if (q.type === 'multiple') out.push(q.choices[i].id);
      else if (q.type === 'matching') out.push(q.sources[i].id + '.' + q.targets[x - 1].id);
      else out.push(q.choices[x - 1].id);
    });
    return out;
  }

  // What completion.js, player.js, the trackers and the tests (under node) call; the rest is internal.
  var api = {
    SEAT_MAX: SEAT_MAX, views: views, layout: layout, encodedLength: encodedLength,
    empty: empty, encode: encode, decode: decode, kcQuestions: kcQuestions,
    fnv: fnv, indexOfId: indexOfId, answerIds: answerIds, order: order
  };
  if (typeof module === 'object' && module.exports) module.exports = api;
  else root.ScormbuildState = api;
})(this);
