// Indicator library suggestions while a unit types a third-level indicator's name (goal edit page).
// Asks GET <data-suggest-url>?q=<name>&level2=<二级指标> and lists the results under the field; choosing
// one fills the name, levels, target, direction and kind. Without the library (404, no network) the
// page works as before: nothing is shown.
(function () {
  "use strict";
  var form = document.getElementById("goal-form");
  if (!form || !window.fetch) { return; }
  var url = form.getAttribute("data-suggest-url");
  var timer = null;

  function field(row, suffix) {
    return row.querySelector("[name$='-" + suffix + "']");
  }

  function targetText(item) {
    if (item.value === undefined || item.value === null || item.value === "") { return ""; }
    var comparator = item.comparator && item.comparator !== "=" ? item.comparator : (item.comparator || "");
    return comparator + item.value + (item.unit || "");
  }

  function choose(row, item) {
    field(row, "name").value = item.name;
    var level = field(row, "level");
    if (level && item.level1 && item.level2) { level.value = item.level1 + "|" + item.level2; }
    var target = field(row, "target_text");
    if (target && !target.value) { target.value = targetText(item); }
    if (item.direction) { field(row, "direction").value = item.direction; }
    if (item.kind) { field(row, "kind").value = item.kind; }
    hide(row);
  }

  function hide(row) {
    var list = row.querySelector(".suggestions");
    list.hidden = true;
    list.textContent = "";
  }

  function show(row, results) {
    var list = row.querySelector(".suggestions");
    list.textContent = "";
    results.slice(0, 8).forEach(function (item) {
      var li = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "plain";
      button.textContent = item.name + (item.unit ? "（" + item.unit + "）" : "") +
        (item.uses ? " · " + item.uses + " 个项目使用" : "");
      button.addEventListener("click", function () { choose(row, item); });
      li.appendChild(button);
      list.appendChild(li);
    });
    list.hidden = results.length === 0;
  }

  function ask(row) {
    var name = field(row, "name").value.trim();
    if (name.length < 2) { hide(row); return; }
    var level = field(row, "level").value;
    var level2 = level.indexOf("|") >= 0 ? level.split("|")[1] : "";
    var query = url + "?q=" + encodeURIComponent(name) + (level2 ? "&level2=" + encodeURIComponent(level2) : "");
    fetch(query, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) { show(row, (data && data.results) || []); })
      .catch(function () { hide(row); });
  }

  form.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.classList || !input.classList.contains("goal-name")) { return; }
    var row = input.closest(".indicator-row");
    clearTimeout(timer);
    timer = setTimeout(function () { ask(row); }, 250);
  });
})();
