// The preview's SCORM 1.2 runtime (templates/preview/lms12.js) against scorm-again, the oracle.
//
// Usage: node lms12_oracle.mjs <node_modules> <lms12.js>; prints JSON {cases, mismatches,
// deviations}. Each case is a call sequence fed to a fresh scorm-again Scorm12API and to a
// fresh preview session; after every call both LMSGetLastError codes (and the "true"/"false"
// of calls other than LMSGetValue) must agree.
//
// The oracle is scorm-again with the Moodle rules that scorm-again does not apply (as the LMS
// harness tests/support/lms/harness.js adds them; ../shared/reference/scorm12.md): a call
// scorm-again accepts but Moodle refuses counts as refused with 405. Cases where scorm-again
// is more lenient than the SCORM 1.2 specification itself are listed in DEVIATIONS with both
// answers, so a change on either side shows up.
import { createRequire } from 'node:module';
import path from 'node:path';

const [nodeModules, runtimePath] = process.argv.slice(2);
const { Scorm12API } = await import(path.join(nodeModules, 'scorm-again/dist/esm/scorm12.js'));
const require = createRequire(import.meta.url);
const Lms12 = require(runtimePath);

const MOODLE_TIMESPAN = /^([0-9]{2,4}):([0-9]{2}):([0-9]{2})(\.[0-9]{1,2})?$/;
const MOODLE_IDENTIFIER = /^[\x21-\x7E]{1,255}$/;
// Moodle rules scorm-again lets through: element pattern -> test of the value (true = refused).
const MOODLE_RULES = [
  [/^cmi\.suspend_data$/, (v) => v.length > 4096],
  [/^cmi\.core\.session_time$/, (v) => !MOODLE_TIMESPAN.test(v)],
  [/^cmi\.interactions\.\d+\.latency$/, (v) => !MOODLE_TIMESPAN.test(v)],
  [/^cmi\.interactions\.\d+\.(id|objectives\.\d+\.id)$/, (v) => !MOODLE_IDENTIFIER.test(v)],
  [/^cmi\.objectives\.\d+\.id$/, (v) => !MOODLE_IDENTIFIER.test(v)],
  [/^cmi\.interactions\.\d+\.(student_response|correct_responses\.\d+\.pattern)$/, (v) => v.length > 255],
];

function oracle() {
  const api = new Scorm12API({ autocommit: false, lmsCommitUrl: false, logLevel: 5 });
  api.loadFromJSON({ core: { student_id: 'learner-1', student_name: 'Learner, Preview',
    credit: 'credit', entry: 'ab-initio' } }, 'cmi');
  return (fn, args) => {
    const ret = api[fn](...args);
    let code = Number(api.LMSGetLastError());
    if (fn === 'LMSSetValue' && code === 0 && String(ret) === 'true') {
      if (MOODLE_RULES.some(([re, bad]) => re.test(args[0]) && bad(String(args[1])))) {
        return { ret: 'false', code: 405 };
      }
    }
    return { ret: typeof ret === 'string' ? ret : JSON.stringify(ret), code };
  };
}

function preview() {
  const s = Lms12.session({ learner: { id: 'learner-1', name: 'Learner, Preview' } });
  return (fn, args) => {
    const ret = s.api[fn](...args);
    return { ret, code: Number(s.api.LMSGetLastError()) };
  };
}

const I = ['LMSInitialize', ''];
const set = (k, v) => ['LMSSetValue', k, v];
const get = (k) => ['LMSGetValue', k];
const long = (n) => 'x'.repeat(n);

const CASES = {
  'calls before LMSInitialize': [get('cmi.core.lesson_status'), set('cmi.core.lesson_location', 'a'),
    ['LMSCommit', ''], ['LMSFinish', ''], I],
  'initialize twice, bad arguments': [['LMSInitialize', 'x'], I, I, ['LMSCommit', 'x'], ['LMSFinish', 'x']],
  'a typical session': [I, get('cmi.core.entry'), get('cmi.core.lesson_mode'), get('cmi.core.lesson_status'),
    get('cmi.core.student_name'), get('cmi.core.student_id'), get('cmi.suspend_data'),
    get('cmi.core.lesson_location'), get('cmi.interactions._count'), set('cmi.core.lesson_status', 'incomplete'),
    set('cmi.core.exit', 'suspend'), set('cmi.core.lesson_location', 'course:menu'),
    set('cmi.suspend_data', long(4096)), ['LMSCommit', ''], set('cmi.core.score.raw', '80'),
    set('cmi.core.score.min', '0'), set('cmi.core.score.max', '100'), set('cmi.core.lesson_status', 'passed'),
    set('cmi.core.session_time', '0000:01:02.05'), set('cmi.core.exit', ''), ['LMSCommit', ''], ['LMSFinish', '']],
  'limits': [I, set('cmi.suspend_data', long(4097)), set('cmi.core.lesson_location', long(255)),
    set('cmi.core.lesson_location', long(256)), set('cmi.comments', long(4096)), set('cmi.comments', long(4097))],
  'timespans': [I, set('cmi.core.session_time', '1:01:23'), set('cmi.core.session_time', '00:00:01.5'),
    set('cmi.core.session_time', '00:00:01.123'), set('cmi.core.session_time', '99999:00:01'),
    set('cmi.core.session_time', '0000:00:01.50'), set('cmi.core.session_time', 'PT1S')],
  'vocabularies': [I, set('cmi.core.lesson_status', 'not attempted'), set('cmi.core.lesson_status', 'Passed'),
    set('cmi.core.lesson_status', 'browsed'), set('cmi.core.exit', 'logout'), set('cmi.core.exit', 'time-out'),
    set('cmi.core.exit', 'finish')],
  'scores': [I, set('cmi.core.score.raw', ''), set('cmi.core.score.raw', '-1'), set('cmi.core.score.raw', '101'),
    set('cmi.core.score.raw', '55.5'), set('cmi.core.score.raw', 'abc'), set('cmi.core.score.max', '100'),
    get('cmi.core.score.raw'), get('cmi.core.score._children')],
  'read-only, write-only and keywords': [I, set('cmi.core.student_id', 'x'), set('cmi.core.total_time', '0000:00:01'),
    set('cmi.launch_data', 'x'), set('cmi.core.entry', 'resume'), set('cmi.core.lesson_mode', 'review'),
    set('cmi.core.credit', 'no-credit'), set('cmi.comments_from_lms', 'x'), set('cmi.student_data.mastery_score', '80'),
    get('cmi.core.exit'), get('cmi.core.session_time'), set('cmi.core._children', 'x'), set('cmi._version', '1'),
    set('cmi.interactions._count', '3'), set('cmi.objectives._children', 'x'), get('cmi._version'), get('cmi._children'),
    get('cmi.core._children'), get('cmi.student_data._children'), get('cmi.student_preference._children')],
  'unknown elements and children': [I, get('cmi.foo'), set('cmi.foo', 'x'), get('cmi.core.foo'),
    get('cmi.core.lesson_location._children'), get('cmi.core._count'), get('cmi.suspend_data._count'),
    get('adl.nav.request'), set('cmi.core.score.raw._children', 'x')],
  'interactions': [I, set('cmi.interactions.1.id', 'q1'), set('cmi.interactions.0.id', 'q1'),
    get('cmi.interactions._count'), get('cmi.interactions.0.id'), get('cmi.interactions.5.id'),
    set('cmi.interactions.0.type', 'choice'), set('cmi.interactions.0.type', 'bogus'),
    set('cmi.interactions.0.time', '12:00:00'), set('cmi.interactions.0.time', '25:00:00'),
    set('cmi.interactions.0.time', '12:00'), set('cmi.interactions.0.weighting', '1'),
    set('cmi.interactions.0.weighting', 'x'), set('cmi.interactions.0.student_response', '0,2'),
    set('cmi.interactions.0.correct_responses.1.pattern', 'a'), set('cmi.interactions.0.correct_responses.0.pattern', '2'),
    get('cmi.interactions.0.correct_responses._count'), set('cmi.interactions.0.result', 'wrong'),
    set('cmi.interactions.0.result', '12.5'), set('cmi.interactions.0.result', 'bogus'),
    set('cmi.interactions.0.latency', '0000:00:03.25'), set('cmi.interactions.0.latency', '3 seconds'),
    set('cmi.interactions.0.objectives.0.id', 'obj-1'), get('cmi.interactions.0.objectives._count'),
    get('cmi.interactions._children'), set('cmi.interactions.0.id', 'has space'),
    set('cmi.interactions.0.student_response', long(256)), set('cmi.interactions.1.id', long(256))],
  'objectives and preferences': [I, set('cmi.objectives.0.id', 'obj-1'), set('cmi.objectives.0.status', 'not attempted'),
    get('cmi.objectives.0.status'), get('cmi.objectives.0.score.raw'), get('cmi.objectives._count'),
    get('cmi.objectives.5.id'), set('cmi.objectives.5.id', 'x'), set('cmi.objectives.0.score.raw', '50'),
    set('cmi.objectives.0.status', 'bogus'), get('cmi.student_preference.audio'), set('cmi.student_preference.audio', '101'),
    set('cmi.student_preference.audio', '50'), set('cmi.student_preference.text', '1'),
    set('cmi.student_preference.speed', '-100'), set('cmi.student_preference.language', 'en'),
    get('cmi.student_data.mastery_score'), get('cmi.launch_data'), set('cmi.comments', 'abc'), get('cmi.comments')],
  'error queries do not reset the last error': [I, set('cmi.core.lesson_status', 'bogus'),
    ['LMSGetErrorString', '405'], ['LMSGetDiagnostic', ''], ['LMSGetLastError']],
};

// Where scorm-again is more lenient than SCORM 1.2 itself: [sequence, {index: [oracle, preview]}].
const DEVIATIONS = {
  'cmi.core.exit "normal" is not a 1.2 value (scorm-again normalises it to "")':
    [[I, set('cmi.core.exit', 'normal')], { 1: [0, 405] }],
  'interaction result "incorrect" is not a 1.2 value (scorm-again normalises it to "wrong")':
    [[I, set('cmi.interactions.0.id', 'q'), set('cmi.interactions.0.result', 'incorrect')], { 2: [0, 405] }],
  'no call after LMSFinish (scorm-again still accepts them)':
    [[I, ['LMSFinish', ''], set('cmi.core.lesson_status', 'passed'), get('cmi.core.lesson_status'), ['LMSCommit', '']],
      { 2: [0, 301], 3: [0, 301], 4: [0, 301] }],
  'a second LMSFinish fails (scorm-again returns "true" with 101)':
    [[I, ['LMSFinish', ''], ['LMSFinish', '']], { 2: [101, 301] }],
  'an empty element name is an invalid argument':
    [[I, get(''), set('', 'x')], { 1: [0, 201], 2: [0, 201] }],
  'a non-leaf element has no value (scorm-again returns an object)':
    [[I, get('cmi.core')], { 1: [0, 401] }],
};

function run(seq) {
  const a = oracle(), b = preview();
  return seq.map(([fn, ...args]) => {
    const x = a(fn, args), y = b(fn, args);
    return { call: [fn, ...args.map((s) => (s.length > 40 ? `${s.slice(0, 20)}...(${s.length})` : s))], oracle: x, preview: y };
  });
}

const mismatches = [];
let calls = 0;
for (const [name, seq] of Object.entries(CASES)) {
  for (const step of run(seq)) {
    calls++;
    const same = step.oracle.code === step.preview.code &&
      (step.call[0] === 'LMSGetValue' || /^LMSGet(ErrorString|Diagnostic)$/.test(step.call[0]) || step.oracle.ret === step.preview.ret);
    if (!same) mismatches.push({ case: name, ...step });
  }
}
const deviations = [];
for (const [name, [seq, expected]] of Object.entries(DEVIATIONS)) {
  const steps = run(seq);
  for (const [i, [o, p]] of Object.entries(expected)) {
    const s = steps[Number(i)];
    deviations.push({ case: name, call: s.call, expected: [o, p], got: [s.oracle.code, s.preview.code] });
  }
}
console.log(JSON.stringify({ cases: Object.keys(CASES).length, calls, mismatches, deviations }, null, 1));
