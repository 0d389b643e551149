/* scormbuild player: the SCORM 1.2 tracker (see standalone.js for the interface).
 * Follows docs shared/reference/scorm12.md: API discovery through parents and opener,
 * score before status, commit per logical step (never per set), LMSGetLastError after every
 * set and commit, retried commits, LMSFinish exactly once, Moodle-strict CMITimespan.
 */
(function (root) {
  'use strict';
  var T = root.ScormbuildTrackers = root.ScormbuildTrackers || {};
  var RETRIES = 3;
  var LETTERS = '0123456789abcdefghijklmnopqrstuvwxyz';

  // SCORM 1.2 response syntax: positions in the SOURCE order as single characters 0-9a-z
  // (hence the 36-choice limit of scorm12/target.py); true-false t/f; pairs "s.t".
  function letter(list, id) {
    for (var i = 0; i < list.length; i++) if (list[i].id === id) return LETTERS.charAt(i);
    return '';
  }
  function syntax(r, ids) {
    var q = r.question;
    if (r.kind === 'likert') return LETTERS.charAt(ids[0] - 1);
    if (!q) return ids.join(' ');
    if (q.type === 'true-false') return ids.length ? ids[0].charAt(0) : '';
    return ids.map(function (id) {
      var d = id.indexOf('.');
      return q.type === 'matching' ? letter(q.sources, id.slice(0, d)) + '.' + letter(q.targets, id.slice(d + 1)) : letter(q.choices, id);
    }).join(',');
  }

  // Walk up to 7 parents of a window; a cross-origin frame throws on access, so every
  // touch is guarded and the walk goes on to the next parent.
  function scan(w) { // -> the window holding the API, or null
    for (var n = 0; w && n <= 7; n++) {
      try {
        if (w.API && typeof w.API.LMSInitialize === 'function') return w;
      } catch (e) { /* cross-origin: keep looking */ }
      var p = null;
      try { p = w.parent; } catch (e) { p = null; }
      if (!p || p === w) break;
      w = p;
    }
    return null;
  }

  function findAPI() { // -> {win, api, ancestor} or null
    var w = scan(root);
    if (w) return { win: w, api: w.API, ancestor: w !== root };
    var tries = [function () { return root.opener; }, function () { return root.top.opener; }];
    for (var i = 0; i < tries.length; i++) {
      try { var o = tries[i](); w = o ? scan(o) : null; } catch (e) { w = null; }
      if (w) return { win: w, api: w.API, ancestor: false };
    }
    return null;
  }

  function pad(n, w) { n = String(n); while (n.length < w) n = '0' + n; return n; }

  // CMITimespan as Moodle accepts it: HHHH:MM:SS.SS, hundredths zero-padded, capped.
  function timespan(ms) {
    var cs = Math.min(Math.max(0, Math.round(ms / 10)), 3599999999);
    return pad(Math.floor(cs / 360000), 4) + ':' + pad(Math.floor(cs / 6000) % 60, 2) + ':' +
      pad(Math.floor(cs / 100) % 60, 2) + '.' + pad(cs % 100, 2);
  }

  function clock(d) { // CMITime HH:MM:SS
    return pad(d.getHours(), 2) + ':' + pad(d.getMinutes(), 2) + ':' + pad(d.getSeconds(), 2);
  }

  T.scorm12 = function (course) {
    var found = findAPI();
    if (!found) return null;
    var api = found.api;
    var leaveHandler = null;
    var initialized;
    try { initialized = String(api.LMSInitialize('')) === 'true'; } catch (e) { initialized = false; }
    if (!initialized) return null;

    var t0 = Date.now();
    var mode = 'normal';
    var finished = false;
    var interactions = false;
    var exitSet = null;
    var lesson = null; // the lesson_status last written
    var warned = false;
    var retryTimer = null;
    var backoff = 5000;
    var key = '';
    var last = null; // the last state saved, for the local copy

    function err() {
      try { return String(api.LMSGetLastError()); } catch (e) { return '101'; }
    }
    function get(name) {
      var v;
      try { v = api.LMSGetValue(name); } catch (e) { return { v: '', ok: false }; }
      var code = err();
      return { v: v == null ? '' : String(v), ok: code === '0' || code === '' };
    }
    function set(name, value) {
      var r;
      try { r = api.LMSSetValue(name, String(value)); } catch (e) { r = 'false'; }
      var code = err();
      var ok = String(r) === 'true' && (code === '0' || code === '');
      if (!ok && root.console) root.console.warn('scormbuild: LMSSetValue ' + name + ' failed, error ' + code);
      return ok;
    }
    function commitOnce() {
      var r;
      try { r = api.LMSCommit(''); } catch (e) { r = 'false'; }
      var code = err();
      return String(r) === 'true' && (code === '0' || code === '');
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
    // This session's ACTIVE time when the player provides it (t.active), else wall-clock time.
    function spent() { return t.active ? t.active() : Date.now() - t0; }
    function writes() { return !finished && mode !== 'review'; }
    function scores() { return writes() && mode === 'normal'; }

    var t = {
      name: 'scorm12',
      onWarning: function () {},
      // A tab being closed fires pagehide in the top document but, in Chromium, not in the
      // course's frame: so also finish on the pagehide of the LMS window holding the API
      // (same origin, or we could not have used its API). Not for an opener: that window
      // closing does not end the course window.
      onLeave: function (fn) {
        if (!found.ancestor) return;
        leaveHandler = fn;
        try { found.win.addEventListener('pagehide', fn); } catch (e) { leaveHandler = null; }
      },
      start: function () {
        var entry = get('cmi.core.entry').v;
        var lm = get('cmi.core.lesson_mode').v;
        mode = lm === 'review' || lm === 'browse' ? lm : 'normal'; // missing = normal
        var status = get('cmi.core.lesson_status').v;
        var learner = get('cmi.core.student_name').v;
        var learnerId = get('cmi.core.student_id').v;
        key = T.local.key(course, learnerId);
        var suspend = get('cmi.suspend_data').v;
        var location = get('cmi.core.lesson_location').v;
        var count = get('cmi.interactions._count');
        interactions = count.ok && /^\d+$/.test(count.v);
        // A new attempt (ab-initio) starts fresh; "resume" and "" (some LMSs never set entry)
        // use what the LMS kept.
        if (entry === 'ab-initio') { suspend = ''; location = ''; }
        // Nothing lost on the learner's side: a local copy marked unsynced was saved after the
        // last commit that worked, so it is newer than anything the LMS holds (even on
        // ab-initio: a session whose commits all failed never told the LMS to resume).
        var local = T.local.read(key);
        if (local && local.unsynced && local.s) {
          suspend = local.s;
          location = local.l;
        }
        if (mode === 'normal') {
          if (status !== 'passed' && status !== 'completed' && status !== 'failed') {
            set('cmi.core.lesson_status', 'incomplete'); // never "not attempted"
            status = 'incomplete';
          }
        } else if (mode === 'browse' && (status === 'not attempted' || status === '')) {
          set('cmi.core.lesson_status', 'browsed');
          status = 'browsed';
        }
        if (mode !== 'review') {
          // Set now so an abrupt close still resumes; committed by the player's first save.
          set('cmi.core.exit', 'suspend');
          exitSet = 'suspend';
        }
        lesson = status;
        return { suspend: suspend || null, location: location || null, mode: mode,
          learner: learner, learnerId: learnerId, status: status, notice: null };
      },
      save: function (suspend, location, done) {
        last = { s: suspend, l: location };
        if (!writes()) { return; }
        var ok = set('cmi.core.lesson_location', location);
        ok = set('cmi.suspend_data', suspend) && ok;
        var exit = done ? '' : 'suspend';
        if (exit !== exitSet) { set('cmi.core.exit', exit); exitSet = exit; }
        if (!ok && !warned) {
          warned = true;
          t.onWarning('commit', 'The learning management system refused to store your progress. ' +
            'It is kept in this browser.');
        }
        commit();
      },
      score: function (raw, min, max) {
        if (!scores()) return;
        set('cmi.core.score.raw', raw);
        set('cmi.core.score.min', min);
        set('cmi.core.score.max', max);
      },
      // The lesson status of completion.js's report; set again on every post-test submission.
      status: function (rep) {
        if (scores() && (rep.submitted || rep.lesson !== lesson)) set('cmi.core.lesson_status', lesson = rep.lesson);
      },
      interaction: function (r) {
        if (!scores()) return;
        if (!interactions) { noInteractions(); return; }
        var c = get('cmi.interactions._count');
        if (!c.ok || !/^\d+$/.test(c.v)) { interactions = false; noInteractions(); return; }
        var p = 'cmi.interactions.' + c.v + '.';
        if (!set(p + 'id', r.id)) return;
        set(p + 'type', r.type);
        set(p + 'time', clock(new Date()));
        // Survey answers and the certificate record have no key, weighting or latency.
        if (r.weighting != null) set(p + 'weighting', r.weighting);
        set(p + 'student_response', syntax(r, r.response));
        if (r.correct) set(p + 'correct_responses.0.pattern', syntax(r, r.correct));
        set(p + 'result', r.result === 'incorrect' ? 'wrong' : r.result);
        if (r.latencyMs != null) set(p + 'latency', timespan(r.latencyMs));
      },
      comments: function (text) {
        if (scores() && text) set('cmi.comments', text.slice(0, 4096));
      },
      flush: function () {
        // The page is being hidden (maybe for good): report the time so far; the player's
        // save right after commits it (one commit, not two).
        if (writes()) set('cmi.core.session_time', timespan(spent()));
      },
      finish: function (done) {
        if (finished) return;
        if (writes()) {
          var exit = done ? '' : 'suspend';
          if (exit !== exitSet) { set('cmi.core.exit', exit); exitSet = exit; }
          set('cmi.core.session_time', timespan(spent()));
          commit();
        }
        finished = true;
        if (retryTimer) { root.clearTimeout(retryTimer); retryTimer = null; }
        if (leaveHandler) {
          try { found.win.removeEventListener('pagehide', leaveHandler); } catch (e) { /* gone */ }
          leaveHandler = null;
        }
        try { api.LMSFinish(''); } catch (e) { /* the session is over either way */ }
        err();
      }
    };
    t.timespan = timespan;
    return t;
  };
  T.scorm12.timespan = timespan;
})(this);
