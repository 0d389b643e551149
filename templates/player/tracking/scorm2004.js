/* scormbuild player: the SCORM 2004 tracker (see standalone.js for the interface).
 * Follows shared/reference/scorm2004.md and, for saving, scorm12.js: API_1484_11 discovery
 * through parents and opener, Initialize/Terminate once, completion and success reported
 * apart, score before status, the LMS's cmi.scaled_passing_score honoured, commit per logical
 * step (never per set), GetLastError after every set, retried commits with a local copy.
 * Only what 3rd and 4th Edition share is used (no adl.data, no jump).
 */
(function (root) {
  'use strict';
  var T = root.ScormbuildTrackers = root.ScormbuildTrackers || {};
  var RETRIES = 3;
  var DESCRIPTION_LIMIT = 250; // cmi.interactions.n.description (scorm2004/spec.py)
  var LOCATION_LIMIT = 1000; // cmi.location (scorm2004/spec.py; the build checks view ids)
  var COMMENT_LIMIT = 4000; // cmi.comments_from_learner.n.comment

  // Walk up to 7 parents; a cross-origin frame throws on access, so every touch is guarded.
  function scan(w) {
    for (var n = 0; w && n <= 7; n++) {
      try {
        if (w.API_1484_11 && typeof w.API_1484_11.Initialize === 'function') return w;
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
    if (w) return { win: w, api: w.API_1484_11, ancestor: w !== root };
    var tries = [function () { return root.opener; }, function () { return root.top.opener; }];
    for (var i = 0; i < tries.length; i++) {
      try { var o = tries[i](); w = o ? scan(o) : null; } catch (e) { w = null; }
      if (w) return { win: w, api: w.API_1484_11, ancestor: false };
    }
    return null;
  }

  function pad(n, w) { n = String(n); while (n.length < w) n = '0' + n; return n; }

  // ISO 8601 duration (timeinterval (second,10,2)): PT#H#M#.##S.
  function duration(ms) {
    var cs = Math.max(0, Math.round(ms / 10));
    var h = Math.floor(cs / 360000);
    var m = Math.floor(cs / 6000) % 60;
    var s = Math.floor(cs / 100) % 60;
    var f = cs % 100;
    return 'PT' + (h ? h + 'H' : '') + (h || m ? m + 'M' : '') + s + (f ? '.' + pad(f, 2) : '') + 'S';
  }

  // time (second,10,0) in UTC: YYYY-MM-DDThh:mm:ss.sZ (the zone only follows a fraction).
  function timestamp(d) {
    return d.getUTCFullYear() + '-' + pad(d.getUTCMonth() + 1, 2) + '-' + pad(d.getUTCDate(), 2) +
      'T' + pad(d.getUTCHours(), 2) + ':' + pad(d.getUTCMinutes(), 2) + ':' + pad(d.getUTCSeconds(), 2) +
      '.' + Math.floor(d.getUTCMilliseconds() / 100) + 'Z';
  }

  // A localized string is one line, and may not start with '{' (that opens a {lang=} tag).
  function oneLine(text, limit) {
    var s = String(text || '').replace(/\s+/g, ' ').replace(/^ +| +$/g, '').slice(0, limit);
    return s.charAt(0) === '{' ? ' ' + s.slice(0, limit - 1) : s;
  }

  // The 2004 response syntax from the interface's response lists (ids are author ids).
  function pattern(type, list) {
    if (type === 'matching') {
      var pairs = [];
      for (var i = 0; i < list.length; i++) {
        var dot = list[i].indexOf('.');
        pairs.push(list[i].slice(0, dot) + '[.]' + list[i].slice(dot + 1));
      }
      return pairs.join('[,]');
    }
    return list.join('[,]');
  }

  function decimal(x) { return String(Math.round(x * 10000) / 10000); }

  T.scorm2004 = function (course) {
    var found = findAPI();
    if (!found) return null;
    var api = found.api;
    var initialized;
    try { initialized = String(api.Initialize('')) === 'true'; } catch (e) { initialized = false; }
    if (!initialized) return null;

    var t0 = Date.now();
    var mode = 'normal';
    var finished = false;
    var interactions = false;
    var objectives = null; // learning objective id -> cmi.objectives index, null: unsupported
    var pending = {}; // objective id -> {n, right}: the post-test answers being submitted
    var passing = null; // cmi.scaled_passing_score, when the LMS sets it
    var threshold = false; // cmi.completion_threshold set: report progress_measure too
    var exitSet = null;
    var reported = { completion: '', success: '' };
    var warned = false;
    var retryTimer = null;
    var backoff = 5000;
    var key = '';
    var last = null;
    var leaveHandler = null;

    function err() {
      try { return String(api.GetLastError()); } catch (e) { return '101'; }
    }
    function get(name) {
      var v;
      try { v = api.GetValue(name); } catch (e) { return { v: '', ok: false }; }
      var code = err();
      return { v: v == null ? '' : String(v), ok: code === '0' || code === '' };
    }
    function set(name, value) {
      var r;
      try { r = api.SetValue(name, String(value)); } catch (e) { r = 'false'; }
      var code = err();
      var ok = String(r) === 'true' && (code === '0' || code === '');
      if (!ok && root.console) root.console.warn('scormbuild: SetValue ' + name + ' failed, error ' + code);
      return ok;
    }
    function commitOnce() {
      var r;
      try { r = api.Commit(''); } catch (e) { r = 'false'; }
      var code = err();
      return String(r) === 'true' && (code === '0' || code === '');
    }
    function localCopy(unsynced) {
      if (last) T.local.write(key, { s: last.s, l: last.l, unsynced: unsynced, t: Date.now() });
    }
    // As scorm12.js: retry, keep the state locally, warn without blocking, retry later.
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
        backoff = Math.min(backoff * 2, 60000);
      }
      return false;
    }
    function noInteractions() {
      t.onWarning('interactions', 'This learning management system does not record individual ' +
        'answers. Your score and status are still saved.');
    }
    function spent() { return t.active ? t.active() : Date.now() - t0; }
    function writes() { return !finished && mode !== 'review'; }
    function scores() { return writes() && mode === 'normal'; }
    function count(name) {
      var c = get(name + '._count');
      return c.ok && /^\d+$/.test(c.v) ? +c.v : -1;
    }

    // The learning objectives in cmi.objectives: an LMS may have created them from the
    // manifest's imsss:objective elements (same ids); the others are appended.
    function registerObjectives() {
      var n = count('cmi.objectives');
      if (n < 0) return;
      objectives = {};
      for (var i = 0; i < n; i++) objectives[get('cmi.objectives.' + i + '.id').v] = i;
      var list = course.objectives || [];
      for (var j = 0; j < list.length; j++) {
        if (objectives.hasOwnProperty(list[j].id)) continue;
        if (!set('cmi.objectives.' + n + '.id', list[j].id)) { objectives = null; return; }
        objectives[list[j].id] = n++;
      }
    }
    // After a post-test submission: each objective the post-test asks about is passed when
    // every one of its questions was answered correctly in this attempt.
    function reportObjectives() {
      var done = pending;
      pending = {};
      if (!objectives) return;
      for (var id in done) {
        if (!done.hasOwnProperty(id) || !objectives.hasOwnProperty(id)) continue;
        var p = 'cmi.objectives.' + objectives[id] + '.';
        set(p + 'score.scaled', decimal(done[id].right / done[id].n));
        set(p + 'success_status', done[id].right === done[id].n ? 'passed' : 'failed');
      }
    }
    function setOnce(name, field, value) {
      if (reported[field] === value) return;
      if (set(name, value)) reported[field] = value;
    }
    function setExit(done) {
      var exit = done ? 'normal' : 'suspend';
      if (exit !== exitSet && set('cmi.exit', exit)) exitSet = exit;
    }

    var t = {
      name: 'scorm2004',
      onWarning: function () {},
      // As scorm12.js: Chromium fires pagehide in the top document, not in the course frame.
      onLeave: function (fn) {
        if (!found.ancestor) return;
        leaveHandler = fn;
        try { found.win.addEventListener('pagehide', fn); } catch (e) { leaveHandler = null; }
      },
      start: function () {
        var entry = get('cmi.entry').v;
        var m = get('cmi.mode').v;
        mode = m === 'review' || m === 'browse' ? m : 'normal';
        var completion = get('cmi.completion_status').v;
        var success = get('cmi.success_status').v;
        reported = { completion: completion, success: success };
        var learner = get('cmi.learner_name').v;
        var learnerId = get('cmi.learner_id').v;
        key = T.local.key(course, learnerId);
        // Thresholds the LMS may set; when it does not, reading them is error 403 (value not
        // initialized), the data model's way to say so.
        var sps = get('cmi.scaled_passing_score');
        if (sps.ok && sps.v !== '' && !isNaN(parseFloat(sps.v))) passing = parseFloat(sps.v);
        var ct = get('cmi.completion_threshold');
        threshold = ct.ok && ct.v !== '';
        // A new attempt (ab-initio) starts fresh: its suspend_data and location are not set
        // (reading them is error 403), so only a resumed one reads them.
        var suspend = '';
        var location = '';
        if (entry !== 'ab-initio') { suspend = get('cmi.suspend_data').v; location = get('cmi.location').v; }
        interactions = count('cmi.interactions') >= 0;
        var local = T.local.read(key);
        if (local && local.unsynced && local.s) { suspend = local.s; location = local.l; }
        if (mode === 'normal') {
          if (completion !== 'completed') setOnce('cmi.completion_status', 'completion', 'incomplete');
          registerObjectives();
        }
        if (mode !== 'review') setExit(false); // an abrupt close still resumes
        var status = success === 'passed' || success === 'failed' ? success
          : completion === 'completed' ? 'completed' : completion === 'not attempted' ? 'not attempted' : 'incomplete';
        return { suspend: suspend || null, location: location || null, mode: mode,
          learner: learner, learnerId: learnerId, status: status, notice: null };
      },
      save: function (suspend, location, done) {
        last = { s: suspend, l: location };
        if (!writes()) return;
        var ok = set('cmi.location', String(location).slice(0, LOCATION_LIMIT));
        ok = set('cmi.suspend_data', suspend) && ok;
        setExit(done);
        if (!ok && !warned) {
          warned = true;
          t.onWarning('commit', 'The learning management system refused to store your progress. ' +
            'It is kept in this browser.');
        }
        commit();
      },
      score: function (raw, min, max) {
        if (!scores()) return;
        set('cmi.score.scaled', decimal((raw - min) / ((max - min) || 100)));
        set('cmi.score.raw', raw);
        set('cmi.score.min', min);
        set('cmi.score.max', max);
      },
      // Completion and success apart. When the LMS sets cmi.scaled_passing_score, its
      // threshold decides pass or fail (the LMS judges the score that way anyway), whatever the
      // course's own pass mark says; a score under it stays 'unknown' while the course has not
      // given a verdict (retakes left, or reporting passed-incomplete). docs/scorm2004.md.
      status: function (report) {
        if (!scores()) return;
        if (threshold) set('cmi.progress_measure', report.completion === 'completed' ? '1' : '0');
        setOnce('cmi.completion_status', 'completion', report.completion);
        var success = report.success;
        if (passing !== null && report.scaled != null) {
          success = report.scaled >= passing ? 'passed' : success === 'unknown' ? 'unknown' : 'failed';
        }
        if (success !== 'unknown') setOnce('cmi.success_status', 'success', success);
        if (report.submitted) reportObjectives();
      },
      interaction: function (r) {
        if (!scores()) return;
        if (r.kind === 'question' && r.objective) {
          var o = pending[r.objective] = pending[r.objective] || { n: 0, right: 0 };
          o.n++;
          if (r.result === 'correct') o.right++;
        }
        if (!interactions) { noInteractions(); return; }
        var n = count('cmi.interactions');
        if (n < 0) { interactions = false; noInteractions(); return; }
        var p = 'cmi.interactions.' + n + '.';
        if (!set(p + 'id', r.id)) return;
        set(p + 'type', r.type);
        if (r.objective) set(p + 'objectives.0.id', r.objective);
        set(p + 'timestamp', timestamp(new Date()));
        if (r.correct != null) set(p + 'correct_responses.0.pattern', pattern(r.type, r.correct));
        if (r.weighting != null) set(p + 'weighting', r.weighting);
        if (r.response.length) set(p + 'learner_response', pattern(r.type, r.response));
        set(p + 'result', r.result);
        if (r.latencyMs != null) set(p + 'latency', duration(r.latencyMs));
        if (r.description) set(p + 'description', oneLine(r.description, DESCRIPTION_LIMIT));
      },
      // The survey's free text goes to cmi.comments_from_learner, one record per item (the
      // item id as its location) from the 'evaluation' event; comments() is then not needed.
      comments: function () {},
      progress: function (kind, data) {
        if (kind !== 'evaluation' || !scores()) return;
        for (var i = 0; i < data.length; i++) {
          if (data[i].type !== 'text' || !data[i].response) continue;
          var n = count('cmi.comments_from_learner');
          if (n < 0) return;
          var p = 'cmi.comments_from_learner.' + n + '.';
          if (!set(p + 'comment', oneLine(data[i].response, COMMENT_LIMIT))) return;
          set(p + 'location', data[i].id);
          set(p + 'timestamp', timestamp(new Date()));
        }
      },
      flush: function () {
        if (writes()) set('cmi.session_time', duration(spent()));
      },
      finish: function (done) {
        if (finished) return;
        if (writes()) {
          setExit(done);
          set('cmi.session_time', duration(spent()));
          // Ask the LMS to close the attempt (finished) or suspend it, so it does not wait
          // for a navigation request the learner cannot give from inside the SCO.
          set('adl.nav.request', done ? 'exitAll' : 'suspendAll');
          commit();
        }
        finished = true;
        if (retryTimer) { root.clearTimeout(retryTimer); retryTimer = null; }
        if (leaveHandler) {
          try { found.win.removeEventListener('pagehide', leaveHandler); } catch (e) { /* gone */ }
          leaveHandler = null;
        }
        try { api.Terminate(''); } catch (e) { /* the session is over either way */ }
        err();
      }
    };
    return t;
  };
  T.scorm2004.duration = duration;
  T.scorm2004.pattern = pattern;
  T.scorm2004.timestamp = timestamp;
})(this);
