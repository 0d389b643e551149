/* scormbuild player: the tracker registry, the browser-local copy, and the standalone tracker.
 *
 * Every tracker has the same small interface (player.js uses nothing else; docs/internals.md):
 *   name                     shown as html[data-sb-tracker]
 *   start()                  -> (or a Promise of) {suspend: string|null, location: string|null,
 *                                mode: 'normal'|'review'|'browse', learner: string,
 *                                learnerId: string, status: string, notice: string|null,
 *                                passMark: number|null (the LMS's own pass mark in percent,
 *                                which then replaces the course's: SCORM 2004's
 *                                scaled_passing_score, cmi5's masteryScore)}
 *   save(suspend, location, finished)  store the state and commit (retried; never throws)
 *   score(raw, min, max)     the post-test score in percent (committed by the next save)
 *   status(report)           completion.js's report(): {lesson, completion, success, scaled,
 *                            submitted}; called right after score() on every post-test
 *                            submission (submitted true) and whenever the report changed
 *   interaction(r)           post-test answers, likert answers and the certificate, as author
 *                            ids: {id, kind: 'question'|'likert'|'certificate', type,
 *                            response: [ids], correct: [ids]|null, result:
 *                            'correct'|'incorrect'|'neutral', weighting, latencyMs, objective,
 *                            description, question}; completion.js answer() builds the
 *                            question records; each tracker writes its standard's syntax
 *   comments(text)           free-text survey answers ("item: text" lines)
 *   progress(kind, data)     optional: 'check' (a knowledge-check answer, a record as above
 *                            plus its module index) and 'evaluation' (the survey submitted:
 *                            [{id, type: 'likert'|'text', response}])
 *   flush()                  the page is being hidden: set the session time (the save
 *                            that follows commits it)
 *   finish(finished)         exactly once: exit, session time, commit, close the session
 *   onWarning(key, msg)      set by the player: a non-blocking warning under key ('commit',
 *                            'interactions'), or msg null when that warning clears
 *   onLeave(fn)              optional: also call fn when the window hosting the LMS goes away
 *   active()                 set by the player: this session's active time in ms (seat time),
 *                            for session_time / durations
 * A tracker registers itself in ScormbuildTrackers under its target's tracking name; player.js
 * picks the package's preferred tracker and falls back to standalone when it returns null (no
 * LMS/LRS found). A tracker keeps its own browser copies through T.local and never reads the
 * player's (drafts, certificate details).
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
