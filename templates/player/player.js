/* scormbuild player: the DOM. Talks only to ScormbuildState (state.js), ScormbuildCompletion
 * (completion.js: the rules it applies) and one tracker (tracking/*.js); never to an LMS API. Hooks for automation are documented in
 * docs/automation.md: keep the two in step.
 */
(function () {
  'use strict';
  var S = window.ScormbuildState;
  var C = window.ScormbuildCompletion;
  var T = window.ScormbuildTrackers;
  var doc = document;
  var html = doc.documentElement;
  var keyed = {}; // content key -> the module or post-test its content file fills in
  var course = expand(JSON.parse(doc.getElementById('course-data').textContent));
  var lay = S.layout(course);
  var views = lay.views;
  // Per view: its index among the tracked views (pages and checks: the views with a module,
  // state.js), and view id -> index; both
  // asked for every menu entry, so looked up rather than counted (a course may have 3,000 pages).
  var tix = [], vix = {};
  views.reduce(function (n, v, i) { tix[i] = n; vix[v.id] = i; return n + (v.module != null); }, 0);
  var kcs = S.kcQuestions(course);
  var st, tracker, mode, learner = '', learnerId = '', lmsStatus = '', sent = '';
  var viewEl = find('[data-sb-view]');
  var NAV = ['prev', 'next', 'menu', 'exit']; // the nav bar's buttons (data-action), nav[name]
  var nav = {};
  var started = Date.now();
  var R = C.rules(course);
  // Seat time is ACTIVE time: it runs while the page is visible and the learner did something
  // in the last idle_minutes. active / mActive: ms of this session (total / per module).
  var visible = doc.visibilityState !== 'hidden';
  var mark = started, lastAct = started, active = 0, mActive = [];
  var seatBase = 0, mBase = [];
  var attemptShown = Date.now();
  var latency = {};
  var exited = false;
  var idn = 0;

  // ---------- course structure and content on demand ----------
  // index.html holds the structure only (render/player_data.py): pages as [id, title], each
  // knowledge check as shape codes ("s4": single, 4 choices). Expanded here into the objects
  // state.js and the trackers read; the content scripts later fill the same objects in place.
  function expand(c) {
    var made = {}; // skeleton arrays, shared: the content replaces them, never changes them
    function n(k) { var a = made[k] = made[k] || []; while (a.length < k) a.push({}); return a; }
    (c.modules || []).forEach(function (m) {
      keyed[m.key] = m;
      m.pages = m.pages.map(function (p) { return { id: p[0], title: p[1] }; });
      m.knowledge_check = m.kc ? m.kc.split(' ').map(function (x) {
        var t = { s: 'single', m: 'multiple', t: 'true-false', q: 'sequencing', x: 'matching' }[x[0]], k = x.slice(1).split('.');
        return t === 'matching' ? { type: t, choices: [], sources: n(k[0]), targets: n(k[1]) }
          : { type: t, choices: n(k[0] || 2), sources: [], targets: [] };
      }) : [];
    });
    keyed.posttest = c.assessment;
    return c;
  }
  // content/<key>.js calls ScormbuildContent.register(key, data): a <script> element loads
  // from file://, where fetch is blocked. got[key]: true once merged, false if it failed.
  var got = {}, waiting = {};
  function fill(to, from) { (from || []).forEach(function (x, i) { for (var k in x) to[i][k] = x[k]; }); }
  window.ScormbuildContent = { register: function (key, d) {
    var t = keyed[key];
    t.instructions_html = d.instructions_html;
    fill(t.pages, d.pages);
    fill(t.knowledge_check || t.questions, d.questions);
    got[key] = true;
  } };
  function contentKey(v) {
    return v.view === 'posttest' ? 'posttest' : v.module != null ? course.modules[v.module].key : null;
  }
  // Load a content script once; then(ok) runs when it has run (ok) or failed to load.
  function need(key, then) {
    if (key in got) return then && window.setTimeout(function () { then(got[key]); }, 0);
    var w = waiting[key];
    waiting[key] = (w || []).concat(then || []);
    if (w) return;
    var sc = doc.createElement('script');
    sc.onload = sc.onerror = function () {
      got[key] = !!got[key];
      waiting[key].forEach(function (f) { f(got[key]); });
    };
    sc.src = 'content/' + key + '.js';
    doc.body.appendChild(sc);
  }
  // The next module (after the one in view, the first from the menu; after the last module,
  // the post-test) loads in the background once the current view is up.
  function preload(v) {
    var mi = v.view === 'menu' ? 0 : v.module != null ? v.module + 1 : -1, ms = course.modules;
    var key = mi < 0 ? 0 : mi < ms.length ? ms[mi].key : course.assessment && 'posttest';
    if (key && !(key in got)) window.setTimeout(function () { need(key); }, 0);
  }
  function waitView(v, focus) { // a brief loading state; an error if the script did not load
    var s = section(plainTitle(v), [h('p', { role: 'status', 'data-loading': true, text: 'Loading\u2026' })]);
    s.setAttribute('aria-busy', 'true');
    need(contentKey(v), function (ok) {
      if (view() !== v || exited) return;
      if (ok) return render(focus);
      viewEl.replaceChild(section(plainTitle(v), [h('p', { role: 'alert', 'data-load-error': contentKey(v),
        text: 'This part of the course did not load: reload the page.' })]), s);
      ready();
    });
    return s;
  }
  var isReady = false;
  function ready() {
    if (isReady) return;
    isReady = true;
    html.setAttribute('data-sb-ready', 'true');
    // For the benchmark: when the first view was in the DOM, on the Performance timeline.
    try { performance.mark('scormbuild:ready'); } catch (e) { /* old browsers */ }
  }

  // ---------- small DOM helpers ----------
  // h(tag, attrs, children): attrs.text sets text, attrs.html sets TRUSTED html (only the
  // *_html fields scormbuild rendered); every other string goes in as text.
  function h(tag, attrs, kids) {
    var e = doc.createElement(tag);
    var k;
    for (k in attrs || {}) {
      var v = attrs[k];
      if (v == null || v === false) continue;
      if (k === 'text') e.textContent = v;
      else if (k === 'html') e.innerHTML = v;
      else if (k === 'on') { for (var ev in v) e.addEventListener(ev, v[ev]); }
      else e.setAttribute(k, v === true ? '' : v);
    }
    (kids || []).forEach(function (c) {
      if (c == null || c === false) return;
      e.appendChild(typeof c === 'string' ? doc.createTextNode(c) : c);
    });
    return e;
  }
  function find(sel, el) { return (el || doc).querySelector(sel); } // the first match in el (default: the page)
  function esc(s) { return String(s).replace(/[&<>"]/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; }); }
  function each(list, fn) { Array.prototype.forEach.call(list, fn); }
  // [[label, value, attrs of the value]] -> <dl>, rows without a value left out; values as text.
  function factList(rows) {
    var dl = h('dl', { 'class': 'sb-facts' });
    rows.forEach(function (x) {
      if (!x[1]) return;
      var dd = h('dd', x[2] || {});
      dd.textContent = String(x[1]);
      dl.appendChild(h('dt', { text: x[0] }));
      dl.appendChild(dd);
    });
    return dl;
  }
  function P(text, cls) { return h('p', { 'class': cls, text: text }); } // cls: optional
  function uid(p) { return 'sb-' + p + '-' + (++idn); }
  function btn(label, attrs) {
    attrs = attrs || {};
    attrs.type = 'button';
    attrs.text = label;
    return h('button', attrs);
  }
  function live(msg) {
    var l = doc.getElementById('sb-live');
    l.textContent = '';
    window.setTimeout(function () { l.textContent = msg; }, 30);
  }
  function displayName(n) { // cmi.core.student_name is "Last, First": show "First Last"
    var p = String(n || '').split(',');
    return p.length === 2 ? (p[1].trim() + ' ' + p[0].trim()).trim() : String(n || '');
  }

  // ---------- state, time and saving ----------
  function tick() { // count the active time since the last tick (to the current view's module)
    var now = Date.now(), d = Math.min(now, lastAct + R.idleMs) - mark;
    if (visible && st && d > 0) {
      active += d;
      var mi = view().module;
      if (mi != null) mActive[mi] = (mActive[mi] || 0) + d;
    }
    mark = now;
  }
  function seat() { // brings st.seat and st.mseat (seconds) up to date; returns st.seat
    tick();
    function add(b, ms) { return Math.min(S.SEAT_MAX, b + Math.floor(ms / 1000)); }
    st.mseat = mBase.map(function (b, i) { return add(b, mActive[i] || 0); });
    return (st.seat = add(seatBase, active));
  }
  function activity() { tick(); lastAct = mark; }
  function seatLocked() { seat(); return C.seatLocked(course, st); }
  function hm(s) { var m = Math.floor(s / 60); return (m > 59 ? Math.floor(m / 60) + ' h ' : '') + m % 60 + ' min'; }
  function credit(ce) { return (ce.hours % 1 ? ce.hours : ce.hours.toFixed(1)) + ' ' + (ce.credit_type || 'hours'); }
  function isoDay(d) { return new Date(d * 864e5).toISOString().slice(0, 10); }
  function readonly() { return mode === 'review'; }
  function view() { return views[st.loc]; }
  function outcome() { return C.outcome(course, st); }

  function persist() {
    if (readonly() || exited) return;
    seat();
    var o = outcome();
    if (o.certified && !st.cert.day) issue();
    // The status as completion.js's policy has it, whenever it changed (a post-test
    // submission reports it itself, score first).
    var rep = C.report(course, o, lmsStatus);
    if (rep && repKey(rep) !== sent) reported(rep);
    tracker.save(S.encode(course, st), view().id, o.finished);
  }

  function repKey(r) { return r.lesson + r.completion + r.success; }
  function reported(r) { tracker.status(r); sent = repKey(r); lmsStatus = r.lesson; }
  // A prompt as plain text (interaction descriptions): parsed inert, nothing loads.
  function plain(html) { var x = doc.createElement('template'); x.innerHTML = html || ''; return x.content.textContent.replace(/\s+/g, ' ').trim(); }

  // ---------- navigation ----------
  function go(i, focus) {
    if (i < 0 || i >= views.length) return;
    tick(); // the time so far belongs to the view being left
    st.loc = i;
    var v = views[i];
    if (v.module != null) st.visited[tix[i]] = 1;
    if (v.view === 'posttest' && !readonly() && !seatLocked() && st.test.phase === 0) startAttempt();
    render(focus);
    persist();
  }
  function indexOf(id) { return id in vix ? vix[id] : -1; }
  function viewOf(kind) { return views.filter(function (v) { return v.view === kind; })[0]; } // the first of that kind

  function render(focus) {
    var v = view();
    var key = contentKey(v);
    var loaded = !key || got[key];
    var r = !loaded ? waitView(v, focus) : { menu: renderMenu, page: renderPage, check: renderCheck, posttest: renderTest,
      evaluation: renderEvaluation, completion: renderCompletion }[v.view](v);
    // A view still loading its content carries data-loading-view instead (automation.md).
    if (loaded) { r.setAttribute('data-page-id', v.id); r.setAttribute('data-view', v.view); }
    else r.setAttribute('data-loading-view', v.id);
    viewEl.innerHTML = '';
    viewEl.appendChild(r);
    nav.prev.disabled = st.loc === 0;
    nav.next.disabled = st.loc === views.length - 1;
    doc.title = plainTitle(v) + ' - ' + course.title;
    fitTables();
    showProgress();
    if (focus) {
      var hd = find('h1', r);
      if (hd) { hd.setAttribute('tabindex', '-1'); hd.focus(); }
      if (window.scrollTo) window.scrollTo(0, 0);
    }
    if (loaded) { ready(); preload(v); }
  }
  function plainTitle(v) {
    if (v.view === 'page') return v.page.title;
    if (v.view === 'check') return 'Knowledge check: ' + course.modules[v.module].title;
    if (v.view === 'posttest') return course.assessment.title + (st.test.phase === 2 ? ': result' : '');
    if (v.view === 'evaluation') return course.evaluation.title;
    if (v.view === 'completion') return 'Completion';
    return 'Contents';
  }

  function section(title, kids, cls) {
    var id = uid('h');
    return h('section', { 'class': 'sb-view ' + (cls || ''), 'aria-labelledby': id },
      [h('h1', { id: id, text: title })].concat(kids));
  }

  // ---------- menu ----------
  function moduleProgress(mi) {
    var done = 0, total = 0;
    views.forEach(function (v, i) {
      if (v.module === mi) {
        total++;
        if (st.visited[tix[i]]) done++;
      }
    });
    return [done, total];
  }
  function gotoBtn(v, label, cls) { // cls: default 'sb-link'
    return btn(label, { 'data-goto': v.id, 'class': cls || 'sb-link',
      'aria-current': st.loc === indexOf(v.id) && v.view !== 'menu' ? 'page' : null,
      on: { click: function () { go(indexOf(v.id), true); } } });
  }
  // Overall progress: every page and knowledge check visited, the post-test decided, the
  // evaluation submitted (each counts one step). Shown in the header on every view.
  function progress() {
    var o = outcome(), done = 0, total = 0;
    st.visited.forEach(function (x) { total++; done += x; });
    if (course.assessment) { total++; if (o.testDone) done++; }
    if (course.evaluation) { total++; if (o.evalDone) done++; }
    return total ? Math.floor(done * 100 / total) : 100;
  }
  function showProgress() {
    var pc = progress(), el = find('[data-course-progress]');
    el.setAttribute('data-course-progress', String(pc));
    find('progress', el).value = pc;
    find('span', el).textContent = 'Course progress: ' + pc + '%';
  }
  function renderMenu() {
    var o = outcome();
    var kids = [];
    var first = null;
    views.forEach(function (v, i) {
      if (!first && v.module != null && !st.visited[tix[i]]) first = v;
    });
    if (!first && !o.finished) first = viewOf(o.testDone ? 'evaluation' : 'posttest');
    var started = st.visited.some(function (x) { return x; });
    kids.push(h('div', { 'class': 'sb-start' }, [
      P(started ? 'You have done ' + progress() + '% of the course.' : 'Your progress is saved as you go.', ''),
      first ? gotoBtn(first, started ? 'Continue: ' + plainTitle(first) : 'Start the course', 'sb-primary') : null]));
    if (course.objectives.length) {
      kids.push(h('h2', { text: 'Learning objectives' }));
      kids.push(P('After this course you will be able to:'));
      kids.push(h('ul', {}, course.objectives.map(function (ob) { return h('li', { text: ob.text }); })));
    }
    var ce = course.ce;
    if (ce) {
      var dl = [['Credit', credit(ce)], ['Format', ce.format],
        ['Level', ce.level], ['Course number', ce.course_number], ['Provider', ce.provider && ce.provider.name],
        ['Contact', ce.provider && ce.provider.contact]];
      kids.push(h('h2', { text: 'Continuing education' }));
      kids.push(factList(dl));
    }
    if (course.authors && course.authors.length) {
      kids.push(h('p', { 'class': 'sb-authors', text: 'By ' + course.authors.map(function (a) {
        return a.name + (a.credentials ? ', ' + a.credentials : '') + (a.role === 'reviewer' ? ' (reviewer)' : '');
      }).join('; ') }));
    }
    kids.push(h('h2', { text: 'Contents' }));
    var list = h('ol', { 'class': 'sb-toc' });
    course.modules.forEach(function (m, mi) {
      var p = moduleProgress(mi);
      var pid = uid('m');
      // The entries as one HTML string (ids and titles escaped) and one click handler per
      // module: a course may list 3,000 pages, and this is the first view.
      // The number is part of the entry, so a wrapped title keeps it on its first line.
      var items = views.filter(function (v) { return v.module === mi; }).map(function (v, k) {
        var i = vix[v.id];
        return '<li><button type="button" class="sb-link" data-goto="' + esc(v.id) + '"' +
          (st.loc === i ? ' aria-current="page"' : '') + '><span class="sb-num">' + (k + 1) +
          '.</span><span>' + esc(plainTitle(v)) + '</span></button>' +
          (st.visited[tix[i]] ? '<span class="sb-done"> (visited)</span>' : '') + '</li>';
      }).join('');
      list.appendChild(h('li', { 'class': 'sb-module' }, [
        h('h3', { id: pid, text: m.title }),
        h('p', { 'class': 'sb-progress' }, [
          h('progress', { max: String(p[1]), value: String(p[0]), 'aria-labelledby': pid }),
          ' ' + p[0] + ' of ' + p[1] + ' done']),
        h('ol', { 'class': 'sb-entries', html: items, on: { click: function (e) {
          var b = e.target.closest('[data-goto]');
          if (b) go(indexOf(b.getAttribute('data-goto')), true);
        } } })]));
    });
    views.forEach(function (v) {
      if (v.view === 'posttest') {
        list.appendChild(h('li', {}, [gotoBtn(v, course.assessment.title), h('span', { 'class': 'sb-done',
          text: o.passed ? ' (passed)' : o.failedFinal ? ' (not passed)' : st.test.phase === 2 ? ' (not passed yet)' : '' })]));
      } else if (v.view === 'evaluation') {
        list.appendChild(h('li', {}, [gotoBtn(v, course.evaluation.title),
          st.evaluation.done ? h('span', { 'class': 'sb-done', text: ' (submitted)' }) : null]));
      } else if (v.view === 'completion') {
        list.appendChild(h('li', {}, [gotoBtn(v, 'Completion')]));
      }
    });
    kids.push(h('nav', { 'aria-label': 'Contents' }, [list]));
    return section(course.title, kids, 'sb-menu');
  }

  // ---------- pages ----------
  function renderPage(v) {
    var p = v.page;
    var m = course.modules[v.module];
    var pos = m.pages.indexOf(p) + 1;
    var kids = [P(m.title + ' \u00b7 page ' + pos + ' of ' + m.pages.length, 'sb-crumb')];
    var cls = 'sb-page';
    var body = h('div', { 'class': 'sb-content', html: p.html });
    if (p.kind === 'vignette' || p.kind === 'case-study') {
      var label = p.kind === 'vignette' ? 'Vignette' : 'Case study';
      cls += ' sb-' + p.kind;
      kids.push(P(label, 'sb-kind'));
      // Only where the author has not said it already.
      if (!/fictional/i.test(body.textContent)) kids.push(h('p', { 'class': 'sb-fiction', text: 'This ' +
        label.toLowerCase() + ' is a fictional composite; any resemblance to real people is coincidental.' }));
    }
    levelHeadings(body);
    each(body.querySelectorAll('.sb-reflect'), function (a) {
      var hd = find('h2,h3,h4,h5,h6', a);
      if (hd) { hd.id = hd.id || uid('r'); a.removeAttribute('aria-label'); a.setAttribute('aria-labelledby', hd.id); }
      else a.insertBefore(P('Reflect', 'sb-reflect-label'), a.firstChild);
    });
    // Outside links open in a new window so the LMS session keeps running in this one.
    each(body.querySelectorAll('a[href^="http:"],a[href^="https:"],a[href^="mailto:"]'), function (a) {
      a.setAttribute('target', '_blank');
      a.setAttribute('rel', 'noopener noreferrer');
    });
    each(body.querySelectorAll('table'), wrapTable);
    kids.push(body);
    var s = section(p.title, kids, cls);
    s.setAttribute('data-kind', p.kind);
    return s;
  }

  // The view's title is the one h1: the author's headings continue from h2 without skipping a
  // level (a ::: reflect or ::: tool block renders an h3 even where no h2 precedes it).
  function levelHeadings(body) {
    var prev = 1;
    each(body.querySelectorAll('h1,h2,h3,h4,h5,h6'), function (hd) {
      var lv = Math.max(2, Math.min(+hd.tagName.charAt(1), prev + 1));
      prev = lv;
      if (lv === +hd.tagName.charAt(1)) return;
      var n = doc.createElement('h' + lv); // rendered headings carry no attributes
      while (hd.firstChild) n.appendChild(hd.firstChild);
      hd.parentNode.replaceChild(n, hd);
    });
  }
  // A table sits in a labelled region; while it is wider than the card (fitTables) the region
  // is focusable, so keyboard users can scroll it, and a visible hint says it scrolls.
  function wrapTable(t) {
    var th = find('caption,th', t);
    var hid = uid('t');
    var w = h('div', { 'class': 'sb-table', role: 'region', 'aria-describedby': hid,
      'aria-label': 'Table' + (th ? ': ' + th.textContent.trim().slice(0, 60) : '') });
    t.parentNode.replaceChild(w, t);
    w.appendChild(t);
    w.parentNode.insertBefore(h('p', { id: hid, 'class': 'sb-table-hint', hidden: true,
      text: 'Scroll the table sideways to see all of it.' }), w.nextSibling);
  }
  function fitTables() {
    each(viewEl.querySelectorAll('.sb-table'), function (w) {
      var wide = w.scrollWidth > w.clientWidth + 1;
      if (wide) w.setAttribute('tabindex', '0'); else w.removeAttribute('tabindex');
      w.nextSibling.hidden = !wide;
    });
  }

  // ---------- questions ----------
  function displayOrder(q, seed, qi) {
    var n = q.type === 'matching' ? q.targets.length : q.choices.length;
    if (q.type === 'true-false') return [0, 1];
    return S.order(seed, qi, n);
  }

  // Build one question. ans: the state's answer array (mutated in place on change).
  function questionEl(q, ans, o) {
    var pid = uid('p');
    var nid = uid('n');
    var name = uid('q');
    var disabled = readonly() || o.locked;
    var fs = h('fieldset', { 'class': 'sb-question', 'data-question-id': q.id, 'data-question-type': q.type,
      'aria-labelledby': nid + ' ' + pid }, [
      h('legend', { id: nid, 'class': 'sb-qnum', text: o.label }),
      h('div', { id: pid, 'class': 'sb-prompt', html: q.prompt_html })]);
    var ord = displayOrder(q, o.seed, o.qi);
    function changed() { if (o.onChange) o.onChange(); }
    if (q.type === 'single' || q.type === 'true-false' || q.type === 'multiple') {
      var multi = q.type === 'multiple';
      if (multi) fs.appendChild(P('Select all that apply.', 'sb-hint'));
      ord.forEach(function (ci) {
        var c = q.choices[ci];
        var id = uid('c');
        var input = h('input', { type: multi ? 'checkbox' : 'radio', id: id, name: name, value: c.id,
          'data-choice-id': c.id, disabled: disabled,
          checked: multi ? ans[ci] === 1 : ans[0] === ci + 1,
          on: { change: function () {
            if (multi) ans[ci] = input.checked ? 1 : 0;
            else if (input.checked) ans[0] = ci + 1;
            changed();
          } } });
        fs.appendChild(h('div', { 'class': 'sb-choice' }, [input, h('label', { 'for': id, html: c.html })]));
      });
    } else if (q.type === 'matching' || q.type === 'sequencing') {
      // One select per source (matching) or per position (sequencing), offering the targets or
      // the choices in the shown order; ans[k] is the picked item's index + 1 (0: none).
      var match = q.type === 'matching', items = match ? q.targets : q.choices;
      // The options in full (a closed select shows only as much as fits the card).
      fs.appendChild(P(match ? 'Choose the match for each item from these:' :
        'Choose the item for each position, first to last. Use each item once.', 'sb-hint'));
      fs.appendChild(h('ul', { 'class': 'sb-items' }, ord.map(function (i) { return h('li', { html: items[i].html }); })));
      (match ? q.sources : q.choices).forEach(function (s, k) {
        var id = uid('s'), a = { id: id };
        if (match) a['data-source-id'] = s.id; else a['data-position'] = String(k + 1);
        a.disabled = disabled;
        var sel = h('select', a, [h('option', { value: '', text: 'Choose\u2026' })].concat(ord.map(function (i) {
          var it = items[i];
          return h('option', { value: it.id, 'data-choice-id': it.id, text: plain(it.html), selected: ans[k] === i + 1 });
        })));
        sel.addEventListener('change', function () {
          var picked = -1;
          items.forEach(function (it, i) { if (it.id === sel.value) picked = i; });
          ans[k] = picked + 1;
          changed();
        });
        fs.appendChild(h('div', { 'class': 'sb-pair' }, [h('label', match ? { 'for': id, html: s.html } :
          { 'for': id, text: 'Position ' + (k + 1) }), sel]));
      });
    }
    return fs;
  }

  // ---------- knowledge check ----------
  function renderCheck(v) {
    var m = course.modules[v.module];
    var kids = [P(m.title, 'sb-crumb'),
      P('These questions are for practice: they are not scored. Check each answer to see feedback.')];
    var base = kcs.indexOf(m.knowledge_check[0]);
    m.knowledge_check.forEach(function (q, k) {
      var qi = base + k;
      var ans = st.kc[qi];
      var fb = h('div', { 'class': 'sb-feedback', 'data-feedback': true, 'aria-live': 'polite' });
      var fs = questionEl(q, ans, { label: 'Question ' + (k + 1) + ' of ' + m.knowledge_check.length, seed: st.kcseed, qi: qi });
      fs.appendChild(fb);
      if (!readonly()) {
        fs.appendChild(btn('Check answer', { 'data-action': 'submit', 'class': 'sb-secondary',
          on: { click: function () {
            showFeedback(q, ans, fb, st.kcseed, qi);
            if (tracker.progress && mode === 'normal' && C.isAnswered(q, ans)) { // xapi.js: "answered"
              var r = C.answer(q, ans, plain(q.prompt_html));
              r.module = v.module;
              tracker.progress('check', r);
            }
            persist();
          } } }));
      }
      if (C.isAnswered(q, ans)) showFeedback(q, ans, fb, st.kcseed, qi);
      kids.push(fs);
    });
    return section('Knowledge check', kids, 'sb-check');
  }
  // Verdict, then the feedback of each chosen answer in the order shown, then the rationale,
  // each a block of its own. A choice's feedback that opens with the verdict's own word
  // ("Correct.") does not repeat it.
  function showFeedback(q, ans, fb, seed, qi) {
    fb.innerHTML = '';
    if (!C.isAnswered(q, ans)) {
      fb.removeAttribute('data-result');
      fb.appendChild(P(q.type === 'sequencing' ? 'Choose an item for every position, each item once.' :
        'Please answer the question first.'));
      return;
    }
    var ok = C.isCorrect(q, ans);
    var word = ok ? 'Correct' : 'Not quite';
    fb.setAttribute('data-result', ok ? 'correct' : 'wrong');
    fb.appendChild(P(word + '.', 'sb-verdict'));
    if (q.type === 'single' || q.type === 'true-false' || q.type === 'multiple') {
      var items = displayOrder(q, seed, qi).filter(function (ci) {
        return (q.type === 'multiple' ? ans[ci] === 1 : ans[0] === ci + 1) && q.choices[ci].feedback_html;
      }).map(function (ci) {
        var c = q.choices[ci];
        var body = h('div', { 'class': 'sb-fb-text', html: c.feedback_html });
        dropLead(body, word);
        return h('li', { 'data-feedback-for': c.id }, [h('p', { 'class': 'sb-chosen', text: plain(c.html) }), body]);
      });
      if (items.length) {
        fb.appendChild(P(items.length > 1 ? 'Your answers' : 'Your answer', 'sb-fb-label'));
        fb.appendChild(h('ul', { 'class': 'sb-choice-feedback' }, items));
      }
    }
    if (q.rationale_html) {
      fb.appendChild(h('div', { 'class': 'sb-rationale' }, [P('Why', 'sb-fb-label'),
        h('div', { html: q.rationale_html })]));
    }
  }
  function dropLead(el, word) { // "Correct. Fidelity means..." under the verdict "Correct." -> "Fidelity means..."
    var w = doc.createTreeWalker(el, 4), t = w.nextNode();
    while (t && !t.nodeValue.trim()) t = w.nextNode();
    var re = new RegExp('^\\s*' + word + '[.!:]\\s*', 'i');
    if (t && re.test(t.nodeValue)) {
      t.nodeValue = t.nodeValue.replace(re, '');
      t.nodeValue = t.nodeValue.charAt(0).toUpperCase() + t.nodeValue.slice(1);
    }
  }

  // ---------- post-test ----------
  function newSeed() { return Math.floor(Math.random() * 65536); }
  function startAttempt() {
    st.test.phase = 1;
    st.test.seed = newSeed();
    st.test.answers = course.assessment.questions.map(function (q, i) {
      return st.test.answers[i].map(function () { return 0; });
    });
    latency = {};
    attemptShown = Date.now();
  }
  function renderTest() {
    var a = course.assessment;
    var kids = [];
    if (st.test.phase === 2) return renderResult();
    kids.push(h('div', { 'class': 'sb-instructions', html: a.instructions_html }));
    kids.push(h('p', { 'class': 'sb-policy', text: 'Pass mark: ' + a.pass_mark + '%. ' + (a.attempts > 0 ?
      'Attempt ' + Math.min(st.test.attempts + 1, a.attempts) + ' of ' + a.attempts + '.' : 'Unlimited attempts.') }));
    if (st.test.phase === 0) {
      kids.push(!readonly() && seatLocked() ? lockNote() : P('You have not taken the post-test.'));
      return section(a.title, kids, 'sb-test');
    }
    var err = errorBox(), form = formEl();
    var counter = h('p', { 'class': 'sb-answered', 'data-answered-count': true });
    function count() {
      var n = a.questions.filter(function (q, qi) { return C.isAnswered(q, st.test.answers[qi]); }).length;
      counter.textContent = n + ' of ' + a.questions.length + ' answered';
      counter.setAttribute('data-answered', String(n));
    }
    count();
    form.appendChild(counter);
    a.questions.forEach(function (q, qi) {
      var fs = questionEl(q, st.test.answers[qi], { label: 'Question ' + (qi + 1) + ' of ' + a.questions.length,
        seed: st.test.seed, qi: qi, onChange: function () {
          latency[qi] = Date.now() - attemptShown;
          count();
          if (err.firstChild) checkTest(form, err, false); // the summary shrinks as questions are answered
          persist();
        } });
      fs.id = uid('q');
      form.appendChild(fs);
    });
    form.appendChild(err);
    if (!readonly()) form.appendChild(btn('Submit answers', { 'data-action': 'submit', 'class': 'sb-primary',
      on: { click: function () { if (checkTest(form, err, true)) submitTest(); } } }));
    kids.push(form);
    return section(a.title, kids, 'sb-test');
  }
  // The post-test's and the evaluation's form: never submitted by the browser (its button
  // checks and saves), with an error box read out as it fills.
  function formEl() { return h('form', { novalidate: true, on: { submit: function (e) { e.preventDefault(); } } }); }
  function errorBox() { return h('div', { 'class': 'sb-error', 'data-form-error': true, role: 'alert' }); }
  function moreMinutes(n) { return n + ' more minute' + (n === 1 ? '' : 's') + ' of active time in the course'; }
  function lockNote() {
    var n = Math.ceil((R.minSeat - seat()) / 60);
    return h('p', { 'class': 'sb-lock', role: 'status', 'data-seat-lock': true, 'data-minutes-left': String(n),
      text: 'The post-test opens after ' + moreMinutes(n) + ' (' +
        R.minSeat / 60 + ' in all). Time counts while the course is open in front of you and you are using it.' });
  }
  // The error summary: a link to each incomplete question. On submit, focus goes to the first
  // incomplete question; after that the summary (and each red border) clears as answers come in.
  function checkTest(form, err, submitting) {
    var a = course.assessment;
    var missing = [];
    a.questions.forEach(function (q, qi) {
      var fs = find('[data-question-id="' + q.id + '"]', form);
      if (C.isAnswered(q, st.test.answers[qi])) fs.removeAttribute('aria-invalid');
      else { fs.setAttribute('aria-invalid', 'true'); missing.push([qi, fs]); }
    });
    err.innerHTML = '';
    doc.title = (missing.length ? 'Error: ' : '') + plainTitle(view()) + ' - ' + course.title;
    if (!missing.length) return true;
    err.appendChild(P('Answer every question before submitting. Incomplete (' + missing.length + '):'));
    err.appendChild(h('ul', {}, missing.map(function (m) {
      return h('li', {}, [h('a', { href: '#' + m[1].id, 'data-goto-question': a.questions[m[0]].id, text: 'Question ' + (m[0] + 1),
        on: { click: function (e) { e.preventDefault(); focusQuestion(m[1]); } } })]);
    })));
    if (submitting) focusQuestion(missing[0][1]);
    return false;
  }
  function focusQuestion(fs) {
    var c = find('input,select', fs);
    if (c) c.focus(); else fs.focus();
    if (fs.scrollIntoView) fs.scrollIntoView({ block: 'start' });
  }
  function submitTest() {
    var a = course.assessment;
    var max = a.attempts > 0 ? a.attempts : 255;
    st.test.attempts = Math.min(st.test.attempts + 1, max);
    st.test.phase = 2;
    var o = outcome();
    if (mode === 'normal') {
      // Interactions, then score raw/min/max, then status, then one commit (in persist).
      a.questions.forEach(function (q, qi) {
        var r = C.answer(q, st.test.answers[qi], plain(q.prompt_html));
        r.latencyMs = latency[qi] || 0;
        tracker.interaction(r);
      });
      var rep = C.report(course, o, lmsStatus);
      if (rep) {
        tracker.score(o.score, 0, 100);
        rep.submitted = true;
        reported(rep);
      }
    }
    render(true);
    persist();
    live('Your score is ' + o.score + '%. ' + (o.passed ? 'You passed.' : 'You did not reach the pass mark.'));
  }
  function renderResult() {
    var a = course.assessment;
    var o = outcome();
    var left = o.attemptsLeft === Infinity ? 'unlimited' : String(o.attemptsLeft);
    var kids = [];
    var res = h('div', { 'class': 'sb-result ' + (o.passed ? 'sb-pass' : 'sb-fail'), 'data-result': o.passed ? 'passed' : 'failed',
      'data-score': String(o.score), 'data-attempts-left': left }, [
      P('Your score: ' + o.score + '%', 'sb-score'),
      P('Pass mark: ' + a.pass_mark + '%. ' + (o.passed ? 'You passed the post-test.' : 'You did not reach the pass mark.'))]);
    kids.push(res);
    if (!o.passed) {
      if (o.attemptsLeft > 0) {
        res.appendChild(P(o.attemptsLeft === Infinity ? 'You can try again.' :
          'You have ' + left + ' attempt' + (o.attemptsLeft === 1 ? '' : 's') + ' left.'));
        var objs = {};
        a.questions.forEach(function (q, qi) { if (!C.isCorrect(q, st.test.answers[qi])) objs[q.objective] = true; });
        var items = course.objectives.filter(function (ob) { return objs[ob.id]; }).map(function (ob) {
          return h('li', { 'data-objective-id': ob.id, text: ob.text });
        });
        if (items.length) {
          kids.push(h('h2', { text: 'Review these objectives before you try again' }));
          kids.push(h('ul', { 'data-review-objectives': true }, items));
        }
        if (!readonly()) kids.push(h('p', {}, [btn('Retake the post-test', { 'data-action': 'retake', 'class': 'sb-primary',
          on: { click: function () { startAttempt(); render(true); persist(); } } })]));
      } else {
        res.appendChild(P('You have no attempts left.'));
      }
    }
    if (o.testDone) {
      var ev = viewOf('evaluation');
      var to = ev && !st.evaluation.done ? ev : views[views.length - 1];
      kids.push(h('p', {}, [gotoBtn(to, to === ev ? 'Continue to the evaluation' : 'Continue to completion',
        'sb-primary')]));
    }
    return section(a.title + ': result', kids, 'sb-test');
  }

  // ---------- evaluation ----------
  // What the learner typed, kept in this browser only and per learner (so a shared computer
  // does not show one learner's to the next): name ':drafts' (the evaluation's comments) or
  // ':certificate' (the certificate details), appended to the learner id.
  function kept(name) { return T.local.read(T.local.key(course, learnerId + name)) || {}; }
  function keep(name, key, value) {
    var x = kept(name);
    x[key] = value;
    T.local.write(T.local.key(course, learnerId + name), x);
  }
  function renderEvaluation() {
    var ev = course.evaluation;
    var done = st.evaluation.done === 1;
    var locked = done || readonly();
    var d = kept(':drafts');
    var kids = [done ? h('p', { 'class': 'sb-thanks', 'data-evaluation-done': true, tabindex: '-1',
      text: 'Thank you: your evaluation has been submitted.' }) : null,
      h('div', { 'class': 'sb-instructions', html: ev.instructions_html })];
    var err = errorBox(), form = formEl();
    ev.items.forEach(function (it, ii) {
      var pid = uid('p');
      var fs = h('fieldset', { 'class': 'sb-question', 'data-item-id': it.id, 'data-item-type': it.type, 'aria-labelledby': pid },
        [h('div', { id: pid, 'class': 'sb-prompt', html: it.prompt_html + (it.required ? '' : '<p class="sb-hint">(optional)</p>') })]);
      if (it.type === 'likert') {
        var name = uid('l');
        var ans = st.evaluation.answers[ii];
        var row = h('div', { 'class': 'sb-likert' });
        it.scale.forEach(function (label, si) {
          var id = uid('c');
          var input = h('input', { type: 'radio', id: id, name: name, value: String(si), 'data-choice-id': String(si),
            disabled: locked, checked: ans[0] === si + 1,
            on: { change: function () { if (input.checked) { ans[0] = si + 1; persist(); } } } });
          row.appendChild(h('div', { 'class': 'sb-choice' }, [input, h('label', { 'for': id, text: label })]));
        });
        fs.appendChild(row);
      } else {
        var tid = uid('t');
        var ta = h('textarea', { id: tid, rows: '4', maxlength: '1000', disabled: locked, 'aria-labelledby': pid,
          on: { input: function () { keep(':drafts', it.id, ta.value); } } });
        ta.value = d[it.id] || '';
        fs.appendChild(ta);
      }
      form.appendChild(fs);
    });
    form.appendChild(err);
    if (!done && !readonly()) {
      form.appendChild(btn('Submit evaluation', { 'data-action': 'submit', 'class': 'sb-primary',
        on: { click: function () { submitEvaluation(form, err); } } }));
    }
    kids.push(form);
    return section(ev.title, kids, 'sb-evaluation');
  }
  // An interaction record (tracking/standalone.js) with nothing to judge: a likert answer or the certificate.
  function neutral(id, kind, type, response, objective, description) {
    return { id: id, kind: kind, type: type, response: response, correct: null, result: 'neutral', weighting: null,
      latencyMs: null, objective: objective, description: description, question: null };
  }
  function submitEvaluation(form, err) {
    var ev = course.evaluation;
    var missing = [];
    var texts = [];
    ev.items.forEach(function (it, ii) {
      var fs = find('[data-item-id="' + it.id + '"]', form);
      var val = it.type === 'likert' ? st.evaluation.answers[ii][0] : find('textarea', fs).value.trim();
      if (it.type === 'text' && val) texts.push({ id: it.id, type: 'text', response: val });
      if (it.required && !val) { missing.push(ii + 1); fs.setAttribute('aria-invalid', 'true'); } else fs.removeAttribute('aria-invalid');
    });
    if (missing.length) {
      err.textContent = 'Please answer the required items: ' + missing.join(', ') + '.';
      return;
    }
    st.evaluation.done = 1;
    if (mode === 'normal') {
      if (texts.length) tracker.comments(texts.map(function (x) { return x.id + ': ' + x.response; }).join('\n'));
      var given = [];
      ev.items.forEach(function (it, ii) { // likert answers: the scale position, 1-based
        var a = st.evaluation.answers[ii][0];
        if (a) {
          given.push({ id: it.id, type: 'likert', response: String(a) });
          tracker.interaction(neutral('evaluation:' + it.id, 'likert', 'likert', [String(a)], it.objective || '', plain(it.prompt_html)));
        }
      });
      if (tracker.progress) tracker.progress('evaluation', given.concat(texts));
    }
    render(false);
    persist();
    var thanks = find('[data-evaluation-done]', viewEl);
    thanks.focus();
    if (window.scrollTo) window.scrollTo(0, 0);
  }

  // ---------- completion and certificate ----------
  function today() { var d = new Date(); return Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()) / 864e5; }
  function issue() { // every rule met: the completion date is fixed in the state from now on
    st.cert.day = today();
    if (mode === 'normal') tracker.interaction(neutral('course:certificate', 'certificate', 'fill-in',
      [C.certId(course, learnerId, st.cert.day), isoDay(st.cert.day)], '', ''));
    live('Your certificate is ready.');
  }
  function renderCompletion() {
    var o = outcome();
    var issued = o.certified && st.cert.day > 0;
    var box = h('div', { 'class': 'sb-outcome', 'data-completion': o.result });
    var kids = [box];
    if (o.failedFinal) {
      box.appendChild(P('You have finished the course but did not pass the post-test, so no certificate can be issued.'));
      return section('Completion', kids, 'sb-completion');
    }
    if (issued) box.appendChild(P('You have met every requirement of this course: your certificate is below.'));
    else {
      box.appendChild(P((o.finished ? 'Still to do' : 'You have not finished the course yet. Still to do') +
        ' before your certificate can be issued:'));
      box.appendChild(h('ul', {}, o.missing.map(missingItem)));
    }
    if (R.attestation) {
      var aid = uid('a');
      var input = h('input', { type: 'checkbox', id: aid, 'data-attestation': true, checked: o.attested,
        disabled: readonly() || issued, on: { change: function () {
          st.cert.attested = input.checked ? 1 : 0;
          persist();
          render(false);
          find(st.cert.day ? '[data-certificate]' : '[data-attestation]', viewEl).focus();
        } } });
      kids.push(h('div', { 'class': 'sb-choice sb-attest' }, [input, h('label', { 'for': aid, text: R.text })]));
    }
    if (issued) {
      // Name (when the LMS has none), license number and state: kept(':certificate'), shown as text.
      var d = kept(':certificate');
      var field = function (hook, key, label) {
        var id = uid('d');
        var a = { type: 'text', id: id, maxlength: '100', on: { input: function () {
          keep(':certificate', key, f.value);
          var c = find('[data-certificate]', viewEl);
          c.parentNode.replaceChild(certificate(), c);
        } } };
        a[hook] = true;
        var f = h('input', a);
        f.value = d[key] || '';
        return h('p', { 'class': 'sb-field' }, [h('label', { 'for': id, text: label }), f]);
      };
      kids.push(h('div', { 'class': 'sb-details' }, [
        learner ? null : field('data-learner-name', 'name', 'Your name, as it should appear on the certificate'),
        field('data-license-number', 'license', 'License number (optional)'),
        field('data-license-state', 'state', 'License state (optional)')]));
      kids.push(certificate());
      kids.push(h('p', {}, [btn('Print certificate', { 'data-action': 'print', 'class': 'sb-primary',
        on: { click: function () { window.print(); } } })]));
    }
    return section('Completion', kids, 'sb-completion');
  }
  function missingItem(k) {
    var li = h('li', { 'data-missing': k });
    var n = Math.ceil((R.minSeat - st.seat) / 60);
    var un = views.filter(function (v, i) { return v.module != null && !st.visited[tix[i]]; });
    if (k === 'posttest') li.appendChild(gotoBtn(viewOf('posttest'), 'Pass the post-test'));
    else if (k === 'evaluation') li.appendChild(gotoBtn(viewOf('evaluation'), 'Complete the evaluation'));
    else if (k === 'pages') li.appendChild(gotoBtn(un[0], 'Visit every page and knowledge check (' + un.length + ' left)'));
    else if (k === 'seat') li.textContent = 'Spend ' + moreMinutes(n);
    else li.textContent = 'Confirm the attestation below';
    return li;
  }
  // Everything from the LMS or the learner goes in as text (h's text and string children).
  function certificate() {
    var ce = course.ce || {}, d = kept(':certificate'), day = st.cert.day, o = outcome();
    var cf = ce.certificate || {};
    // A placeholder never reaches the certificate (the build also marks it not for issue).
    var t = function (x) { return String(x == null ? '' : x).replace(/\[\[PLACEHOLDER[^\]]*\]\]/g, '(not set)'); };
    var id = C.certId(course, learnerId, day);
    var lic = [d.license, d.state].map(function (x) { return String(x || '').trim(); }).filter(Boolean).join(', ');
    var au = course.authors.filter(function (a) { return a.role !== 'reviewer'; });
    var authors = au.map(function (a) { return t(a.name) + (a.credentials ? ', ' + t(a.credentials) : ''); }).join('; ');
    var facts = [['Course number', t(ce.course_number)], ['Format', t(ce.format)],
      ['Credit', ce.hours && t(credit(ce))], ['Level', ce.level],
      ['Date of completion', new Date(day * 864e5).toLocaleDateString(course.language || undefined,
        { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' }), { 'data-date': isoDay(day) }],
      ['Certificate number', id, { 'data-certificate-id': id }],
      ['Post-test score', o.score != null && o.score + '%'], ['Active time in the course', hm(st.seat), { 'data-seat-time': String(st.seat) }]];
    var pr = ce.provider || {};
    var draft = !!cf.not_for_issue;
    return h('div', { 'class': 'sb-certificate' + (draft ? ' sb-draft' : ''), 'data-certificate': true, tabindex: '-1',
      'data-orientation': cf.orientation || 'portrait', 'aria-labelledby': 'sb-cert-title' }, [
      draft ? h('p', { 'class': 'sb-not-for-issue', 'data-not-for-issue': true,
        text: 'Not for issue: this course\'s certificate details are not final.' }) : null,
      cf.logo ? h('img', { 'class': 'sb-cert-logo', src: cf.logo, alt: pr.name ? t(pr.name) : 'Provider logo' }) : null,
      h('h1', { id: 'sb-cert-title', 'class': 'sb-cert-title', text: 'Certificate of completion' }),
      P('This certifies that', 'sb-cert-lead'),
      h('p', { 'class': 'sb-cert-name', 'data-certificate-name': true, text: (learner ? displayName(learner) : String(d.name || '').trim()) || '\u00a0' }),
      lic ? h('p', { 'data-certificate-license': true, text: 'License ' + lic }) : null,
      P('has completed', 'sb-cert-lead'),
      h('p', { 'class': 'sb-cert-course', text: t(course.title) }),
      factList(facts),
      authors ? h('p', { 'class': 'sb-cert-small', text: (au.length > 1 ? 'Authors: ' : 'Author: ') + authors }) : null,
      h('div', { 'class': 'sb-approvals' }, (ce.approvals || []).map(function (ap) {
        return h('p', {}, [h('strong', { text: t(ap.body) + '. ' }), t(ap.statement),
          ap.provider_number ? ' Provider number: ' + t(ap.provider_number) + '.' : '', ap.period ? ' Approval period: ' + t(ap.period) + '.' : '']);
      })),
      h('div', { 'class': 'sb-cert-foot' }, [
        h('div', { 'class': 'sb-sign', 'data-signer': true }, [
          cf.signer_name ? h('p', { 'class': 'sb-signer', text: t(cf.signer_name) }) : null,
          cf.signer_title ? P(t(cf.signer_title)) : null,
          P('Authorized signature', 'sb-sign-label')]),
        pr.name ? h('p', { 'class': 'sb-cert-provider', text: 'Provider: ' + t(pr.name) + (pr.contact ? ' \u00b7 ' + t(pr.contact) : '') }) : null])]);
  }

  // ---------- leaving ----------
  function finish() {
    if (exited) return;
    persist();
    exited = true;
    tracker.finish(outcome().finished);
  }
  function exitCourse() {
    finish();
    viewEl.innerHTML = '';
    var s = section('Your progress is saved', [P('You can close this window now.')], 'sb-exited');
    s.setAttribute('data-page-id', 'course:exited');
    s.setAttribute('data-view', 'exited');
    viewEl.appendChild(s);
    NAV.forEach(function (k) { nav[k].disabled = true; });
    var hd = find('h1', s);
    hd.setAttribute('tabindex', '-1');
    hd.focus();
  }

  var warnings = {};
  function setWarning(key, msg) {
    var w = find('[data-warning]');
    warnings[key] = msg;
    var text = Object.keys(warnings).sort().map(function (k) { return warnings[k]; })
      .filter(Boolean).join(' ');
    if (w.textContent !== text) w.textContent = text;
    w.hidden = !text;
  }

  // ---------- start ----------
  function boot() {
    var pref = html.getAttribute('data-tracking');
    tracker = (T[pref] && pref !== 'local' && pref !== 'standalone' && T[pref](course)) || T.standalone(course);
    tracker.onWarning = setWarning;
    var saved = tracker.start();
    // A tracker may start asynchronously (xapi.js: the LRS's State API): wait for it.
    if (saved && typeof saved.then === 'function') saved.then(begin); else begin(saved);
  }
  function applyTheme(t) { // course.yaml theme: colours were contrast-checked by the build
    var css = html.style;
    if (t.primary) css.setProperty('--sb-primary', t.primary);
    if (t.accent) {
      css.setProperty('--sb-accent', t.accent);
      css.setProperty('--sb-accent-dark', 'color-mix(in srgb,' + t.accent + ' 70%,#000)');
      css.setProperty('--sb-accent-light', 'color-mix(in srgb,' + t.accent + ' 10%,#fff)');
    }
    if (t.font) css.setProperty('--sb-font', t.font);
    if (t.logo) { var hd = find('.sb-header'); hd.insertBefore(h('img', { 'class': 'sb-logo', src: t.logo, alt: '' }), hd.firstChild); }
  }
  function begin(saved) {
    if (course.theme) applyTheme(course.theme);
    if (course.ce && course.ce.certificate && course.ce.certificate.orientation === 'landscape') {
      doc.head.appendChild(h('style', { text: '@page { size: landscape; }' })); // ce.certificate.orientation
    }
    mode = saved.mode;
    learner = saved.learner || '';
    learnerId = saved.learnerId || '';
    lmsStatus = saved.status || '';
    // An LMS's own pass mark replaces the author's, for the screens, the certificate and
    // every report alike (completion.js reads course.assessment.pass_mark).
    if (saved.passMark != null && course.assessment) course.assessment.pass_mark = saved.passMark;
    var resumed = saved.suspend && S.decode(course, saved.suspend);
    st = resumed || S.empty(course);
    if (!resumed) { // no state to resume (or not this course's): the LMS's location, if any
      var li = saved.location ? indexOf(saved.location) : -1;
      if (li > 0) st.loc = li;
    }
    // The knowledge checks' choice order: one seed per learner, drawn once and saved.
    if (kcs.length && !st.kcseed && !readonly()) st.kcseed = 1 + Math.floor(Math.random() * 65535);
    seatBase = st.seat;
    // What the LMS holds already counts as reported: only a change is reported again.
    var r0 = C.report(course, outcome(), '');
    if (r0.lesson === lmsStatus) sent = repKey(r0);
    mBase = st.mseat.slice();
    tracker.active = function () { seat(); return active; }; // session_time: this session's active time
    html.setAttribute('data-sb-tracker', tracker.name);
    html.setAttribute('data-sb-mode', mode);
    // The header notice: review mode's, else the tracker's (saved.notice), if any.
    var note = mode === 'review' ? 'Review mode: you can look through the course; nothing you do is recorded.' : saved.notice;
    if (note) {
      var n = find('[data-notice]');
      n.textContent = note;
      n.hidden = false;
    }
    NAV.forEach(function (k) {
      nav[k] = find('[data-action="' + k + '"]');
    });
    nav.prev.addEventListener('click', function () { go(st.loc - 1, true); });
    nav.next.addEventListener('click', function () { go(st.loc + 1, true); });
    nav.menu.addEventListener('click', function () { go(0, true); });
    var dlg = find('[data-exit-dialog]');
    nav.exit.addEventListener('click', function () { // an in-page, modal confirmation (not window.confirm)
      if (dlg.showModal) { dlg.showModal(); find('[data-action="cancel-exit"]', dlg).focus(); } else exitCourse();
    });
    find('[data-action="confirm-exit"]', dlg).addEventListener('click', function () { dlg.close(); exitCourse(); });
    find('[data-action="cancel-exit"]', dlg).addEventListener('click', function () { dlg.close(); nav.exit.focus(); });
    window.addEventListener('resize', fitTables);
    go(st.loc, false);

    doc.addEventListener('visibilitychange', function () {
      tick();
      visible = doc.visibilityState !== 'hidden';
      lastAct = mark; // coming back counts as activity
      if (!visible && !exited) { tracker.flush(); persist(); }
    });
    ['pointerdown', 'keydown', 'mousemove', 'wheel', 'touchstart', 'scroll', 'input'].forEach(function (e) {
      doc.addEventListener(e, activity, true);
    });
    // A post-test locked for seat time opens by itself once the time is there.
    window.setInterval(function () {
      if (exited || readonly() || view().view !== 'posttest' || st.test.phase) return;
      var l = find('[data-seat-lock]', viewEl);
      if (!seatLocked()) go(st.loc, false); else if (l) l.parentNode.replaceChild(lockNote(), l);
    }, 10000);
    // LMSFinish exactly once: pagehide first, the older events as fallbacks (finish() is
    // guarded). The state was already committed at every step, since Chrome blocks the
    // synchronous requests many LMSs use while a page is being dismissed.
    window.addEventListener('pagehide', finish);
    window.addEventListener('beforeunload', finish);
    window.addEventListener('unload', finish);
    if (tracker.onLeave) tracker.onLeave(finish);
    // Back from the back/forward cache after the session was closed: start a new one.
    window.addEventListener('pageshow', function (e) { if (e.persisted && exited) window.location.reload(); });

    window.scormbuildPlayer = Object.freeze({
      get view() { return exited ? 'course:exited' : view().id; },
      state: function () { seat(); return JSON.parse(JSON.stringify(st)); }, // seat time brought up to date
      suspendData: function () { return S.encode(course, st); },
      maxSuspendLength: function () { return S.encodedLength(course); },
      tracker: tracker.name,
      mode: mode,
      startedAt: started
    });
    // data-sb-ready and the 'scormbuild:ready' mark: set by render() (ready()) once the first
    // view is up with its content, or shows that its content failed to load.
  }
  boot();
})();
