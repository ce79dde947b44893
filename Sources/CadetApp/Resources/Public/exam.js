// The admission test page: saves every answer as it changes and every 15 seconds, keeps
// unsent answers in this browser while the connection is down, counts down from the
// server's clock, runs the sample tests, and tells staff what the page saw (focus lost,
// pastes, connection drops). The server decides everything; this page only reports.
(function () {
  "use strict";
  var form = document.getElementById("exam-form");
  if (!form) return;
  var bar = document.getElementById("exam-bar");
  var clock = document.getElementById("exam-clock");
  var statusLine = document.getElementById("exam-status");
  var messages = {};
  Array.prototype.forEach.call(document.querySelectorAll("#exam-messages li"), function (li) {
    messages[li.getAttribute("data-key")] = li.textContent;
  });
  function say(key, args) {
    var text = messages[key] || key;
    Object.keys(args || {}).forEach(function (name) { text = text.replace("{" + name + "}", args[name]); });
    return text;
  }

  var preview = form.getAttribute("data-preview") === "true";
  var base = form.getAttribute("data-base");
  var csrf = form.querySelector("input[name=_csrf]").value;
  var deadline = Number(bar.getAttribute("data-deadline"));
  // Server time minus this computer's time: the countdown follows the server's clock.
  var offset = Number(bar.getAttribute("data-now")) - Date.now();
  var stopped = false;
  // A start answers with the paper itself: the address bar is set to where the paper lives, so
  // that reloading asks for the paper instead of sending the start again.
  if (!preview && location.pathname !== base + "/take" && window.history && history.replaceState) {
    history.replaceState(null, "", base + "/take");
  }

  // ---- What this browser keeps: the last sequence number and the answers not yet confirmed.
  var storeKey = "cadet-exam:" + base;
  var state = { seq: 0, pending: {} };
  try { state = JSON.parse(localStorage.getItem(storeKey)) || state; } catch (e) { /* private mode: memory only */ }
  state.pending = state.pending || {};
  state.seq = Math.max(state.seq || 0, Number(form.getAttribute("data-seq")) || 0);
  function persist() {
    try { localStorage.setItem(storeKey, JSON.stringify(state)); } catch (e) { /* memory only */ }
  }

  function section(key) { return form.querySelector("section.question[data-key=\"" + key + "\"]"); }
  function fields(key) { return form.querySelectorAll("[name=\"q_" + key + "\"]"); }
  function valueOf(key) {
    var inputs = fields(key);
    if (!inputs.length) return "";
    if (inputs[0].type === "checkbox" || inputs[0].type === "radio") {
      return Array.prototype.filter.call(inputs, function (i) { return i.checked; }).map(function (i) { return i.value; }).join(",");
    }
    return inputs[0].value;
  }
  function setValue(key, value) {
    var inputs = fields(key);
    if (!inputs.length) return;
    if (inputs[0].type === "checkbox" || inputs[0].type === "radio") {
      var chosen = value.split(",");
      Array.prototype.forEach.call(inputs, function (i) { i.checked = chosen.indexOf(i.value) >= 0; });
    } else {
      inputs[0].value = value;
    }
  }

  // Answers kept from a visit that could not send them win over the server's older copy.
  Object.keys(state.pending).forEach(function (key) {
    var s = section(key);
    if (!s || state.pending[key].seq <= Number(s.getAttribute("data-seq"))) { delete state.pending[key]; return; }
    setValue(key, state.pending[key].value);
  });
  persist();

  function show(text, kind) {
    statusLine.textContent = text;
    statusLine.className = kind || "";
  }

  // ---- Saving
  var inFlight = null;
  var timer = null;
  var offline = false;
  var retry = null;

  function changed(key) {
    if (stopped) return;
    state.seq += 1;
    state.pending[key] = { value: valueOf(key), seq: state.seq };
    persist();
    show(say(offline ? "offline" : "unsaved"), offline ? "warning" : "");
    clearTimeout(timer);
    timer = setTimeout(flush, 800);
  }

  function flush() {
    if (preview || stopped) return Promise.resolve(true);
    if (inFlight) return inFlight.then(function () { return flush(); });
    var keys = Object.keys(state.pending);
    var answers = {};
    var seq = 1;
    keys.forEach(function (k) { answers[k] = state.pending[k].value; seq = Math.max(seq, state.pending[k].seq); });
    if (keys.length) show(say("saving"));
    inFlight = post("/answers", { seq: seq, answers: answers }).then(function (res) {
      inFlight = null;
      if (res.ok) {
        offset = res.body.now - Date.now();
        deadline = res.body.deadline;
        keys.forEach(function (k) { if (state.pending[k] && state.pending[k].seq <= res.body.seq) delete state.pending[k]; });
        persist();
        if (offline) { offline = false; report("online", null); }
        var left = Object.keys(state.pending).length;
        if (left) { clearTimeout(timer); timer = setTimeout(flush, 300); }
        else show(say("saved", { time: new Date(res.body.savedAt).toLocaleTimeString() }), "ok");
        return left === 0;
      }
      refused(res);
      return false;
    }, function () {
      inFlight = null;
      wentOffline();
      return false;
    });
    return inFlight;
  }

  function post(path, body) {
    return fetch(base + path, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify(body)
    }).then(function (r) {
      if (r.status >= 500) throw new Error("server unavailable");
      if (r.status === 204) return { ok: true, status: 204, body: {} };
      return r.json().then(function (b) { return { ok: r.ok, status: r.status, body: b }; });
    });
  }

  // A refusal is final (another browser has the test, or time is up); the page says why.
  function refused(res) {
    var error = (res.body && res.body.error) || {};
    var code = error.code || "";
    if (code === "exam.replaced_elsewhere" || code === "exam.closed" || code === "exam.already_submitted") {
      stop(error.message || say(code === "exam.replaced_elsewhere" ? "replaced" : "closed"));
    } else {
      show(error.message || say("run_failed"), "warning");
    }
  }

  function stop(text) {
    stopped = true;
    show(text, "warning");
    Array.prototype.forEach.call(form.querySelectorAll("input, textarea, button"), function (el) {
      if (el.name !== "_csrf") el.disabled = true;
    });
    var link = document.createElement("a");
    link.href = base;
    link.textContent = " →";
    statusLine.appendChild(link);
  }

  function wentOffline() {
    if (!offline) { offline = true; report("offline", null); }
    show(say("offline"), "warning");
    clearTimeout(retry);
    retry = setTimeout(flush, 3000);
  }

  window.addEventListener("online", function () { flush(); });
  form.addEventListener("input", function (e) {
    var s = e.target.closest && e.target.closest("section.question");
    if (s) changed(s.getAttribute("data-key"));
  });
  form.addEventListener("change", function (e) {
    var s = e.target.closest && e.target.closest("section.question");
    if (s && (e.target.type === "radio" || e.target.type === "checkbox")) changed(s.getAttribute("data-key"));
  });
  setInterval(flush, 15000);
  if (Object.keys(state.pending).length) flush();

  // ---- The clock
  var ending = false;
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function tick() {
    var left = Math.max(0, Math.floor((deadline - (Date.now() + offset)) / 1000));
    var h = Math.floor(left / 3600), m = Math.floor(left % 3600 / 60), s = left % 60;
    clock.textContent = left > 0 ? say("time_left", { time: h + ":" + pad(m) + ":" + pad(s) }) : say("time_up");
    if (left === 0 && !preview && !stopped && !ending) {
      ending = true;
      flush().then(function () { stopped = true; setTimeout(function () { window.location.href = base; }, 5000); });
    }
  }
  tick();
  setInterval(tick, 1000);

  // ---- What the page saw, for staff
  var events = [];
  function report(kind, detail) {
    if (preview) return;
    events.push({ kind: kind, detail: detail });
  }
  function sendEvents() {
    if (!events.length || stopped || offline) return;
    var batch = events.splice(0, 50);
    post("/events", { events: batch }).then(function (res) {
      if (!res.ok && res.status >= 500) events = batch.concat(events);
    }, function () { events = batch.concat(events); });
  }
  setInterval(sendEvents, 5000);
  document.addEventListener("visibilitychange", function () { if (document.hidden) report("focus_lost", "hidden"); });
  window.addEventListener("blur", function () { report("focus_lost", "blur"); });
  form.addEventListener("paste", function (e) {
    var s = e.target.closest && e.target.closest("section.question");
    var text = (e.clipboardData && e.clipboardData.getData("text")) || "";
    if (s) report("paste", s.getAttribute("data-key") + ": " + text.length + " chars");
  });

  // ---- The code editor: Tab indents, Shift+Tab dedents, Enter keeps the indentation.
  // Escape, then Tab, leaves the editor for keyboard users.
  var escaped = false;
  Array.prototype.forEach.call(form.querySelectorAll("textarea.code"), function (area) {
    area.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { escaped = true; return; }
      if (e.key === "Tab" && !escaped) {
        e.preventDefault();
        indent(area, e.shiftKey);
      } else if (e.key === "Enter" && !e.shiftKey && !e.ctrlKey && !e.metaKey && !e.altKey) {
        e.preventDefault();
        var before = area.value.slice(0, area.selectionStart);
        var line = before.slice(before.lastIndexOf("\n") + 1);
        var lead = line.match(/^[ \t]*/)[0];
        if (/:\s*$/.test(line)) lead += "    ";
        area.setRangeText("\n" + lead, area.selectionStart, area.selectionEnd, "end");
        area.dispatchEvent(new Event("input", { bubbles: true }));
      }
      if (e.key !== "Escape") escaped = false;
    });
  });

  function indent(area, out) {
    var start = area.selectionStart, end = area.selectionEnd, text = area.value;
    if (!out && start === end) {
      area.setRangeText("    ", start, end, "end");
    } else {
      var lineStart = text.lastIndexOf("\n", start - 1) + 1;
      var block = text.slice(lineStart, end);
      var lines = block.split("\n");
      var changedLines = lines.map(function (l) { return out ? l.replace(/^ {1,4}|^\t/, "") : "    " + l; });
      var replaced = changedLines.join("\n");
      area.setRangeText(replaced, lineStart, end, "preserve");
      area.selectionStart = out ? Math.max(lineStart, start - (lines[0].length - changedLines[0].length)) : start + 4;
      area.selectionEnd = lineStart + replaced.length;
    }
    area.dispatchEvent(new Event("input", { bubbles: true }));
  }

  // ---- Running the samples
  Array.prototype.forEach.call(form.querySelectorAll("button.run-samples"), function (button) {
    var out = button.nextElementSibling;
    button.addEventListener("click", function () {
      if (preview) { out.textContent = say("preview"); return; }
      var key = button.getAttribute("data-question");
      button.disabled = true;
      out.textContent = say("running");
      post("/runs", { question: key, source: valueOf(key) }).then(function (res) {
        if (!res.ok) { button.disabled = false; out.textContent = (res.body.error && res.body.error.message) || say("run_failed"); return; }
        poll(res.body.run, out, button, 0);
      }, function () { button.disabled = false; out.textContent = say("offline"); });
    });
  });

  function poll(run, out, button, tries) {
    fetch(base + "/runs/" + run, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (result) {
        if (!result.done) {
          if (tries < 120) setTimeout(function () { poll(run, out, button, tries + 1); }, 1000);
          else { button.disabled = false; out.textContent = say("run_failed"); }
          return;
        }
        button.disabled = false;
        out.textContent = "";
        var list = document.createElement("ul");
        list.className = "verdicts";
        result.tests.forEach(function (t) {
          var item = document.createElement("li");
          item.className = t.verdict === "accepted" ? "ok" : "warning";
          item.setAttribute("data-verdict", t.verdict);
          item.textContent = t.name + ": " + t.verdictText;
          if (t.output || t.message) {
            var pre = document.createElement("pre");
            pre.textContent = (t.output ? say("output") + " " + t.output : "") + (t.message ? "\n" + t.message : "");
            item.appendChild(pre);
          }
          list.appendChild(item);
        });
        if (!result.tests.length) {
          var only = document.createElement("li");
          only.className = "warning";
          only.textContent = result.verdictText + (result.message ? ": " + result.message : "");
          list.appendChild(only);
        }
        out.appendChild(list);
      }, function () {
        setTimeout(function () { poll(run, out, button, tries + 1); }, 2000);
      });
  }

  // ---- Submitting: only once everything is saved.
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    if (stopped || !window.confirm(say("confirm_submit"))) return;
    flush().then(function (saved) {
      if (saved && !Object.keys(state.pending).length) {
        try { localStorage.removeItem(storeKey); } catch (err) { /* nothing kept */ }
        stopped = true;
        form.submit();
      } else if (!stopped) {
        show(say("submit_offline"), "warning");
      }
    });
  });
})();
