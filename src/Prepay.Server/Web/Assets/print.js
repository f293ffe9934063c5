// Shows the receipt's Print button (hidden without JavaScript) and prints on click. No inline script: the CSP forbids it.
document.querySelectorAll('[data-print]').forEach(function (button) {
  button.hidden = false;
  button.addEventListener('click', function () { window.print(); });
});
