/* scormbuild player: the SCORM 1.2 tracker (see standalone.js for the interface).
 * Follows docs shared/reference/scorm12.md: score before status, commit per logical step
 * (never per set), LMSFinish exactly once, Moodle-strict CMITimespan. API discovery through
 * parents and opener, LMSGetLastError after every set and commit and the retried commits are
 * scorm.js's, shared with SCORM 2004; this file is SCORM 1.2's data model and syntax.
 */
(function (root) {
  'use strict';
  var T = root.ScormbuildTrackers = root.ScormbuildTrackers || {};
  var pad = T.scormSession.pad; // scorm.js loads first
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
    var s = T.scormSession(course, 'API', 'LMS', 'LMSFinish');
    if (!s) return null;
    var get = s.get;
    var set = s.set;
    var exitSet = null;
    var lesson = null; // the lesson_status last written

    function setExit(done) {
      var exit = done ? '' : 'suspend';
      if (exit !== exitSet) { set('cmi.core.exit', exit); exitSet = exit; }
    }

    var t = s.tracker;
    t.name = 'scorm12';
    t.start = function () {
      var entry = get('cmi.core.entry').v;
      var mode = s.mode(get('cmi.core.lesson_mode').v);
      var status = get('cmi.core.lesson_status').v;
      var learner = get('cmi.core.student_name').v;
      var learnerId = get('cmi.core.student_id').v;
      var suspend = get('cmi.suspend_data').v;
      var location = get('cmi.core.lesson_location').v;
      var local = s.begin(learnerId);
      // A new attempt (ab-initio) starts fresh; "resume" and "" (some LMSs never set entry)
      // use what the LMS kept. Nothing the learner did is lost: an unsynced local copy wins.
      if (entry === 'ab-initio') { suspend = ''; location = ''; }
      if (local) { suspend = local.s; location = local.l; }
      if (mode === 'normal') {
        if (status !== 'passed' && status !== 'completed' && status !== 'failed') {
          set('cmi.core.lesson_status', 'incomplete'); // never "not attempted"
          status = 'incomplete';
        }
      } else if (mode === 'browse' && (status === 'not attempted' || status === '')) {
        set('cmi.core.lesson_status', 'browsed');
        status = 'browsed';
      }
      // Set now so an abrupt close still resumes; committed by the player's first save.
      if (mode !== 'review') setExit(false);
      lesson = status;
      return { suspend: suspend || null, location: location || null, mode: mode,
        learner: learner, learnerId: learnerId, status: status, notice: null };
    };
    t.save = function (suspend, location, done) {
      s.save(suspend, location, function () {
        var ok = set('cmi.core.lesson_location', location);
        ok = set('cmi.suspend_data', suspend) && ok;
        setExit(done);
        return ok;
      });
    };
    t.score = function (raw, min, max) {
      if (!s.scores()) return;
      set('cmi.core.score.raw', raw);
      set('cmi.core.score.min', min);
      set('cmi.core.score.max', max);
    };
    // The lesson status of completion.js's report; set again on every post-test submission.
    t.status = function (rep) {
      if (s.scores() && (rep.submitted || rep.lesson !== lesson)) set('cmi.core.lesson_status', lesson = rep.lesson);
    };
    t.interaction = function (r) {
      if (!s.scores()) return;
      var p = s.interaction();
      if (!p || !set(p + 'id', r.id)) return;
      set(p + 'type', r.type);
      set(p + 'time', clock(new Date()));
      // Survey answers and the certificate record have no key, weighting or latency.
      if (r.weighting != null) set(p + 'weighting', r.weighting);
      set(p + 'student_response', syntax(r, r.response));
      if (r.correct) set(p + 'correct_responses.0.pattern', syntax(r, r.correct));
      set(p + 'result', r.result === 'incorrect' ? 'wrong' : r.result);
      if (r.latencyMs != null) set(p + 'latency', timespan(r.latencyMs));
    };
    t.comments = function (text) {
      if (s.scores() && text) set('cmi.comments', text.slice(0, 4096));
    };
    // The page is being hidden (maybe for good): report the time so far; the player's save
    // right after commits it (one commit, not two).
    t.flush = function () {
      if (s.writes()) set('cmi.core.session_time', timespan(s.spent()));
    };
    t.finish = function (done) {
      s.finish(function () {
        setExit(done);
        set('cmi.core.session_time', timespan(s.spent()));
      });
    };
    t.timespan = timespan;
    return t;
  };
  T.scorm12.timespan = timespan;
})(this);
