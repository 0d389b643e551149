/* LMS-like test harness around scorm-again's Scorm12API (harness.html) or Scorm2004API
 * (harness2004.html, cfg.standard "scorm2004": names below are the 1.2 ones, STD maps them).
 *
 * Configuration: harness.html?cfg=<URL-encoded JSON>, see tests/support/lms.py (HarnessConfig).
 * What it adds on top of scorm-again, and why:
 *  - every API call is logged as {seq, fn, args, ret, errorCode} (window.harness.log), and the
 *    log is mirrored to the test server by sendBeacon, so it survives an abrupt page close;
 *  - Moodle-strict rules scorm-again does not enforce: suspend_data <= 4096 characters,
 *    lesson_location <= 255, session_time in Moodle's CMITimespan format, interactions
 *    write-only. A refused set returns "false" with error 405/404 like Moodle;
 *  - simulated broken LMSs: one that refuses every commit (LMSCommit "false", error 101) and
 *    one without cmi.interactions (get _count: 401, set interactions.*: 201). Errors the harness
 *    injects on purpose are marked {injected: true} so tests can tell them from SCO bugs;
 *  - persistence like a real LMS: each successful LMSCommit/LMSFinish sends the whole CMI to the
 *    server, and the next session (a new harness page) starts from it.
 */
(function () {
  "use strict";

  var params = new URLSearchParams(window.location.search);
  var cfg = JSON.parse(params.get("cfg") || "{}");
  var sid = String(cfg.sid || "default");
  var limits = cfg.limits || {};
  var SUSPEND_LIMIT = limits.suspend_data == null ? 4096 : limits.suspend_data;
  var LOCATION_LIMIT = limits.lesson_location == null ? 255 : limits.lesson_location;
  // Moodle's CMITimespan check (mod/scorm/datamodels/scorm_12.js).
  var TIMESPAN = /^([0-9]{2,4}):([0-9]{2}):([0-9]{2})(\.[0-9]{1,2})?$/;
  var INTERACTION_FIELD = /^cmi\.interactions\.\d+\./;

  var statusEl = document.getElementById("lms-status");
  function status(text) { statusEl.textContent = text; }

  // The same harness runs a SCORM 1.2 SCO (harness.html: Scorm12API as window.API) and a
  // SCORM 2004 one (harness2004.html: Scorm2004API as window.API_1484_11); STD maps the
  // standard's function names onto the roles the harness plays.
  var is2004 = cfg.standard === "scorm2004";
  var STD = is2004 ? {
    ctor: "Scorm2004API", global: "API_1484_11", init: "Initialize", finish: "Terminate",
    get: "GetValue", set: "SetValue", commit: "Commit", lastError: "GetLastError",
    names: ["Initialize", "Terminate", "GetValue", "SetValue", "Commit", "GetLastError",
            "GetErrorString", "GetDiagnostic"],
    errorQueries: { GetLastError: 1, GetErrorString: 1, GetDiagnostic: 1 },
    commitFailure: 391, notImplemented: 401
  } : {
    ctor: "Scorm12API", global: "API", init: "LMSInitialize", finish: "LMSFinish",
    get: "LMSGetValue", set: "LMSSetValue", commit: "LMSCommit", lastError: "LMSGetLastError",
    names: ["LMSInitialize", "LMSFinish", "LMSGetValue", "LMSSetValue", "LMSCommit",
            "LMSGetLastError", "LMSGetErrorString", "LMSGetDiagnostic"],
    errorQueries: { LMSGetLastError: 1, LMSGetErrorString: 1, LMSGetDiagnostic: 1 },
    commitFailure: 101, notImplemented: 401
  };

  if (typeof window[STD.ctor] !== "function") {
    status("scorm-again did not load");
    window.harness = { error: STD.ctor + " missing" };
    return;
  }

  var api = new window[STD.ctor]({
    autocommit: false,
    lmsCommitUrl: false,
    logLevel: 5, // NONE: the harness log is the record; console noise helps nobody
    mastery_override: false // report what the SCO set; tests check it against mastery
  });
  // Values an LMS owns (read-only to the SCO) are loaded before LMSInitialize.
  var cmi = cfg.cmi || {};
  var preload;
  if (is2004) {
    // cmi.* of SCORM 2004: the LMS-owned values, and what it kept from the last session.
    preload = {
      learner_id: cmi.learner_id || "learner-1",
      learner_name: cmi.learner_name || "Tester, Pat",
      credit: cmi.credit || "credit",
      entry: cmi.entry == null ? "ab-initio" : cmi.entry
    };
    ["mode", "location", "completion_status", "success_status", "suspend_data", "score",
     "scaled_passing_score", "completion_threshold", "launch_data", "total_time"].forEach(function (k) {
      if (cmi[k] != null) preload[k] = cmi[k];
    });
  } else {
    var core = cmi.core || {};
    preload = {
      core: {
        student_id: core.student_id || "learner-1",
        student_name: core.student_name || "Tester, Pat",
        credit: core.credit || "credit",
        entry: core.entry == null ? "ab-initio" : core.entry
      }
    };
    ["lesson_location", "lesson_status", "total_time"].forEach(function (k) {
      if (core[k] != null) preload.core[k] = core[k];
    });
    // Some LMSs never set lesson_mode: leave it out unless the test asks for it.
    if (core.lesson_mode != null) preload.core.lesson_mode = core.lesson_mode;
    if (core.score) preload.core.score = core.score;
    if (cmi.suspend_data != null) preload.suspend_data = cmi.suspend_data;
    if (cmi.launch_data != null) preload.launch_data = cmi.launch_data;
    if (cmi.student_data) preload.student_data = cmi.student_data;
  }
  api.loadFromJSON(preload, "cmi");

  var log = [];
  var unsent = [];
  var seq = 0;
  var injected = null; // error code LMSGetLastError reports for a harness-refused call
  var commitsRefused = !!cfg.refuse_commits;
  var noInteractions = !!cfg.no_interactions;

  function beacon(kind, payload) {
    var body = JSON.stringify(payload);
    var url = "/__lms/" + encodeURIComponent(sid) + "/" + kind;
    // sendBeacon is delivered even while the page is being unloaded; fall back to a
    // keepalive fetch if the queue is full.
    var ok = false;
    try { ok = navigator.sendBeacon(url, new Blob([body], { type: "text/plain" })); } catch (e) { ok = false; }
    if (!ok) {
      try { fetch(url, { method: "POST", body: body, keepalive: true }); } catch (e) { /* lost */ }
    }
  }

  var flushScheduled = false;
  function flush() {
    flushScheduled = false;
    if (!unsent.length) return;
    var batch = unsent;
    unsent = [];
    // Keep each beacon well under Chromium's 64 KiB keepalive budget.
    for (var i = 0; i < batch.length; i += 50) beacon("log", batch.slice(i, i + 50));
  }
  function scheduleFlush() {
    if (!flushScheduled) { flushScheduled = true; setTimeout(flush, 0); }
  }

  function persist(atSeq) {
    // What a real LMS stores on commit: the whole tracking record of this attempt. The call's
    // seq lets the server keep the newest record when beacons arrive out of order.
    // Interactions stay out: hundreds of them exceed the 64 KiB a beacon may carry, resume
    // never needs them, and every one of them is in the call log already.
    var record = api.renderCMIToJSONObject();
    var cmi = record.cmi || record;
    delete cmi.interactions;
    beacon("commit", { seq: atSeq, cmi: record });
  }

  function refusal(fn, args) {
    var el = String(args[0]);
    if (fn === STD.commit && commitsRefused) return { ret: "false", code: STD.commitFailure };
    if (is2004) {
      // scorm-again enforces SCORM 2004's data model (SPMs, vocabularies) itself.
      if (noInteractions && el.indexOf("cmi.interactions") === 0 && (fn === STD.get || fn === STD.set)) {
        return { ret: fn === STD.get ? "" : "false", code: STD.notImplemented };
      }
      return null;
    }
    if (fn === "LMSGetValue") {
      if (noInteractions && el.indexOf("cmi.interactions") === 0) return { ret: "", code: 401 };
      if (INTERACTION_FIELD.test(el)) return { ret: "", code: 404, strict: true }; // write-only in Moodle
    }
    if (fn === "LMSSetValue") {
      var value = String(args[1]);
      if (noInteractions && el.indexOf("cmi.interactions") === 0) return { ret: "false", code: 201 };
      if (el === "cmi.suspend_data" && value.length > SUSPEND_LIMIT) return { ret: "false", code: 405, strict: true };
      if (el === "cmi.core.lesson_location" && value.length > LOCATION_LIMIT) return { ret: "false", code: 405, strict: true };
      if (el === "cmi.core.session_time" && !TIMESPAN.test(value)) return { ret: "false", code: 405, strict: true };
    }
    return null;
  }

  var ERROR_QUERIES = STD.errorQueries;
  var realGetLastError = api[STD.lastError].bind(api);
  var names = STD.names;

  names.forEach(function (fn) {
    var original = api[fn].bind(api);
    api[fn] = function () {
      var args = Array.prototype.slice.call(arguments);
      var entry = { seq: ++seq, fn: fn, args: args.map(String), t: Date.now() };
      var ret;
      var code = null;
      if (ERROR_QUERIES[fn]) {
        if (injected !== null && fn === STD.lastError) ret = String(injected);
        else if (injected !== null && String(args[0]) === String(injected)) ret = "Refused by the test LMS";
        else ret = original.apply(null, args);
      } else {
        injected = null;
        var r = refusal(fn, args);
        if (r) {
          ret = r.ret;
          code = r.code;
          injected = r.code;
          // "strict" refusals are the SCO breaking a Moodle rule: a real failure. Others are
          // the simulated broken LMS doing what the test asked for.
          if (!r.strict) entry.injected = true;
        } else {
          ret = original.apply(null, args);
          code = Number(realGetLastError());
        }
      }
      entry.ret = ret;
      entry.errorCode = code;
      log.push(entry);
      unsent.push(entry);
      if ((fn === STD.commit || fn === STD.finish) && ret === "true") persist(entry.seq);
      if (fn === STD.init || fn === STD.commit || fn === STD.finish) flush();
      else scheduleFlush();
      if (fn === STD.finish) status("finished");
      return ret;
    };
  });

  window[STD.global] = api;
  window.addEventListener("pagehide", flush);

  var frame = document.getElementById("sco");
  var launch = cfg.launch || "frame";
  window.harness = {
    config: cfg,
    log: log,
    api: api,
    cmi: function () { return api.renderCMIToJSONObject(); },
    // Abrupt end of the SCO while the LMS page stays: what happens when a learner's LMS
    // navigates the course frame away.
    unloadSco: function () {
      if (window.harness.popup) window.harness.popup.location.href = "about:blank";
      else frame.src = "about:blank";
    },
    popup: null,
    flush: flush,
    ready: true
  };
  status("API ready" + (commitsRefused ? ", refusing commits" : "") +
         (noInteractions ? ", no interactions" : ""));
  // How the LMS launches the SCO: in its frame (most LMSs); behind a frame of another origin
  // (API discovery must survive the cross-origin parent); or in a pop-up window (discovery
  // through window.opener). A pop-up needs a user gesture, as in a real LMS.
  var scoUrl = cfg.sco ? new URL(cfg.sco, window.location.href).href : "";
  if (launch === "frame" && scoUrl) {
    frame.src = scoUrl;
  } else if (launch === "nested" && scoUrl) {
    frame.src = cfg.wrapper + "?sco=" + encodeURIComponent(scoUrl);
  } else if (launch === "popup" && scoUrl) {
    var button = document.createElement("button");
    button.id = "launch";
    button.textContent = "Launch the course";
    button.addEventListener("click", function () {
      window.harness.popup = window.open(scoUrl, "sco", "width=1000,height=800");
    });
    document.getElementById("lms-bar").appendChild(button);
  }
})();
