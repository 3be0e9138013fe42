// Upload progress for the Pentadbir's data page. The form works without this script
// (a plain multipart POST); with it, a large file shows how much has been sent, then
// that the server is checking it, and the page follows the server's answer.
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  if (!form || !window.XMLHttpRequest || !window.FormData) {
    return;
  }
  var box = document.getElementById(form.getAttribute("data-progress"));
  var bar = document.getElementById("upload-bar");
  var status = document.getElementById("upload-status");
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    box.hidden = false;
    status.textContent = status.getAttribute("data-uploading");
    xhr.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) {
        bar.value = Math.round((e.loaded / e.total) * 100);
      }
    });
    xhr.upload.addEventListener("load", function () {
      bar.removeAttribute("value"); // indeterminate while the server validates and writes
      status.textContent = status.getAttribute("data-processing");
    });
    xhr.addEventListener("load", function () {
      window.location.assign(xhr.responseURL || form.action);
    });
    xhr.addEventListener("error", function () {
      form.submit(); // fall back to the plain form
    });
    xhr.send(new FormData(form));
    form.querySelector("button[type=submit]").disabled = true;
  });
})();
