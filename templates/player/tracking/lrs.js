/* scormbuild player: the statement machinery the xAPI trackers share (tracking/xapi.js, the
 * Tin Can launch; tracking/cmi5.js, the cmi5 launch). Interface: see standalone.js.
 * T.lrs(course, P) is a whole tracker: what the learner did, read from the player's calls, as
 * statements (docs/xapi.md), their delivery (docs/xapi-player.md) and the resume; null when
 * the launch URL has no endpoint or no actor (Agent JSON with one identifier). P, the profile,
 * opens the session and shapes what differs:
 *   P.name; P.open(params, out, actor, request, uuid) -> Promise of the session, or of null when no statement can
 *     be sent: {base: the course IRI every other IRI is built from, au: the launched activity
 *     (the object of the course-level verbs; default base), reg, auth, defs: activity
 *     definitions, only: the only verbs to send, launched: send "launched" first, success:
 *     the course completion says success, grouping, platform, ext: for every context}
 *   optional: P.ctx(ctx, verb, id) (completes a statement's context), P.judged(report,
 *     score, duration) (a post-test submission), P.end() (just before "terminated"),
 *     P.left(promise) (after the last send). They send through t.send(verb, id, result).
 * Statements are queued in localStorage BEFORE sending, sent in order in batches, and removed
 * only once the LRS took them (200/204; 409 = it already has that id), so none is lost; ids
 * are made once, so a resend is recognised by the LRS and never stored twice.
 * Sizes count (the player's 60 KB budget): whole-line comments cost nothing, code does.
 */
(function (root) {
  'use strict';
  var T = root.ScormbuildTrackers = root.ScormbuildTrackers || {};
  var S = root.ScormbuildState, C = root.ScormbuildCompletion;
  var IDS = ['mbox', 'mbox_sha1sum', 'openid', 'account'];
  // Keepalive requests (which outlive the page) may carry 64 KB in all: two batches + the state.
  var BATCH = 30000;

  // A version 4 UUID; crypto.randomUUID only exists on https (and localhost) pages.
  function uuid() {
    var c = root.crypto;
    return c.randomUUID ? c.randomUUID() : '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, function (d) {
      return (d ^ c.getRandomValues(new Uint8Array(1))[0] & 15 >> d / 4).toString(16);
    });
  }

  // ISO 8601 duration as docs/xapi.md: PT1H2M3.45S (hours never folded into days).
  function duration(ms) {
    var cs = Math.max(0, Math.round(ms / 10));
    var h = Math.floor(cs / 360000), m = Math.floor(cs / 6000) % 60, s = cs % 6000;
    var out = 'PT' + (h ? h + 'H' : '') + (m ? m + 'M' : '');
    return out + (s || out === 'PT' ? s / 100 + 'S' : '');
  }

  // The launch actor, unchanged, unless it comes in the old Tin Can 0.9 form (arrays of values).
  // null when it is not an Agent with exactly one identifier (the LRS would refuse everything).
  function agent(json) {
    var a;
    try { a = JSON.parse(json); } catch (e) { return null; }
    if (!a || typeof a !== 'object') return null;
    Object.keys(a).forEach(function (k) { if (Array.isArray(a[k])) a[k] = a[k][0]; });
    if (a.account && a.account.accountName) a.account = { homePage: a.account.accountServiceHomePage, name: a.account.accountName };
    if (IDS.filter(function (k) { return a[k]; }).length !== 1) return null;
    if (a.mbox && a.mbox.indexOf('mailto:') !== 0) a.mbox = 'mailto:' + a.mbox;
    return a;
  }

  // fetch with a timeout, never sending cookies; resolves to the Response.
  function request(url, opts, ms) {
    var ctl = new root.AbortController();
    var timer = root.setTimeout(function () { ctl.abort(); }, ms || 30000);
    opts.signal = ctl.signal;
    opts.credentials = 'omit';
    return root.fetch(url, opts).finally(function () { root.clearTimeout(timer); });
  }

  // An answer's author ids (tracking/standalone.js) in the xAPI response syntax of
  // docs/xapi.md: "a[,]b", "true", "source[.]target[,]..." (ids never hold a dot).
  function response(ids) { return ids.join('[,]').replace(/\./g, '[.]'); }

  T.lrs = function (course, P) {
    var p = {};
    new URLSearchParams(root.location.search).forEach(function (v, k) { if (!(k in p)) p[k] = v; });
    var actor = p.actor && agent(p.actor);
    // Not launched by an LMS/LRS: the player falls back to standalone.
    if (!p.endpoint || !actor) return null;
    var t0 = Date.now(), endpoint = p.endpoint.replace(/\/?$/, '/');
    var who = actor.mbox || actor.mbox_sha1sum || actor.openid || actor.account.homePage + '|' + actor.account.name;
    var lay = S.layout(course);
    // The names (verbs, IRI paths, extension keys) come with the course data, from
    // scormbuild/xapi/vocabulary.py: spelled once, for Python and the player alike.
    var V = course.xapi;
    var a = course.assessment, ev = course.evaluation;
    var k = {}, base, au, reg, auth, defs = {}, only;
    var parent = {}, qKey, sKey, questions = {}, lastAt = 0;
    // off: nothing is sent before start() opened the session, nor after finish() ('done').
    var off = true;
    var pct = null, cur = { loc: null, at: t0 }, prev = null, modMs = {}, modDone = {}, courseDone = false, cert = null;
    var busy = 0, inflight = {}, timer = null, backoff = 0, fails = 0, memQ = [], useLocal = T.local.available();
    var stateApi = null, putting = false, nextPut = null;
    // The post-test's (knowledge-check questions come with progress()).
    (a ? a.questions : []).forEach(function (q) { questions[q.id] = q; });

    function headers() {
      var h = { 'X-Experience-API-Version': '1.0.3', 'Content-Type': 'application/json' };
      if (auth) h.Authorization = auth;
      return h;
    }
    function iri(kind, id) { return base + V.paths[kind] + id; }
    function ref(id) { return { objectType: 'Activity', id: id }; }
    function certExt() { var o = {}; o[base + V.extensions.certificate] = cert; return o; }

    // ---------- statements (docs/xapi.md, "For the player's xAPI adapter") ----------
    function hierarchy() {
      course.modules.forEach(function (m) {
        var mi = iri('module', m.id);
        parent[mi] = base;
        m.pages.forEach(function (pg) { parent[iri('page', pg.id)] = mi; });
      });
      if (a) {
        var t = iri('assessment', a.id);
        parent[t] = base;
        a.questions.forEach(function (q) { parent[iri('question', q.id)] = t; });
      }
      if (ev) {
        var e = iri('evaluation', ev.id);
        parent[e] = base;
        ev.items.forEach(function (it) { parent[e + V.paths.item + it.id] = e; });
      }
    }
    function statement(verb, id, result, ext, at) {
      var up = parent[id], ca = {}, group = [];
      var ctx = { registration: reg };
      if (up) ca.parent = [ref(up)];
      if (up && up !== base || id === au && id !== base) group.push(ref(base));
      if (k.grouping && k.grouping !== up && k.grouping !== base) group.push(ref(k.grouping));
      if (group.length) ca.grouping = group;
      if (up || group.length) ctx.contextActivities = ca;
      if (course.language) ctx.language = course.language;
      if (k.platform) ctx.platform = k.platform;
      ext = Object.assign(ext || {}, k.ext);
      if (Object.keys(ext).length) ctx.extensions = ext;
      if (P.ctx) P.ctx(ctx, verb, id);
      var obj = ref(id);
      if (defs[id]) obj.definition = defs[id];
      // Timestamps strictly increase: cmi5 orders a session's statements by them.
      lastAt = Math.max(at || Date.now(), lastAt + 1);
      var s = { id: uuid(), actor: actor, verb: { id: V.verbs[verb], display: { 'en-US': verb } },
        object: obj, context: ctx, timestamp: new Date(lastAt).toISOString() };
      if (result) s.result = result;
      return s;
    }
    function send(verb, id, result, ext, at) {
      if (off || only && only.indexOf(verb) < 0) return;
      var q = readQ();
      q.push(statement(verb, id, result, ext, at));
      writeQ(q);
      pump();
    }
    // A question's answer (a post-test or knowledge-check record, tracking/standalone.js).
    function answered(r, d) {
      send('answered', iri('question', r.id), { response: response(r.response), success: r.result === 'correct', duration: d });
    }

    // ---------- the queue ----------
    // Re-read before every change, so two tabs of one attempt do not resurrect sent statements.
    function readQ() {
      var q = useLocal && T.local.read(qKey);
      return Array.isArray(q) ? q : memQ;
    }
    function writeQ(q) {
      memQ = q;
      // Storage full or blocked: keep the queue in memory from now on.
      if (useLocal && !T.local.write(qKey, q)) useLocal = false;
    }
    function drop(batch) {
      var gone = {};
      batch.forEach(function (s) { gone[s.id] = 1; delete inflight[s.id]; });
      writeQ(readQ().filter(function (s) { return !gone[s.id]; }));
    }
    // Send the next batch. force: even while a request is in flight (the page is being
    // hidden), never with the same ids. While failing, one statement at a time.
    function pump(force) {
      if (!qKey || (busy && !force)) return;
      var batch = [], size = 2;
      readQ().some(function (s) {
        if (inflight[s.id]) return false;
        size += JSON.stringify(s).length + 1;
        if (batch.length && size > BATCH) return true;
        batch.push(s);
        return fails || batch.length >= 50;
      });
      if (!batch.length) return;
      var body = JSON.stringify(batch);
      batch.forEach(function (s) { inflight[s.id] = 1; });
      busy++;
      return request(endpoint + 'statements', { method: 'POST', headers: headers(), body: body,
        keepalive: new root.Blob([body]).size < BATCH }).then(function (r) {
        busy--;
        var st = r.status, one = batch.length === 1;
        if (st === 200 || st === 204 || (st === 409 && one)) {
          drop(batch);
        } else if (st === 400 && one) {
          // Invalid for ever: kept aside (for whoever debugs it), not retried for ever.
          root.console.error('scormbuild: the LRS refused statement ' + batch[0].id);
          T.local.write(qKey + ':refused', (T.local.read(qKey + ':refused') || []).concat(batch).slice(-20));
          drop(batch);
        } else {
          // 400/409 for a batch: find the statement concerned by sending one at a time.
          return retry(batch, st === 400 || st === 409);
        }
        backoff = 0;
        if (fails) { fails = 0; t.onWarning('commit', null); }
        return pump();
      }, function () { busy--; retry(batch); });
    }
    function retry(batch, split) {
      batch.forEach(function (s) { delete inflight[s.id]; });
      if (split) { fails = fails || 1; return pump(); }
      if (++fails === 2) {
        t.onWarning('commit', 'Your progress could not be sent to the learning record store. ' +
          'It is kept in this browser; the course keeps trying to send it.');
      }
      if (timer || off) return;
      // 1 s, 2 s, 4 s ... at most 30 s apart; every new statement also tries at once.
      backoff = Math.min(backoff * 2 || 1000, 30000);
      timer = root.setTimeout(function () { timer = null; pump(); }, backoff);
    }

    // ---------- resume: State API, with this browser's copy ({s, l, t}) as the fallback ----------
    function stateUrl() {
      return endpoint + 'activities/state?activityId=' + encodeURIComponent(au) + '&agent=' +
        encodeURIComponent(JSON.stringify(actor)) + '&registration=' + reg + '&stateId=scormbuild-resume';
    }
    function putState(doc, last) {
      if (stateApi === false || only) return;
      if (putting && !last) { nextPut = doc; return; }
      putting = true;
      request(stateUrl(), { method: 'PUT', headers: headers(), body: JSON.stringify(doc), keepalive: true }).then(function (r) {
        stateApi = r.ok || (r.status < 500 ? false : null);
      }, function () {
        // No answer: the LRS is down (try again later), or it has no State API and says so
        // without CORS headers (npm xapi-statements): stop asking while statements go through.
        if (!fails) stateApi = false;
      }).then(function () {
        putting = false;
        var d = nextPut;
        nextPut = null;
        if (d) putState(d);
      });
    }
    // The newer of the State API document and this browser's copy.
    function resume(out, remote) {
      var mine = T.local.read(sKey);
      var doc = remote && remote.s && (!mine || remote.t > mine.t) ? remote : mine;
      var st = doc && S.decode(course, doc.s);
      if (doc) { out.suspend = doc.s; out.location = doc.l; }
      if (st) {
        var o = C.outcome(course, st);
        out.status = o.passed ? 'passed' : o.status;
        modulesDone(st);
        courseDone = o.finished;
        prev = st;
      }
      return out;
    }

    // ---------- what the learner did, read from the player's saves ----------
    function leaveView(now) {
      var v = lay.views.filter(function (x) { return x.id === cur.loc; })[0];
      if (!v) return;
      if (v.module != null) modMs[v.module] = (modMs[v.module] || 0) + now - cur.at;
      if (v.view === 'page') send('experienced', iri('page', v.id), { duration: duration(now - cur.at) });
    }
    // A module is completed once every page and check of it was visited; reported when the
    // learner leaves a view (so after that view's own statements). report false: at start.
    function modulesDone(st, report) {
      var n = 0, all = {};
      lay.views.forEach(function (v) {
        if (v.view === 'page' || v.view === 'check') all[v.module] = !!st.visited[n++] && all[v.module] !== false;
      });
      course.modules.forEach(function (m, mi) {
        if (!all[mi] || modDone[mi]) return;
        modDone[mi] = true;
        if (report) send('completed', iri('module', m.id), { completion: true, duration: duration(modMs[mi] || 0) });
      });
    }
    // The course is completed when the player's completion rule says so and it was not failed
    // (a final fail is reported by the post-test's "failed").
    function courseCompleted(st) {
      var o = C.outcome(course, st), ce = course.ce, ext = {};
      if (courseDone || !o.finished) return;
      courseDone = true;
      if (o.result === 'failed') return;
      if (ce) {
        ext[base + V.extensions.ce] = { hours: ce.hours, credit_type: ce.credit_type || null,
          course_number: ce.course_number || null, provider: ce.provider && ce.provider.name || null };
      }
      var res = { completion: true, duration: duration(st.seat * 1000) };
      if (a && k.success) res.success = true;
      if (cert) res.extensions = certExt();
      send('completed', au, res, ext);
    }

    var t = {
      name: P.name,
      onWarning: function () {},
      // Asynchronous: the player waits (the profile's launch, then the State API).
      start: function () {
        // suspend, location, status and notice are left out when there are none.
        var out = { mode: 'normal', learner: actor.name || '', learnerId: who };
        return P.open(p, out, actor, request, uuid).then(function (s) {
          if (!(k = s)) {
            sKey = T.local.key(course, who);
            return resume(out);
          }
          base = k.base;
          au = k.au || base;
          reg = k.reg;
          auth = k.auth;
          defs = k.defs || defs;
          only = k.only;
          hierarchy();
          qKey = 'scormbuild:' + P.name + ':queue:' + endpoint + '|' + who;
          sKey = 'scormbuild:' + P.name + ':state:' + base + '|' + who + '|' + reg;
          off = false;
          if (k.launched) send('launched', au, null, null, t0);
          return request(stateUrl(), { headers: headers() }, 5000).then(function (r) {
            stateApi = r.ok || null;
            return r.ok ? r.json() : null;
          }).catch(function () { return null; }).then(function (remote) {
            resume(out, remote);
            send('initialized', au);
            return out;
          });
        }).catch(function (e) {
          // Never leave the player waiting: start with what there is.
          root.console.error(e);
          return out;
        });
      },
      save: function (suspend, location) {
        if (!sKey || only) return;
        var now = Date.now(), st = S.decode(course, suspend), doc = { s: suspend, l: location, t: now };
        T.local.write(sKey, doc);
        if (off) return;
        if (location !== cur.loc) {
          leaveView(now);
          if (prev) modulesDone(prev, true);
          cur = { loc: location, at: now };
        }
        if (st) {
          prev = st;
          courseCompleted(st);
        }
        putState(doc);
      },
      score: function (raw) { pct = raw; },
      // The post-test was submitted (score() came first): passed or failed, with the score.
      // raw = questions right, max = questions, scaled = raw / max (docs/xapi.md). Other
      // reports are not sent: the course's "completed" comes from the saves.
      status: function (rep) {
        if (!rep.submitted || pct === null || !a) return;
        var n = a.questions.length, right = Math.round(pct * n / 100), ok = rep.success === 'passed';
        var score = { scaled: n ? Math.round(right / n * 10000) / 10000 : 1, raw: right, min: 0, max: n };
        var d = duration(Date.now() - cur.at);
        send(ok ? 'passed' : 'failed', iri('assessment', a.id), { score: score, success: ok, completion: true, duration: d });
        if (P.judged) P.judged(rep, score, d);
        pct = null;
      },
      // The certificate ("<id> <YYYY-MM-DD>"), issued just before the save that completes the
      // course (then a result extension of its "completed") or later ("earned", docs/xapi.md).
      interaction: function (r) {
        if (r.kind === 'certificate') {
          cert = { id: r.response[0], issued: r.response[1] };
          if (courseDone) send('earned', base, { extensions: certExt() });
        }
        if (r.kind === 'question' && questions[r.id]) {
          answered(r, duration(r.latencyMs || 0));
        }
      },
      // 'check': a knowledge-check answer was checked (player.js, "Check answer"); r.module is
      // the module's index (its content, so the question's id, may have loaded after start).
      // 'evaluation': the survey was submitted: one "answered" per item answered.
      progress: function (kind, r) {
        var now = duration(Date.now() - cur.at);
        if (kind === 'check') {
          parent[iri('question', r.id)] = iri('module', course.modules[r.module].id);
          answered(r, now);
        }
        if (kind === 'evaluation') {
          r.forEach(function (x) {
            send('answered', iri('evaluation', ev.id) + V.paths.item + x.id, { response: x.response, duration: now });
          });
        }
      },
      // Survey texts go out as "answered" statements when the evaluation is submitted.
      comments: function () {},
      flush: function () { pump(true); },
      send: send,
      finish: function () {
        if (off) return;
        var now = Date.now();
        leaveView(now);
        if (prev) modulesDone(prev, true);
        cur = { loc: null, at: now };
        if (P.end) P.end();
        // Session time: this session's active time when the player provides it (t.active).
        send('terminated', au, { duration: duration(t.active ? t.active() : now - t0) });
        off = 'done';
        root.clearTimeout(timer);
        var sent = pump(true);
        var last = T.local.read(sKey);
        if (last) putState(last, true);
        if (P.left) P.left(sent);
      }
    };
    root.addEventListener('online', function () { pump(); });
    return t;
  };
  T.lrs.duration = duration;
})(this);
