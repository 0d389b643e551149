/* scormbuild player: the tracker registry, the browser-local copy, and the standalone tracker.
 *
 * Every tracker has the same small interface (player.js uses nothing else):
 *   start()                  -> (or a Promise of) {suspend: string|null, location: string|null,
 *                                mode: 'normal'|'review'|'browse', learner: string,
 *                                learnerId: string, status: string, notice: string|null}
 *   save(suspend, location, finished)  store the state and commit (retried; never throws)
 *   score(raw, min, max)     set the score (committed by the next save)
 *   status(s)                'incomplete'|'passed'|'failed'|'completed' (committed by next save)
 *   interaction(record)      {id, type, response, result, and for questions also correct,
 *                            weighting, latencyMs}: post-test answers, likert answers
 *                            (id "evaluation:<item id>") and the certificate ("course:certificate")
 *   comments(text)           free-text survey answers
 *   flush()                  the page is being hidden: set the session time (the save
 *                            that follows commits it)
 *   finish(finished)         exactly once: exit, session time, commit, close the session
 *   onWarning(key, msg)      set by the player: a non-blocking warning under key ('commit',
 *                            'interactions'), or msg null when that warning clears
 *   onLeave(fn)              optional: also call fn when the window hosting the LMS goes away
 *   active()                 set by the player: this session's active time in ms (seat time),
 *                            for session_time / durations
 *   progress(kind, ...)      optional: learning events only some trackers report (xAPI:
 *                            ('check', question, answer, module index): a knowledge-check
 *                            answer; the question's text and id load with its module)
 * tracking/scorm12.js and tracking/xapi.js register themselves in ScormbuildTrackers; player.js
 * picks the package's preferred tracker and falls back to standalone when it returns null
 * (no LMS/LRS found).
 */
(function (root) {
  'use strict';
  var T = root.ScormbuildTrackers = root.ScormbuildTrackers || {};

  // localStorage may throw (sandboxed iframes, privacy modes): a failure here must never
  // break the course, so every access is guarded.
  T.local = {
    key: function (course, learnerId) {
      return 'scormbuild:' + course.id + ':' + (learnerId || '-');
    },
    read: function (key) {
      try {
        var raw = root.localStorage.getItem(key);
        return raw ? JSON.parse(raw) : null;
      } catch (e) { return null; }
    },
    write: function (key, rec) {
      try { root.localStorage.setItem(key, JSON.stringify(rec)); return true; } catch (e) { return false; }
    },
    available: function () {
      try {
        var k = 'scormbuild:probe';
        root.localStorage.setItem(k, '1');
        root.localStorage.removeItem(k);
        return true;
      } catch (e) { return false; }
    }
  };

  T.standalone = function (course) {
    var key = T.local.key(course, '');
    var done = false;
    var noop = function () {};
    var t = {
      name: 'standalone',
      onWarning: noop,
      start: function () {
        var rec = T.local.read(key);
        var ok = T.local.available();
        return {
          suspend: rec && rec.s || null,
          location: rec && rec.l || null,
          mode: 'normal',
          learner: '',
          learnerId: '',
          status: '',
          notice: ok ? 'No learning management system was found: your progress is kept only in this browser.'
            : 'No learning management system was found and this browser does not allow saving: your progress will be lost when you close this page.'
        };
      },
      save: function (suspend, location) {
        if (done) return;
        T.local.write(key, { s: suspend, l: location, t: Date.now() });
      },
      score: noop, status: noop, interaction: noop, comments: noop, flush: noop,
      finish: function () { done = true; }
    };
    return t;
  };
})(this);
