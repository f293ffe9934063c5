// Charts drawn from numbers the page already shows in a table (data-labels, data-values: '|'-separated), so the
// chart adds a picture, never information the table lacks. No inline script: CSP.
(function () {
  'use strict';
  if (typeof window.Chart === 'undefined') { return; }
  document.querySelectorAll('canvas[data-values]').forEach(function (canvas) {
    var labels = (canvas.getAttribute('data-labels') || '').split('|').filter(Boolean);
    var values = (canvas.getAttribute('data-values') || '').split('|').filter(Boolean).map(Number);
    new window.Chart(canvas, {
      type: 'bar',
      data: { labels: labels, datasets: [{ label: canvas.getAttribute('data-label') || 'Sold', data: values, backgroundColor: '#0b5cad' }] },
      options: { animation: false, maintainAspectRatio: false, scales: { y: { beginAtZero: true } } }
    });
  });
}());
