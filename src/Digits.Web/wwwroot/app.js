// The drawing page: a canvas that follows the pointer, read live by POST /api/predict.
// No framework and no build step; everything the page needs is served by `digits serve` itself.
"use strict";

(() => {
  const pad = document.getElementById("pad");
  const drop = document.getElementById("drop");
  const dropHint = document.getElementById("drop-hint");
  const clearButton = document.getElementById("clear");
  const fileInput = document.getElementById("file");
  const digitOut = document.getElementById("digit");
  const message = document.getElementById("message");
  const bars = document.getElementById("bars");
  const seen = document.getElementById("seen");

  const PREDICT_EVERY_MS = 120;   // live updates while drawing, at most this often
  const PHOTO_LONG_SIDE = 1600;   // photos are resized in the browser before upload (a 12 MP photo stays far under 5 MB)

  const ctx = pad.getContext("2d");
  let strokes = [];      // every stroke as a list of points in CSS pixels, to redraw after a resize
  let current = null;    // the stroke being drawn
  let photo = null;      // an uploaded picture shown in the pad instead of strokes
  let sequence = 0;      // answers older than the newest request are dropped
  let inFlight = false, pending = false, lastSent = 0, timer = 0;

  // ---- the pad -------------------------------------------------------------------------------------------------
  function colours() {
    const style = getComputedStyle(document.documentElement);
    return { paper: style.getPropertyValue("--paper").trim() || "#fff", ink: style.getPropertyValue("--ink").trim() || "#111" };
  }

  function penWidth() { return pad.clientWidth * 0.065; }

  // The backing store has devicePixelRatio pixels per CSS pixel, so strokes are sharp and sit exactly under the pointer.
  function resize() {
    const ratio = window.devicePixelRatio || 1;
    const size = pad.clientWidth;
    pad.width = Math.round(size * ratio);
    pad.height = Math.round(size * ratio);
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    redraw();
  }

  function redraw() {
    const { paper } = colours();
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = paper;
    ctx.fillRect(0, 0, pad.width, pad.height);
    ctx.restore();
    if (photo) {
      const size = pad.clientWidth, scale = Math.min(size / photo.width, size / photo.height);
      const w = photo.width * scale, h = photo.height * scale;
      ctx.drawImage(photo, (size - w) / 2, (size - h) / 2, w, h);
    }
    for (const stroke of strokes) drawStroke(stroke);
  }

  function startPen() {
    const { ink } = colours();
    ctx.strokeStyle = ink;
    ctx.fillStyle = ink;
    ctx.lineWidth = penWidth();
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
  }

  // A smooth line through the points: quadratic curves between midpoints, with each point as the control.
  function drawStroke(points) {
    startPen();
    if (points.length === 1) {
      ctx.beginPath();
      ctx.arc(points[0].x, points[0].y, penWidth() / 2, 0, Math.PI * 2);
      ctx.fill();
      return;
    }
    ctx.beginPath();
    ctx.moveTo(points[0].x, points[0].y);
    for (let i = 1; i < points.length - 1; i++) {
      const mid = { x: (points[i].x + points[i + 1].x) / 2, y: (points[i].y + points[i + 1].y) / 2 };
      ctx.quadraticCurveTo(points[i].x, points[i].y, mid.x, mid.y);
    }
    const last = points[points.length - 1];
    ctx.lineTo(last.x, last.y);
    ctx.stroke();
  }

  // Only the newest piece of the stroke is drawn as the pointer moves.
  function extend(stroke, from) {
    startPen();
    const n = stroke.length;
    if (n < 2) return;
    const a = stroke[Math.max(0, n - 3)], b = stroke[n - 2], c = stroke[n - 1];
    const start = n >= 3 ? { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 } : b;
    const end = { x: (b.x + c.x) / 2, y: (b.y + c.y) / 2 };
    ctx.beginPath();
    ctx.moveTo(start.x, start.y);
    ctx.quadraticCurveTo(b.x, b.y, end.x, end.y);
    ctx.lineTo(c.x, c.y);
    ctx.stroke();
  }

  function point(event) {
    const box = pad.getBoundingClientRect();
    return { x: event.clientX - box.left, y: event.clientY - box.top };
  }

  pad.addEventListener("pointerdown", (event) => {
    if (event.button !== 0 && event.pointerType === "mouse") return;
    event.preventDefault();
    if (photo) { photo = null; redraw(); }
    pad.setPointerCapture(event.pointerId);
    current = [point(event)];
    strokes.push(current);
    drawStroke(current);
    schedule();
  });

  pad.addEventListener("pointermove", (event) => {
    if (!current) return;
    event.preventDefault();
    const events = event.getCoalescedEvents ? event.getCoalescedEvents() : [event];
    for (const e of events.length ? events : [event]) {
      current.push(point(e));
      extend(current);
    }
    schedule();
  });

  function endStroke(event) {
    if (!current) return;
    event.preventDefault();
    current = null;
    // The live pieces overlap at their anti-aliased edges and leave a beaded outline; one smooth path per stroke
    // replaces them, before the final prediction reads the pad.
    redraw();
    predictNow();
  }
  pad.addEventListener("pointerup", endStroke);
  pad.addEventListener("pointercancel", endStroke);
  // Belt and braces for older touch browsers: a touch on the pad never scrolls the page.
  pad.addEventListener("touchmove", (event) => event.preventDefault(), { passive: false });

  function clear() {
    strokes = [];
    current = null;
    photo = null;
    sequence++;
    redraw();
    showEmpty();
  }
  clearButton.addEventListener("click", clear);
  document.addEventListener("keydown", (event) => {
    if ((event.key === "Escape" || event.key === "Delete") && !event.target.matches("input")) {
      event.preventDefault();
      clear();
    }
  });

  // ---- asking the model ----------------------------------------------------------------------------------------
  function schedule() {
    const wait = PREDICT_EVERY_MS - (performance.now() - lastSent);
    if (wait <= 0) predictNow();
    else if (!timer) timer = setTimeout(() => { timer = 0; predictNow(); }, wait);
  }

  function predictNow() {
    if (timer) { clearTimeout(timer); timer = 0; }
    if (strokes.length === 0 && !photo) { showEmpty(); return; }
    if (inFlight) { pending = true; return; }
    lastSent = performance.now();
    pad.toBlob((blob) => send(blob, "image/png"), "image/png");
  }

  async function send(blob, type) {
    const mine = ++sequence;
    inFlight = true;
    try {
      const response = await fetch("/api/predict?normalized=true", { method: "POST", headers: { "Content-Type": type }, body: blob });
      const body = await response.json();
      if (mine !== sequence) return;
      if (!response.ok) show({ status: "error", error: body.detail || body.title || `HTTP ${response.status}` });
      else show(body);
    } catch (error) {
      if (mine === sequence) show({ status: "error", error: "the server did not answer (" + error.message + ")" });
    } finally {
      inFlight = false;
      if (pending) { pending = false; predictNow(); }
    }
  }

  // ---- showing the answer --------------------------------------------------------------------------------------
  function buildBars() {
    for (let d = 0; d < 10; d++) {
      const item = document.createElement("li");
      item.innerHTML = `<span>${d}</span><span class="track"><span class="fill"></span></span><span class="pct"></span>`;
      bars.appendChild(item);
    }
  }

  function setBars(probabilities) {
    const best = probabilities ? probabilities.indexOf(Math.max(...probabilities)) : -1;
    [...bars.children].forEach((item, d) => {
      const p = probabilities ? probabilities[d] : 0;
      item.querySelector(".fill").style.width = (p * 100).toFixed(1) + "%";
      item.querySelector(".pct").textContent = probabilities ? (p * 100).toFixed(1) + "%" : "";
      item.classList.toggle("top", d === best);
      item.setAttribute("aria-label", probabilities ? `${d}: ${(p * 100).toFixed(1)} percent` : `${d}`);
    });
  }

  function setSeen(pixels) {
    const image = seen.getContext("2d").createImageData(28, 28);
    for (let i = 0; i < 784; i++) {
      const v = pixels ? pixels[i] : 0;
      image.data[i * 4] = v; image.data[i * 4 + 1] = v; image.data[i * 4 + 2] = v; image.data[i * 4 + 3] = 255;
    }
    seen.getContext("2d").putImageData(image, 0, 0);
  }

  function showEmpty() {
    digitOut.textContent = "";
    message.textContent = "Draw a digit";
    document.body.dataset.status = "empty";
    setBars(null);
    setSeen(null);
  }

  function sentence(text) { return text.charAt(0).toUpperCase() + text.slice(1); }

  function show(answer) {
    document.body.dataset.status = answer.status;
    setBars(answer.probabilities || null);
    setSeen(answer.normalized || null);
    const percent = answer.confidence != null ? (answer.confidence * 100).toFixed(1) + "%" : "";
    switch (answer.status) {
      case "ok":
        digitOut.textContent = String(answer.digit);
        message.textContent = `It's a ${answer.digit} (${percent} sure)`;
        break;
      case "unsure":
        digitOut.textContent = "?";
        message.textContent = "Unsure: " + (answer.reason || "this does not look like one digit");
        break;
      case "no-digit":
        digitOut.textContent = "";
        // The API's reason already starts with "no digit found: …"; say it once.
        message.textContent = answer.reason ? sentence(answer.reason) : "No digit found: draw a digit";
        break;
      default:
        digitOut.textContent = "";
        message.textContent = "Could not read it: " + (answer.error || "unknown error");
    }
  }

  // ---- photos: upload, camera, drag and drop -------------------------------------------------------------------
  async function readPhoto(file) {
    if (!file) return;
    let bitmap;
    try {
      bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
    } catch {
      show({ status: "error", error: `${file.name} is not a picture this browser can open` });
      return;
    }
    const scale = Math.min(1, PHOTO_LONG_SIDE / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.round(bitmap.width * scale));
    canvas.height = Math.max(1, Math.round(bitmap.height * scale));
    const photoContext = canvas.getContext("2d");
    // JPEG has no alpha: without white paper underneath, a transparent PNG (a canvas export) turns black on black.
    photoContext.fillStyle = "#fff";
    photoContext.fillRect(0, 0, canvas.width, canvas.height);
    photoContext.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    strokes = [];
    photo = canvas;
    redraw();
    canvas.toBlob((blob) => send(blob, "image/jpeg"), "image/jpeg", 0.92);
  }

  fileInput.addEventListener("change", () => { readPhoto(fileInput.files[0]); fileInput.value = ""; });
  drop.addEventListener("dragover", (event) => { event.preventDefault(); drop.classList.add("over"); dropHint.hidden = false; });
  drop.addEventListener("dragleave", () => { drop.classList.remove("over"); dropHint.hidden = true; });
  drop.addEventListener("drop", (event) => {
    event.preventDefault();
    drop.classList.remove("over");
    dropHint.hidden = true;
    readPhoto(event.dataTransfer.files[0]);
  });

  // ---- start ---------------------------------------------------------------------------------------------------
  buildBars();
  showEmpty();
  resize();
  window.addEventListener("resize", resize);
  window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", redraw);
})();
