/* Shows and hides follow-up questions as the office answers, using the very condition
   trees the server evaluates (shipped as JSON in the page). The server stays the
   authority: with this script off, a save shows the same follow-ups. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var form = document.getElementById("questionnaire");
  if (!form) { return; }
  var conditions = JSON.parse(document.getElementById("wp-conditions").textContent);
  var order = JSON.parse(document.getElementById("wp-order").textContent);
  var partsSources = JSON.parse(document.getElementById("wp-parts").textContent);
  var status = document.getElementById("branch-status");
  var progressData = document.getElementById("wp-progress");
  var progress = progressData ? JSON.parse(progressData.textContent) : null;
  var applicable = {};
  var dirty = false;

  function inputs(name) {
    return Array.prototype.slice.call(form.querySelectorAll('[name="' + name + '"]'));
  }

  function isChecked(el) { return el.checked; }
  function valueOfInput(el) { return el.value; }

  // How an answer is read from the page, by what the question's type says (data-value on
  // the question's box, see surveys/questionnaire/types/base.py): the ticked boxes, the
  // picked button, the one field named after the question, or the filled fields named
  // "<question>.…" (parts, table cells).
  var readers = {
    checked: function (qid) { return inputs(qid).filter(isChecked).map(valueOfInput); },
    picked: function (qid) {
      var picked = inputs(qid).filter(isChecked)[0];
      return picked ? picked.value : undefined;
    },
    field: function (qid) {
      var els = inputs(qid);
      return els.length ? els[0].value : undefined;
    },
    fields: function (qid) {
      return Array.prototype.slice.call(form.querySelectorAll('[name^="' + qid + '."]'))
        .map(valueOfInput).filter(function (v) { return v.trim() !== ""; });
    }
  };

  function valueOf(qid) {
    var box = document.getElementById("q-" + qid);
    var read = readers[box ? box.getAttribute("data-value") : ""] || readers.field;
    return read(qid);
  }

  function isEmpty(v) {
    return v === undefined || v === null || (typeof v === "string" && v.trim() === "") ||
      (Array.isArray(v) && v.length === 0);
  }

  function holds(cond, answers) {
    if (cond === null || cond === undefined) { return true; }
    var op = Object.keys(cond)[0];
    var arg = cond[op];
    switch (op) {
      case "all": return arg.every(function (c) { return holds(c, answers); });
      case "any": return arg.some(function (c) { return holds(c, answers); });
      case "not": return !holds(arg, answers);
      case "answered": return !isEmpty(answers[arg]);
      case "eq": return answers[arg[0]] === arg[1];
      case "in": return arg[1].indexOf(answers[arg[0]]) !== -1;
      case "has": return Array.isArray(answers[arg[0]]) && answers[arg[0]].indexOf(arg[1]) !== -1;
      default: throw new Error("unknown condition operator " + op);
    }
  }

  // Whether a question has an answer as the server will read it: any of its fields (named
  // after it, or "<question>.…") filled in, ticked or picked.
  function filled(qid) {
    var box = document.getElementById("q-" + qid);
    if (!box) { return false; }
    return Array.prototype.some.call(box.querySelectorAll("input, select, textarea"), function (el) {
      var name = el.name || "";
      if (name !== qid && name.indexOf(qid + ".") !== 0) { return false; }
      if (el.type === "checkbox" || el.type === "radio") { return el.checked; }
      if (el.type === "file" || el.type === "button" || el.type === "submit") { return false; }
      return el.value.trim() !== "";
    });
  }

  // A counted sentence from the page's words: its form for 0, 1 or more, "{n}" the count.
  function counted(forms, n) {
    return forms[n === 0 ? "0" : (n === 1 ? "1" : "2")];
  }

  // "N required questions left" and each section's state, counted as the engine counts
  // (an applicable required question without an answer) and decided as the server does
  // (surveys/responses/presenters.py section_state): has errors (as found at the last
  // save), N left, to confirm (a pre-filled section whose box is not ticked), complete or
  // not applicable.
  function showProgress() {
    if (!progress) { return; }
    var required = {};
    progress.required.forEach(function (qid) { required[qid] = true; });
    var words = progress.words;
    var total = 0;
    progress.sections.forEach(function (entry) {
      var any = false;
      var left = 0;
      entry[1].forEach(function (qid) {
        if (!applicable[qid]) { return; }
        any = true;
        if (required[qid] && !filled(qid)) { left += 1; }
      });
      total += left;
      var item = document.querySelector('[data-section="' + entry[0] + '"]');
      if (!item) { return; }
      var box = document.getElementById("confirm-" + entry[0].replace(/^section-/, ""));
      var state = any && item.getAttribute("data-errors") === "1" ? "has_errors" :
        (any && left ? "incomplete" : (box && !box.checked ? "to_confirm" : (any ? "complete" : "not_applicable")));
      item.classList.remove("sec-" + item.getAttribute("data-state"));
      item.classList.add("sec-" + state);
      item.setAttribute("data-state", state);
      item.setAttribute("data-left", String(left));
      var label = item.querySelector(".sec-state");
      if (label) {
        label.textContent = state === "incomplete" ? counted(words.left, left).replace("{n}", String(left)) :
          words.states[state];
      }
    });
    var sentence = document.getElementById("progress");
    if (sentence) {
      var parts = counted(words.total, total).split("{n}");
      var number = document.createElement("strong");
      number.id = "required-left";
      number.textContent = String(total);
      sentence.textContent = "";
      sentence.appendChild(document.createTextNode(parts[0]));
      sentence.appendChild(number);
      sentence.appendChild(document.createTextNode(parts.slice(1).join(String(total))));
      sentence.setAttribute("data-required-left", String(total));
    }
  }

  function update(announce) {
    var effective = {};
    var appeared = [];
    applicable = {};
    order.forEach(function (qid) {
      var ok = holds(conditions[qid], effective);
      applicable[qid] = ok;
      var box = document.getElementById("q-" + qid);
      if (box) {
        if (ok && box.hidden) { appeared.push(box); }
        box.hidden = !ok;
      }
      if (ok) {
        var v = valueOf(qid);
        if (!isEmpty(v)) { effective[qid] = v; }
      }
    });
    Object.keys(partsSources).forEach(function (qid) {
      var picked = effective[partsSources[qid]] || [];
      form.querySelectorAll('[data-row-of="' + qid + '"]').forEach(function (row) {
        row.hidden = picked.indexOf(row.getAttribute("data-row")) === -1;
      });
    });
    showProgress();
    if (announce && status) {
      // The sentences come translated from the page (data-one / data-other with {n}).
      var n = appeared.length;
      status.textContent = n === 0 ? "" :
        (n === 1 ? status.getAttribute("data-one") : status.getAttribute("data-other").replace("{n}", String(n)));
    }
  }

  function addRow(button) {
    var table = form.querySelector('table[data-grid="' + button.getAttribute("data-add-row") + '"] tbody');
    var rows = table.querySelectorAll("tr[data-grid-row]");
    var last = rows[rows.length - 1];
    var next = rows.length;
    var clone = last.cloneNode(true);
    clone.setAttribute("data-grid-row", String(next));
    clone.querySelectorAll("input, label").forEach(function (el) {
      ["name", "id", "for"].forEach(function (attr) {
        var v = el.getAttribute(attr);
        if (v) { el.setAttribute(attr, v.replace(/\.(\d+)\./, "." + next + ".")); }
      });
      if (el.tagName === "INPUT") { el.value = ""; }
    });
    table.appendChild(clone);
    var first = clone.querySelector("input");
    if (first) { first.focus(); }
  }

  form.addEventListener("change", function () { dirty = true; update(true); });
  form.addEventListener("input", function () { dirty = true; showProgress(); });
  form.addEventListener("click", function (event) {
    var target = event.target;
    if (target.hasAttribute && target.hasAttribute("data-add-row")) { addRow(target); }
  });
  form.addEventListener("submit", function () {
    dirty = false;
    // Come back to the section being worked on after a save.
    var sections = form.querySelectorAll(".form-section");
    var anchor = document.getElementById("id_anchor");
    for (var i = sections.length - 1; i >= 0; i--) {
      if (sections[i].getBoundingClientRect().top < window.innerHeight / 3) { anchor.value = sections[i].id; break; }
    }
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });
  var summary = document.getElementById("error-summary") || document.getElementById("conflict");
  if (summary) { summary.focus(); }
  // An error-summary link: bring its question into view and put focus on the question's
  // field, so typing answers what the message is about (a fragment link alone scrolls
  // but leaves focus on the page). Without this script the link still scrolls there.
  if (summary) {
    summary.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest('a[href^="#q-"]') : null;
      var box = link && document.getElementById(link.getAttribute("href").slice(1));
      if (!box || box.hidden) { return; }
      var fields = Array.prototype.filter.call(
        box.querySelectorAll("input:not([type=hidden]), textarea, select"),
        function (el) { return !el.disabled && !el.closest("[hidden]"); }
      );
      var field = box.querySelector("input[type=radio]:checked") || fields[0];
      if (!field) { return; }
      event.preventDefault();
      box.scrollIntoView({block: "start"});
      field.focus({preventScroll: true});
      if (window.history && history.replaceState) { history.replaceState(null, "", link.getAttribute("href")); }
    });
  }
  update(false);
})();
