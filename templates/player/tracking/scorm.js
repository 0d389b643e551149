/* scormbuild player: the SCORM run-time both SCORM trackers share (scorm12.js, scorm2004.js).
 * Both standards talk to an ECMAScript API object with the same calls under other names;
 * what is the same is here, once: API discovery through parents and opener, the error check
 * after every get, set and commit, retried commits with the browser-local copy and a backoff,
 * the learner's warnings, onLeave (pagehide of the LMS window) and closing the session once.
 * Each standard's file keeps only its data model and syntax. Loaded before them.
 *
 *   var s = T.scormSession(course, 'API', 'LMS', 'LMSFinish');         // SCORM 1.2
 *   var s = T.scormSession(course, 'API_1484_11', '', 'Terminate');    // SCORM 2004
 *   null when no API is found or it refuses to initialize; else s.tracker is the tracker
 *   (onWarning, onLeave and active as standalone.js documents them; the standard adds the
 *   rest) and s holds the helpers below. Its state lives in the closure (minified names).
 */
(function (root) {
  'use strict';
  var T = root.ScormbuildTrackers = root.ScormbuildTrackers || {};
  var RETRIES = 3;

  // Walk up to 7 parents of a window; a cross-origin frame throws on access, so every
  // touch is guarded and the walk goes on to the next parent.
  function scan(w, name, init) { // -> the window holding the API, or null
    for (var n = 0; w && n <= 7; n++) {
      try {
        if (w[name] && typeof w[name][init] === 'function') return w;
      } catch (e) { /* cross-origin: keep looking */ }
      var p = null;
      try { p = w.parent; } catch (e) { p = null; }
      if (!p || p === w) break;
      w = p;
    }
    return null;
  }

  function findAPI(name, init) { // -> {win, api, ancestor} or null
    var w = scan(root, name, init);
    if (w) return { win: w, api: w[name], ancestor: w !== root };
    var tries = [function () { return root.opener; }, function () { return root.top.opener; }];
    for (var i = 0; i < tries.length; i++) {
      try { var o = tries[i](); w = o ? scan(o, name, init) : null; } catch (e) { w = null; }
      if (w) return { win: w, api: w[name], ancestor: false };
    }
    return null;
  }

  function pad(n, w) { n = String(n); while (n.length < w) n = '0' + n; return n; }

  // prefix: the calls' prefix ('LMS' in SCORM 1.2: LMSGetValue, ...; '' in 2004: GetValue);
  // end: the call that closes the session ('LMSFinish', 'Terminate').
  T.scormSession = function (course, name, prefix, end) {
    var init = prefix + 'Initialize';
    var found = findAPI(name, init);
    if (!found) return null;
    var api = found.api;
    var initialized;
    try { initialized = String(api[init]('')) === 'true'; } catch (e) { initialized = false; }
    if (!initialized) return null;

    var t0 = Date.now();
    var mode = 'normal';
    var finished = false;
    var interactions = false;
    var warned = false;
    var retryTimer = null;
    var backoff = 5000;
    var key = '';
    var last = null; // the last state saved, for the local copy
    var leaveHandler = null;
    var t = {
      onWarning: function () {},
      // A tab being closed fires pagehide in the top document but, in Chromium, not in the
      // course's frame: so also finish on the pagehide of the LMS window holding the API
      // (same origin, or we could not have used its API). Not for an opener: that window
      // closing does not end the course window.
      onLeave: function (fn) {
        if (!found.ancestor) return;
        leaveHandler = fn;
        try { found.win.addEventListener('pagehide', fn); } catch (e) { leaveHandler = null; }
      }
    };

    function err() {
      try { return String(api[prefix + 'GetLastError']()); } catch (e) { return '101'; }
    }
    function fine(code) { return code === '0' || code === ''; }
    function get(n) { // -> {v: the value as a string, ok: no error}
      var v;
      try { v = api[prefix + 'GetValue'](n); } catch (e) { return { v: '', ok: false }; }
      return { v: v == null ? '' : String(v), ok: fine(err()) };
    }
    function set(n, value) {
      var r;
      try { r = api[prefix + 'SetValue'](n, String(value)); } catch (e) { r = 'false'; }
      var code = err();
      var ok = String(r) === 'true' && fine(code);
      if (!ok && root.console) root.console.warn('scormbuild: ' + prefix + 'SetValue ' + n + ' failed, error ' + code);
      return ok;
    }
    function count(n) { // the collection's n._count, -1 when the LMS does not keep it
      var c = get(n + '._count');
      return c.ok && /^\d+$/.test(c.v) ? +c.v : -1;
    }
    function commitOnce() {
      var r;
      try { r = api[prefix + 'Commit'](''); } catch (e) { r = 'false'; }
      return String(r) === 'true' && fine(err());
    }
    function localCopy(unsynced) {
      if (last) T.local.write(key, { s: last.s, l: last.l, unsynced: unsynced, t: Date.now() });
    }
    // A connection can die silently: retry a few times, keep the state locally, tell the
    // learner without blocking, and try again later in the background.
    function commit() {
      for (var i = 0; i < RETRIES; i++) {
        if (commitOnce()) {
          backoff = 5000;
          localCopy(false);
          if (warned) { warned = false; t.onWarning('commit', null); }
          return true;
        }
      }
      localCopy(true);
      if (!warned) {
        warned = true;
        t.onWarning('commit', 'Your progress could not be saved to the learning management system. ' +
          'It is kept in this browser; the course keeps trying to save it.');
      }
      if (!retryTimer && !finished) {
        retryTimer = root.setTimeout(function () { retryTimer = null; if (!finished) commit(); }, backoff);
        backoff = Math.min(backoff * 2, 60000); // 5 s, 10 s, ... at most a minute apart
      }
      return false;
    }
    function noInteractions() {
      t.onWarning('interactions', 'This learning management system does not record individual ' +
        'answers. Your score and status are still saved.');
    }
    function writes() { return !finished && mode !== 'review'; }

    return {
      tracker: t,
      get: get,
      set: set,
      count: count,
      // In start(): the LMS's lesson mode -> the session's, a missing one being 'normal'.
      mode: function (m) { return (mode = m === 'review' || m === 'browse' ? m : 'normal'); },
      writes: writes,
      scores: function () { return writes() && mode === 'normal'; },
      // This session's ACTIVE time when the player provides it (active()), else wall-clock time.
      spent: function () { return t.active ? t.active() : Date.now() - t0; },
      // In start(), once the learner is known: whether the LMS keeps interactions, and the
      // local copy to resume from instead of the LMS's state, or null. A copy marked unsynced
      // was saved after the last commit that worked, so it is newer than anything the LMS
      // holds (even on ab-initio: a session whose commits all failed never told the LMS to
      // resume).
      begin: function (learnerId) {
        interactions = count('cmi.interactions') >= 0;
        key = T.local.key(course, learnerId);
        var local = T.local.read(key);
        return local && local.unsynced && local.s ? local : null;
      },
      // 'cmi.interactions.<n>.' for the next record, or null (the learner is told the LMS
      // keeps no answers).
      interaction: function () {
        if (!interactions) { noInteractions(); return null; }
        var n = count('cmi.interactions');
        if (n < 0) { interactions = false; noInteractions(); return null; }
        return 'cmi.interactions.' + n + '.';
      },
      // save(): keep the state for the local copy; when the session writes, write() sets the
      // standard's elements (-> all accepted), then one commit.
      save: function (suspend, location, write) {
        last = { s: suspend, l: location };
        if (!writes()) return;
        if (!write() && !warned) {
          warned = true;
          t.onWarning('commit', 'The learning management system refused to store your progress. ' +
            'It is kept in this browser.');
        }
        commit();
      },
      // finish(), exactly once: close() sets exit and session time when the session writes,
      // then one commit; the session ends whatever the LMS answers.
      finish: function (close) {
        if (finished) return;
        if (writes()) {
          close();
          commit();
        }
        finished = true;
        if (retryTimer) { root.clearTimeout(retryTimer); retryTimer = null; }
        if (leaveHandler) {
          try { found.win.removeEventListener('pagehide', leaveHandler); } catch (e) { /* gone */ }
          leaveHandler = null;
        }
        try { api[end](''); } catch (e) { /* the session is over either way */ }
        err();
      }
    };
  };
  T.scormSession.pad = pad;
})(this);
