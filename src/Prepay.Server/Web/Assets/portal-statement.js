// Draws the portal statement's chart with Chart.js from the page's JSON data block: each day's deductions stacked by
// line with the closing balance as a line (central credit), or the energy used per period (credit in the meter). The
// table below holds the same numbers, so nothing is lost without JavaScript or to a screen reader. No inline script.
(function () {
  var data = document.getElementById('statement-data');
  var canvas = document.getElementById('chart-statement');
  if (!data || !canvas || typeof Chart === 'undefined') {
    return;
  }
  var s = JSON.parse(data.textContent);
  var colours = ['#0b5cad', '#6a9fd8', '#c77c02', '#8a4fb3', '#2e7d32', '#9e9e9e'];
  var datasets = s.series.map(function (x, i) {
    return { type: 'bar', label: x.label, data: x.values, backgroundColor: colours[i % colours.length], stack: 'day', yAxisID: 'y' };
  });
  if (s.balance) {
    datasets.push({ type: 'line', label: 'Balance at the day\u2019s end', data: s.balance, borderColor: '#222', backgroundColor: '#222', stack: 'balance', yAxisID: 'y' });
  }
  new Chart(canvas, {
    data: { labels: s.labels, datasets: datasets },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, title: { display: true, text: s.unit } } }
    }
  });
})();
