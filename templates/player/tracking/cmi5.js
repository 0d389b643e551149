/* scormbuild player: the cmi5 tracker (interface: see standalone.js): the cmi5 launch on top of
 * the shared statement machinery of tracking/lrs.js (load it first). docs/cmi5.md.
 * Launch (cmi5 section 8): endpoint, fetch, actor, registration and activityId from the URL;
 * one POST to the fetch URL for the auth token, kept in sessionStorage for reloads in the same
 * browser session; LMS.LaunchData from the State API (contextTemplate, launchMode, masteryScore,
 * returnURL); the cmi5LearnerPreferences agent profile.
 * Statements: "initialized" first and "terminated" last (lrs.js); cmi5-defined ones (on the
 * activityId) carry the cmi5 category, completed/passed/failed the moveon one too; passed only
 * when score.scaled >= masteryScore, at most one passed or failed per session (a fail is sent
 * when the session ends, unless a pass came after it); Browse and Review send nothing else.
 * Every context is built on the contextTemplate, whose values are never overwritten.
 * The names come with the course data (course.cmi5, from scormbuild/cmi5/spec.py).
 */
(function (root) {
  'use strict';
  var T = root.ScormbuildTrackers = root.ScormbuildTrackers || {};
  var L = T.lrs;
  // cmi5-defined verbs on the AU: 1 = the cmi5 category, 2 = the moveon category too.
  var DEFINED = { initialized: 1, completed: 2, passed: 2, failed: 2, terminated: 1 };
  var ENC = encodeURIComponent;

  // The template into the statement's context: the template's values win, lists are joined.
  function merge(into, from) {
    Object.keys(from).forEach(function (k) {
      var v = from[k], w = into[k];
      into[k] = Array.isArray(v) ? v.concat((w || []).filter(function (x) {
        return !v.some(function (y) { return y.id === x.id; });
      })) : v && typeof v === 'object' && w && typeof w === 'object' ? merge(w, v) : v;
    });
    return into;
  }

  T.cmi5 = function (course) {
    var N = course.cmi5, a = course.assessment, tpl, au, ret, mastery, ms, fail, done, t, key;
    function json(r) { return r.ok ? r.json() : {}; }
    t = L(course, {
      name: 'cmi5',
      open: function (p, out, actor, request) {
        var tok, store;
        key = 'scormbuild:cmi5:token:' + p.fetch;
        au = p.activityId;
        try { store = root.sessionStorage; tok = store.getItem(key); } catch (e) { store = null; }
        // The fetch URL works once: a reload in the same browser session reuses the token,
        // until the session ended ("-": "terminated" was sent, e.g. when the page was left).
        return (tok ? Promise.resolve(tok) : request(p.fetch, { method: 'POST' }).then(json).then(function (j) {
          tok = j['auth-token'] || j['error-code'] && '-';
          if (tok && store) store.setItem(key, tok);
          return tok;
        })).then(function (tok) {
          if (!tok || tok === '-') {
            if (tok) out.notice = 'This launch link was already used: open the course again from your learning management system to record your progress. Until then it is kept only in this browser.';
            return null;
          }
          var h = { headers: { 'X-Experience-API-Version': '1.0.3', Authorization: 'Basic ' + tok } };
          var who = '&agent=' + ENC(JSON.stringify(actor));
          return Promise.all([
            request(p.endpoint.replace(/\/?$/, '/activities/state?stateId=') + N.launchData + '&activityId=' + ENC(au) + who + '&registration=' + p.registration, h, 5000).then(json),
            // Read as cmi5 requires; the course has one language, which it keeps.
            request(p.endpoint.replace(/\/?$/, '/agents/profile?profileId=') + N.preferences + who, h, 5000).then(json, json),
            request('cmi5.xml', {}, 5000).then(function (r) { return r.text(); }).then(function (x) {
              return new root.DOMParser().parseFromString(x, 'application/xml').getElementsByTagNameNS('*', 'au')[0].getAttribute('id');
            }).catch(function () { return null; })
          ]).then(function (r) {
            var d = r[0];
            tpl = d.contextTemplate;
            out.mode = { Browse: 'browse', Review: 'review' }[d.launchMode] || 'normal';
            ret = d.returnURL;
            ms = d.masteryScore;
            // The LMS's masteryScore replaces the author's pass mark (the player applies it).
            if (a && ms != null) out.passMark = Math.round(ms * 1e4) / 100;
            mastery = a && (ms != null ? ms : a.pass_mark / 100);
            if (out.mode !== 'normal') out.notice = 'This course was opened for ' + out.mode + ': nothing you do in it is recorded.';
            return tpl && { au: au, reg: p.registration, auth: 'Basic ' + tok, only: out.mode !== 'normal' && ['initialized', 'terminated'],
              // The AU id of cmi5.xml, else the publisher id the LMS puts in the template.
              base: r[2] || tpl.contextActivities.grouping[0].id };
          });
        }).then(null, function () { return null; }).then(function (k) {
          // No token, no launch data, no answer: nothing can be sent.
          if (!k && !out.notice) out.notice = 'The learning management system could not be reached: your progress is kept only in this browser.';
          return k;
        });
      },
      ctx: function (ctx, verb, id) {
        merge(ctx, JSON.parse(JSON.stringify(tpl)));
        var c = DEFINED[verb] && id === au && [N.categories.cmi5], ca = ctx.contextActivities = ctx.contextActivities || {};
        if (c) {
          if (DEFINED[verb] > 1) c.push(N.categories.moveon);
          ca.category = (ca.category || []).concat(c.map(function (x) { return { objectType: 'Activity', id: x }; }));
        }
      },
      // A post-test submission: passed at once when scaled >= masteryScore (once per
      // session; the player offers no attempt after a pass); a fail waits for the session's end.
      judged: function (rep, score, d) {
        var r = { score: score, success: score.scaled >= mastery, duration: d };
        if (done) return;
        if (r.success) {
          fail = null;
          done = 1;
          t.send('passed', au, r, ext());
        } else fail = r;
      },
      end: function () {
        if (fail && !done) t.send('failed', au, fail, ext());
        try { root.sessionStorage.setItem(key, '-'); } catch (e) { /* no storage: nothing to mark */ }
      },
      // Exit: to the LMS's returnURL once "terminated" left (or after 3 s).
      left: function (sent) {
        if (ret) Promise.race([sent, new Promise(function (ok) { root.setTimeout(ok, 3000); })]).then(function () { root.location.href = ret; });
      }
    });
    function ext() { var o = {}; if (ms != null) o[N.mastery] = ms; return o; }
    return t;
  };
})(this);
