/* scormbuild player: the SCORM 2004 tracker (see standalone.js for the interface).
 * Follows shared/reference/scorm2004.md: completion and success reported apart, score before
 * status, the LMS's cmi.scaled_passing_score honoured, commit per logical step (never per
 * set). API_1484_11 discovery through parents and opener, Initialize/Terminate once,
 * GetLastError after every call and the retried commits with a local copy are scorm.js's,
 * shared with SCORM 1.2; this file is SCORM 2004's data model and syntax.
 * Only what 3rd and 4th Edition share is used (no adl.data, no jump).
 */
(function (root) {
  'use strict';
  var T = root.ScormbuildTrackers = root.ScormbuildTrackers || {};
  var pad = T.scormSession.pad; // scorm.js loads first
  var DESCRIPTION_LIMIT = 250; // cmi.interactions.n.description (scorm2004/spec.py)
  var LOCATION_LIMIT = 1000; // cmi.location (scorm2004/spec.py; the build checks view ids)
  var COMMENT_LIMIT = 4000; // cmi.comments_from_learner.n.comment

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
    var s = T.scormSession(course, 'API_1484_11', '', 'Terminate');
    if (!s) return null;
    var get = s.get;
    var set = s.set;
    var count = s.count;
    var objectives = null; // learning objective id -> cmi.objectives index, null: unsupported
    var pending = {}; // objective id -> {n, right}: the post-test answers being submitted
    var passing = null; // cmi.scaled_passing_score, when the LMS sets it
    var threshold = false; // cmi.completion_threshold set: report progress_measure too
    var exitSet = null;
    var reported = { completion: '', success: '' };

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

    var t = s.tracker;
    t.name = 'scorm2004';
    t.start = function () {
      var entry = get('cmi.entry').v;
      var mode = s.mode(get('cmi.mode').v);
      var completion = get('cmi.completion_status').v;
      var success = get('cmi.success_status').v;
      reported = { completion: completion, success: success };
      var learner = get('cmi.learner_name').v;
      var learnerId = get('cmi.learner_id').v;
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
      var local = s.begin(learnerId);
      if (local) { suspend = local.s; location = local.l; }
      if (mode === 'normal') {
        if (completion !== 'completed') setOnce('cmi.completion_status', 'completion', 'incomplete');
        registerObjectives();
      }
      if (mode !== 'review') setExit(false); // an abrupt close still resumes
      var status = success === 'passed' || success === 'failed' ? success
        : completion === 'completed' ? 'completed' : completion === 'not attempted' ? 'not attempted' : 'incomplete';
      return { suspend: suspend || null, location: location || null, mode: mode,
        learner: learner, learnerId: learnerId, status: status, notice: null,
        passMark: passing === null ? null : Math.round(passing * 1e4) / 100 };
    };
    t.save = function (suspend, location, done) {
      s.save(suspend, location, function () {
        var ok = set('cmi.location', String(location).slice(0, LOCATION_LIMIT));
        ok = set('cmi.suspend_data', suspend) && ok;
        setExit(done);
        return ok;
      });
    };
    t.score = function (raw, min, max) {
      if (!s.scores()) return;
      set('cmi.score.scaled', decimal((raw - min) / ((max - min) || 100)));
      set('cmi.score.raw', raw);
      set('cmi.score.min', min);
      set('cmi.score.max', max);
    };
    // Completion and success apart, as completion.js's report has them. An LMS's
    // cmi.scaled_passing_score became the player's pass mark at start (passMark), so the
    // report already judges the score by the LMS's threshold. docs/scorm2004.md.
    t.status = function (report) {
      if (!s.scores()) return;
      if (threshold) set('cmi.progress_measure', report.completion === 'completed' ? '1' : '0');
      setOnce('cmi.completion_status', 'completion', report.completion);
      if (report.success !== 'unknown') setOnce('cmi.success_status', 'success', report.success);
      if (report.submitted) reportObjectives();
    };
    t.interaction = function (r) {
      if (!s.scores()) return;
      if (r.kind === 'question' && r.objective) {
        var o = pending[r.objective] = pending[r.objective] || { n: 0, right: 0 };
        o.n++;
        if (r.result === 'correct') o.right++;
      }
      var p = s.interaction();
      if (!p || !set(p + 'id', r.id)) return;
      set(p + 'type', r.type);
      if (r.objective) set(p + 'objectives.0.id', r.objective);
      set(p + 'timestamp', timestamp(new Date()));
      if (r.correct != null) set(p + 'correct_responses.0.pattern', pattern(r.type, r.correct));
      if (r.weighting != null) set(p + 'weighting', r.weighting);
      if (r.response.length) set(p + 'learner_response', pattern(r.type, r.response));
      set(p + 'result', r.result);
      if (r.latencyMs != null) set(p + 'latency', duration(r.latencyMs));
      if (r.description) set(p + 'description', oneLine(r.description, DESCRIPTION_LIMIT));
    };
    // The survey's free text goes to cmi.comments_from_learner, one record per item (the
    // item id as its location) from the 'evaluation' event; comments() is then not needed.
    t.comments = function () {};
    t.progress = function (kind, data) {
      if (kind !== 'evaluation' || !s.scores()) return;
      for (var i = 0; i < data.length; i++) {
        if (data[i].type !== 'text' || !data[i].response) continue;
        var n = count('cmi.comments_from_learner');
        if (n < 0) return;
        var p = 'cmi.comments_from_learner.' + n + '.';
        if (!set(p + 'comment', oneLine(data[i].response, COMMENT_LIMIT))) return;
        set(p + 'location', data[i].id);
        set(p + 'timestamp', timestamp(new Date()));
      }
    };
    t.flush = function () {
      if (s.writes()) set('cmi.session_time', duration(s.spent()));
    };
    t.finish = function (done) {
      s.finish(function () {
        setExit(done);
        set('cmi.session_time', duration(s.spent()));
        // Ask the LMS to close the attempt (finished) or suspend it, so it does not wait
        // for a navigation request the learner cannot give from inside the SCO.
        set('adl.nav.request', done ? 'exitAll' : 'suspendAll');
      });
    };
    return t;
  };
  T.scorm2004.duration = duration;
  T.scorm2004.pattern = pattern;
  T.scorm2004.timestamp = timestamp;
})(this);
