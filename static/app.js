// Chamlo: a little script where it helps. Every page works without it.
(function () {
  "use strict";

  // A long import or export: say so, and stop double submits.
  document.querySelectorAll("form[data-busy]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.sent) { event.preventDefault(); return; }
      form.dataset.sent = "1";
      form.setAttribute("aria-busy", "true");
      var note = form.querySelector(".busy");
      if (note) { note.hidden = false; }
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        button.dataset.label = button.textContent;
        button.textContent = "Đang xử lý…";
        // Disabled after the browser has taken the button's own name and value.
        setTimeout(function () { button.disabled = true; }, 0);
      });
    });
  });

  // Choosing or dropping a file, checked for size before it is sent.
  document.querySelectorAll(".dropzone").forEach(function (zone) {
    var input = zone.querySelector("input[type=file]");
    var chosen = zone.querySelector(".chosen");
    var error = document.getElementById(zone.dataset.error || "");
    if (!input) { return; }
    function show() {
      var file = input.files && input.files[0];
      var max = Number(input.dataset.maxBytes || 0);
      var message = "";
      if (file && max && file.size > max) {
        message = "Tệp “" + file.name + "” lớn hơn giới hạn " + Math.round(max / 1048576) +
          " MB. Hãy xóa các trang tính, hình ảnh thừa hoặc chia danh sách thành nhiều tệp.";
      }
      input.setCustomValidity(message);
      if (error) { error.textContent = message; error.hidden = !message; }
      if (chosen) { chosen.textContent = file ? "Đã chọn: " + file.name : ""; }
    }
    input.addEventListener("change", show);
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        event.preventDefault();
        zone.classList.add("over");
      });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function () { zone.classList.remove("over"); });
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      if (event.dataTransfer && event.dataTransfer.files.length) {
        input.files = event.dataTransfer.files;
        show();
      }
    });
  });

  // "Chọn tất cả" for marking many rows at once.
  document.querySelectorAll("input[data-check-all]").forEach(function (all) {
    all.hidden = false;
    var label = document.querySelector("label[for='" + all.id + "']");
    if (label) { label.hidden = false; }
    all.addEventListener("change", function () {
      document.querySelectorAll("input[name='" + all.dataset.checkAll + "']").forEach(function (box) {
        box.checked = all.checked;
      });
    });
  });
})();
