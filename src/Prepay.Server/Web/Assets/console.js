// The operator console's live parts. The page is drawn complete by the server; this script asks the page's JSON
// handler (data-live) again every data-interval milliseconds and redraws numbers, tables and the chart in place.
// No inline script anywhere (the CSP forbids it); table cells are filled with textContent, never as HTML.
(function () {
  'use strict';

  var root = document.querySelector('[data-live]');
  if (!root) { return; }
  var url = root.getAttribute('data-live');
  var interval = parseInt(root.getAttribute('data-interval'), 10) || 3000;
  var state = document.getElementById('live-state');
  var chart = null;

  function text(id, value) {
    var el = document.getElementById(id);
    if (el && el.textContent !== String(value)) { el.textContent = value; }
  }

  function cell(row, value, link) {
    var td = document.createElement('td');
    if (link) {
      var a = document.createElement('a');
      a.href = link;
      a.textContent = value;
      td.appendChild(a);
    } else {
      td.textContent = value;
    }
    row.appendChild(td);
  }

  function rows(id, items, columns) {
    var body = document.getElementById(id);
    if (!body) { return; }
    var fresh = document.createDocumentFragment();
    items.forEach(function (item) {
      var tr = document.createElement('tr');
      columns(item).forEach(function (c) { Array.isArray(c) ? cell(tr, c[0], c[1]) : cell(tr, c); });
      fresh.appendChild(tr);
    });
    body.replaceChildren(fresh);
  }

  function overview(d) {
    text('updated-at', d.at);
    text('count-meters', d.meters);
    text('count-online', d.online);
    text('count-offline', d.offline);
    text('count-never', d.neverHeard);
    text('count-disconnected', d.disconnected);
    text('count-low', d.lowCredit);
    d.alerts.forEach(function (a) { text('alerts-' + a.kind, a.open); });
    rows('attention', d.attention, function (r) {
      return [[r.meterNumber, '/console/meters/' + encodeURIComponent(r.meterNumber)], r.place, r.customer, r.reasons, r.relay, r.credit, r.lastSeen];
    });
    var empty = document.getElementById('attention-empty');
    if (empty) { empty.hidden = d.attention.length > 0; }
  }

  function drawChart(readings) {
    var canvas = document.getElementById('readings-chart');
    if (!canvas || typeof window.Chart === 'undefined') { return; }
    var labels = readings.map(function (r) { return r.label.replace(' UTC', ''); });
    var credit = readings.map(function (r) { return Number(r.creditKwh); });
    var used = readings.map(function (r) { return Number(r.usedKwh); });
    if (chart) {
      chart.data.labels = labels;
      chart.data.datasets[0].data = credit;
      chart.data.datasets[1].data = used;
      chart.update('none');
      return;
    }
    chart = new window.Chart(canvas, {
      data: {
        labels: labels,
        datasets: [
          { type: 'line', label: 'Credit left (kWh)', data: credit, borderColor: '#0b5cad', backgroundColor: '#0b5cad', pointRadius: 0, yAxisID: 'credit' },
          { type: 'bar', label: 'Used per interval (kWh)', data: used, backgroundColor: '#b45309', yAxisID: 'used' }
        ]
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        interaction: { mode: 'index', intersect: false },
        scales: {
          x: { ticks: { maxTicksLimit: 6 } },
          credit: { type: 'linear', position: 'left', beginAtZero: true, title: { display: true, text: 'credit kWh' } },
          used: { type: 'linear', position: 'right', beginAtZero: true, grid: { drawOnChartArea: false }, title: { display: true, text: 'used kWh' } }
        }
      }
    });
  }

  function meter(d) {
    text('updated-at', d.at);
    text('status-online', d.online ? 'Online' : 'Offline');
    text('status-relay', d.relay);
    text('status-credit', d.credit);
    text('status-energy', d.energy);
    text('status-last-seen', d.lastSeen);
    rows('readings', d.readings.slice().reverse(), function (r) { return [r.label, r.creditKwh, r.usedKwh]; });
    rows('events', d.events, function (e) { return [e.at, e.type, e.details]; });
    rows('commands', d.commands, function (c) { return [c.created, c.type, c.state, String(c.attempts), c.outcome, c.reference]; });
    drawChart(d.readings);
  }

  function refresh() {
    fetch(url, { headers: { 'Accept': 'application/json', 'X-Prepay-Background': '1' }, credentials: 'same-origin', cache: 'no-store' })
      .then(function (r) {
        if (!r.ok || (r.headers.get('content-type') || '').indexOf('application/json') < 0) { throw new Error('status ' + r.status); }
        return r.json();
      })
      .then(function (d) {
        if ('meters' in d) { overview(d); } else { meter(d); }
        if (state) { state.textContent = ''; }
      })
      .catch(function () {
        if (state) { state.textContent = '(live updates paused: the server did not answer; reload the page or sign in again)'; }
      })
      .finally(function () { window.setTimeout(refresh, interval); });
  }

  refresh();
}());
