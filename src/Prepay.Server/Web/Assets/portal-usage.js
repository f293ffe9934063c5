// Draws the portal's usage charts with Chart.js from the page's JSON data block. The tables beside each chart hold
// the same numbers, so nothing is lost without JavaScript or to a screen reader. No inline script: the CSP forbids it.
(function () {
  var data = document.getElementById('usage-data');
  if (!data || typeof Chart === 'undefined') {
    return;
  }
  var usage = JSON.parse(data.textContent);
  function bars(id, series, label) {
    var canvas = document.getElementById(id);
    if (!canvas || !series) {
      return;
    }
    new Chart(canvas, {
      type: 'bar',
      data: {
        labels: series.map(function (x) { return x.label; }),
        datasets: [{ label: label, data: series.map(function (x) { return parseFloat(x.kwh); }), backgroundColor: '#0b5cad' }]
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: false } },
        scales: { y: { beginAtZero: true, title: { display: true, text: 'kWh' } } }
      }
    });
  }
  bars('chart-daily', usage.daily, 'kWh per day');
  bars('chart-hourly', usage.hourly, 'kWh per hour');
  bars('chart-tou', usage.timeOfUse, 'kWh per period');
})();
