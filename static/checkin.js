// The check-in page: scan (BarcodeDetector, else the bundled jsQR) or type a slip's code,
// show the card, record received or received by a proxy in one tap. When the network is
// down, scans wait in localStorage with a key each and are sent when it returns; the server
// answers a key it has already recorded with "repeated", so nothing is recorded twice.
(function () {
  "use strict";
  var root = document.getElementById("checkin");
  if (!root) return;
  var slug = root.dataset.campaign;
  var api = "/api/campaigns/" + encodeURIComponent(slug) + "/checkin";
  var queueKey = "chamlo.checkin.queue." + slug;
  var pointKey = "chamlo.checkin.point";
  var card = document.getElementById("card");
  var network = document.getElementById("network");
  var pointInput = document.getElementById("point");
  var codeInput = document.getElementById("code");
  var queueBox = document.getElementById("queue");
  var queueList = document.getElementById("queue-list");

  pointInput.value = localStorage.getItem(pointKey) || "";
  pointInput.addEventListener("change", function () {
    localStorage.setItem(pointKey, pointInput.value.trim());
  });

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function newKey() {
    var bytes = new Uint8Array(12);
    (window.crypto || window.msCrypto).getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function queue() {
    try { return JSON.parse(localStorage.getItem(queueKey) || "[]"); } catch (e) { return []; }
  }
  function saveQueue(items) {
    localStorage.setItem(queueKey, JSON.stringify(items));
    showQueue();
  }
  function showQueue() {
    var items = queue();
    queueBox.hidden = items.length === 0;
    queueList.textContent = "";
    items.forEach(function (item) {
      queueList.appendChild(el("li", {}, item.code + (item.proxy_name ? " · nhận thay: " + item.proxy_name : "")));
    });
  }

  function setOffline(offline) {
    network.hidden = false;
    var waiting = queue().length;
    if (offline) {
      network.className = "network offline";
      network.textContent = "Mất kết nối mạng. Vẫn quét được: mã sẽ được lưu trên máy này" +
        (waiting ? " (" + waiting + " mã đang chờ)" : "") + " và tự gửi khi có mạng trở lại.";
    } else if (waiting) {
      network.className = "network online";
      network.textContent = "Đã có mạng. Đang gửi " + waiting + " mã đã lưu…";
    } else {
      network.hidden = true;
    }
  }

  // fetch that tells a network failure (rejected, or the server unreachable) apart from an
  // answer; a 5xx from a proxy in front of the service counts as unreachable too.
  function send(method, url, body) {
    var options = { method: method, credentials: "same-origin", headers: { "Accept": "application/json" } };
    if (body) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch(url, options).then(function (response) {
      if (response.status >= 502 && response.status <= 504) throw new TypeError("unreachable");
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { status: response.status, data: data };
      });
    });
  }

  function row(dl, label, value) {
    if (!value) return;
    dl.appendChild(el("dt", {}, label));
    dl.appendChild(el("dd", {}, value));
  }

  function receivedText(info) {
    if (!info) return "";
    var parts = ["Đã nhận lúc " + (info.recorded_at || info.date || "?")];
    if (info.recorded_by) parts.push("do " + info.recorded_by + " ghi nhận");
    if (info.point) parts.push("tại " + info.point);
    var text = parts.join(", ");
    if (info.proxy) text += ". Người nhận thay: " + info.proxy;
    return text + ".";
  }

  function showCard(data, result) {
    card.hidden = false;
    card.textContent = "";
    card.appendChild(el("h2", {}, data.person_name));
    var dl = el("dl");
    row(dl, "Mã", data.code);
    row(dl, "Địa chỉ", data.address);
    row(dl, "Khu phố", data.khu_pho);
    row(dl, "Quà", data.gift);
    if (data.home_visit) row(dl, "Ghi chú", "Phát tại nhà");
    card.appendChild(dl);
    if (result === "recorded" || result === "repeated") {
      card.appendChild(el("p", { "class": "result ok", role: "status" },
        result === "recorded" ? "Đã ghi nhận: " + data.person_name + " đã nhận quà." : "Mã này đã được ghi nhận trước đó từ máy này."));
    }
    if (data.status === "received" && result !== "recorded" && result !== "repeated") {
      card.appendChild(el("p", { "class": "result refused", role: "alert" },
        "Không ghi nhận lần hai. " + receivedText(data.received)));
    } else if (data.status === "received") {
      card.appendChild(el("p", {}, receivedText(data.received)));
    } else if (data.status === "not_received") {
      card.appendChild(el("p", { "class": "result refused", role: "alert" },
        "Người này đã được ghi là không nhận quà. Hãy hoàn tác trên danh sách nếu cần ghi nhận."));
    } else {
      actions(data.code);
    }
    card.scrollIntoView({ block: "start" });
  }

  function actions(code) {
    var box = el("div", { "class": "buttons" });
    var received = el("button", { type: "button", "class": "primary", id: "mark-received" }, "Đã nhận quà");
    received.addEventListener("click", function () { checkIn(code, null, null); });
    box.appendChild(received);
    var proxyToggle = el("button", { type: "button", id: "proxy-toggle" }, "Người khác nhận thay…");
    box.appendChild(proxyToggle);
    var form = el("form", { id: "proxy-form", hidden: "" });
    var nameLabel = el("label", { "for": "proxy-name" }, "Họ tên người nhận thay");
    var name = el("input", { id: "proxy-name", required: "" });
    var relLabel = el("label", { "for": "proxy-relationship" }, "Quan hệ với người được nhận quà");
    var rel = el("input", { id: "proxy-relationship", required: "", placeholder: "con, vợ, cháu…" });
    var submit = el("button", { type: "submit", "class": "primary" }, "Ghi nhận người nhận thay");
    [nameLabel, name, relLabel, rel, submit].forEach(function (n) { form.appendChild(n); });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      checkIn(code, name.value.trim(), rel.value.trim());
    });
    proxyToggle.addEventListener("click", function () { form.hidden = false; name.focus(); });
    box.appendChild(form);
    card.appendChild(box);
  }

  function showMessage(kind, text) {
    card.hidden = false;
    card.textContent = "";
    card.appendChild(el("p", { "class": "result " + kind, role: kind === "refused" ? "alert" : "status" }, text));
  }

  function lookUp(code) {
    send("GET", api + "/" + encodeURIComponent(code)).then(function (answer) {
      setOffline(false);
      if (answer.status === 200) showCard(answer.data, null);
      else showMessage("refused", answer.data.error || "Không tìm được mã này.");
    }).catch(function () {
      // Offline: the card cannot be shown, but the scan is not lost.
      setOffline(true);
      showMessage("queued", "Mất mạng nên chưa xem được thông tin của mã " + code + ".");
      actions(code);
    });
  }

  function checkIn(code, proxyName, relationship) {
    var item = { code: code, client_key: newKey(), point: pointInput.value.trim() || null };
    if (proxyName) { item.proxy_name = proxyName; item.relationship = relationship; }
    post(item).catch(function () {
      var items = queue();
      items.push(item);
      saveQueue(items);
      setOffline(true);
      showMessage("queued", "Mất mạng: đã lưu mã " + code + " trên máy này, sẽ gửi khi có mạng. Không cần quét lại.");
    });
  }

  function post(item) {
    return send("POST", api, item).then(function (answer) {
      setOffline(false);
      if (answer.status === 200 || answer.status === 409) showCard(answer.data.card, answer.data.result);
      else showMessage("refused", answer.data.error || "Không ghi nhận được.");
      return answer;
    });
  }

  var flushing = false;
  function flush() {
    var items = queue();
    if (flushing || items.length === 0) return;
    flushing = true;
    var item = items[0];
    send("POST", api, item).then(function (answer) {
      saveQueue(queue().filter(function (q) { return q.client_key !== item.client_key; }));
      flushing = false;
      if (answer.status === 200 || answer.status === 409) showCard(answer.data.card, answer.data.result);
      setOffline(false);
      flush();
    }).catch(function () {
      flushing = false;
      setOffline(true);
    });
  }
  window.addEventListener("online", flush);
  window.addEventListener("offline", function () { setOffline(true); });
  setInterval(flush, 5000);
  showQueue();
  flush();

  document.getElementById("code-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var code = codeInput.value.replace(/[^0-9a-z]/gi, "").toUpperCase();
    if (code) lookUp(code);
  });

  // The camera: the browser's own detector where there is one, else jsQR served by Chamlo.
  var video = document.getElementById("camera");
  var canvas = document.getElementById("frame");
  var scanning = false;
  var lastCode = "";
  function loadJsQR() {
    if (window.jsQR) return Promise.resolve();
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = "/static/vendor/jsQR.js";
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }
  function detector() {
    if ("BarcodeDetector" in window) {
      var native = new window.BarcodeDetector({ formats: ["qr_code"] });
      return Promise.resolve(function () {
        return native.detect(video).then(function (found) { return found.length ? found[0].rawValue : null; });
      });
    }
    return loadJsQR().then(function () {
      var context = canvas.getContext("2d", { willReadFrequently: true });
      return function () {
        canvas.width = video.videoWidth;
        canvas.height = video.videoHeight;
        context.drawImage(video, 0, 0);
        var image = context.getImageData(0, 0, canvas.width, canvas.height);
        var found = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
        return Promise.resolve(found ? found.data : null);
      };
    });
  }
  document.getElementById("start-camera").addEventListener("click", function () {
    if (scanning) return;
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      showMessage("refused", "Trình duyệt này không mở được máy ảnh. Hãy gõ mã trên giấy mời.");
      return;
    }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false }).then(function (stream) {
      video.srcObject = stream;
      video.hidden = false;
      scanning = true;
      return video.play().then(detector).then(function (detect) {
        function tick() {
          if (!scanning) return;
          if (video.readyState < 2) { setTimeout(tick, 200); return; }
          detect().then(function (text) {
            var code = text ? text.replace(/[^0-9a-z]/gi, "").toUpperCase() : "";
            if (code && code !== lastCode) {
              lastCode = code;
              codeInput.value = code;
              lookUp(code);
            }
            setTimeout(tick, 250);
          }).catch(function () { setTimeout(tick, 500); });
        }
        tick();
      });
    }).catch(function () {
      showMessage("refused", "Không mở được máy ảnh (chưa cho phép?). Hãy gõ mã trên giấy mời.");
    });
  });
})();
