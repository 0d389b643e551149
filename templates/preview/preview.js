/* scormbuild serve: the preview page (never part of a package).
 * Launches the built course in its frame against the simulated LMS (lms12.js) or the
 * server's own xAPI endpoint, shows every call and the data model, and reloads itself when
 * the server has rebuilt the course. What the LMS stored is kept in this tab's
 * sessionStorage, so a reload or "Relaunch" resumes like a real LMS's next session.
 */
(function () {
  'use strict';
  var cfg = JSON.parse(document.getElementById('sb-preview-config').textContent);
  var $ = function (sel) { return document.querySelector(sel); };
  var store = window.sessionStorage;
  var K = 'sb-preview:';
  function read(key, fallback) {
    try { var v = store.getItem(K + key); return v == null ? fallback : JSON.parse(v); } catch (e) { return fallback; }
  }
  function write(key, value) {
    try { store.setItem(K + key, JSON.stringify(value)); } catch (e) { /* private mode: no resume */ }
  }

  var learner = read('learner', 1);
  var mode = read('mode', 'normal');
  var phone = read('phone', false);
  var launches = read('launches', 0) + 1;
  write('launches', launches);
  var recordKey = 'record:' + cfg.target + ':' + learner;
  var frame = $('[data-sb-preview-course]');
  var stage = $('.sbp-stage');

  $('[data-sb-preview-title]').textContent = cfg.title || '';
  $('[data-sb-preview-target]').textContent = cfg.target;
  $('[data-sb-session]').textContent = 'learner ' + learner + ', launch ' + launches +
    (mode === 'review' ? ', review mode' : '');
  $('[data-sb-action="review"]').setAttribute('aria-pressed', String(mode === 'review'));
  $('[data-sb-action="phone"]').setAttribute('aria-pressed', String(phone));
  stage.classList.toggle('sbp-phone', phone);

  // ---------- buttons ----------
  function on(action, fn) { $('[data-sb-action="' + action + '"]').addEventListener('click', fn); }
  on('new-learner', function () { write('learner', learner + 1); write('mode', 'normal'); location.reload(); });
  on('relaunch', function () { location.reload(); });
  on('review', function () { write('mode', mode === 'review' ? 'normal' : 'review'); location.reload(); });
  on('phone', function () {
    phone = !phone;
    write('phone', phone);
    stage.classList.toggle('sbp-phone', phone);
    $('[data-sb-action="phone"]').setAttribute('aria-pressed', String(phone));
  });
  var quiet = $('[data-sb-hide-errorqueries]');
  function applyQuiet() { $('[data-sb-calls]').classList.toggle('sbp-hide-quiet', quiet.checked); }
  quiet.addEventListener('change', applyQuiet);
  applyQuiet();

  // ---------- live reload: the server says when it has rebuilt ----------
  var events = new EventSource('/__preview/events');
  events.addEventListener('build', function (e) {
    var d = JSON.parse(e.data);
    if (d.generation !== cfg.generation) location.reload();
  });

  // ---------- a build that failed ----------
  var errors = cfg.problems.filter(function (p) { return p.severity === 'error'; });
  if (!cfg.ok) {
    var box = $('[data-sb-build-error]');
    var list = box.querySelector('[data-sb-problems]');
    cfg.problems.forEach(function (p) {
      var li = document.createElement('li');
      li.textContent = p.text;
      li.setAttribute('data-problem', p.severity);
      list.appendChild(li);
    });
    box.hidden = false;
    frame.hidden = true;
    document.title = errors.length + ' problem(s): scormbuild preview';
    return;
  }

  // ---------- the call log ----------
  var calls = $('[data-sb-calls]');
  var count = 0;
  function short(v) {
    v = String(v);
    return v.length > 80 ? v.slice(0, 60) + '\u2026 (' + v.length.toLocaleString('en-US') + ' chars)' : v;
  }
  function logCall(c) {
    var li = document.createElement('li');
    var text = c.fn + (c.args.length ? ' ' + c.args.map(short).join(' ') : '') + ' \u2192 ' + JSON.stringify(short(c.ret));
    li.setAttribute('data-call', c.fn);
    li.textContent = text;
    if (/^LMSGet(LastError|ErrorString|Diagnostic)$/.test(c.fn)) li.setAttribute('data-call-quiet', '');
    if (c.code) {
      li.setAttribute('data-error', String(c.code));
      var why = document.createElement('span');
      why.className = 'sbp-reason';
      why.textContent = 'error ' + c.code + ' (' + SbLms12.ERRORS[c.code] + '): ' + c.reason;
      li.appendChild(why);
    } else if (c.warning) {
      li.setAttribute('data-rule', '');
      var rule = document.createElement('span');
      rule.className = 'sbp-reason';
      rule.textContent = 'rule: ' + c.warning;
      li.appendChild(rule);
    }
    calls.appendChild(li);
    $('[data-sb-call-count]').textContent = '(' + (++count) + ')';
  }

  // ---------- SCORM 1.2 ----------
  function startScorm() {
    var refusedSuspend = 0;
    var session = SbLms12.session({
      record: read(recordKey, null),
      learner: { id: 'preview-learner-' + learner, name: 'Learner ' + learner + ', Preview' },
      mode: mode,
      onCall: function (c) {
        if (c.fn === 'LMSSetValue' && c.args[0] === 'cmi.suspend_data' && c.code) refusedSuspend = c.args[1].length;
        logCall(c);
        schedule();
      },
      onCommit: function (record) { write(recordKey, record); }
    });
    // The error queries are part of the conversation too: log them (dimmed by default).
    ['LMSGetLastError', 'LMSGetErrorString', 'LMSGetDiagnostic'].forEach(function (fn) {
      var real = session.api[fn];
      session.api[fn] = function (arg) {
        var args = arg === undefined ? [] : [String(arg)];
        var ret = real(arg);
        logCall({ fn: fn, args: args, ret: ret, code: 0 });
        return ret;
      };
    });
    window.API = session.api;

    var pending = false;
    function schedule() {
      if (!pending) { pending = true; window.requestAnimationFrame(function () { pending = false; model(); }); }
    }
    function row(dl, name, value, attr, over) {
      var dt = document.createElement('dt'), dd = document.createElement('dd');
      dt.textContent = name;
      dd.textContent = value;
      if (attr) dd.setAttribute(attr, '');
      if (over) dd.className = 'sbp-over';
      dl.appendChild(dt);
      dl.appendChild(dd);
    }
    function model() {
      var v = session.value, dl = $('[data-sb-model]');
      dl.textContent = '';
      row(dl, 'session', session.state());
      row(dl, 'lesson_status', v('cmi.core.lesson_status'), 'data-sb-status');
      row(dl, 'score', v('cmi.core.score.raw') === '' ? '(none)' :
        v('cmi.core.score.raw') + ' (min ' + v('cmi.core.score.min') + ', max ' + v('cmi.core.score.max') + ')', 'data-sb-score');
      row(dl, 'lesson_location', v('cmi.core.lesson_location'), 'data-sb-location');
      var n = v('cmi.suspend_data').length, limit = SbLms12.LIMITS.suspend_data;
      row(dl, 'suspend_data', n.toLocaleString('en-US') + ' / ' + limit.toLocaleString('en-US') + ' characters' +
        (refusedSuspend ? '; REFUSED a value of ' + refusedSuspend.toLocaleString('en-US') + ' characters (over the limit)' : ''),
        'data-sb-suspend', refusedSuspend > 0);
      row(dl, 'entry', v('cmi.core.entry'));
      row(dl, 'lesson_mode', v('cmi.core.lesson_mode'));
      row(dl, 'exit', v('cmi.core.exit'));
      row(dl, 'session_time', v('cmi.core.session_time'));
      row(dl, 'total_time', v('cmi.core.total_time'));
      var body = $('[data-sb-interactions] tbody');
      body.textContent = '';
      session.interactions().forEach(function (r, i) {
        var tr = document.createElement('tr');
        tr.setAttribute('data-interaction', r.id || '');
        [String(i), r.id, r.type, r.student_response, r.correct, r.result].forEach(function (cell) {
          var td = document.createElement('td');
          td.textContent = cell == null ? '' : cell;
          tr.appendChild(td);
        });
        body.appendChild(tr);
      });
    }
    model();
    frame.src = '/course/index.html';
  }

  // ---------- xAPI: statements go to this server's own endpoint ----------
  function startXapi() {
    $('[data-sb-model-panel]').hidden = true;
    $('[data-sb-statements-panel]').hidden = false;
    var reg = read('registration:' + learner, null);
    if (!reg) {
      reg = crypto.randomUUID ? crypto.randomUUID() : '00000000-0000-4000-8000-' + String(Date.now()).slice(-12).padStart(12, '0');
      write('registration:' + learner, reg);
    }
    var actor = { objectType: 'Agent', name: 'Learner ' + learner, mbox: 'mailto:preview-learner-' + learner + '@example.invalid' };
    var q = new URLSearchParams({
      endpoint: location.origin + '/__preview/xapi/',
      auth: 'Basic ' + btoa('preview:preview'),
      actor: JSON.stringify(actor),
      registration: reg
    });
    var shown = 0;
    function poll() {
      fetch('/__preview/xapi/log').then(function (r) { return r.json(); }).then(function (list) {
        var ol = $('[data-sb-statements]');
        list.slice(shown).forEach(function (s) {
          var st = s.statement, li = document.createElement('li');
          var verb = st.verb && st.verb.display ? st.verb.display[Object.keys(st.verb.display)[0]] : (st.verb && st.verb.id);
          li.setAttribute('data-statement', st.id || '');
          li.textContent = verb + ' ' + (st.object && st.object.id);
          if (s.problems.length) {
            li.setAttribute('data-invalid', '');
            var why = document.createElement('span');
            why.className = 'sbp-reason';
            why.textContent = s.problems.join('; ');
            li.appendChild(why);
          }
          ol.appendChild(li);
        });
        shown = list.length;
        $('[data-sb-statement-count]').textContent = '(' + shown + ')';
      }).catch(function () { /* the server is restarting */ });
    }
    poll();
    setInterval(poll, 1000);
    $('[data-sb-calls]').parentNode.hidden = true;
    frame.src = '/course/index.html?' + q.toString();
  }

  if (cfg.target === 'xapi') startXapi(); else startScorm();
})();
