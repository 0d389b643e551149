/* scormbuild player: the xAPI (Tin Can) tracker (interface: see standalone.js): the Tin Can
 * launch on top of the shared statement machinery of tracking/lrs.js (load it first).
 * What it sends and how it delivers: docs/xapi-player.md; statements and IRIs: docs/xapi.md.
 * Launch parameters come from the URL (Tin Can launch): endpoint, auth, actor, registration,
 * activity_id, grouping, activity_platform, Accept-Language; any other parameter is echoed in
 * context.extensions["<course IRI>/extension/launch-parameters"]. No credentials in the package.
 * Sizes count (the player's 60 KB budget): whole-line comments cost nothing, code does.
 */
(function (root) {
  'use strict';
  var T = root.ScormbuildTrackers = root.ScormbuildTrackers || {};
  var L = T.lrs;
  var KNOWN = ['endpoint', 'auth', 'actor', 'registration', 'activity_id', 'grouping', 'activity_platform', 'Accept-Language'];
  var UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
  var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };
  var map = function (list, fn) { return Array.prototype.map.call(list, fn); };

  // An element of tincan.xml as definition JSON: lang-tagged children become language maps,
  // lists (<choices><component>, <correctResponsePatterns>) arrays, the rest text.
  function node(el) {
    var o = {};
    each(el.children, function (c) {
      var k = c.localName.replace('Patterns', 'sPattern'), lang = c.getAttribute('lang');
      if (lang) (o[k] = o[k] || {})[lang] = c.textContent;
      else o[k] = c.children.length ? map(c.children, function (x) { return x.children.length ? node(x) : x.textContent; }) : c.textContent;
    });
    return o;
  }
  // tincan.xml (next to index.html) names the course IRI (the activity with <launch>) and
  // holds every activity definition: {launch, defs: {iri: definition}}.
  function readTincan(text) {
    var out = { defs: {} };
    each(new root.DOMParser().parseFromString(text, 'application/xml').getElementsByTagNameNS('*', 'activity'), function (act) {
      var id = act.getAttribute('id'), d = out.defs[id] = node(act);
      d.type = act.getAttribute('type') || undefined;
      if (d.launch) out.launch = id;
      delete d.launch;
    });
    return out;
  }

  T.xapi = function (course) {
    return L(course, {
      name: 'xapi',
      // The course IRI from activity_id or tincan.xml, then the registration.
      open: function (p, out, actor, request, uuid) {
        return request('tincan.xml', {}, 5000).then(function (r) { return r.ok ? r.text() : ''; })
          .then(readTincan, function () { return { defs: {} }; }).then(function (tc) {
            var base = p.activity_id || tc.launch, extras = {}, ext = {};
            if (!base) {
              root.console.error('scormbuild: no activity_id, no tincan.xml: nothing to send');
              out.notice = 'The learning record store cannot be used: your progress is kept only in this browser.';
              return null;
            }
            // No (valid) registration from the LMS: one made once per learner and course.
            var rk = 'scormbuild:xapi:registration:' + base + '|' + out.learnerId;
            var reg = UUID_RE.test(p.registration) ? p.registration : T.local.read(rk);
            if (!reg) T.local.write(rk, reg = uuid());
            Object.keys(p).sort().forEach(function (k) { if (KNOWN.indexOf(k) < 0) extras[k] = p[k]; });
            if (Object.keys(extras).length) ext[base + course.xapi.extensions['launch-parameters']] = extras;
            // A "+" of an unencoded Basic token arrives as a space: put it back.
            return { base: base, reg: reg, defs: tc.defs, launched: 1, success: 1, grouping: p.grouping,
              platform: p.activity_platform, ext: ext,
              auth: (p.auth || '').replace(/^(\S+) (.*)$/, function (m, a, b) { return a + ' ' + b.replace(/ /g, '+'); }) };
          });
      }
    });
  };
})(this);
