// A hackathon's public board refreshes itself every 15 seconds while the page is open, so a
// team sees its score arrive (scoring runs off the request) and others overtake it. The rows
// come from the server already ranked and formatted; this only redraws them.
(function () {
  "use strict";
  var table = document.getElementById("public-board");
  if (!table) return;
  var source = table.getAttribute("data-source");
  var body = table.tBodies[0];
  function cell(row, text) {
    var td = document.createElement("td");
    td.textContent = String(text);
    row.appendChild(td);
  }
  function redraw(rows) {
    var fresh = document.createElement("tbody");
    rows.forEach(function (r) {
      var tr = document.createElement("tr");
      if (r.mine) tr.className = "mine";
      [r.rank, r.team, r.score, r.entries].forEach(function (v) { cell(tr, v); });
      fresh.appendChild(tr);
    });
    table.replaceChild(fresh, body);
    body = fresh;
    var empty = document.getElementById("no-scores");
    if (empty && rows.length) empty.hidden = true;
  }
  function poll() {
    fetch(source, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (rows) { if (rows) redraw(rows); })
      .catch(function () { /* offline for a moment: the next poll tries again */ });
  }
  setInterval(poll, 15000);
})();
