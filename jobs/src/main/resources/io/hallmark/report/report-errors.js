// Installed first: records script errors and console errors/warnings in the page itself, so a
// headless check can read them back from the DOM (data-errors on <body>).
window.__reportErrors = [];
window.addEventListener('error', function (e) { window.__reportErrors.push('error: ' + e.message); });
(function () {
  ['error', 'warn'].forEach(function (level) {
    var original = console[level];
    console[level] = function () {
      window.__reportErrors.push(level + ': ' + Array.prototype.join.call(arguments, ' '));
      return original.apply(console, arguments);
    };
  });
})();
