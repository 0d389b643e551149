/* scormbuild serve: a simulated SCORM 1.2 LMS for the preview (never part of a package).
 *
 * It answers the eight API calls like an LMS that enforces the real data model and the limits
 * real LMSs apply (../shared/reference/scorm12.md): the element tree, read-only and write-only
 * elements, the vocabularies, CMITimespan as Moodle checks it, 255-character lesson_location,
 * 4,096-character suspend_data, identifiers without spaces, interactions written at index
 * _count. Its error codes are tested against scorm-again (the npm LMS runtime) plus those
 * Moodle rules: tests/serve/lms12_oracle.mjs. Where scorm-again is more lenient than the
 * specification, this runtime follows the specification; docs/serve.md lists those cases.
 *
 * Every call is reported to onCall({fn, args, ret, code, reason, warning}); every successful
 * LMSCommit/LMSFinish hands the whole record to onCommit(record), which is what the next
 * session of the same learner starts from (resume).
 */
(function (root, factory) {
  'use strict';
  if (typeof module === 'object' && module.exports) module.exports = factory();
  else root.SbLms12 = factory();
})(this, function () {
  'use strict';

  var ERRORS = {
    0: 'No error', 101: 'General exception', 201: 'Invalid argument error',
    202: 'Element cannot have children', 203: 'Element not an array - cannot have count',
    301: 'Not initialized', 401: 'Not implemented error',
    402: 'Invalid set value, element is a keyword', 403: 'Element is read only',
    404: 'Element is write only', 405: 'Incorrect data type'
  };
  var LIMITS = { suspend_data: 4096, lesson_location: 255, comments: 4096, feedback: 255 };
  // Moodle's CMITimespan check (mod/scorm/datamodels/scorm_12.js); scorm-again accepts 1:01:23.
  var TIMESPAN = /^([0-9]{2,4}):([0-9]{2}):([0-9]{2})(\.[0-9]{1,2})?$/;
  var TIME = /^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,2})?$/;
  var DECIMAL = /^-?([0-9]{0,3})(\.[0-9]*)?$/;
  var IDENTIFIER = /^[\x21-\x7E]{1,255}$/;
  var STATUS = ['passed', 'completed', 'failed', 'incomplete', 'browsed'];
  var OBJ_STATUS = STATUS.concat(['not attempted']);
  var EXIT = ['', 'time-out', 'suspend', 'logout'];
  var ITYPE = ['true-false', 'choice', 'fill-in', 'matching', 'performance', 'sequencing',
    'likert', 'numeric'];
  var RESULT = ['correct', 'wrong', 'unanticipated', 'neutral'];

  // Value checks: each returns null when the value is fine, else the reason for a 405.
  function vocab(words) {
    return function (v) {
      return words.indexOf(v) >= 0 ? null : JSON.stringify(v) + ' is not one of: ' +
        words.map(function (w) { return JSON.stringify(w); }).join(', ');
    };
  }
  function maxLength(n) {
    return function (v) {
      return v.length <= n ? null : v.length.toLocaleString('en-US') + ' characters, the limit is ' +
        n.toLocaleString('en-US');
    };
  }
  function decimal(lo, hi) {
    return function (v) {
      if (!DECIMAL.test(v)) return JSON.stringify(v) + ' is not a decimal number';
      if (v === '' || lo == null) return null;
      var n = Number(v);
      return n >= lo && n <= hi ? null : v + ' is outside ' + lo + '..' + hi;
    };
  }
  function integer(lo, hi) {
    return function (v) {
      if (!/^-?[0-9]+$/.test(v)) return JSON.stringify(v) + ' is not an integer';
      var n = Number(v);
      return n >= lo && n <= hi ? null : v + ' is outside ' + lo + '..' + hi;
    };
  }
  function pattern(re, what) {
    return function (v) { return re.test(v) ? null : JSON.stringify(v) + ' is not ' + what; };
  }
  var timespan = pattern(TIMESPAN, 'a CMITimespan HHHH:MM:SS.SS (hours 2-4 digits, ' +
    'hundredths 1-2 digits: Moodle refuses anything else)');
  var identifier = pattern(IDENTIFIER, 'a CMIIdentifier (1-255 printable characters, no spaces)');
  function result(v) {
    return RESULT.indexOf(v) >= 0 || (v !== '' && DECIMAL.test(v)) ? null :
      JSON.stringify(v) + ' is not one of: "correct", "wrong", "unanticipated", "neutral" or a number';
  }

  // The element tree. Leaves: {a: 'ro'|'rw'|'wo', check}. Objects list their children in the
  // order cmi.*._children reports them; arrays are {item: tree}.
  var RO = { a: 'ro' };
  function rw(check) { return { a: 'rw', check: check }; }
  function wo(check) { return { a: 'wo', check: check }; }
  function obj(keys, children) { return { keys: keys, c: children }; }
  var score = obj(['raw', 'min', 'max'], {
    raw: rw(decimal(0, 100)), min: rw(decimal(0, 100)), max: rw(decimal(0, 100))
  });
  var TREE = obj(['core', 'suspend_data', 'launch_data', 'comments', 'objectives', 'student_data',
    'student_preference', 'interactions'], {
    core: obj(['student_id', 'student_name', 'lesson_location', 'credit', 'lesson_status', 'entry',
      'score', 'total_time', 'lesson_mode', 'exit', 'session_time'], {
      student_id: RO, student_name: RO, lesson_location: rw(maxLength(LIMITS.lesson_location)),
      credit: RO, lesson_status: rw(vocab(STATUS)), entry: RO, score: score, total_time: RO,
      lesson_mode: RO, exit: wo(vocab(EXIT)), session_time: wo(timespan)
    }),
    suspend_data: rw(maxLength(LIMITS.suspend_data)), launch_data: RO,
    comments: rw(maxLength(LIMITS.comments)), comments_from_lms: RO,
    objectives: { item: obj(['id', 'score', 'status'], {
      id: rw(identifier), score: score, status: rw(vocab(OBJ_STATUS))
    }) },
    student_data: obj(['mastery_score', 'max_time_allowed', 'time_limit_action'], {
      mastery_score: RO, max_time_allowed: RO, time_limit_action: RO
    }),
    student_preference: obj(['audio', 'language', 'speed', 'text'], {
      audio: rw(integer(-1, 100)), language: rw(maxLength(255)), speed: rw(integer(-100, 100)),
      text: rw(integer(-1, 1))
    }),
    interactions: { item: obj(['id', 'objectives', 'time', 'type', 'correct_responses', 'weighting',
      'student_response', 'result', 'latency'], {
      id: wo(identifier), objectives: { item: obj(['id'], { id: wo(identifier) }) },
      time: wo(pattern(TIME, 'a CMITime HH:MM:SS')), type: wo(vocab(ITYPE)),
      correct_responses: { item: obj(['pattern'], { pattern: wo(maxLength(LIMITS.feedback)) }) },
      weighting: wo(decimal()), student_response: wo(maxLength(LIMITS.feedback)),
      result: wo(result), latency: wo(timespan)
    }) }
  });

  function fail(code, reason) { return { code: code, reason: reason }; }

  // name -> {node, path (array counts are keyed by it), kind: 'leaf'|'children'|'count'|...}
  // or {code, reason}. `arrays` maps an array's path to its item count.
  function resolve(name, arrays, forSet) {
    var parts = String(name).split('.');
    if (parts[0] !== 'cmi' || parts.length < 2) return fail(401, 'not a cmi element');
    if (parts.length === 2 && parts[1] === '_version') return { kind: 'version' };
    var node = TREE, path = 'cmi';
    for (var i = 1; i < parts.length; i++) {
      var p = parts[i], last = i === parts.length - 1;
      if (p === '_children') {
        if (!last) return fail(401, 'unknown element');
        if (node.keys || node.item) return { kind: 'children', node: node.item || node };
        // scorm-again (like the specification) answers 202 on reading, 401 on writing.
        return forSet ? fail(401, path + '._children is not an element') : fail(202, path + ' has no children');
      }
      if (p === '_count') {
        if (!last) return fail(401, 'unknown element');
        if (node.item) return { kind: 'count', path: path };
        return fail(203, path + ' is not an array');
      }
      if (node.item) {
        if (!/^[0-9]+$/.test(p)) return fail(401, path + ' needs an index');
        var n = Number(p), count = arrays[path] || 0;
        if (n > count || (n === count && !forSet)) {
          // Reading a write-only field of an interaction is refused as write-only first.
          var leaf = node.item.c[parts[i + 1]];
          if (!forSet && leaf && leaf.a === 'wo') return fail(404, parts.slice(i + 1).join('.') + ' is write-only');
          return fail(201, path + '.' + n + ': index out of range (_count is ' + count +
            (forSet ? '; write index _count to add one' : '') + ')');
        }
        node = node.item;
        path += '.' + n;
        if (last) return fail(401, path + ' is not an element');
        continue;
      }
      if (!node.c || !Object.prototype.hasOwnProperty.call(node.c, p)) {
        return fail(401, parts.slice(0, i + 1).join('.') + ' is not a SCORM 1.2 element');
      }
      node = node.c[p];
      path += '.' + p;
      if (last) return node.a ? { kind: 'leaf', node: node, path: path } : fail(401, path + ' is not a value');
    }
    return fail(401, 'unknown element');
  }

  // Arrays an element creates when it is written at index _count, outermost first.
  function grow(name, arrays) {
    var parts = String(name).split('.'), path = 'cmi', node = TREE;
    for (var i = 1; i < parts.length; i++) {
      if (node.item) {
        var n = Number(parts[i]);
        if (n === (arrays[path] || 0)) arrays[path] = n + 1;
        node = node.item;
        path += '.' + n;
      } else {
        node = node.c[parts[i]];
        path += '.' + parts[i];
      }
    }
  }

  function addTimespans(a, b) {
    function cs(t) {
      var m = TIMESPAN.exec(t || '');
      if (!m) return 0;
      return ((+m[1] * 60 + +m[2]) * 60 + +m[3]) * 100 + Math.round(Number('0' + (m[4] || '')) * 100);
    }
    function pad(n, w) { n = String(n); while (n.length < w) n = '0' + n; return n; }
    var t = Math.min(cs(a) + cs(b), 359999999);
    return pad(Math.floor(t / 360000), 4) + ':' + pad(Math.floor(t / 6000) % 60, 2) + ':' +
      pad(Math.floor(t / 100) % 60, 2) + '.' + pad(t % 100, 2);
  }

  /* A session of one learner. opts: {record (what the last commit stored, or null),
   * learner: {id, name}, mode: 'normal'|'review'|'browse', credit, masteryScore,
   * onCall, onCommit}. */
  function session(opts) {
    opts = opts || {};
    var prev = opts.record || null;
    var values = {}, arrays = {};
    var mode = opts.mode || 'normal';
    var learner = opts.learner || { id: 'learner-1', name: 'Learner, Preview' };
    if (prev) {
      Object.keys(prev.values || {}).forEach(function (k) { values[k] = prev.values[k]; });
      Object.keys(prev.arrays || {}).forEach(function (k) { arrays[k] = prev.arrays[k]; });
    }
    // What the LMS owns, and what a new session starts from (as Moodle does).
    var prevExit = values['cmi.core.exit'];
    values['cmi.core.student_id'] = String(learner.id);
    values['cmi.core.student_name'] = String(learner.name);
    values['cmi.core.credit'] = opts.credit || 'credit';
    values['cmi.core.lesson_mode'] = mode;
    values['cmi.core.entry'] = !prev ? 'ab-initio' : prevExit === 'suspend' ? 'resume' : '';
    values['cmi.core.total_time'] = prev ? addTimespans(values['cmi.core.total_time'],
      values['cmi.core.session_time']) : '0000:00:00.00';
    if (!values['cmi.core.lesson_status']) values['cmi.core.lesson_status'] = 'not attempted';
    values['cmi.core.exit'] = '';
    values['cmi.core.session_time'] = '';
    values['cmi.student_data.mastery_score'] = opts.masteryScore == null ? '' : String(opts.masteryScore);
    values['cmi.launch_data'] = opts.launchData || '';

    var state = 'new'; // new -> running -> finished
    var lastError = 0, diagnostic = '';
    var statusSet = null; // a status set in this session, for the score-after-status rule
    var onCall = opts.onCall || function () {};
    var onCommit = opts.onCommit || function () {};

    function record() {
      return { values: JSON.parse(JSON.stringify(values)), arrays: JSON.parse(JSON.stringify(arrays)) };
    }
    function done(fn, args, ret, code, reason, warning) {
      lastError = code;
      diagnostic = reason || '';
      onCall({ fn: fn, args: args, ret: ret, code: code, reason: reason || '', warning: warning || '' });
      return ret;
    }
    function notRunning(fn, args, ret) {
      if (state === 'new') return done(fn, args, ret, 301, 'called before LMSInitialize');
      return done(fn, args, ret, 301, 'called after LMSFinish: the session is over');
    }

    var api = {
      LMSInitialize: function (arg) {
        var args = [String(arg)];
        if (String(arg) !== '') return done('LMSInitialize', args, 'false', 201, 'the argument must be ""');
        if (state === 'running') return done('LMSInitialize', args, 'false', 101, 'already initialized');
        if (state === 'finished') return done('LMSInitialize', args, 'false', 101, 'the session is over; a new session needs a new launch');
        state = 'running';
        return done('LMSInitialize', args, 'true', 0);
      },
      LMSFinish: function (arg) {
        var args = [String(arg)];
        if (state !== 'running') return notRunning('LMSFinish', args, 'false');
        if (String(arg) !== '') return done('LMSFinish', args, 'false', 201, 'the argument must be ""');
        state = 'finished';
        onCommit(record());
        return done('LMSFinish', args, 'true', 0);
      },
      LMSCommit: function (arg) {
        var args = [String(arg)];
        if (state !== 'running') return notRunning('LMSCommit', args, 'false');
        if (String(arg) !== '') return done('LMSCommit', args, 'false', 201, 'the argument must be ""');
        onCommit(record());
        return done('LMSCommit', args, 'true', 0);
      },
      LMSGetValue: function (name) {
        var args = [String(name)];
        if (state !== 'running') return notRunning('LMSGetValue', args, '');
        if (String(name) === '') return done('LMSGetValue', args, '', 201, 'no element named');
        var r = resolve(name, arrays, false);
        if (r.code) return done('LMSGetValue', args, '', r.code, r.reason);
        if (r.kind === 'version') return done('LMSGetValue', args, '3.4', 0);
        if (r.kind === 'children') return done('LMSGetValue', args, r.node.keys.join(','), 0);
        if (r.kind === 'count') return done('LMSGetValue', args, String(arrays[r.path] || 0), 0);
        if (r.node.a === 'wo') return done('LMSGetValue', args, '', 404, r.path + ' is write-only' +
          (/^cmi\.interactions\./.test(r.path) ? ' (Moodle never returns interactions)' : ''));
        var v = values[r.path];
        return done('LMSGetValue', args, v == null ? '' : String(v), 0);
      },
      LMSSetValue: function (name, value) {
        var args = [String(name), String(value)];
        name = String(name);
        value = String(value);
        if (state !== 'running') return notRunning('LMSSetValue', args, 'false');
        if (name === '') return done('LMSSetValue', args, 'false', 201, 'no element named');
        var r = resolve(name, arrays, true);
        if (r.code) return done('LMSSetValue', args, 'false', r.code, r.reason);
        if (r.kind === 'version' || r.kind === 'children' || r.kind === 'count') {
          return done('LMSSetValue', args, 'false', 402, name + ' is a keyword, set by the LMS');
        }
        if (r.node.a === 'ro') return done('LMSSetValue', args, 'false', 403, name + ' is read-only');
        var why = r.node.check && r.node.check(value);
        if (why) return done('LMSSetValue', args, 'false', 405, name + ': ' + why);
        grow(name, arrays);
        values[r.path] = value;
        var warning = '';
        if (/^cmi\.core\.score\./.test(r.path) && (statusSet === 'passed' || statusSet === 'failed')) {
          warning = 'score set after the status: several LMSs drop a score sent after ' +
            'lesson_status (set raw, min and max first)';
        }
        if (r.path === 'cmi.core.lesson_status') statusSet = value;
        return done('LMSSetValue', args, 'true', 0, '', warning);
      },
      LMSGetLastError: function () { return String(lastError); },
      LMSGetErrorString: function (code) {
        var text = ERRORS[String(code)];
        return text == null ? '' : text;
      },
      LMSGetDiagnostic: function () { return diagnostic; }
    };

    // What the inspector shows: the whole record, interactions included (a SCO cannot read
    // those back, but the LMS has them).
    function interactions() {
      var out = [], n = arrays['cmi.interactions'] || 0;
      for (var i = 0; i < n; i++) {
        var p = 'cmi.interactions.' + i + '.', rec = {};
        ['id', 'type', 'time', 'weighting', 'student_response', 'result', 'latency'].forEach(function (k) {
          if (values[p + k] != null) rec[k] = values[p + k];
        });
        if (values[p + 'correct_responses.0.pattern'] != null) rec.correct = values[p + 'correct_responses.0.pattern'];
        out.push(rec);
      }
      return out;
    }
    return {
      api: api,
      record: record,
      state: function () { return state; },
      value: function (name) { return values[name] == null ? '' : values[name]; },
      interactions: interactions
    };
  }

  return { session: session, ERRORS: ERRORS, LIMITS: LIMITS, TIMESPAN: TIMESPAN };
});
