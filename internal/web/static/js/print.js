// The print view opens the browser's print dialog; the page is printable without this
// script too (the browser's own Print command uses the same print stylesheet).
(function () {
  "use strict";
  var b = document.getElementById("print-button");
  if (b) {
    b.hidden = false;
    b.addEventListener("click", function () { window.print(); });
  }
  window.addEventListener("load", function () { window.print(); });
})();
