// A simulated meter's page: the screen refreshes from ?handler=Screen, and the on-screen keypad types into the token
// field (the field itself stays typeable; without this script the form works as it is). No inline script: CSP.
(function () {
  'use strict';

  var keypad = document.getElementById('keypad');
  var input = document.getElementById('token');
  if (keypad && input) {
    keypad.hidden = false;
    keypad.addEventListener('click', function (e) {
      var key = e.target.closest('[data-key]');
      if (!key) { return; }
      var k = key.getAttribute('data-key');
      var digits = input.value.replace(/\D/g, '');
      if (k === 'back') { digits = digits.slice(0, -1); }
      else if (k === 'clear') { digits = ''; }
      else if (digits.length < 20) { digits += k; }
      input.value = digits.replace(/(\d{4})(?=\d)/g, '$1 ');
    });
  }

  var screen = document.querySelector('[data-live]');
  if (!screen) { return; }
  var url = screen.getAttribute('data-live');
  var interval = parseInt(screen.getAttribute('data-interval'), 10) || 1500;
  var state = document.getElementById('live-state');

  function text(id, value) {
    var el = document.getElementById(id);
    if (el && el.textContent !== String(value)) { el.textContent = value; }
  }

  function show(d) {
    text('screen-credit', d.creditKwh);
    text('screen-energy', d.energyKwh);
    text('screen-relay', d.relay);
    document.getElementById('screen-relay').setAttribute('data-connected', d.connected ? 'yes' : 'no');
    text('screen-power', d.power);
    text('screen-alarms', d.alarms.length ? d.alarms.join(', ') : 'None');
    text('screen-keypad', d.lastKeypad || 'None yet');
    text('screen-time', d.meterTime);
    document.getElementById('screen-low').hidden = !d.lowCredit;
    document.getElementById('screen-emergency').hidden = !d.emergencyCredit;
  }

  function refresh() {
    fetch(url, { headers: { 'Accept': 'application/json', 'X-Prepay-Background': '1' }, credentials: 'same-origin', cache: 'no-store' })
      .then(function (r) {
        if (!r.ok || (r.headers.get('content-type') || '').indexOf('application/json') < 0) { throw new Error('status ' + r.status); }
        return r.json();
      })
      .then(function (d) { show(d); if (state) { state.textContent = ''; } })
      .catch(function () { if (state) { state.textContent = 'The meter does not answer (its fleet may have stopped).'; } })
      .finally(function () { window.setTimeout(refresh, interval); });
  }

  window.setTimeout(refresh, interval);
}());
