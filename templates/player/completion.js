/* scormbuild player: the completion rules (no DOM, no LMS here).
 *
 * What the learner must do for completion and the certificate, in one place: the course's
 * rules with their defaults, scoring, the outcome (where the learner stands), the seat-time
 * gate, the status policy every tracker reports from, the certificate number, and the answer
 * record the trackers turn into their standard's syntax. player.js applies them; the trackers
 * only report them. Reads the learner state through state.js (ScormbuildState).
 */
(function (root) {
  'use strict';
  var S = typeof module === 'object' && module.exports ? require('./state.js') : root.ScormbuildState;
  var ATTEST = 'I completed this activity myself and in full.';

  // course.completion with its defaults (docs/authoring.md); times in seconds and ms.
  function rules(course) {
    var c = course.completion || {};
    return {
      evaluation: !!course.evaluation && c.evaluation_required !== false,
      attestation: c.attestation_required == null ? !!course.ce : !!c.attestation_required,
      text: c.attestation_text || ATTEST,
      minSeat: (c.min_seat_minutes || 0) * 60,
      idleMs: (c.idle_minutes || 5) * 60000
    };
  }

  // Certificate number: stable for one learner and one completion (course id, learner id,
  // completion day), short and unambiguous to read aloud: "7KQ3-M9XD" (Crockford base 32).
  function certId(course, learnerId, day) {
    var s = course.id + '|' + (learnerId || '') + '|' + day, out = [];
    [0x811c9dc5, 0x2545f491].forEach(function (seed) {
      var h = S.fnv(s, seed), w = '';
      h = (h ^ (h >>> 15)) >>> 0;
      for (var i = 0; i < 4; i++) { w += '0123456789ABCDEFGHJKMNPQRSTVWXYZ'.charAt(h & 31); h >>>= 5; }
      out.push(w);
    });
    return out.join('-');
  }

  // ---- scoring ----
  function isAnswered(q, ans) {
    if (!ans) return false;
    if (q.type === 'multiple') return ans.some(function (x) { return x > 0; });
    if (q.type === 'sequencing') {
      var seen = {};
      for (var i = 0; i < ans.length; i++) {
        if (!ans[i] || seen[ans[i]]) return false;
        seen[ans[i]] = true;
      }
      return true;
    }
    return ans.every(function (x) { return x > 0; });
  }

  // The key as the same small-integer fields an answer uses.
  function keyOf(q) {
    var c = q.correct || [], at = S.indexOfId;
    switch (q.type) {
      case 'single':
      case 'true-false':
        return [at(q.choices, c[0]) + 1];
      case 'multiple':
        return q.choices.map(function (ch) { return c.indexOf(ch.id) >= 0 ? 1 : 0; });
      case 'matching':
        return q.sources.map(function (s) {
          for (var i = 0; i < c.length; i++) {
            var dot = c[i].indexOf('.');
            if (c[i].slice(0, dot) === s.id) return at(q.targets, c[i].slice(dot + 1)) + 1;
          }
          return 0;
        });
      case 'sequencing':
        return c.map(function (id) { return at(q.choices, id) + 1; });
    }
    return [];
  }

  function isCorrect(q, ans) {
    var k = keyOf(q);
    if (!ans || ans.length !== k.length) return false;
    for (var i = 0; i < k.length; i++) if (ans[i] !== k[i]) return false;
    return true;
  }

  function score(course, st) { // percent of the last submitted (or current) answers, 2 decimals
    var qs = course.assessment.questions;
    if (!qs.length) return 100;
    var ok = 0;
    qs.forEach(function (q, i) { if (isCorrect(q, st.test.answers[i])) ok++; });
    return Math.round((ok * 10000) / qs.length) / 100;
  }

  // One answer as the trackers' interaction record (tracking/standalone.js): author ids, which
  // each tracker writes in its own standard's syntax. description: the prompt as plain text.
  function answer(q, ans, description) {
    return { id: q.id, kind: 'question', question: q, objective: q.objective || '', description: description || '',
      type: { single: 'choice', multiple: 'choice' }[q.type] || q.type,
      response: S.answerIds(q, ans), correct: S.answerIds(q, keyOf(q)),
      result: isCorrect(q, ans) ? 'correct' : 'incorrect', weighting: 1, latencyMs: null };
  }

  // Where the learner stands: used for status reporting and the completion screen.
  // missing: what still stands between the learner and the certificate, in the order the
  // completion view lists it ('pages', 'seat', 'posttest', 'evaluation', 'attestation').
  function outcome(course, st) {
    var ru = rules(course);
    var r = { testDone: false, passed: false, failedFinal: false, score: null,
      attemptsLeft: null, evalDone: !course.evaluation || st.evaluation.done === 1,
      attested: st.cert.attested === 1,
      allVisited: st.visited.every(function (x) { return x === 1; }) };
    r.evalOk = r.evalDone || !ru.evaluation;
    if (course.assessment) {
      var a = course.assessment;
      r.attemptsLeft = a.attempts > 0 ? Math.max(0, a.attempts - st.test.attempts) : Infinity;
      if (st.test.phase === 2) {
        r.score = score(course, st);
        r.passed = r.score >= a.pass_mark;
        r.failedFinal = !r.passed && r.attemptsLeft === 0;
      }
      r.testDone = r.passed || r.failedFinal;
      r.status = r.passed ? 'passed' : r.failedFinal && a.reporting === 'passed-failed' ? 'failed' : 'incomplete';
    } else {
      r.testDone = r.allVisited;
      r.status = r.allVisited && r.evalOk ? 'completed' : 'incomplete';
    }
    r.finished = r.testDone && r.evalOk;
    var m = r.missing = [];
    if (!course.assessment) {
      if (!r.allVisited) m.push('pages');
      if (st.seat < ru.minSeat) m.push('seat');
    } else if (!r.passed) m.push('posttest');
    if (!r.evalOk) m.push('evaluation');
    if (ru.attestation && !r.attested) m.push('attestation');
    r.certified = !r.failedFinal && !m.length;
    r.result = !r.finished ? 'pending' : course.assessment ? (r.passed ? 'passed' : 'failed') : 'completed';
    return r;
  }

  // The seat gate: the post-test opens (and a course without one completes) only after
  // min_seat_minutes of active time. st.seat must be up to date (player.js seat()).
  function seatLocked(course, st) {
    return !!course.assessment && st.test.phase === 0 && st.seat < rules(course).minSeat;
  }

  // The status policy, one report for every tracker: SCORM 1.2's single lesson status (a
  // final fail is "failed" only with reporting passed-failed), and completion and success
  // apart for SCORM 2004, xAPI and cmi5. A course is completed once its test is done (passed,
  // or finally failed with reporting passed-failed) and its required evaluation submitted;
  // with passed-incomplete a final fail stays incomplete, as in SCORM 1.2.
  // prior: the lesson status the LMS already holds; null when nothing may be reported, as a
  // pass (or a completion) the LMS holds is never taken back.
  function report(course, o, prior) {
    var rank = { completed: 1, passed: 2 };
    if ((rank[prior] || 0) > (rank[o.status] || 0)) return null;
    return { lesson: o.status, completion: o.finished && o.status !== 'incomplete' ? 'completed' : 'incomplete',
      success: o.passed ? 'passed' : o.status === 'failed' ? 'failed' : 'unknown',
      scaled: o.score == null ? null : o.score / 100, submitted: false };
  }

  // What player.js, the trackers and the tests (under node) call; the rest is internal.
  var api = {
    rules: rules, certId: certId, isAnswered: isAnswered, isCorrect: isCorrect, answer: answer,
    outcome: outcome, seatLocked: seatLocked, report: report
  };
  if (typeof module === 'object' && module.exports) module.exports = api;
  else root.ScormbuildCompletion = api;
})(this);
