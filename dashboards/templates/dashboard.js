(function () {
  "use strict";
  var each = function (selector, fn) { Array.prototype.forEach.call(document.querySelectorAll(selector), fn); };
  var filters = [
    { name: "topics", el: document.getElementById("f-topic") },
    { name: "outlets", el: document.getElementById("f-outlet") },
    { name: "entities", el: document.getElementById("f-entity") }
  ];
  var rows = Array.prototype.slice.call(document.querySelectorAll("#stories tbody tr[data-topics]"));
  var shown = document.getElementById("shown");

  function matches(row) {
    return filters.every(function (f) {
      var want = f.el.value;
      return !want || row.dataset[f.name].split("|").indexOf(want) >= 0;
    });
  }

  function apply() {
    var n = 0;
    rows.forEach(function (row) {
      var ok = matches(row);
      row.hidden = !ok;
      if (ok) { n += 1; }
    });
    shown.textContent = String(n);
  }

  filters.forEach(function (f) { f.el.addEventListener("change", apply); });

  // Clicking a topic card or a topic chip filters the table to that topic.
  each(".card[data-topic], .chip[data-topic]", function (el) {
    el.addEventListener("click", function () {
      filters[0].el.value = el.dataset.topic;
      apply();
    });
  });

  // 30 / 90 day chart windows.
  each("button[data-window]", function (button) {
    button.addEventListener("click", function () {
      document.body.dataset.window = button.dataset.window;
      each("button[data-window]", function (b) { b.setAttribute("aria-pressed", String(b === button)); });
    });
  });

  // Arabic / English chrome: every chrome string carries both in data-ar / data-en.
  document.getElementById("lang-toggle").addEventListener("click", function () {
    var lang = document.documentElement.lang === "en" ? "ar" : "en";
    document.documentElement.lang = lang;
    document.documentElement.dir = lang === "en" ? "ltr" : "rtl";
    each("[data-ar][data-en]", function (el) { el.textContent = el.dataset[lang]; });
  });

  // CSV of the rows the filters leave (UTF-8 with a BOM, so spreadsheets read the Arabic).
  function cell(value) {
    var text = String(value || "").replace(/\s+/g, " ").trim();
    if (/^[=+\-@]/.test(text)) { text = "'" + text; }  // no formula injection in a spreadsheet
    return '"' + text.replace(/"/g, '""') + '"';
  }

  document.getElementById("csv").addEventListener("click", function () {
    var lines = [["date", "topics", "title", "url", "outlets", "when", "evidence", "entities"].map(cell).join(",")];
    rows.forEach(function (row) {
      if (row.hidden) { return; }
      var link = row.querySelector(".title a");
      var ev = row.querySelector(".ev");
      lines.push([
        row.dataset.day, row.dataset.topics.split("|").join("; "), row.querySelector(".title").textContent,
        link ? link.href : "", row.querySelector(".outlets").textContent, row.querySelector(".when").textContent,
        ev ? ev.textContent : "", row.dataset.entities.split("|").join("; ")
      ].map(cell).join(","));
    });
    var blob = new Blob(["\ufeff" + lines.join("\r\n") + "\r\n"], { type: "text/csv;charset=utf-8" });
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = document.getElementById("csv").dataset.file;
    document.body.appendChild(a);
    a.click();
    a.remove();
  });

  apply();
})();
