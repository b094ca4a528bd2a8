(function () {
  "use strict";
  var filters = ["topic", "source", "entity"].map(function (name) {
    return { name: name, el: document.getElementById("f-" + name) };
  });
  var rows = Array.prototype.slice.call(document.querySelectorAll("#stories tbody tr[data-topic]"));
  var shown = document.getElementById("shown");

  function matches(row) {
    return filters.every(function (f) {
      var want = f.el.value;
      if (!want) { return true; }
      if (f.name === "entity") { return row.dataset.entities.split("|").indexOf(want) >= 0; }
      return row.dataset[f.name] === want;
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

  // Clicking a topic card filters the table to that topic.
  Array.prototype.forEach.call(document.querySelectorAll(".card[data-topic]"), function (card) {
    card.addEventListener("click", function () {
      filters[0].el.value = card.dataset.topic;
      apply();
    });
  });

  // 30 / 90 day chart windows.
  Array.prototype.forEach.call(document.querySelectorAll("button[data-window]"), function (button) {
    button.addEventListener("click", function () {
      document.body.dataset.window = button.dataset.window;
      Array.prototype.forEach.call(document.querySelectorAll("button[data-window]"), function (b) {
        b.setAttribute("aria-pressed", String(b === button));
      });
    });
  });

  apply();
})();
